"""CLI tables in an 80-column terminal (rich reads COLUMNS): the values people type back or
dial (group ids, member numbers, phone numbers, dates) are never cut, and no line is wider
than the terminal; the less useful columns go first."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from vsla.cli import app

LONG_ID = "kolwezi-umoja-wa-mama-wachimbaji"  # 32 of the 40 characters a group id may have
BOOK = f"""format = "vsla-book/1"

[group]
id = "{LONG_ID}"
name = "Umoja wa Mama Wachimbaji wa Kolwezi na Likasi"
currency = "CDF"
share_value = 1000
cycle_start = 2026-01-07

[[members]]
id = "M01"
name = "Marie-Claire Kabongo Mwamba"
gender = "F"
phone = "+243970000001"

[[members]]
id = "M02"
name = "Jean-Baptiste Ilunga Kasongo"
gender = "M"
phone = "+243810000002"

[[members]]
id = "MEMBER-0003"
name = "Béatrice Nsimba"
gender = "F"
phone = "+243990000003"
roles = []

[[meetings]]
date = 2026-01-07
entries = [
  {{ member = "M01", shares = 5 }},
  {{ member = "M02", shares = 3 }},
  {{ member = "MEMBER-0003", shares = 1 }},
]
"""


def shown(width: int, *args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def as_json(db: Path, *args: str) -> dict[str, object]:
    result = CliRunner().invoke(app, [*args, "--json", "--db", str(db)])
    document: dict[str, object] = json.loads(result.stdout)
    return document


def assert_whole(text: str, values: list[str]) -> None:
    """Each value is on one line, whole: not cut with "…", not folded onto the next line."""
    assert "…" not in text
    for value in values:
        assert re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text), (value, text)


def assert_fits(text: str, width: int) -> None:
    assert max(cell_len(line) for line in text.splitlines()) <= width, text


@pytest.fixture
def long_db(tmp_path: Path) -> Path:
    source = tmp_path / "long.toml"
    source.write_text(BOOK.replace("roles = []\n", ""), encoding="utf-8")
    db = tmp_path / "long.sqlite"
    result = CliRunner().invoke(app, ["import", str(source), "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    return db


def test_groups_at_80_columns_show_every_id_and_date_whole(demo_db: Path) -> None:
    groups = as_json(demo_db, "groups")["groups"]
    assert isinstance(groups, list)
    dates = [g["last_meeting"] for g in groups]
    assert len(dates) == 4 and all(re.fullmatch(r"\d{4}-\d\d-\d\d", d) for d in dates)
    text = shown(80, "groups", "--db", str(demo_db))
    assert_fits(text, 80)
    assert_whole(
        text, ["bukavu-amani", "kolwezi-tumaini", "kolwezi-umoja", "mubende-twekembe", *dates]
    )


def test_members_at_80_columns_show_every_phone_whole(demo_db: Path) -> None:
    members = as_json(demo_db, "members", "bukavu-amani")["members"]
    assert isinstance(members, list)
    phones = [m["phone"] for m in members if m["phone"]]
    assert len(phones) > 10  # the demo gives most members a phone
    text = shown(80, "members", "bukavu-amani", "--db", str(demo_db))
    assert_fits(text, 80)
    assert_whole(text, phones + [m["member"] for m in members])


@pytest.mark.parametrize("width", [80, 60])
def test_a_long_group_id_long_names_and_member_numbers_stay_whole(
    long_db: Path, width: int
) -> None:
    phones = ["+243970000001", "+243810000002", "+243990000003"]
    ids = ["M01", "M02", "MEMBER-0003"]
    for args, values in (
        (("groups",), [LONG_ID, "2026-01-07"]),
        (("members", LONG_ID), phones + ids),
        (("meeting", "show", LONG_ID), ids),
        (("shareout", LONG_ID, "--date", "2026-01-14"), ids),
    ):
        text = shown(width, *args, "--db", str(long_db))
        assert_fits(text, width)
        assert_whole(text, values)


def test_a_wide_terminal_shows_every_column(long_db: Path) -> None:
    header = shown(200, "members", LONG_ID, "--db", str(long_db)).splitlines()[1]
    for column in ("member", "name", "gender", "phone", "shares", "savings", "owes", "roles"):
        assert column in header
