"""A whole cycle driven through the app, one app session a week as a facilitator would: six
meetings, a loan taken and repaid with its service charge, then the share-out, whose payouts
are those `vsla shareout --json` gives for the same book, and the next cycle."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from typer.testing import CliRunner

from ledger.records import Transaction
from tests.tui.helpers import Keys, make_group, screen_text
from tui.app import create_app
from tui.screens.cycle import CycleScreen
from tui.screens.home import GroupHomeScreen
from tui.screens.meeting import MeetingScreen
from tui.screens.summary import SummaryScreen
from tui.text import typed_amount
from vsla.book.check import check_book
from vsla.book.service import Book
from vsla.cli import app as cli

GROUP = "tuungane"
START = date(2026, 1, 7)
SHARES = (2, 3, 1, 4, 2, 5)  # M01 … M06, every week
SHAREOUT_DAY = START + timedelta(weeks=6)


async def weekly_meeting(path: Path, week: int, *, loan: bool = False, repay: bool = False) -> int:
    """One meeting typed into the app on its own day; returns the keys it took."""
    app = create_app(path, today=START + timedelta(weeks=week - 1), group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("m", "end", "enter")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        assert screen.outcome is not None
        opening = screen.outcome.opening_ledger
        await keys.type(typed_amount(opening.loan_fund_minor, screen.cur))
        await keys("enter")
        await keys.type(typed_amount(opening.social_fund_minor, screen.cur))
        await keys("enter", "end", "enter")
        for shares in SHARES:
            await keys(str(shares), "enter")
        if repay:  # M02 repays her loan and its service charge
            await keys("down", "=", "enter")
        if loan:  # M02 borrows 20,000 for one month
            await keys("tab", "tab", "down", *"20000", "tab", "backspace", "1", "enter")
        expected = screen.outcome.expected_closing
        await keys("ctrl+e")
        await keys.type(typed_amount(expected.loan_fund_minor, screen.cur))
        await keys("enter")
        await keys.type(typed_amount(expected.social_fund_minor, screen.cur))
        await keys("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen), screen.all_problems()
        await keys("escape")
        assert isinstance(app.screen, GroupHomeScreen)
    return keys.count


def cli_shareout(path: Path) -> dict[str, object]:
    result = CliRunner().invoke(
        cli,
        ["shareout", GROUP, "--json", "--date", SHAREOUT_DAY.isoformat(), "--db", str(path)],
    )
    assert result.exit_code == 0, result.output
    document: dict[str, object] = json.loads(result.stdout)
    return document


async def test_a_cycle_through_the_app_shares_out_what_the_cli_computes(tmp_path: Path) -> None:
    path = tmp_path / "book.sqlite"
    book = Book.open(path)
    make_group(book, GROUP, members=6, start=START, social_fund_minor=0, phones=0)
    book.close()
    for week in range(1, 7):
        await weekly_meeting(path, week, loan=week == 2, repay=week == 6)
    book = Book.open(path)
    state = book.state(GROUP)
    assert state.open_loans() == []
    assert state.balance("income:service_charges") == -2_000  # 10% of 20,000, one month
    book.close()
    document = cli_shareout(path)
    app = create_app(path, today=SHAREOUT_DAY, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("c")
        screen = app.screen
        assert isinstance(screen, CycleScreen)
        members = document["members"]
        assert isinstance(members, list)
        assert screen.payouts_minor == {m["member"]: m["payout_minor"] for m in members}
        assert screen.preview is not None
        assert screen.preview.fund_minor == document["fund_minor"]
        assert screen.preview.remainder_minor == document["remainder_minor"]
        text = screen_text(app)
        # the CLI's value per share, with the English grouping mark the screen uses
        whole, _, decimals = document["value_per_share"].partition(".")
        shown = f"{int(whole):,}" + (f".{decimals}" if decimals else "")
        assert f"{document['total_shares']} shares = {shown} UGX" in text
        await keys("ctrl+s", "enter")  # share out; confirmed
        assert book_state_closed(path)
        await keys("ctrl+n", "enter")  # the next cycle starts today
        assert isinstance(app.screen, GroupHomeScreen)
    book = Book.open(path)
    paid = {
        r.member_id: r.data["payout_minor"]
        for r in book.journal.records(GROUP)
        if isinstance(r, Transaction) and r.kind == "shareout_payout"
    }
    assert paid == {m["member"]: m["payout_minor"] for m in members}
    state = book.state(GROUP)
    assert state.cycle_number == 2 and state.cycle_status == "open"
    assert all(state.savings_minor(m.member_id) == 0 for m in state.active_members())
    assert check_book(book.db) == []
    book.close()


def book_state_closed(path: Path) -> bool:
    book = Book.open(path)
    try:
        return book.state(GROUP).cycle_status == "closed"
    finally:
        book.close()
