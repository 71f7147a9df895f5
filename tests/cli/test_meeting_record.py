"""`vsla meeting record GROUP FILE`: one meeting written as a `[[meetings]]` table, recorded
whole with every rule checked, or refused with nothing changed.

The book is the whole-cycle "umoja" of docs/book-format.md. Its second cycle has a share of
CDF 2,000 and one meeting (2026-02-25): M01 bought 2 shares (CDF 4,000) and borrowed CDF
2,000; M07 bought 1 share (CDF 2,000). The file below is the meeting of 2026-03-04: M01 buys
1 share (3 shares, CDF 6,000 in all), M02 2 shares (CDF 4,000) and pays CDF 200 to the social
fund, M07 1 share (2 shares, CDF 4,000); M04 is absent and owes the CDF 500 fine.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vsla.cli import app

from .test_docs import whole_cycle_book

MEETING = """[[meetings]]
date = 2026-03-04
absent = ["M04"]
entries = [
  { member = "M01", shares = 1 },
  { member = "M02", shares = 2 },
  { member = "M07", shares = 1 },
  { member = "M02", social_fund = 200 },
  { member = "M04", fine = "absent", paid = false },
]
"""
MEETING_JSON = {
    "meetings": [
        {
            "date": "2026-03-04",
            "absent": ["M04"],
            "entries": [
                {"member": "M01", "shares": 1},
                {"member": "M02", "shares": 2},
                {"member": "M07", "shares": 1},
                {"member": "M02", "social_fund": 200},
                {"member": "M04", "fine": "absent", "paid": False},
            ],
        }
    ]
}


def vsla(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def umoja(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VSLA_BACKUP_DIR", str(tmp_path / "backups"))
    book = tmp_path / "umoja.toml"
    book.write_text(whole_cycle_book(), encoding="utf-8")
    db = tmp_path / "umoja.sqlite"
    assert vsla("import", str(book), db=db)[0] == 0
    return db


def position(db: Path, member: str) -> tuple[int, int]:
    code, out, err = vsla("statement", "umoja", member, "--json", db=db)
    assert code == 0, err
    found = json.loads(out)
    return found["shares"], found["savings_minor"]


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_a_meeting_written_in_a_file_is_recorded_whole(umoja: Path, suffix: str) -> None:
    meeting = umoja.with_name(f"meeting{suffix}")
    meeting.write_text(MEETING if suffix == ".toml" else json.dumps(MEETING_JSON))
    code, out, err = vsla("meeting", "record", "umoja", str(meeting), "--json", db=umoja)
    assert code == 0, err
    assert json.loads(out) == {"group": "umoja", "meeting": 7, "date": "2026-03-04"}
    assert position(umoja, "M01") == (3, 6_000_00)
    assert position(umoja, "M02") == (2, 4_000_00)
    assert position(umoja, "M07") == (2, 4_000_00)
    code, out, _ = vsla("meeting", "show", "umoja", "--json", db=umoja)
    shown = json.loads(out)
    assert shown["number"] == 7 and shown["attendance"]["M04"] == "absent"
    fines = [e for e in shown["entries"] if e["member"] == "M04"]
    assert [(f["amount_minor"], f["paid"]) for f in fines] == [(500_00, False)]
    assert vsla("check", db=umoja)[0] == 0
    code, _, err = vsla("meeting", "record", "umoja", str(meeting), db=umoja)
    assert code == 2 and "not after the previous meeting" in err  # the same file twice


REFUSED = {
    "above the maximum": (
        '[[meetings]]\ndate = 2026-03-04\nentries = [{ member = "M01", shares = 9 }]\n',
        ["meeting of 2026-03-04", "member M01", "maximum is 5"],
    ),
    "a float": (
        '[[meetings]]\ndate = 2026-03-04\nentries = [{ member = "M01", shares = 1.5 }]\n',
        ["meeting of 2026-03-04", "member M01"],
    ),
    "two meetings": (
        "[[meetings]]\ndate = 2026-03-04\n\n[[meetings]]\ndate = 2026-03-11\n",
        ["one [[meetings]] table, not 2"],
    ),
    "someone unknown": (
        '[[meetings]]\ndate = 2026-03-04\nentries = [{ member = "M99", shares = 1 }]\n',
        ["meeting of 2026-03-04", "M99"],
    ),
    "before the cycle started": (
        '[[meetings]]\ndate = 2026-02-20\nentries = [{ member = "M01", shares = 1 }]\n',
        ["meeting of 2026-02-20", "before the cycle started (2026-02-25)"],
    ),
    "a newcomer, then a broken rule": (
        '[[meetings]]\ndate = 2026-03-04\njoining = [{ id = "M08", name = "Hawa", gender = "F" }]'
        '\nentries = [{ member = "M08", shares = 9 }]\n',
        ["meeting of 2026-03-04", "member M08", "maximum is 5"],
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_meeting_names_the_place_and_changes_nothing(umoja: Path, case: str) -> None:
    text, said = REFUSED[case]
    meeting = umoja.with_name("meeting.toml")
    meeting.write_text(text)
    before = hashlib.sha256(umoja.read_bytes()).hexdigest()
    code, out, err = vsla("meeting", "record", "umoja", str(meeting), db=umoja)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {meeting}") and "Traceback" not in err
    for part in said:
        assert part in err, (part, err)
    assert hashlib.sha256(umoja.read_bytes()).hexdigest() == before
    assert position(umoja, "M01") == (2, 4_000_00)


def test_an_unknown_group_and_a_missing_file_are_bad_input(umoja: Path) -> None:
    meeting = umoja.with_name("meeting.toml")
    meeting.write_text(MEETING)
    code, _, err = vsla("meeting", "record", "nowhere", str(meeting), db=umoja)
    assert code == 2 and 'there is no group "nowhere"' in err
    code, _, err = vsla("meeting", "record", "umoja", str(umoja.with_name("none.toml")), db=umoja)
    assert code == 2 and "there is no file" in err
