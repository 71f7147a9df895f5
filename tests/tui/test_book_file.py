"""The app when the file fails it: another program holds the write lock at the close, the book
is read-only, the book is damaged. A message each time, the typing kept, never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.damage import zero_a_page_of
from tests.read_only import read_only
from tests.tui.conftest import MEETING_DAY
from tests.tui.helpers import Keys, journal_rows, screen_text
from tui.app import create_app, run
from tui.screens.home import GroupHomeScreen
from tui.screens.meeting import MeetingScreen
from tui.screens.summary import SummaryScreen
from tui.text import typed_amount
from vsla.book.errors import BookDamaged
from vsla.book.session import BookSession
from vsla.domain.entries import Bowls

GROUP = "mubende-twekembe"  # the smallest demo group: 18 members, UGX


def flat(text: str) -> str:
    """The screen's words in one line: a toast wraps its message over several."""
    return " ".join(word for word in text.replace("▌", " ").replace("│", " ").split())


def draft_and_rows(path: Path) -> tuple[str | None, int]:
    """Read by another program while the app runs: what the device kept, what the journal has."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        draft = conn.execute(
            "SELECT data FROM meeting_drafts WHERE group_id = ?", [GROUP]
        ).fetchone()
        (rows,) = conn.execute("SELECT COUNT(*) FROM journal").fetchone()
    finally:
        conn.close()
    return (None if draft is None else str(draft[0])), int(rows)


async def test_a_held_lock_at_the_close_keeps_the_meeting_and_lets_her_try_again(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VSLA_BACKUP_DIR", str(tmp_path / "copies"))
    session = BookSession.open(demo_path, timeout_ms=200)
    before = journal_rows(session.book)
    app = create_app(session, today=MEETING_DAY, group=GROUP)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        keys = Keys(pilot)
        await keys("m", "end", "enter")  # everyone present; on to the opening count
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        opening = screen.outcome.opening_ledger if screen.outcome else Bowls(0, 0)
        await keys.type(typed_amount(opening.loan_fund_minor, screen.cur))
        await keys("enter")
        await keys.type(typed_amount(opening.social_fund_minor, screen.cur))
        await keys("enter", "end", "enter", "ctrl+e")
        expected = screen.outcome.expected_closing if screen.outcome else Bowls(0, 0)
        await keys.type(typed_amount(expected.loan_fund_minor, screen.cur))
        await keys("enter")
        await keys.type(typed_amount(expected.social_fund_minor, screen.cur))
        typed = screen.sheet.to_json()

        other = sqlite3.connect(demo_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program starts writing the book
        await keys("enter", "enter")  # the closing count, then "Close the meeting"
        await pilot.pause()
        assert app.screen is screen and isinstance(screen, MeetingScreen)
        assert "another program is writing this book" in flat(screen_text(app))
        draft, rows = draft_and_rows(demo_path)
        assert rows == before
        assert draft is not None
        assert screen.sheet.to_json() == typed  # nothing typed was lost

        other.execute("ROLLBACK")  # the other program is done: she tries again
        other.close()
        await keys("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await keys("escape")
        assert isinstance(app.screen, GroupHomeScreen)
        assert "Last backup:" in screen_text(app)
    draft, rows = draft_and_rows(demo_path)
    assert draft is None and rows > before
    assert len(list((tmp_path / "copies" / "demo").glob("demo-*.sqlite"))) == 1
    session.close()


async def test_a_read_only_book_opens_read_only_and_no_meeting_can_start(
    demo_path: Path,
) -> None:
    with read_only(demo_path):
        app = create_app(demo_path, today=MEETING_DAY)
        assert app.session.read_only
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            keys = Keys(pilot)
            assert "This book is read-only" in flat(screen_text(app))
            await keys("enter")  # the first group
            assert isinstance(app.screen, GroupHomeScreen)
            await keys("m")
            await pilot.pause()
            assert isinstance(app.screen, GroupHomeScreen)
            assert "no meeting can start" in flat(screen_text(app))
        assert app.return_code in (0, None)


def test_a_damaged_book_is_refused_with_the_latest_backup(
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("VSLA_BACKUP_DIR", str(tmp_path / "copies"))
    session = BookSession.open(demo_path)
    session.book.backed_up()
    latest = session.last_backup()
    session.close()
    assert latest is not None
    zero_a_page_of(demo_path, "journal")

    with pytest.raises(BookDamaged):
        create_app(demo_path, today=MEETING_DAY)
    assert run(demo_path) == 2
    said = flat(capsys.readouterr().err)
    assert "the book file is damaged" in said
    assert f"vsla restore-backup {latest.path}" in said


def test_an_empty_file_is_refused_and_left_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "book.sqlite"
    empty.write_bytes(b"")
    assert run(empty) == 2
    assert "empty file, not a book" in capsys.readouterr().err
    assert empty.read_bytes() == b""
