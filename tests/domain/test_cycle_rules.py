"""The end of a cycle, and what changes between cycles: share-out, new cycle, constitution."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from vsla.book.service import Book, MeetingRefused
from vsla.domain import accounts as acc
from vsla.domain.entries import Fine, NewLoan, Repayment, Shares, SocialFund
from vsla.domain.errors import RuleBroken
from vsla.domain.people import Member

from ..support import assert_book_is_sound, meet, new_group, refused, week


def shares(*counts: int) -> list[Shares]:
    return [Shares(f"M{i:02d}", n) for i, n in enumerate(counts, start=1) if n]


def test_value_per_share_is_an_exact_fraction_and_payouts_round_down(book: Book) -> None:
    new_group(book, members=3, payout_rounding_minor=100)
    meet(book, week(1), *shares(1, 2, 4))  # 7 shares, 7,000
    meet(book, week(2), Fine("M01", "late"))  # income 500: fund 7,500
    preview = book.shareout("umoja", on=week(3))
    assert preview.value_per_share_minor == Fraction(7500, 7)
    assert [(ln.member_id, ln.gross_minor) for ln in preview.lines] == [
        ("M01", 1000),
        ("M02", 2100),
        ("M03", 4200),
    ]  # 1071.4, 2142.8, 4285.7 rounded down
    assert preview.remainder_minor == 7500 - 7300


def test_share_out_pays_exactly_the_fund_minus_the_remainder_and_empties_savings(
    book: Book,
) -> None:
    new_group(book, members=3, payout_rounding_minor=100)
    meet(book, week(1), *shares(1, 2, 4))
    meet(book, week(2), Fine("M01", "late"))
    preview = book.shareout("umoja", on=week(3), commit=True)
    state = book.state("umoja")
    assert state.cycle_status == "closed"
    assert all(state.savings_minor(m) == 0 for m in state.members)
    assert state.loan_fund_cash_minor == preview.remainder_minor == 200
    assert state.balance(acc.RETAINED) == -200  # carried into the next cycle
    assert all(state.balance(a) == 0 for a in state.balances if a.startswith("income:"))
    assert refused(book, week(4), Shares("M01", 1)).code == "meeting.cycle_closed"
    assert_book_is_sound(book)


def test_debts_are_deducted_from_the_payout_and_counted_in_the_fund(book: Book) -> None:
    new_group(book, members=2, service_charge="none")
    meet(book, week(1), *shares(5, 5))
    meet(book, week(2), NewLoan("M01", 4_000, 1))  # box: 6,000; she owes 4,000
    preview = book.shareout("umoja", on=week(3))
    assert preview.fund_minor == 10_000
    m01, m02 = preview.lines
    assert (m01.gross_minor, m01.owed_minor, m01.payout_minor) == (5_000, 4_000, 1_000)
    assert (m02.gross_minor, m02.payout_minor) == (5_000, 5_000)
    book.shareout("umoja", on=week(3), commit=True)
    state = book.state("umoja")
    assert state.loan_fund_cash_minor == 0  # the cash paid out equals the cash in the box
    assert state.member_owed_minor("M01") == 0


def test_share_out_with_debts_is_refused_when_the_constitution_forbids_it(book: Book) -> None:
    new_group(book, members=2, service_charge="none", debts_at_shareout="forbid")
    meet(book, week(1), *shares(5, 5))
    meet(book, week(2), NewLoan("M01", 4_000, 1))
    preview = book.shareout("umoja", on=week(3))
    assert [p.code for p in preview.problems] == ["shareout.debts_forbidden"]
    with pytest.raises(MeetingRefused):
        book.shareout("umoja", on=week(3), commit=True)
    meet(book, week(3), Repayment("M01", 4_000))
    book.shareout("umoja", on=week(4), commit=True)


def test_a_debt_larger_than_her_share_must_be_settled_first(book: Book) -> None:
    new_group(book, members=2, service_charge="none")
    meet(book, week(1), *shares(1, 5))
    meet(book, week(2), NewLoan("M01", 3_000, 1))
    preview = book.shareout("umoja", on=week(3))
    assert [p.code for p in preview.problems] == ["shareout.debt_over_payout"]


def test_the_remainder_can_go_to_the_social_fund(book: Book) -> None:
    new_group(book, members=3, payout_rounding_minor=1000, remainder_to="social_fund")
    meet(book, week(1), *shares(1, 1, 1))
    meet(book, week(2), Fine("M01", "late"))  # fund 3,500: 1,166 each, paid 1,000
    preview = book.shareout("umoja", on=week(3), commit=True)
    assert preview.remainder_minor == 500
    state = book.state("umoja")
    assert state.loan_fund_cash_minor == 0
    assert state.social_fund_cash_minor == 500


def test_the_social_fund_is_kept_unless_the_constitution_pays_it_out(book: Book) -> None:
    new_group(book, members=2, social_fund_minor=500)
    meet(book, week(1), *shares(1, 1), SocialFund("M01", 500), SocialFund("M02", 500))
    book.shareout("umoja", on=week(2), commit=True)
    assert book.state("umoja").social_fund_cash_minor == 1000
    new_group(book, "sharing", members=2, social_fund_minor=500, social_fund_at_shareout="paid_out")
    meet(
        book,
        week(1),
        *shares(1, 1),
        SocialFund("M01", 500),
        SocialFund("M02", 500),
        group="sharing",
    )
    preview = book.shareout("sharing", on=week(2), commit=True)
    assert preview.social_fund_each_minor == 500
    assert book.state("sharing").social_fund_cash_minor == 0


def test_counted_cash_at_share_out_is_recorded_first(book: Book) -> None:
    new_group(book, members=2)
    meet(book, week(1), *shares(5, 5))
    preview = book.shareout("umoja", on=week(2), counted_cash_minor=9_000, reason="1,000 missing")
    assert (preview.ledger_cash_minor, preview.counted_cash_minor) == (10_000, 9_000)
    assert preview.fund_minor == 9_000
    assert [ln.gross_minor for ln in preview.lines] == [4_500, 4_500]


def test_a_new_cycle_with_members_continuing_leaving_and_joining(book: Book) -> None:
    new_group(book, members=3)
    meet(book, week(1), *shares(1, 1, 1))
    book.shareout("umoja", on=week(2), commit=True)
    number = book.start_cycle(
        "umoja",
        start=week(3),
        changes={"share_value_minor": 2000},
        leaving=["M03"],
        joining=[Member("M04", "Furaha Ngoy", "F")],
    )
    state = book.state("umoja")
    assert number == state.cycle_number == 2
    assert state.constitution.share_value_minor == 2000
    assert sorted(m.member_id for m in state.active_members()) == ["M01", "M02", "M04"]
    meet(book, week(3), Shares("M04", 1))
    assert book.state("umoja").savings_minor("M04") == 2000
    assert_book_is_sound(book)


def test_settings_are_fixed_for_the_cycle_unless_amended(book: Book) -> None:
    new_group(book)
    with pytest.raises(RuleBroken, match="reason"):
        book.amend_constitution("umoja", {"loan_multiple": 4}, reason="", on=week(1))
    book.amend_constitution(
        "umoja", {"loan_multiple": 4}, reason="general assembly of 2 Feb", on=week(1)
    )
    assert book.state("umoja").constitution.loan_multiple == 4
    amendment = [r for r in book.journal.records("umoja") if r.kind == "constitution_amended"]
    assert amendment[0].data["changes"] == {"loan_multiple": 4}


def test_the_share_value_cannot_be_amended_mid_cycle(book: Book) -> None:
    """Two members saved UGX 5,000 and 4,000 at UGX 1,000 a share: 5 and 4 shares. Were the
    value amended to 2,000, savings ÷ value would say 2 and 2, and the share-out would pay
    them as if they had bought 4 shares, not 9."""
    new_group(book)
    meet(book, week(1), Shares("M01", 5), Shares("M02", 4))
    before = book.state("umoja")
    with pytest.raises(RuleBroken, match="fixed for the whole cycle") as caught:
        book.amend_constitution(
            "umoja", {"share_value_minor": 2000}, reason="assembly of 2 Feb", on=week(2)
        )
    assert caught.value.problem.code == "constitution.share_value_fixed"
    after = book.state("umoja")
    assert (after.shares("M01"), after.shares("M02")) == (5, 4)
    assert after.constitution == before.constitution
    book.amend_constitution("umoja", {"loan_multiple": 4}, reason="assembly", on=week(2))
    assert book.state("umoja").shares("M01") == 5


def test_key_holders_may_not_sit_on_the_committee(book: Book) -> None:
    new_group(book)
    with pytest.raises(RuleBroken, match="key holders may not be committee"):
        book.assign_roles(
            "umoja", {"chair": ["M01"], "key_holder": ["M01", "M02"]}, on=date(2026, 1, 5)
        )
    book.assign_roles(
        "umoja", {"chair": ["M01"], "key_holder": ["M02", "M03", "M04"]}, on=date(2026, 1, 5)
    )
    assert book.state("umoja").members["M02"].roles == ("key_holder",)


def test_a_dropout_may_take_her_share_of_profit_when_the_constitution_says(book: Book) -> None:
    new_group(book, members=2, dropout_gets_profit=True)
    meet(book, week(1), *shares(5, 5))
    meet(book, week(2), Fine("M02", "absent"))  # 1,000 profit, half hers
    from vsla.domain.entries import Dropout

    cash = book.state("umoja").loan_fund_cash_minor
    meet(book, week(3), Dropout("M01"))
    assert cash - book.state("umoja").loan_fund_cash_minor == 5_500
    assert_book_is_sound(book)
