"""`vsla shareout` as a user meets it: a refused --commit names every problem once; a counted
cash that differs from the book is never taken silently; a date the share-out cannot have is
refused, not previewed. Bad input is exit 2 with nothing written."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vsla.cli import app

# A UGX group (no decimals), shares of UGX 1,000, no service charge: every figure below is
# worked by hand.
BOOK = """format = "vsla-book/1"

[group]
id = "tumaini"
name = "Tumaini Group"
currency = "UGX"
share_value = 1000
service_charge = "none"
debts_at_shareout = "{debts}"
cycle_start = 2026-01-05
fines = {{ absent = 500 }}

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

[[meetings]]
date = 2026-01-05
entries = [
  {{ member = "M01", shares = 5 }},
  {{ member = "M02", shares = 4 }},
  {{ member = "M03", shares = 1 }},
  {{ member = "M04", shares = 2 }},
]

[[meetings]]
date = 2026-01-12
{second_meeting}
"""
# Shares only: 24 shares, UGX 24,000 in the box.
SHARES_ONLY = """entries = [
  { member = "M01", shares = 5 },
  { member = "M02", shares = 4 },
  { member = "M03", shares = 1 },
  { member = "M04", shares = 2 },
]"""
# 22 shares; UGX 22,000 bought, UGX 9,000 lent: UGX 13,000 in the box. M01 owes 6,000,
# M03 3,000, M04 her absence fine of 500.
WITH_DEBTS = """absent = ["M04"]
entries = [
  { member = "M01", shares = 5 },
  { member = "M02", shares = 4 },
  { member = "M03", shares = 1 },
  { member = "M01", loan = 6000, term_months = 1 },
  { member = "M03", loan = 3000, term_months = 1 },
  { member = "M04", fine = "absent", paid = false },
]"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "120"})
    return result.exit_code, result.stdout, result.stderr


def make_book(tmp_path: Path, *, debts: str = "deduct", second: str = SHARES_ONLY) -> Path:
    source = tmp_path / "tumaini.toml"
    source.write_text(BOOK.format(debts=debts, second_meeting=second), encoding="utf-8")
    db = tmp_path / "book.sqlite"
    code, _, err = run("import", str(source), "--db", str(db))
    assert code == 0, err
    return db


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def last_meeting(db: Path) -> int:
    code, out, _ = run("meeting", "show", "tumaini", "--json", "--db", str(db))
    assert code == 0
    number: int = json.loads(out)["number"]
    return number


# fund = 13,000 in the box + 9,500 owed = 22,500 for 22 shares; M03's 2 shares:
# 22,500 × 2 ÷ 22 = 2,045.45 -> 2,045, less than the 3,000 she owes.
FORBID_PROBLEMS = [
    "M01 still owes UGX 6,000; the constitution requires every debt to be paid before share-out",
    "M03 still owes UGX 3,000; the constitution requires every debt to be paid before share-out",
    "M04 still owes UGX 500; the constitution requires every debt to be paid before share-out",
    "M03 owes UGX 3,000, more than her share-out of UGX 2,045: collect or write off the "
    "difference first",
]


def test_a_refused_commit_names_every_problem_once_and_records_nothing(tmp_path: Path) -> None:
    db = make_book(tmp_path, debts="forbid", second=WITH_DEBTS)
    before = sha256(db)
    code, out, err = run("shareout", "tumaini", "--commit", "--date", "2026-01-19", "--db", str(db))
    assert code == 2
    assert out == ""
    for problem in FORBID_PROBLEMS:
        assert err.count(problem) == 1, (problem, err)
    for line in err.splitlines():
        for member in ("M01", "M02", "M03", "M04"):
            assert line.count(member) <= 1, line  # never "M03, M03 owes …"
    assert sha256(db) == before
    assert last_meeting(db) == 2


def test_a_preview_that_cannot_be_done_shows_every_problem_once_and_exits_1(
    tmp_path: Path,
) -> None:
    db = make_book(tmp_path, debts="forbid", second=WITH_DEBTS)
    code, out, err = run("shareout", "tumaini", "--date", "2026-01-19", "--db", str(db))
    assert code == 1, err
    for problem in FORBID_PROBLEMS:
        assert out.count(problem) == 1, (problem, out)
    code, out, _ = run("shareout", "tumaini", "--date", "2026-01-19", "--json", "--db", str(db))
    assert code == 1
    assert [p["message"] for p in json.loads(out)["problems"]] == sorted(
        FORBID_PROBLEMS, key=lambda m: (m.startswith("M03 owes"), m)
    )


@pytest.mark.parametrize("commit", [(), ("--commit",)])
def test_a_counted_cash_unlike_the_book_without_a_reason_is_refused(
    tmp_path: Path, commit: tuple[str, ...]
) -> None:
    db = make_book(tmp_path)
    before = sha256(db)
    code, out, err = run(
        "shareout", "tumaini", "--counted-cash", "23000", *commit, "--date", "2026-01-19",
        "--db", str(db),
    )  # fmt: skip
    assert code == 2
    assert out == ""
    assert "--reason" in err
    assert "UGX 23,000" in err and "UGX 24,000" in err
    assert sha256(db) == before


def test_a_counted_cash_with_its_reason_is_what_is_shared_out(tmp_path: Path) -> None:
    """UGX 23,000 counted for 24 shares: 958.33 a share. M01 10 shares -> 9,583; M02 8 ->
    7,666; M03 2 -> 1,916; M04 4 -> 3,833; together 22,998, so 2 remain."""
    db = make_book(tmp_path)
    args = ("shareout", "tumaini", "--counted-cash", "23000", "--reason", "UGX 1,000 missing")
    code, out, err = run(*args, "--date", "2026-01-19", "--json", "--db", str(db))
    assert code == 0, err
    document = json.loads(out)
    assert document["cash_in_book_minor"] == 24_000
    assert document["counted_cash_minor"] == 23_000
    assert document["fund_minor"] == 23_000
    assert {m["member"]: m["gross_minor"] for m in document["members"]} == {
        "M01": 9_583,
        "M02": 7_666,
        "M03": 1_916,
        "M04": 3_833,
    }
    assert document["remainder_minor"] == 2
    code, out, _ = run(*args, "--date", "2026-01-19", "--db", str(db))
    assert code == 0
    assert "UGX 23,000" in out and "UGX 24,000" in out and "UGX 1,000 missing" in out


@pytest.mark.parametrize(
    ("day", "named"),
    [("2020-01-01", "2026-01-05"), ("2026-01-08", "2026-01-12")],
    ids=["before the cycle", "before the last meeting"],
)
@pytest.mark.parametrize("commit", [(), ("--commit",)], ids=["preview", "commit"])
def test_a_date_the_share_out_cannot_have_is_refused(
    tmp_path: Path, day: str, named: str, commit: tuple[str, ...]
) -> None:
    db = make_book(tmp_path)
    before = sha256(db)
    code, out, err = run("shareout", "tumaini", "--date", day, *commit, "--db", str(db))
    assert code == 2
    assert out == ""
    assert day in err and named in err
    assert sha256(db) == before


def test_a_reason_without_a_counted_cash_is_refused(tmp_path: Path) -> None:
    db = make_book(tmp_path)
    code, out, err = run("shareout", "tumaini", "--reason", "short", "--db", str(db))
    assert code == 2
    assert out == "" and "--counted-cash" in err


def test_a_share_out_that_can_be_done_is_committed_once(tmp_path: Path) -> None:
    """24 shares and UGX 24,000: a share is worth what it cost; everyone gets her savings."""
    db = make_book(tmp_path)
    code, out, err = run(
        "shareout", "tumaini", "--commit", "--date", "2026-01-19", "--json", "--db", str(db)
    )
    assert code == 0, err
    document = json.loads(out)
    assert document["committed"] is True
    assert {m["member"]: m["payout_minor"] for m in document["members"]} == {
        "M01": 10_000,
        "M02": 8_000,
        "M03": 2_000,
        "M04": 4_000,
    }
    assert last_meeting(db) == 3
    assert run("check", "--db", str(db))[0] == 0
    code, out, err = run("shareout", "tumaini", "--commit", "--db", str(db))
    assert code == 2
    assert "closed" in err and out == ""
    assert last_meeting(db) == 3
