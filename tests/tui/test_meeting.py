"""A whole meeting of a demo group entered by key presses only, checked against the engine; and
the reasons the app shows when a value breaks a rule."""

from __future__ import annotations

import shutil
from pathlib import Path

from ledger.records import Transaction
from tests.tui.conftest import MEETING_DAY
from tests.tui.helpers import Keys, journal_rows, screen_text
from tui.app import create_app
from tui.screens.meeting import MeetingScreen
from tui.screens.summary import SummaryScreen
from tui.text import typed_amount
from vsla.book.check import check_book
from vsla.book.service import Book
from vsla.domain.entries import (
    Bowls,
    Fine,
    MeetingEntry,
    MeetingPlan,
    NewLoan,
    Repayment,
    Shares,
    SocialFund,
)

GROUP = "kolwezi-tumaini"  # 18 members, CDF, share 2,000 FC, social fund 500 FC, fines


async def go_to_row(keys: Keys, screen: MeetingScreen, row: int) -> None:
    current = screen.grid.row
    await keys(*(["down"] * (row - current) if row > current else ["up"] * (current - row)))


async def test_a_meeting_typed_by_keys_records_what_the_engine_says(demo_path: Path) -> None:
    reference = demo_path.with_name("reference.sqlite")
    shutil.copyfile(demo_path, reference)
    book = Book.open(demo_path)
    before = journal_rows(book)
    state = book.state(GROUP)
    members = [m.member_id for m in state.active_members()]
    rules = state.constitution
    absent, excused = members[5], members[7]  # M06, M08: no loan
    repaying = members[1]  # M02 owes on loan 14, due today
    fined = members[3]
    borrower = members[0]  # M01: no loan, savings 144,000 FC
    loan_minor = 200_000_00
    app = create_app(book, today=MEETING_DAY, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("m")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        assert screen.sheet.date == MEETING_DAY
        # 1 attendance: M06 absent, M08 excused, then the foot of the column
        await go_to_row(keys, screen, 5)
        await keys("a", "down", "down", "e", "end", "enter")
        # 2 opening count: what the last meeting closed with
        opening = screen.outcome.opening_ledger if screen.outcome else None
        assert opening is not None
        await keys.type(typed_amount(opening.loan_fund_minor, state.currency))
        await keys("enter")
        await keys.type(typed_amount(opening.social_fund_minor, state.currency))
        await keys("enter")
        # 3 social fund: everyone present pays, as filled in
        assert screen.grid.column == "social_fund"
        await keys("end", "enter")
        # 4 shares: each present member says how many (Enter passes over M06 and M08)
        shares: dict[str, int] = {}
        for index, member in enumerate(members):
            if member in (absent, excused):
                continue
            shares[member] = index % 5 + 1
            await keys(str(shares[member]), "enter")
        # 5 repayments: M02 repays all she owes
        assert screen.grid.column == "repay"
        due = screen.due_minor[repaying]
        await go_to_row(keys, screen, 1)
        await keys("=", "enter")
        # 6 fines: M04 is fined for being late
        await keys("tab")
        await go_to_row(keys, screen, 3)
        await keys("l")
        # 7 a new loan for M01, term 2 months
        await keys("tab")
        await go_to_row(keys, screen, 0)
        await keys.type(typed_amount(loan_minor, state.currency))
        await keys("tab", "backspace", "2", "enter")
        # 8 closing count: 500 FC short in the loan fund
        outcome = screen.outcome
        assert outcome is not None and screen.all_problems() == [
            ((None, "closing_loan_fund"), "count both bowls before closing the meeting")
        ]
        expected = outcome.expected_closing
        await keys("ctrl+e")
        await keys.type(typed_amount(expected.loan_fund_minor - 500_00, state.currency))
        await keys("enter")
        await keys.type(typed_amount(expected.social_fund_minor, state.currency))
        await keys("enter")
        await keys.type("counted short")
        await keys("enter")  # the confirmation
        assert journal_rows(book) == before  # nothing is written before the confirmation
        # the amounts confirmed in a stroke (End, Enter) are named before they become history
        assert "filled in by the app" in " ".join(screen_text(app).split())
        await keys("enter")  # "Close the meeting"
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        summary = screen_text(app)
    # The same meeting, as a plan given to the engine on an untouched copy of the book.
    entries: list[MeetingEntry] = []
    for member in members:
        if member in shares:
            entries += [SocialFund(member, rules.social_fund_minor), Shares(member, shares[member])]
    entries += [
        Repayment(repaying, due),
        Fine(fined, "late"),
        Fine(absent, "absent", paid=False),
        NewLoan(borrower, loan_minor, 2),
    ]
    engine = Book.open(reference)
    plan = MeetingPlan(
        date=MEETING_DAY,
        entries=tuple(entries),
        attendance={absent: "absent", excused: "excused"},
        opening_counted=opening,
        closing_counted=Bowls(expected.loan_fund_minor - 500_00, expected.social_fund_minor),
        closing_reason="counted short",
    )
    engine.record_meeting(GROUP, plan)
    typed, computed = book.state(GROUP), engine.state(GROUP)
    assert typed.balances == computed.balances
    assert typed.loan_fund_cash_minor == expected.loan_fund_minor - 500_00
    assert {n: (x.principal_minor, x.term_months, x.status) for n, x in typed.loans.items()} == {
        n: (x.principal_minor, x.term_months, x.status) for n, x in computed.loans.items()
    }
    closing = [
        r
        for r in book.journal.records(GROUP)
        if isinstance(r, Transaction)
        and r.kind == "cash_adjustment"
        and r.meeting_number == outcome.number
    ]
    assert len(closing) == 1
    assert closing[0].data["when"] == "closing" and closing[0].data["reason"] == "counted short"
    assert closing[0].amount_of("assets:cash:loan_fund") == -500_00
    assert check_book(book.db) == []
    assert book.load_draft(GROUP) is None
    assert f"Meeting {outcome.number} closed" in summary
    engine.close()
    book.close()


async def test_a_value_that_breaks_a_rule_shows_why_next_to_it(demo_path: Path) -> None:
    book = Book.open(demo_path)
    before = journal_rows(book)
    app = create_app(book, today=MEETING_DAY, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("m", "tab", "tab", "9")  # shares column, M01 buys 9 (the maximum is 5)
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        reason = "M01 buys 9 share(s) at this meeting; the group's maximum is 5"
        assert screen.problems[("M01", "shares")] == [reason]
        assert "↳ Shares: " + reason[:40] in screen_text(app)
        assert "⚠ " + reason in screen_text(app)  # in full on the line under the grid
        await keys("backspace", "3", "tab", "tab", "tab")  # put right; on to the loan column
        assert ("M01", "shares") not in screen.problems
        await keys.type("5000000")  # 5 million francs: far over 3 × her savings
        text = screen_text(app)
        assert screen.problems[("M01", "loan")][0].startswith("M01 may borrow at most")
        assert "may borrow at most" in text
        await keys("enter", "down", *"1.000")  # "." is for cents in English: 3 decimals
        assert screen.problems[("M03", "loan")][0].startswith('"1.000" is not clear')
        await keys("ctrl+e", *"1", "enter", "1", "enter", "enter")  # try to close anyway
        assert isinstance(app.screen, MeetingScreen)  # refused: the grid shows what to fix
        assert app.focused is screen.grid
    assert journal_rows(book) == before
    book.close()


async def test_amounts_follow_the_currency_rules_of_the_group(demo_path: Path) -> None:
    book = Book.open(demo_path)
    app = create_app(book, today=MEETING_DAY, group="mubende-twekembe")  # UGX: no decimals
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("m", "tab", "tab", "tab", "down", "down", "down")  # M04's repayment
        await keys.type("1.000")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        assert screen.problems[("M04", "repay")] == [
            '"1.000" is not clear: here "," separates thousands (25,000 or 25000); UGX has no cents'
        ]
        await keys("escape")  # gives up the typing: the cell is as it was
        assert screen.sheet.rows[3].cells.get("repay", "") == ""
        assert ("M04", "repay") not in screen.problems
    book.close()


async def test_a_reopened_meeting_takes_a_forgotten_grant(demo_path: Path) -> None:
    book = Book.open(demo_path)
    before = book.state(GROUP)
    last = before.last_meeting
    assert last is not None
    app = create_app(book, today=MEETING_DAY, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("o")
        await keys.type("a funeral grant was forgotten")
        await keys("enter", "m")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        assert screen.sheet.reopened and screen.sheet.date == last.date
        assert all(not row.cells for row in screen.sheet.rows)  # they paid at the meeting
        await keys("down", "down", "down", "down", "ctrl+d")  # M05: a grant
        await keys("enter", *"5000", "enter", *"funeral", "enter", "enter")
        assert screen.sheet.rows[4].grant == "5000"
        assert screen.outcome is not None
        expected = screen.outcome.expected_closing
        assert expected.social_fund_minor == before.social_fund_cash_minor - 5000_00
        await keys("ctrl+e")
        await keys.type(typed_amount(expected.loan_fund_minor, before.currency))
        await keys("enter")
        await keys.type(typed_amount(expected.social_fund_minor, before.currency))
        await keys("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    after = book.state(GROUP)
    assert after.last_meeting is not None
    assert (after.last_meeting.number, after.last_meeting.status) == (last.number, "closed")
    grants = [
        r
        for r in book.journal.records(GROUP)
        if isinstance(r, Transaction) and r.kind == "grant" and r.meeting_number == last.number
    ]
    assert [(g.member_id, g.memo) for g in grants] == [("M05", "funeral")]
    assert check_book(book.db) == []
    book.close()
