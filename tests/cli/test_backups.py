"""Backups: one after every closed meeting, rotated, listed, and restored only when whole."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from vsla.book.backups import (
    backup_name,
    latest_backup,
    list_backups,
    make_backup,
    rotate_backups,
)
from vsla.book.service import Book
from vsla.cli import app
from vsla.domain.entries import Shares

from ..conftest import EXAMPLES
from ..damage import zero_a_page_of
from ..support import MONDAY, meet, new_group, week

GROUP = "kolwezi-umoja"


def vsla(*args: str, folder: Path) -> Result:
    result = CliRunner().invoke(app, list(args), env={"VSLA_BACKUP_DIR": str(folder)})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def balances(path: Path) -> dict[tuple[str, str], int]:
    """Every account's balance summed from the postings, read with plain SQL."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT group_id, account, SUM(amount_minor) FROM postings GROUP BY 1, 2"
        ).fetchall()
    finally:
        conn.close()
    return {(g, a): int(total) for g, a, total in rows}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_each_closed_meeting_leaves_a_backup_that_holds_it(tmp_path: Path) -> None:
    folder = tmp_path / "copies"
    book = Book.open(tmp_path / "book.sqlite", backup_dir=folder)
    new_group(book)
    for n in (1, 2, 3):
        meet(book, week(n), *(Shares(f"M0{m}", 2) for m in range(1, 6)))
    book.close()
    backups = list_backups(tmp_path / "book.sqlite", folder)
    assert len(backups) == 3
    newest = backups[0]
    assert [(g.group_id, g.last_meeting, g.last_meeting_on) for g in newest.groups] == [
        ("umoja", 3, week(3).isoformat())
    ]
    # five members, two shares of UGX 1,000 each, three meetings
    assert balances(newest.path)[("umoja", "assets:cash:loan_fund")] == 3 * 5 * 2 * 1000


def test_an_import_through_the_command_line_is_backed_up(tmp_path: Path) -> None:
    db = tmp_path / "book.sqlite"
    result = vsla("import", str(EXAMPLES / "share-out-ghs.toml"), "--db", str(db), folder=tmp_path)
    assert result.exit_code == 0, result.output
    listed = json.loads(vsla("backups", "--db", str(db), "--json", folder=tmp_path).stdout)
    assert len(listed["backups"]) == 1
    (group,) = listed["backups"][0]["groups"]
    assert group["group"] == "ama"
    assert balances(Path(listed["backups"][0]["path"])) == balances(db)


def test_rotation_keeps_the_last_ten_and_the_newest_of_each_month(tmp_path: Path) -> None:
    book_path = tmp_path / "book.sqlite"
    start = datetime(2026, 1, 3, 9, tzinfo=UTC)
    made = [start + timedelta(weeks=n) for n in range(20)]  # January to May
    for when in made:
        (tmp_path / backup_name(book_path, when)).write_bytes(b"")
    other = tmp_path / "other-20260101-000000-000000.sqlite"  # another book's: never touched
    other.write_bytes(b"")
    rotate_backups(tmp_path, "book", keep_last=10)
    left = sorted(p.name for p in tmp_path.glob("book-*.sqlite"))
    expected = {backup_name(book_path, when) for when in made[-10:]}
    expected |= {backup_name(book_path, when) for when in (made[4], made[8])}  # Jan 31, Feb 28
    assert set(left) == expected
    assert other.exists()


def test_a_backup_never_writes_over_a_file(demo_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "mine.sqlite"
    target.write_bytes(b"precious")
    result = vsla("backup", "--db", str(demo_copy), "--to", str(target), folder=tmp_path)
    assert result.exit_code == 2
    assert "never overwrites" in result.output
    assert target.read_bytes() == b"precious"


def test_restore_brings_back_the_backup_and_keeps_the_book_aside(
    demo_copy: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "copies"
    assert vsla("backup", "--db", str(demo_copy), folder=folder).exit_code == 0
    saved = latest_backup(demo_copy, folder / "demo")
    assert saved is not None
    at_backup = balances(demo_copy)
    book = Book.open(demo_copy)
    new_group(book, "later", start=MONDAY)
    meet(book, week(1), Shares("M01", 5), group="later")
    book.close()
    after_change = balances(demo_copy)
    assert after_change != at_backup

    restored = vsla("restore-backup", str(saved), "--db", str(demo_copy), folder=folder)
    assert restored.exit_code == 0, restored.output
    assert "0 problems" in restored.output
    assert balances(demo_copy) == at_backup
    assert vsla("check", "--db", str(demo_copy), folder=folder).exit_code == 0
    (aside,) = tmp_path.glob("demo.before-restore-*.sqlite")
    assert balances(aside) == after_change


def test_restore_refuses_a_backup_that_fails_check(demo_copy: Path, tmp_path: Path) -> None:
    book = Book.open(demo_copy)
    backup = make_backup(book, to=tmp_path / "copy.sqlite")
    book.close()
    conn = sqlite3.connect(backup)
    conn.execute("UPDATE loans SET status = 'repaid' WHERE loan_number = 28")
    conn.commit()
    conn.close()
    before = digest(demo_copy)
    result = vsla("restore-backup", str(backup), "--db", str(demo_copy), folder=tmp_path)
    assert result.exit_code == 2
    assert "fails the check" in result.output
    assert "table loans, row loan_number=28: status" in result.output
    assert digest(demo_copy) == before
    assert not list(tmp_path.glob("demo.before-restore-*"))


def test_restore_replaces_a_damaged_book(demo_copy: Path, tmp_path: Path) -> None:
    book = Book.open(demo_copy)
    backup = make_backup(book, to=tmp_path / "copy.sqlite")
    book.close()
    expected = balances(backup)
    zero_a_page_of(demo_copy, "postings")
    assert vsla("check", "--db", str(demo_copy), folder=tmp_path).exit_code == 1

    result = vsla("restore-backup", str(backup), "--db", str(demo_copy), folder=tmp_path)
    assert result.exit_code == 0, result.output
    assert balances(demo_copy) == expected
    assert vsla("check", "--db", str(demo_copy), folder=tmp_path).exit_code == 0
    (aside,) = tmp_path.glob("demo.before-restore-*.sqlite")
    assert aside.stat().st_size > 0  # the damaged bytes, kept for whoever investigates


@pytest.mark.parametrize("missing", ["nothing.sqlite"])
def test_restore_of_a_missing_file_is_bad_input(
    demo_copy: Path, tmp_path: Path, missing: str
) -> None:
    result = vsla(
        "restore-backup", str(tmp_path / missing), "--db", str(demo_copy), folder=tmp_path
    )
    assert result.exit_code == 2
    assert "there is no book at" in result.output
