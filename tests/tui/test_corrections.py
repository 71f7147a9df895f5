"""Corrections in the app: a mistake of an earlier meeting is reversed at this one, with its
reason; a write-off the group decided and a member leaving are recorded from Ctrl+D."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ledger import Transaction
from tests.tui.helpers import Keys, hold, make_group, screen_text
from tui.app import create_app
from tui.screens.corrections import CorrectionsScreen
from tui.screens.meeting import MeetingScreen
from tui.screens.summary import SummaryScreen
from tui.text import typed_amount
from vsla.book.check import check_book
from vsla.book.service import Book
from vsla.domain.entries import NewLoan, Shares

GROUP = "tuungane"
FIRST, SECOND = date(2026, 1, 7), date(2026, 1, 14)


def book_with_history(path: Path) -> str:
    """A first meeting in which M01's five shares were a mistake; returns that entry's id."""
    book = Book.open(path)
    make_group(book, GROUP, members=5, start=FIRST)
    hold(
        book,
        GROUP,
        FIRST,
        Shares("M01", 5),
        Shares("M02", 5),
        Shares("M03", 2),
        NewLoan("M02", 6_000, 1),
    )
    wrong = next(
        r
        for r in book.journal.records(GROUP)
        if isinstance(r, Transaction) and r.kind == "shares" and r.member_id == "M01"
    )
    book.close()
    return wrong.id


async def count_and_close(keys: Keys, screen: MeetingScreen) -> str:
    """Count both bowls at the opening and the closing (as the book expects them), confirm
    the closing; returns what the confirmation showed before it was accepted."""
    cur = screen.cur
    assert screen.outcome is not None
    opening = screen.outcome.opening_ledger
    await keys("ctrl+o")
    await keys.type(typed_amount(opening.loan_fund_minor, cur))
    await keys("enter")
    await keys.type(typed_amount(opening.social_fund_minor, cur))
    await keys("enter")
    expected = screen.outcome.expected_closing
    await keys("ctrl+e")
    await keys.type(typed_amount(expected.loan_fund_minor, cur))
    await keys("enter")
    await keys.type(typed_amount(expected.social_fund_minor, cur))
    await keys("enter")
    shown = " ".join(screen_text(screen.app).split())
    await keys("enter")
    return shown


async def test_a_mistake_of_an_earlier_meeting_is_reversed_with_its_reason(
    tmp_path: Path,
) -> None:
    path = tmp_path / "book.sqlite"
    wrong = book_with_history(path)
    app = create_app(path, today=SECOND, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("m")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        await keys("ctrl+r")
        corrections = app.screen
        assert isinstance(corrections, CorrectionsScreen)
        row = next(i for i, e in enumerate(corrections.entries) if e.entry_id == wrong)
        await keys(*["down"] * row, "enter")
        await keys.type("she bought 4, not 5")
        await keys("enter", "escape")
        assert app.screen is screen and isinstance(screen, MeetingScreen)
        assert [r["id"] for r in screen.sheet.reversals] == [wrong]
        await count_and_close(keys, screen)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    book = Book.open(path)
    try:
        undo = [
            r
            for r in book.journal.records(GROUP)
            if isinstance(r, Transaction) and r.reverses == wrong
        ]
        assert len(undo) == 1
        assert undo[0].memo == "she bought 4, not 5"
        bought_today = int(screen.sheet.rows[0].cells["shares"])
        assert book.state(GROUP).savings_minor("M01") == bought_today * 2000
        assert check_book(book.db) == []
    finally:
        book.close()


async def test_a_write_off_and_a_member_leaving_from_ctrl_d(tmp_path: Path) -> None:
    path = tmp_path / "book.sqlite"
    book_with_history(path)
    app = create_app(path, today=SECOND, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("m")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        await keys("down", "ctrl+d")  # M02 owes 6,000
        await keys("tab", "tab", "tab")  # fines paid, grant, reason: to the write-off
        await keys.type("group decision: her shop burnt down")
        await keys("tab", "tab", "enter")  # past "she leaves", to Keep
        assert screen.sheet.rows[1].write_off == "group decision: her shop burnt down"
        await keys("down", "ctrl+d")  # M03 leaves the group today
        await keys("tab", "tab", "tab", "space", "tab", "enter")
        assert screen.sheet.rows[2].leaves
        shown = await count_and_close(keys, screen)
        assert "M03 Chance Mwamba leaves the group today" in shown
        assert "M02's loan is written off: group decision: her shop burnt down" in shown
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    book = Book.open(path)
    try:
        state = book.state(GROUP)
        assert state.member_loan_owed_minor("M02") == 0
        write_off = [r for r in book.journal.records(GROUP) if r.kind == "write_off"]
        assert write_off[0].data["reason"] == "group decision: her shop burnt down"
        assert state.members["M03"].status == "left"
        assert state.savings_minor("M03") == 0
        assert check_book(book.db) == []
    finally:
        book.close()
