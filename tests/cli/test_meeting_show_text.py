"""`vsla meeting show` in words: who was absent, excused or represented, and a fine recorded
as owed told apart from one paid at the meeting (and from an owed fine paid later)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from vsla.cli import app

BOOK = """format = "vsla-book/1"

[group]
id = "amani"
name = "Amani Group"
currency = "UGX"
share_value = 1000
cycle_start = 2026-01-05
fines = { late = 200, absent = 500 }

[[members]]
id = "M01"
name = "Aida Nsimba"
gender = "F"

[[members]]
id = "M02"
name = "Bahati Kalume"
gender = "F"

[[members]]
id = "M03"
name = "Chance Mwamba"
gender = "M"

[[members]]
id = "M04"
name = "Dorcas Ilunga"
gender = "F"

[[members]]
id = "M05"
name = "Esther Kasongo"
gender = "F"

[[meetings]]
date = 2026-01-05
absent = ["M03"]
excused = ["M04"]
proxy = ["M02"]
entries = [
  { member = "M01", shares = 1 },
  { member = "M02", shares = 1 },
  { member = "M05", shares = 1 },
  { member = "M01", fine = "late" },
  { member = "M03", fine = "absent", paid = false },
]

[[meetings]]
date = 2026-01-12
entries = [
  { member = "M01", shares = 1 },
  { member = "M02", shares = 1 },
  { member = "M03", shares = 1 },
  { member = "M04", shares = 1 },
  { member = "M05", shares = 1 },
  { member = "M03", fine_payment = 500 },
]
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    source = tmp_path / "amani.toml"
    source.write_text(BOOK, encoding="utf-8")
    path = tmp_path / "amani.sqlite"
    result = CliRunner().invoke(app, ["import", str(source), "--db", str(path)])
    assert result.exit_code == 0, result.stderr
    return path


def shown(db: Path, number: int) -> list[str]:
    result = CliRunner().invoke(
        app,
        ["meeting", "show", "amani", "--number", str(number), "--db", str(db)],
        env={"COLUMNS": "120"},
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def row(lines: list[str], member: str, *words: str) -> str:
    """The table row of `member` that holds all of `words`."""
    (found,) = [line for line in lines if f" {member} " in line and all(w in line for w in words)]
    return found


def test_attendance_lists_who_was_absent_excused_or_represented(db: Path) -> None:
    lines = shown(db, 1)
    assert "attendance: 2 of 5 present" in lines  # M01 and M05
    assert "absent: M03" in lines
    assert "excused: M04" in lines
    assert "proxy: M02" in lines


def test_a_meeting_where_everyone_came_says_so(db: Path) -> None:
    lines = shown(db, 2)
    assert "attendance: 5 of 5 present" in lines
    assert not [line for line in lines if line.startswith(("absent:", "excused:", "proxy:"))]


def test_an_owed_fine_is_shown_unlike_a_paid_one(db: Path) -> None:
    lines = shown(db, 1)
    paid = row(lines, "M01", "late", "UGX 200")
    owed = row(lines, "M03", "absent", "UGX 500")
    assert "paid" in paid and "owed" not in paid
    assert "owed" in owed and "paid" not in owed


def test_an_owed_fine_paid_later_says_what_it_pays(db: Path) -> None:
    assert "owed fine paid" in row(shown(db, 2), "M03", "UGX 500")
