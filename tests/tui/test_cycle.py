"""A whole cycle driven through the app, one app session a week as a facilitator would: six
meetings, a loan taken and repaid with its service charge, then the share-out, whose payouts
are checked against the arithmetic of domain.md done by hand below, and the next cycle."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

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

GROUP = "tuungane"
START = date(2026, 1, 7)
SHARES = (2, 3, 1, 4, 2, 5)  # M01 … M06, every week
SHAREOUT_DAY = START + timedelta(weeks=6)

# The share-out, by hand (make_group: UGX, no decimals, a share is UGX 2,000, payouts rounded
# down to UGX 500, the remainder to next cycle's loan fund; no social fund, no fines).
# Shares: six meetings of 2 + 3 + 1 + 4 + 2 + 5 = 17 shares, so 6 × 17 = 102 shares,
# UGX 204,000 of savings. M02 borrows 20,000 at meeting 2 (2026-01-14) for one month; at its
# monthly anniversary (2026-02-11, meeting 6) 10% of 20,000 = 2,000 falls due, and she repays
# 22,000 that day. Fund = 204,000 + 2,000 = UGX 206,000.
# Value per share = 206,000 ÷ 102 = 2,019.607843… (shown truncated, never rounded up).
# Payout = shares × 206,000 ÷ 102, rounded down to a multiple of 500:
#   M01 12 shares: 2,472,000 ÷ 102 = 24,235.29 -> 24,000
#   M02 18 shares: 3,708,000 ÷ 102 = 36,352.94 -> 36,000
#   M03  6 shares: 1,236,000 ÷ 102 = 12,117.64 -> 12,000
#   M04 24 shares: 4,944,000 ÷ 102 = 48,470.58 -> 48,000
#   M05 12 shares: 2,472,000 ÷ 102 = 24,235.29 -> 24,000
#   M06 30 shares: 6,180,000 ÷ 102 = 60,588.23 -> 60,500
# Paid out 24,000 + 36,000 + 12,000 + 48,000 + 24,000 + 60,500 = 204,500;
# remainder 206,000 − 204,500 = UGX 1,500.
TOTAL_SHARES = 102
FUND_MINOR = 206_000
PAYOUTS_MINOR = {
    "M01": 24_000,
    "M02": 36_000,
    "M03": 12_000,
    "M04": 48_000,
    "M05": 24_000,
    "M06": 60_500,
}
REMAINDER_MINOR = 1_500


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


async def test_a_cycle_through_the_app_shares_out_shares_times_value_rounded_down(
    tmp_path: Path,
) -> None:
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
    app = create_app(path, today=SHAREOUT_DAY, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("c")
        screen = app.screen
        assert isinstance(screen, CycleScreen)
        assert screen.preview is not None
        assert screen.preview.total_shares == TOTAL_SHARES
        assert screen.preview.fund_minor == FUND_MINOR
        assert screen.payouts_minor == PAYOUTS_MINOR
        assert screen.preview.remainder_minor == REMAINDER_MINOR
        text = screen_text(app)
        # money as Babel writes it for Uganda ("USh"); the value per share, 2,019.607843…,
        # truncated to however many decimals the screen keeps (at least one), never rounded up
        shown = re.search(r"A share = USh206,000 ÷ 102 shares = ([\d,.]+) UGX", text)
        assert shown is not None, text
        assert "2,019.607843".startswith(shown[1]) and len(shown[1]) >= len("2,019.6")
        assert "remainder USh1,500" in text
        rows = {words[0]: words[-1] for line in text.splitlines() if (words := line.split())}
        assert {m: rows[m] for m in PAYOUTS_MINOR} == {
            m: f"{payout:,}" for m, payout in PAYOUTS_MINOR.items()
        }
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
    assert paid == PAYOUTS_MINOR
    state = book.state(GROUP)
    assert state.loan_fund_cash_minor == REMAINDER_MINOR  # the remainder starts cycle 2
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
