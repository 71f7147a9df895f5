"""The meeting planner: a meeting as entered → the journal entries it makes, or the rules it
breaks. Pure: it works on a copy of the group's state, so the app can run it on every
keystroke and show each problem next to the cell that caused it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ledger import (
    N_,
    Money,
    Posting,
    Problem,
    Record,
    Transaction,
    make_event,
    make_transaction,
    new_id,
)
from ledger.accounts import normal_balance
from vsla.domain import accounts as acc
from vsla.domain import handlers
from vsla.domain.dates import date_out_of_range
from vsla.domain.entries import (
    ATTENDANCE,
    PHASES,
    Bowls,
    EntryProblem,
    MeetingEntry,
    MeetingPlan,
    MemberLine,
)
from vsla.domain.errors import RuleBroken, broken
from vsla.domain.state import GroupState, MeetingState
from vsla.domain.words import BOWL_NAMES, WHEN_NAMES, term

IdSource = Callable[[], str]
EntryLookup = Callable[[str], "tuple[Transaction, int] | None"]


@dataclass(slots=True)
class MeetingOutcome:
    """What a meeting would record, and every rule it breaks (nothing is written if any)."""

    number: int
    records: list[Record] = field(default_factory=list)
    problems: list[EntryProblem] = field(default_factory=list)
    opening_ledger: Bowls = field(default_factory=lambda: Bowls(0, 0))
    expected_closing: Bowls = field(default_factory=lambda: Bowls(0, 0))
    counted_closing: Bowls = field(default_factory=lambda: Bowls(0, 0))
    lines: dict[str, MemberLine] = field(default_factory=dict)
    totals_minor: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    state_after: GroupState | None = None
    reopened: bool = False
    receipts_queued: int = 0  # set by Book.record_meeting once the SMS are in the outbox

    @property
    def ok(self) -> bool:
        return not self.problems

    def problems_for(self, index: int) -> list[EntryProblem]:
        return [p for p in self.problems if p.index == index]


class Planner:
    def __init__(
        self,
        state: GroupState,
        plan: MeetingPlan,
        *,
        ids: IdSource = new_id,
        lookup: EntryLookup | None = None,
        kind: str = "regular",
    ) -> None:
        self.kind = kind
        self.state = state.copy()
        self.plan = plan
        self.ids = ids
        self.lookup = lookup
        self.meeting_number, self.reopened = self._meeting_number()
        self.out = MeetingOutcome(self.meeting_number, reopened=self.reopened)
        self.out.opening_ledger = self._bowls()
        self.entry_id: str | None = None
        self.shares_bought: dict[str, int] = defaultdict(int)
        self.last_share_entry: dict[str, int] = {}

    # -- the run ---------------------------------------------------------------------------

    def run(self) -> MeetingOutcome:
        self.check_meeting()
        if date_out_of_range(self.plan.date) is not None:
            return self.out  # no rule can be applied on such a date (due dates would overflow)
        if not self.reopened:
            self._record(
                self._event(
                    "meeting_opened",
                    {
                        "kind": "regular",
                        "cycle": self.state.cycle_number,
                        "attendance": self._attendance(),
                        "opening_counted": (
                            None
                            if self.plan.opening_counted is None
                            else self.plan.opening_counted.to_json()
                        ),
                    },
                )
            )
        self.counted_difference("opening", self.plan.opening_counted, self.plan.opening_reason)
        handlers.accrue_service_charges(self)
        order = sorted(enumerate(self.plan.entries), key=lambda item: PHASES[type(item[1])])
        for index, entry in order:
            self.entry_id = entry.id
            try:
                handlers.apply_entry(self, index, entry)
            except RuleBroken as error:
                self.problem(
                    error.problem, index, getattr(entry, "member", None), handlers.field_of(entry)
                )
        self.entry_id = None
        handlers.check_minimum_shares(self)
        self.out.expected_closing = self._bowls()
        self.counted_difference("closing", self.plan.closing_counted, self.plan.closing_reason)
        self.out.counted_closing = self._bowls()
        self._record(
            self._event(
                "meeting_closed",
                {
                    "expected": self.out.expected_closing.to_json(),
                    "counted": self.out.counted_closing.to_json(),
                },
            )
        )
        self._fill_lines()
        self.state.last_meeting = MeetingState(
            self.meeting_number, self.plan.date, "regular", "closed", self.state.cycle_number
        )
        self.out.state_after = self.state
        return self.out

    # -- helpers the handlers use ----------------------------------------------------------

    def problem(
        self,
        problem: Problem,
        index: int | None = None,
        member: str | None = None,
        where: str = "meeting",
    ) -> None:
        self.out.problems.append(EntryProblem(problem, index, member, where))

    def transaction(
        self,
        kind: str,
        postings: list[tuple[str, int]],
        *,
        member: str | None = None,
        payload: dict[str, Any] | None = None,
        memo: str = "",
    ) -> Transaction:
        merged: dict[str, int] = defaultdict(int)
        for account, amount in postings:
            merged[account] += amount
        tx = make_transaction(
            id=self.next_id(),
            group_id=self.state.group_id,
            date=self.plan.date,
            kind=kind,
            postings=[Posting(a, m) for a, m in merged.items() if m != 0],
            memo=memo,
            member_id=member,
            meeting_number=self.meeting_number,
            payload=payload,
        )
        return self.apply(tx)

    def next_id(self) -> str:
        """The id the entry being applied asked for, once; else a new one."""
        given, self.entry_id = self.entry_id, None
        return given or self.ids()

    def apply(self, tx: Transaction) -> Transaction:
        """Refuse `tx` if it would take cash, a debt or savings below zero; else apply it."""
        for account in {p.account for p in tx.postings}:
            if acc.is_watched(account) or account.startswith(acc.SAVINGS + ":"):
                after = normal_balance(account, self.state.balance(account) + tx.amount_of(account))
                if after < 0:
                    raise broken(
                        "balance.negative",
                        N_("this would take {account} below zero ({amount})"),
                        account=account,
                        amount=Money(after, self.state.currency),
                    )
        self.state.post(tx)
        self._record(tx)
        return tx

    def event(self, kind: str, payload: dict[str, Any], member: str | None = None) -> None:
        self._record(self._event(kind, payload, member))

    def line(self, member_id: str) -> MemberLine:
        if member_id not in self.out.lines:
            self.out.lines[member_id] = MemberLine(member_id)
        return self.out.lines[member_id]

    def attendance_of(self, member_id: str) -> str:
        return self.plan.attendance.get(member_id, "present")

    # -- internals -------------------------------------------------------------------------

    def _meeting_number(self) -> tuple[int, bool]:
        last = self.state.last_meeting
        if last is None:
            return 1, False
        if last.status == "open" and last.date == self.plan.date and self.kind == "regular":
            return last.number, True
        return last.number + 1, False

    def check_meeting(self) -> None:
        state, day = self.state, self.plan.date
        out_of_range = date_out_of_range(day)
        if out_of_range is not None:
            self.problem(out_of_range.problem, where="date")
        if state.cycle_status != "open":
            self.problem(
                Problem(
                    "meeting.cycle_closed",
                    N_(
                        "cycle {cycle} is closed (shared out); start a new cycle before the next "
                        "meeting"
                    ),
                    {"cycle": state.cycle_number},
                ),
                where="date",
            )
        if day < state.cycle_start:
            self.problem(
                Problem(
                    "meeting.before_cycle",
                    N_("the meeting date {date} is before the cycle started ({start})"),
                    {"date": day.isoformat(), "start": state.cycle_start.isoformat()},
                ),
                where="date",
            )
        last = state.last_meeting
        if last is not None and not self.reopened:
            if last.status == "open":
                self.problem(
                    Problem(
                        "meeting.previous_open",
                        N_(
                            "meeting {number} of {date} was reopened and is not closed yet; "
                            "close it "
                            "first"
                        ),
                        {"number": last.number, "date": last.date.isoformat()},
                    ),
                    where="date",
                )
            elif day < last.date or (day == last.date and self.kind == "regular"):
                self.problem(
                    Problem(
                        "meeting.date_not_after_previous",
                        N_(
                            "the meeting date {date} is not after the previous meeting ({previous})"
                        ),
                        {"date": day.isoformat(), "previous": last.date.isoformat()},
                    ),
                    where="date",
                )
        for member_id, status in self.plan.attendance.items():
            member = state.members.get(member_id)
            if member is None or member.status != "active":
                self.problem(
                    Problem(
                        "member.unknown",
                        N_("{member} is not an active member of the group"),
                        {"member": member_id},
                    ),
                    member=member_id,
                    where="attendance",
                )
            elif status not in ATTENDANCE:
                self.problem(
                    Problem(
                        "meeting.bad_attendance",
                        N_('attendance "{value}": use present, excused, absent or proxy'),
                        {"value": status},
                    ),
                    member=member_id,
                    where="attendance",
                )

    def _attendance(self) -> dict[str, str]:
        return {m.member_id: self.attendance_of(m.member_id) for m in self.state.active_members()}

    def _bowls(self) -> Bowls:
        return Bowls(self.state.loan_fund_cash_minor, self.state.social_fund_cash_minor)

    def counted_difference(self, when: str, counted: Bowls | None, reason: str) -> None:
        if counted is None:
            return
        ledger_now = self._bowls()
        for bowl, counted_minor, ledger_minor, cash, differences in (
            (
                "loan_fund",
                counted.loan_fund_minor,
                ledger_now.loan_fund_minor,
                acc.LOAN_FUND_CASH,
                acc.LOAN_FUND_CASH_DIFFERENCES,
            ),
            (
                "social_fund",
                counted.social_fund_minor,
                ledger_now.social_fund_minor,
                acc.SOCIAL_FUND_CASH,
                acc.SOCIAL_FUND_CASH_DIFFERENCES,
            ),
        ):
            if counted_minor < 0:
                self.problem(
                    Problem("count.negative", N_("the counted cash cannot be negative"), {}),
                    where=f"{when}_{bowl}",
                )
                continue
            difference = counted_minor - ledger_minor
            if difference == 0:
                continue
            if not reason.strip():
                self.problem(
                    Problem(
                        "count.reason_missing",
                        N_(
                            "the {when} count of the {bowl} differs from the book by {difference}: "
                            "say why before closing"
                        ),
                        {
                            "when": term(WHEN_NAMES, when),
                            "bowl": term(BOWL_NAMES, bowl),
                            "difference": Money(difference, self.state.currency),
                        },
                    ),
                    where=f"{when}_{bowl}",
                )
                continue
            self.transaction(
                "cash_adjustment",
                [(cash, difference), (differences, -difference)],
                payload={"bowl": bowl, "when": when, "reason": reason.strip()},
                memo=reason.strip()[:200],
            )

    def _event(self, kind: str, payload: dict[str, Any], member: str | None = None) -> Record:
        return make_event(
            id=self.ids(),
            group_id=self.state.group_id,
            date=self.plan.date,
            kind=kind,
            payload=payload,
            member_id=member,
            meeting_number=self.meeting_number,
        )

    def _record(self, record: Record) -> None:
        self.out.records.append(record)

    def _fill_lines(self) -> None:
        for member in self.state.members.values():
            if member.status != "active" and member.member_id not in self.out.lines:
                continue
            line = self.line(member.member_id)
            line.total_shares = self.state.shares(member.member_id)
            line.savings_minor = self.state.savings_minor(member.member_id)
            line.loan_owed_minor = self.state.member_loan_owed_minor(member.member_id)
            line.fines_owed_minor = self.state.fines_owed_minor(member.member_id)


def plan_meeting(
    state: GroupState,
    plan: MeetingPlan,
    *,
    ids: IdSource = new_id,
    lookup: EntryLookup | None = None,
) -> MeetingOutcome:
    """Every entry the meeting makes, or every rule it breaks."""
    return Planner(state, plan, ids=ids, lookup=lookup).run()


def first_problem(outcome: MeetingOutcome) -> EntryProblem | None:
    return outcome.problems[0] if outcome.problems else None


__all__ = ["MeetingEntry", "MeetingOutcome", "Planner", "RuleBroken", "plan_meeting"]
