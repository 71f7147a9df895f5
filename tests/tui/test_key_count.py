"""A normal weekly meeting of 25 members, counted key by key: everyone buys shares and pays the
social fund, three repay, one borrows, two are fined. The paper book takes an hour; the app
must not need more than 250 keys (what the facilitator types is counted, every Enter too)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from tests.tui.helpers import Keys, engine_state, hold, make_group
from tui.app import create_app
from tui.screens.meeting import MeetingScreen
from tui.screens.summary import SummaryScreen
from tui.text import typed_amount
from vsla.book.service import Book
from vsla.domain.entries import (
    Fine,
    MeetingEntry,
    MeetingPlan,
    NewLoan,
    Repayment,
    Shares,
    SocialFund,
)

GROUP = "tuungane"
FIRST, SECOND, TODAY = date(2026, 1, 7), date(2026, 1, 14), date(2026, 1, 21)
KEY_BUDGET = 250


def usual(n: int) -> int:
    return n % 4 + 1


def history(book: Book) -> None:
    make_group(book, GROUP, members=25, start=FIRST)
    members = [f"M{n:02d}" for n in range(1, 26)]
    week: list[MeetingEntry] = []
    for n, m in enumerate(members, start=1):
        week += [Shares(m, usual(n)), SocialFund(m, 500)]
    hold(book, GROUP, FIRST, *week)
    loans = [NewLoan(m, 10_000, 3) for m in ("M04", "M11", "M19")]
    hold(book, GROUP, SECOND, *week, *loans)


async def test_a_normal_meeting_of_25_members_takes_at_most_250_keys(tmp_path: Path) -> None:
    path = tmp_path / "book.sqlite"
    book = Book.open(path)
    history(book)
    book.close()
    shutil.copyfile(path, tmp_path / "before.sqlite")
    changed = {"M03": 5, "M08": 1, "M09": 3, "M12": 2, "M16": 4, "M20": 1, "M22": 5, "M25": 3}
    app = create_app(path, today=TODAY, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("m")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        cur = screen.cur
        await keys("end", "enter")  # 1 everyone is here
        opening = screen.outcome.opening_ledger if screen.outcome else None
        assert opening is not None
        await keys.type(typed_amount(opening.loan_fund_minor, cur))  # 2 the box is counted
        await keys("enter")
        await keys.type(typed_amount(opening.social_fund_minor, cur))
        await keys("enter")
        await keys("end", "enter")  # 3 everyone pays the social fund
        for n in range(1, 26):  # 4 shares: most buy what they bought last week
            member = f"M{n:02d}"
            await keys(*([str(changed[member])] if member in changed else []), "enter")
        assert screen.grid.column == "repay"  # 5 repayments
        await keys("down", "down", "down", "=", "enter")  # M04 repays everything
        await keys(*["down"] * 6, *"5000", "enter")  # M11
        await keys(*["down"] * 7, *"4000")  # M19
        await keys("tab", "home", "down", "l")  # 6 fines: M02 late
        await keys(*["down"] * 13, "p")  # M15: her phone rang
        await keys("tab", *["up"] * 8, *"20000", "enter")  # 7 a loan for M07
        outcome = screen.outcome
        assert outcome is not None
        expected = outcome.expected_closing
        await keys("ctrl+e")  # 8 the closing count
        await keys.type(typed_amount(expected.loan_fund_minor, cur))
        await keys("enter")
        await keys.type(typed_amount(expected.social_fund_minor, cur))
        await keys("enter", "enter")  # … and the confirmation
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.queued == 10  # the ten members with a phone
    # the count is reported on every run (-s shows it, a failure names it) but not pinned:
    # the budget is the requirement, the exact number is whatever the grid costs today
    print(f"a normal meeting of 25 members took {keys.count} keys (budget {KEY_BUDGET})")
    assert keys.count <= KEY_BUDGET, (
        f"a normal meeting of 25 members took {keys.count} keys, over the budget of {KEY_BUDGET}"
    )
    entries: list[MeetingEntry] = []
    for n in range(1, 26):
        m = f"M{n:02d}"
        entries += [SocialFund(m, 500), Shares(m, changed.get(m, usual(n)))]
    entries += [
        Repayment("M04", 10_000),
        Repayment("M11", 5_000),
        Repayment("M19", 4_000),
        Fine("M02", "late"),
        Fine("M15", "phone"),
        NewLoan("M07", 20_000, 3),
    ]
    plan = MeetingPlan(date=TODAY, entries=tuple(entries), opening_counted=opening)
    computed = engine_state(tmp_path / "before.sqlite", tmp_path / "engine.sqlite", GROUP, plan)
    book = Book.open(path)
    typed = book.state(GROUP)
    assert typed.balances == computed.balances
    assert typed.loan_fund_cash_minor == expected.loan_fund_minor
    assert [loan.member_id for loan in typed.open_loans()] == ["M11", "M19", "M07"]
    assert typed.savings_minor("M03") == (usual(3) * 2 + 5) * 2000
    outbox = book.db.execute("SELECT COUNT(*) FROM outbox WHERE group_id = ?", [GROUP])
    assert outbox.fetchone()[0] == 30  # ten phones, three meetings
    book.close()
