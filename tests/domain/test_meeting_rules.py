"""A facilitator's notebook, meeting by meeting: each rule of domain.md, and what the book says.

Group "umoja": UGX, share 1,000, 1-5 shares, loans up to 3x savings, 3 months, 10% a month.
"""

from __future__ import annotations

from datetime import date

import pytest

from ledger import Transaction
from vsla.book.service import Book
from vsla.domain import accounts as acc
from vsla.domain.entries import (
    Bowls,
    Dropout,
    Fine,
    FinePayment,
    Grant,
    MeetingEntry,
    NewLoan,
    Repayment,
    Reversal,
    Shares,
    SocialFund,
    WriteOff,
)
from vsla.domain.errors import RuleBroken

from ..support import assert_book_is_sound, meet, new_group, refused, transactions, week


@pytest.fixture
def umoja(book: Book) -> Book:
    new_group(book)
    return book


def everyone_buys(n: int = 5, shares: int = 5) -> list[Shares]:
    return [Shares(f"M{i:02d}", shares) for i in range(1, n + 1)]


# -- shares ----------------------------------------------------------------------------------


def test_shares_are_cash_in_and_her_savings(umoja: Book) -> None:
    meet(umoja, week(1), Shares("M01", 4), Shares("M02", 1))
    state = umoja.state("umoja")
    assert state.savings_minor("M01") == 4000
    assert state.shares("M01") == 4
    assert state.loan_fund_cash_minor == 5000


def test_more_than_the_maximum_is_refused_with_the_reason(umoja: Book) -> None:
    problem = refused(umoja, week(1), Shares("M01", 3), Shares("M01", 3))
    assert problem.code == "shares.above_maximum"
    assert (problem.member, problem.where, problem.index) == ("M01", "shares", 1)
    assert "maximum is 5" in problem.render()


def test_zero_shares_only_when_the_group_allows_it(book: Book) -> None:
    new_group(book, shares_min=1)
    assert refused(book, week(1), Shares("M01", 0)).code == "shares.below_minimum"
    new_group(book, "flexible", shares_min=0)
    meet(book, week(1), Shares("M01", 0), group="flexible")


def test_an_absent_member_cannot_buy_shares(umoja: Book) -> None:
    problem = refused(umoja, week(1), Shares("M05", 1), attendance={"M05": "absent"})
    assert problem.code == "member.not_present"
    meet(umoja, week(1), Shares("M05", 1), attendance={"M05": "proxy"})


# -- social fund -----------------------------------------------------------------------------


def test_social_fund_goes_to_its_own_bowl(book: Book) -> None:
    new_group(book, social_fund_minor=500)
    meet(book, week(1), SocialFund("M01", 500), SocialFund("M02", 1000), Shares("M01", 1))
    state = book.state("umoja")
    assert (state.loan_fund_cash_minor, state.social_fund_cash_minor) == (1000, 1500)
    assert refused(book, week(2), SocialFund("M03", 700)).code == "social_fund.wrong_amount"


def test_a_grant_is_paid_from_the_social_fund_and_never_more_than_it_holds(book: Book) -> None:
    new_group(book, social_fund_minor=500)
    meet(book, week(1), *[SocialFund(f"M0{i}", 500) for i in range(1, 6)])
    problem = refused(book, week(2), Grant("M04", 3000, "funeral"))
    assert problem.code == "grant.over_social_fund"
    assert "2500" in problem.render()
    meet(book, week(2), Grant("M04", 2500, "funeral of her husband"))
    assert book.state("umoja").social_fund_cash_minor == 0


# -- loans -----------------------------------------------------------------------------------


def test_a_loan_counts_shares_bought_earlier_in_the_same_meeting(umoja: Book) -> None:
    meet(umoja, week(1), *everyone_buys())  # M01 has 5,000 saved
    # written before her shares, applied after them: 3 x 10,000 = 30,000
    meet(umoja, week(2), NewLoan("M01", 30_000, 3), *everyone_buys())
    assert umoja.state("umoja").member_loan_owed_minor("M01") == 30_000


def test_a_loan_over_three_times_her_savings_is_refused(umoja: Book) -> None:
    meet(umoja, week(1), *everyone_buys())
    problem = refused(umoja, week(2), NewLoan("M01", 15_001, 1))
    assert problem.code == "loan.over_multiple"
    assert "15000" in problem.render()


def test_a_loan_over_the_cash_in_the_box_is_refused(umoja: Book) -> None:
    meet(umoja, week(1), Shares("M01", 5), Shares("M02", 1))  # 6,000 in the box
    problem = refused(umoja, week(2), NewLoan("M01", 7_000, 1))
    assert problem.code == "loan.over_cash"


def test_one_loan_at_a_time_and_the_longest_term(umoja: Book) -> None:
    meet(umoja, week(1), *everyone_buys())
    meet(umoja, week(2), NewLoan("M01", 5_000, 1))
    assert refused(umoja, week(3), NewLoan("M01", 1_000, 1)).code == "loan.one_at_a_time"
    assert refused(umoja, week(3), NewLoan("M02", 1_000, 4)).code == "loan.term"


def test_the_declining_charge_of_the_guide(book: Book) -> None:
    """domain.md: 100,000 at 10%, repaying 40,000 after months 1 and 2: 10,000 + 7,000 +
    3,700 = 20,700 of service charge."""
    new_group(book, share_value_minor=2000)
    for n in range(1, 5):
        meet(book, week(n), *everyone_buys())  # 200,000 in the box, 40,000 each
    meet(book, week(5), *everyone_buys(), NewLoan("M01", 100_000, 3))  # 2026-02-02
    charges = []
    for n in range(6, 18):
        entries: list[MeetingEntry] = list(everyone_buys())
        if n in (9, 13):  # 2026-03-02 and 2026-03-30: the anniversaries
            entries.append(Repayment("M01", 40_000))
        if n == 17:  # 2026-04-27, third anniversary and due date
            entries.append(Repayment("M01", 40_700))
        outcome = meet(book, week(n), *entries)
        charges += [
            r.amount_of(acc.SERVICE_CHARGE_INCOME)
            for r in outcome.records
            if isinstance(r, Transaction) and r.kind == "service_charge"
        ]
        state = book.state("umoja")
        if n == 9:
            assert state.member_loan_owed_minor("M01") == 70_000
        if n == 13:
            assert state.member_loan_owed_minor("M01") == 37_000
    assert charges == [-10_000, -7_000, -3_700]
    state = book.state("umoja")
    assert state.member_loan_owed_minor("M01") == 0
    assert state.balance(acc.SERVICE_CHARGE_INCOME) == -20_700
    assert_book_is_sound(book)


def test_a_repayment_pays_the_charge_first_then_the_principal(umoja: Book) -> None:
    meet(umoja, week(1), *everyone_buys())
    meet(umoja, week(2), NewLoan("M01", 10_000, 2))
    meet(umoja, week(6), Repayment("M01", 1_500))  # 4 weeks on: 1,000 charge added first
    state = umoja.state("umoja")
    loan = state.open_loans("M01")[0]
    assert (state.charges_owed_minor(loan), state.principal_owed_minor(loan)) == (0, 9_500)


def test_repaying_more_than_she_owes_is_refused(umoja: Book) -> None:
    meet(umoja, week(1), *everyone_buys())
    meet(umoja, week(2), NewLoan("M01", 10_000, 1))
    problem = refused(umoja, week(3), Repayment("M01", 10_001))
    assert problem.code == "repay.more_than_owed"
    assert refused(umoja, week(3), Repayment("M02", 100)).code == "loan.none"


def test_upfront_charge_is_owed_from_disbursement(book: Book) -> None:
    new_group(book, service_charge="upfront")
    meet(book, week(1), *everyone_buys())
    meet(book, week(2), NewLoan("M01", 10_000, 3))
    assert book.state("umoja").member_loan_owed_minor("M01") == 13_000  # 10% x 3 months
    meet(book, week(3), Repayment("M01", 13_000))
    assert book.state("umoja").member_loan_owed_minor("M01") == 0


def test_no_charge_method(book: Book) -> None:
    new_group(book, service_charge="none")
    meet(book, week(1), *everyone_buys())
    meet(book, week(2), NewLoan("M01", 10_000, 3))
    meet(book, week(12), Repayment("M01", 10_000))
    assert transactions(book, kind="service_charge") == []


def test_a_loan_is_late_when_anything_is_owed_after_its_due_date(umoja: Book) -> None:
    meet(umoja, week(1), *everyone_buys())
    meet(umoja, week(2), NewLoan("M01", 5_000, 1))  # due 28 days later
    state = umoja.state("umoja")
    loan = state.open_loans("M01")[0]
    assert loan.due_on == date(2026, 2, 9)
    assert not state.is_late(loan, date(2026, 2, 9))
    assert state.is_late(loan, date(2026, 2, 10))


def test_a_write_off_is_a_recorded_group_decision(umoja: Book) -> None:
    meet(umoja, week(1), *everyone_buys())
    meet(umoja, week(2), NewLoan("M01", 5_000, 1))
    assert refused(umoja, week(3), WriteOff("M01", "")).code == "write_off.reason_missing"
    meet(umoja, week(3), WriteOff("M01", "the group decided: she lost everything in a flood"))
    state = umoja.state("umoja")
    assert state.member_loan_owed_minor("M01") == 0
    assert state.balance(acc.WRITE_OFFS) == 5_000


# -- fines -----------------------------------------------------------------------------------


def test_fines_paid_and_owed(umoja: Book) -> None:
    meet(
        umoja,
        week(1),
        Fine("M01", "late"),
        Fine("M05", "absent", paid=False),
        attendance={"M05": "absent"},
    )
    state = umoja.state("umoja")
    assert state.loan_fund_cash_minor == 500
    assert state.fines_owed_minor("M05") == 1000
    assert refused(umoja, week(2), FinePayment("M05", 1500)).code == "fine.pay_more_than_owed"
    meet(umoja, week(2), FinePayment("M05", 1000))
    assert umoja.state("umoja").fines_owed_minor("M05") == 0
    assert refused(umoja, week(3), Fine("M02", "gossip")).code == "fine.unknown"
    meet(umoja, week(3), Fine("M02", "gossip", amount_minor=200))


def test_fines_can_go_to_the_social_fund(book: Book) -> None:
    new_group(book, fines_to="social_fund")
    meet(book, week(1), Fine("M01", "late"))
    state = book.state("umoja")
    assert (state.loan_fund_cash_minor, state.social_fund_cash_minor) == (0, 500)


# -- the cash count --------------------------------------------------------------------------


def test_a_shortage_at_the_closing_count_becomes_a_labelled_adjustment(umoja: Book) -> None:
    problem = refused(umoja, week(1), *everyone_buys(), closing=Bowls(24_000, 0))
    assert problem.code == "count.reason_missing"
    outcome = meet(
        umoja,
        week(1),
        *everyone_buys(),
        closing=Bowls(24_000, 0),
        reason="a 1,000 note could not be found",
    )
    assert outcome.expected_closing == Bowls(25_000, 0)
    adjustment = transactions(umoja, kind="cash_adjustment")[0]
    assert adjustment.amount_of(acc.LOAN_FUND_CASH) == -1_000
    assert adjustment.data["reason"] == "a 1,000 note could not be found"
    assert umoja.state("umoja").loan_fund_cash_minor == 24_000


def test_an_opening_count_that_differs_from_last_close_is_recorded(umoja: Book) -> None:
    meet(umoja, week(1), *everyone_buys())
    meet(umoja, week(2), opening=Bowls(26_000, 0), reason="a member repaid an old debt")
    adjustment = transactions(umoja, kind="cash_adjustment")[0]
    assert adjustment.data["when"] == "opening"
    assert adjustment.amount_of(acc.LOAN_FUND_CASH) == 1_000


# -- the order of meetings, reopening, corrections -------------------------------------------


def test_a_meeting_dated_before_or_on_the_previous_one_is_refused(umoja: Book) -> None:
    meet(umoja, week(2), Shares("M01", 1))
    assert refused(umoja, week(1), Shares("M01", 1)).code == "meeting.date_not_after_previous"
    assert refused(umoja, week(2), Shares("M01", 1)).code == "meeting.date_not_after_previous"
    assert refused(umoja, date(2025, 12, 29), Shares("M01", 1)).code in (
        "meeting.before_cycle",
        "meeting.date_not_after_previous",
    )


def test_only_the_last_meeting_reopens_and_the_reopening_stays_visible(umoja: Book) -> None:
    meet(umoja, week(1), Shares("M01", 1))
    meet(umoja, week(2), Shares("M01", 1))
    with pytest.raises(RuleBroken):
        umoja.reopen_last_meeting("umoja", reason="")
    number = umoja.reopen_last_meeting("umoja", reason="M02's shares were forgotten")
    assert number == 2
    with pytest.raises(RuleBroken):
        umoja.reopen_last_meeting("umoja", reason="again")
    assert refused(umoja, week(3), Shares("M02", 1)).code == "meeting.previous_open"
    meet(umoja, week(2), Shares("M02", 2))  # the same date: into the reopened meeting
    events = [r.kind for r in umoja.journal.records("umoja")]
    assert events.count("meeting_reopened") == 1
    assert events.count("meeting_closed") == 3
    assert umoja.state("umoja").savings_minor("M02") == 2_000
    assert_book_is_sound(umoja)


def test_corrections_are_reversals_in_a_later_meeting(umoja: Book) -> None:
    meet(umoja, week(1), Shares("M01", 5))
    wrong = transactions(umoja, kind="shares")[0]
    meet(umoja, week(2), Reversal(wrong.id, "she bought 4, not 5"), Shares("M01", 4))
    assert umoja.state("umoja").savings_minor("M01") == 4_000
    again = refused(umoja, week(3), Reversal(wrong.id, "twice"))
    assert again.code == "reversal.twice"
    undo = transactions(umoja)[-2]
    assert undo.reverses == wrong.id
    assert refused(umoja, week(3), Reversal(undo.id, "undo the undo")).code == (
        "reversal.of_reversal"
    )
    assert_book_is_sound(umoja)


def test_an_automatic_entry_cannot_be_reversed(umoja: Book) -> None:
    meet(umoja, week(1), *everyone_buys(), closing=Bowls(24_000, 0), reason="short")
    adjustment = transactions(umoja, kind="cash_adjustment")[0]
    assert refused(umoja, week(2), Reversal(adjustment.id, "hide it")).code == (
        "reversal.not_reversible"
    )


# -- members ---------------------------------------------------------------------------------


def test_a_dropout_gets_her_savings_back_less_what_she_owes(umoja: Book) -> None:
    meet(umoja, week(1), *everyone_buys())
    meet(umoja, week(2), NewLoan("M01", 3_000, 1), Fine("M01", "late", paid=False))
    cash_before = umoja.state("umoja").loan_fund_cash_minor
    meet(umoja, week(3), Dropout("M01"))
    state = umoja.state("umoja")
    assert state.members["M01"].status == "left"
    assert state.savings_minor("M01") == 0
    assert state.member_owed_minor("M01") == 0
    assert cash_before - state.loan_fund_cash_minor == 5_000 - 3_000 - 500
    assert refused(umoja, week(4), Shares("M01", 1)).code == "member.left"
    assert_book_is_sound(umoja)
