"""What the front ends show, as typed, immutable read models: the app, the command line and
the hub (USSD, web) all read the book through these, never through SQL of their own.

Money is integer minor units (`_minor`); each model that holds money names its currency.
`to_json()` gives the public JSON shapes of docs/cli.md (interfaces.md), so a command's
`--json` and the hub answer with the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """One line of the group list."""

    group_id: str
    name: str
    currency: str
    exponent: int
    country: str
    language: str
    cycle: int
    cycle_start: date
    cycle_status: str  # open | closed
    members: int  # active members
    meetings_this_cycle: int
    meetings: int  # in all cycles; the number of the last meeting
    last_meeting_on: date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group_id,
            "name": self.name,
            "currency": self.currency,
            "exponent": self.exponent,
            "country": self.country,
            "language": self.language,
            "cycle": self.cycle,
            "cycle_start": self.cycle_start.isoformat(),
            "cycle_status": self.cycle_status,
            "members": self.members,
            "meetings_this_cycle": self.meetings_this_cycle,
            "meetings": self.meetings,
            "last_meeting": None
            if self.last_meeting_on is None
            else self.last_meeting_on.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class MemberLine:
    member_id: str
    name: str
    gender: str
    phone: str | None
    language: str | None
    status: str  # active | left
    roles: tuple[str, ...]
    shares: int
    savings_minor: int
    owed_minor: int  # loans, service charges and fines recorded as owed

    def to_json(self) -> dict[str, Any]:
        return {
            "member": self.member_id,
            "name": self.name,
            "gender": self.gender,
            "phone": self.phone,
            "language": self.language,
            "status": self.status,
            "roles": list(self.roles),
            "shares": self.shares,
            "savings_minor": self.savings_minor,
            "owed_minor": self.owed_minor,
        }


@dataclass(frozen=True, slots=True)
class MemberList:
    group_id: str
    name: str
    currency: str
    exponent: int
    country: str
    members: tuple[MemberLine, ...]

    def active(self) -> tuple[MemberLine, ...]:
        return tuple(m for m in self.members if m.status == "active")

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group_id,
            "currency": self.currency,
            "exponent": self.exponent,
            "members": [m.to_json() for m in self.members],
        }


@dataclass(frozen=True, slots=True)
class LoanPosition:
    """What a member owes on her open loans, together."""

    principal_minor: int
    charges_owed_minor: int
    due_on: date  # the soonest due
    late: bool
    loans: tuple[int, ...]

    @property
    def owed_minor(self) -> int:
        return self.principal_minor + self.charges_owed_minor


@dataclass(frozen=True, slots=True)
class Statement:
    """One member's position: what `vsla statement`, the app and USSD show her."""

    group_id: str
    member_id: str
    name: str
    currency: str
    exponent: int
    as_of: date
    shares: int
    savings_minor: int
    social_fund_paid_minor: int
    fines_owed_minor: int
    loan: LoanPosition | None

    def to_json(self) -> dict[str, Any]:
        loan = self.loan
        return {
            "group": self.group_id,
            "member": self.member_id,
            "name": self.name,
            "currency": self.currency,
            "exponent": self.exponent,
            "as_of": self.as_of.isoformat(),
            "shares": self.shares,
            "savings_minor": self.savings_minor,
            "social_fund_paid_minor": self.social_fund_paid_minor,
            "fines_owed_minor": self.fines_owed_minor,
            "loan": None
            if loan is None
            else {
                "principal_minor": loan.principal_minor,
                "charges_owed_minor": loan.charges_owed_minor,
                "owed_minor": loan.owed_minor,
                "due_date": loan.due_on.isoformat(),
                "late": loan.late,
                "loans": list(loan.loans),
            },
        }


@dataclass(frozen=True, slots=True)
class Bowls:
    loan_fund_minor: int
    social_fund_minor: int

    def to_json(self) -> dict[str, int]:
        return {
            "loan_fund_minor": self.loan_fund_minor,
            "social_fund_minor": self.social_fund_minor,
        }


@dataclass(frozen=True, slots=True)
class EntryLine:
    """A money entry of a meeting, as recorded."""

    entry_id: str
    kind: str
    member_id: str | None
    memo: str
    reverses: str | None
    amount_minor: int
    paid: bool  # False: a fine recorded as owed, not paid in cash

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.entry_id,
            "kind": self.kind,
            "member": self.member_id,
            "memo": self.memo,
            "reverses": self.reverses,
            "amount_minor": self.amount_minor,
            "paid": self.paid,
        }


@dataclass(frozen=True, slots=True)
class MeetingView:
    group_id: str
    number: int
    on: date
    status: str  # open | closed
    kind: str  # regular | shareout
    cycle: int
    currency: str
    exponent: int
    opening_counted: Bowls | None
    expected_closing: Bowls | None
    counted_closing: Bowls | None
    reopened: int
    attendance: tuple[tuple[str, str], ...]  # (member, present | excused | absent | proxy)
    entries: tuple[EntryLine, ...]

    @property
    def difference(self) -> Bowls | None:
        if self.expected_closing is None or self.counted_closing is None:
            return None
        return Bowls(
            self.counted_closing.loan_fund_minor - self.expected_closing.loan_fund_minor,
            self.counted_closing.social_fund_minor - self.expected_closing.social_fund_minor,
        )

    def shares_bought(self, share_value_minor: int) -> dict[str, int]:
        """Shares each member bought at this meeting (reversed purchases left out)."""
        bought: dict[str, int] = {}
        for entry in self.entries:
            if entry.kind == "shares" and entry.member_id and entry.reverses is None:
                bought[entry.member_id] = bought.get(entry.member_id, 0) + (
                    entry.amount_minor // share_value_minor
                )
        return bought

    def to_json(self) -> dict[str, Any]:
        empty = {"loan_fund_minor": None, "social_fund_minor": None}
        difference = self.difference
        return {
            "group": self.group_id,
            "number": self.number,
            "date": self.on.isoformat(),
            "status": self.status,
            "kind": self.kind,
            "cycle": self.cycle,
            "currency": self.currency,
            "exponent": self.exponent,
            "opening_counted": None
            if self.opening_counted is None
            else self.opening_counted.to_json(),
            "expected_closing": empty
            if self.expected_closing is None
            else self.expected_closing.to_json(),
            "counted_closing": empty
            if self.counted_closing is None
            else self.counted_closing.to_json(),
            "difference": None if difference is None else difference.to_json(),
            "reopened": self.reopened,
            "attendance": dict(self.attendance),
            "entries": [e.to_json() for e in self.entries],
        }


@dataclass(frozen=True, slots=True)
class LoanLine:
    number: int
    member_id: str
    name: str
    principal_minor: int
    owed_minor: int
    disbursed_on: date
    due_on: date
    late: bool
    due_soon: bool  # due within DUE_SOON_DAYS and not late


@dataclass(frozen=True, slots=True)
class LoanBook:
    """The open loans of a group on a day, the soonest due first."""

    group_id: str
    name: str
    currency: str
    country: str
    on: date
    loans: tuple[LoanLine, ...]

    @property
    def owed_minor(self) -> int:
        return sum(loan.owed_minor for loan in self.loans)

    @property
    def late(self) -> tuple[LoanLine, ...]:
        return tuple(loan for loan in self.loans if loan.late)

    @property
    def late_owed_minor(self) -> int:
        return sum(loan.owed_minor for loan in self.late)

    @property
    def at_risk_percent(self) -> int:
        """Portfolio at risk: what late loans owe out of all that is owed, in whole percent
        (rounded down: a risk is never made to look smaller by rounding it away)."""
        owed = self.owed_minor
        return 0 if owed == 0 else self.late_owed_minor * 100 // owed


@dataclass(frozen=True, slots=True)
class GroupOverview:
    """Where a group stands: the group's home screen."""

    group_id: str
    name: str
    currency: str
    country: str
    cycle: int
    cycle_start: date
    cycle_status: str
    members: int
    last_meeting: int | None
    last_meeting_on: date | None
    loan_fund_cash_minor: int
    social_fund_cash_minor: int
    loans_open: int
    loans_late: int
    loans_owed_minor: int
    meeting_in_progress: bool  # a draft kept on this device


@dataclass(frozen=True, slots=True)
class CyclePoint:
    """The group at the close of one meeting of the current cycle (charts)."""

    number: int
    on: date
    savings_minor: int
    loans_outstanding_minor: int
    loan_fund_cash_minor: int
    social_fund_cash_minor: int

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "date": self.on.isoformat(),
            "savings_minor": self.savings_minor,
            "loans_outstanding_minor": self.loans_outstanding_minor,
            "loan_fund_cash_minor": self.loan_fund_cash_minor,
            "social_fund_cash_minor": self.social_fund_cash_minor,
        }


@dataclass(frozen=True, slots=True)
class CorrectableEntry:
    """An entry of an earlier meeting of this cycle that a reversal can still correct."""

    entry_id: str
    on: date
    meeting: int
    member_id: str | None
    kind: str
    shares: int | None
    amount_minor: int


@dataclass(frozen=True, slots=True)
class NextMeeting:
    """The date a new meeting is held on, and whether it adds to the reopened last one."""

    on: date
    reopened: bool


@dataclass(frozen=True, slots=True)
class BackupMark:
    """The newest backup of the book: where, and when (UTC)."""

    path: str
    made_at: str  # ISO 8601, UTC
    folder: str
