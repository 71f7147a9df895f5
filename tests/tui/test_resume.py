"""A meeting interrupted (the app closed, the power cut) resumes where it stopped: nothing typed
is lost, and nothing reaches the journal before the closing count is confirmed."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import MEETING_DAY
from tests.tui.helpers import Keys, journal_rows, screen_text
from tui.app import create_app
from tui.screens.meeting import MeetingScreen
from tui.screens.summary import SummaryScreen
from tui.text import typed_amount
from vsla.book.service import Book
from vsla.domain.entries import Bowls

GROUP = "bukavu-amani"  # 28 members, CDF


def count_rows(path: Path) -> tuple[int, str | None]:
    book = Book.open(path)
    try:
        return journal_rows(book), book.load_draft(GROUP)
    finally:
        book.close()


async def test_an_interrupted_meeting_resumes_with_nothing_lost_and_nothing_written(
    demo_path: Path,
) -> None:
    before, draft = count_rows(demo_path)
    assert draft is None
    app = create_app(demo_path, today=MEETING_DAY, group=GROUP)  # the app owns the book
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("m", "down", "a", "end", "enter")  # M02 absent; on to the opening count
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        opening = screen.outcome.opening_ledger if screen.outcome else Bowls(0, 0)
        await keys.type(typed_amount(opening.loan_fund_minor, screen.cur))
        await keys("enter")
        await keys.type(typed_amount(opening.social_fund_minor, screen.cur))
        await keys("enter", "end", "enter")  # social fund as filled in
        await keys("4", "enter", "5", "enter", "3")  # M01 4, (M02 absent), M03 5, M04 3…
        typed = screen.sheet.to_json()
        cursor = screen.grid.cursor
        await pilot.pause()
    # The app is gone, as after a power cut: the journal is as it was, the draft has it all.
    after, draft = count_rows(demo_path)
    assert after == before
    assert draft == typed
    app = create_app(demo_path, today=MEETING_DAY, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("m")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        assert screen.resumed
        assert screen.grid.cursor == cursor
        assert app.focused is screen.grid
        rows = {row.member_id: row for row in screen.sheet.rows}
        assert rows["M02"].attendance == "absent"
        assert rows["M02"].cells == {"fine": "absent"}
        assert [rows[m].cells["shares"] for m in ("M01", "M03", "M04")] == ["4", "5", "3"]
        assert screen.sheet.opening["loan_fund"] == typed_amount(
            opening.loan_fund_minor, screen.cur
        )
        # … and the meeting goes on to its close.
        await keys("enter", "ctrl+e")
        expected = screen.outcome.expected_closing if screen.outcome else Bowls(0, 0)
        await keys.type(typed_amount(expected.loan_fund_minor, screen.cur))
        await keys("enter")
        await keys.type(typed_amount(expected.social_fund_minor, screen.cur))
        await keys("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        number = app.screen.outcome.number
    after, draft = count_rows(demo_path)
    assert after > before and draft is None
    book = Book.open(demo_path)
    state = book.state(GROUP)
    assert state.last_meeting is not None and state.last_meeting.number == number
    lines = {m: state.shares(m) for m in ("M01", "M03", "M04")}
    book.close()
    reference = Book.open(demo_path)  # shares bought at this meeting, from the meeting view
    bought = reference.reader.meeting(GROUP, number).shares_bought(
        state.constitution.share_value_minor
    )
    reference.close()
    assert {m: bought[m] for m in lines} == {"M01": 4, "M03": 5, "M04": 3}
    assert "M02" not in bought


async def test_leaving_a_meeting_keeps_it_on_the_device(demo_path: Path) -> None:
    book = Book.open(demo_path)
    before = journal_rows(book)
    app = create_app(book, today=MEETING_DAY, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("m", "down", "escape")  # only looked: nothing to keep
        assert book.load_draft(GROUP) is None
        await keys("m", "tab", "tab", "2", "enter", "escape")
        assert book.load_draft(GROUP) is not None
        assert "A meeting is in progress on this device" in screen_text(app)
    assert journal_rows(book) == before
    book.close()
