"""Money is conserved: any random valid cycle, then share-out, pays out exactly the fund minus
the remainder, empties every member's savings, and never takes cash below zero."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from vsla.book.check import check_book
from vsla.book.service import Book, MeetingRefused
from vsla.domain import accounts as acc
from vsla.domain.entries import (
    Fine,
    FinePayment,
    MeetingEntry,
    MeetingPlan,
    NewLoan,
    Repayment,
    Shares,
    SocialFund,
    WriteOff,
)
from vsla.domain.people import Member

from ..support import constitution

START = date(2026, 1, 5)

settings_ = st.fixed_dictionaries(
    {
        "service_charge": st.sampled_from(["declining", "upfront", "none"]),
        "service_charge_rate_bp": st.sampled_from([0, 500, 1000, 1500]),
        "payout_rounding_minor": st.sampled_from([1, 100, 500, 1000]),
        "remainder_to": st.sampled_from(["next_cycle", "social_fund"]),
        "fines_to": st.sampled_from(["loan_fund", "social_fund"]),
        "social_fund_minor": st.sampled_from([0, 200]),
        "share_value_minor": st.sampled_from([500, 1000, 2000]),
    }
)

meeting_intents = st.lists(
    st.fixed_dictionaries(
        {
            "shares": st.lists(st.integers(0, 5), min_size=6, max_size=6),
            "loans": st.lists(
                st.tuples(st.integers(0, 5), st.floats(0.05, 1.0), st.integers(1, 3)), max_size=2
            ),
            "repay": st.lists(st.tuples(st.integers(0, 5), st.floats(0.1, 1.0)), max_size=3),
            "fines": st.lists(st.tuples(st.integers(0, 5), st.booleans()), max_size=2),
            "gap_days": st.sampled_from([7, 7, 14, 28]),
        }
    ),
    min_size=1,
    max_size=8,
)


def plan_for(book: Book, day: date, intent: dict[str, Any], members: int) -> list[MeetingEntry]:
    state = book.state("g")
    rules = state.constitution
    entries: list[MeetingEntry] = []
    ids = [f"M{n}" for n in range(1, members + 1)]
    for member_id, count in zip(ids, intent["shares"], strict=False):
        if count:
            entries.append(Shares(member_id, count))
            if rules.social_fund_minor:
                entries.append(SocialFund(member_id, rules.social_fund_minor))
    for who, fraction in intent["repay"]:
        member_id = ids[who % members]
        owed = state.member_loan_owed_minor(member_id)
        amount = int(owed * fraction)
        if amount > 0:
            entries.append(Repayment(member_id, amount))
    for who, paid in intent["fines"]:
        entries.append(Fine(ids[who % members], "late", paid=paid))
    cash = state.loan_fund_cash_minor
    for who, fraction, term in intent["loans"]:
        member_id = ids[who % members]
        if state.open_loans(member_id):
            continue
        limit = rules.loan_multiple * state.savings_minor(member_id)
        principal = int(min(limit, cash) * fraction)
        if principal > 0:
            entries.append(NewLoan(member_id, principal, term))
            cash -= principal
    return entries


def record(book: Book, day: date, entries: list[MeetingEntry]) -> None:
    """Record the meeting, dropping any entry the rules refuse (the property is about what
    valid meetings do, and random intents are not always valid)."""
    while True:
        try:
            book.record_meeting("g", MeetingPlan(date=day, entries=tuple(entries)))
            return
        except MeetingRefused as refused:
            bad = {p.index for p in refused.problems if p.index is not None}
            if not bad:
                raise
            entries = [e for i, e in enumerate(entries) if i not in bad]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=settings_, members=st.integers(2, 6), meetings=meeting_intents)
def test_a_random_cycle_then_share_out_conserves_money(
    rules: dict[str, Any], members: int, meetings: list[dict[str, Any]]
) -> None:
    # only the first `members` counts of each meeting are used (plan_for); a cycle in which
    # nobody buys a share has nothing to share out, and is not the case this property is about
    bought = sum(sum(intent["shares"][:members]) for intent in meetings)
    assume(bought > 0)
    book = Book.open(":memory:")
    book.create_group(
        group_id="g",
        name="Random",
        constitution=constitution(**rules),
        members=[Member(f"M{n}", f"Member {n}", "F") for n in range(1, members + 1)],
        cycle_start=START,
    )
    day = START
    for intent in meetings:
        record(book, day, plan_for(book, day, intent, members))
        day += timedelta(days=intent["gap_days"])
    # debts the share-out cannot cover are collected or written off first, as groups do (a
    # write-off lowers everyone's share, so this may take more than one meeting)
    while short := {
        p.member
        for p in book.shareout("g", on=day).problems
        if p.code == "shareout.debt_over_payout"
    }:
        state = book.state("g")
        settle: list[MeetingEntry] = []
        for member_id in sorted(m for m in short if m):
            if state.open_loans(member_id):
                settle.append(WriteOff(member_id, "group decision before share-out"))
            if state.fines_owed_minor(member_id):
                settle.append(FinePayment(member_id, state.fines_owed_minor(member_id)))
        record(book, day, settle)
        day += timedelta(days=7)

    before = book.state("g")
    preview = book.shareout("g", on=day)
    # 1 to 5 shares are always within the group's limits, so every share intended was bought
    assert preview.total_shares == bought
    event(f"{len(preview.lines)} sharing, loans taken: {bool(before.loans)}")
    assert preview.problems == []
    done = book.shareout("g", on=day, commit=True)
    after = book.state("g")
    gross = sum(line.gross_minor for line in done.lines)
    paid = sum(line.payout_minor for line in done.lines)
    owed = sum(line.owed_minor for line in done.lines)
    assert gross == done.fund_minor - done.remainder_minor
    assert paid + owed == gross
    assert 0 <= done.remainder_minor < done.payout_rounding_minor * max(1, len(done.lines))
    assert all(after.savings_minor(m) == 0 for m in after.members)
    assert all(after.member_owed_minor(line.member_id) == 0 for line in done.lines)
    owed_to_social = sum(line.owed_social_fund_minor for line in done.lines)
    left = done.remainder_minor if after.constitution.remainder_to.value == "next_cycle" else 0
    assert after.loan_fund_cash_minor == left
    assert before.loan_fund_cash_minor - after.loan_fund_cash_minor == (
        paid + owed_to_social + (done.remainder_minor - left)
    )
    assert all(
        after.balance(a) == 0 for a in after.balances if a.startswith(("income:", "expenses:"))
    )
    assert after.balance(acc.RETAINED) == -left
    assert [p.problem.render() for p in check_book(book.db)] == []
    book.close()
