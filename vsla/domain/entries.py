"""What a facilitator records at a meeting, before the rules turn it into journal entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ledger import Problem


@dataclass(frozen=True, slots=True)
class Bowls:
    """Cash in the two bowls of the box, in minor units."""

    loan_fund_minor: int
    social_fund_minor: int

    def minus(self, other: Bowls) -> Bowls:
        return Bowls(
            self.loan_fund_minor - other.loan_fund_minor,
            self.social_fund_minor - other.social_fund_minor,
        )

    def to_json(self) -> dict[str, int]:
        return {
            "loan_fund_minor": self.loan_fund_minor,
            "social_fund_minor": self.social_fund_minor,
        }


@dataclass(frozen=True, slots=True)
class SocialFund:
    member: str
    amount_minor: int
    id: str | None = None  # the entry id to use (a book re-imported keeps its ids)


@dataclass(frozen=True, slots=True)
class Grant:
    member: str
    amount_minor: int
    reason: str
    id: str | None = None  # the entry id to use (a book re-imported keeps its ids)


@dataclass(frozen=True, slots=True)
class Shares:
    member: str
    shares: int
    id: str | None = None  # the entry id to use (a book re-imported keeps its ids)


@dataclass(frozen=True, slots=True)
class Repayment:
    member: str
    amount_minor: int
    loan_number: int | None = None
    id: str | None = None  # the entry id to use (a book re-imported keeps its ids)


@dataclass(frozen=True, slots=True)
class Fine:
    member: str
    fine: str
    amount_minor: int | None = None  # None: the constitution's amount for this fine
    paid: bool = True
    id: str | None = None  # the entry id to use (a book re-imported keeps its ids)


@dataclass(frozen=True, slots=True)
class FinePayment:
    member: str
    amount_minor: int
    id: str | None = None  # the entry id to use (a book re-imported keeps its ids)


@dataclass(frozen=True, slots=True)
class WriteOff:
    member: str
    reason: str
    loan_number: int | None = None
    id: str | None = None  # the entry id to use (a book re-imported keeps its ids)


@dataclass(frozen=True, slots=True)
class Dropout:
    member: str
    id: str | None = None  # the entry id to use (a book re-imported keeps its ids)


@dataclass(frozen=True, slots=True)
class NewLoan:
    member: str
    principal_minor: int
    term_months: int
    id: str | None = None  # the entry id to use (a book re-imported keeps its ids)


@dataclass(frozen=True, slots=True)
class Reversal:
    entry_id: str
    reason: str
    member: str | None = None
    id: str | None = None  # the entry id to use (a book re-imported keeps its ids)


MeetingEntry = (
    SocialFund
    | Grant
    | Shares
    | Repayment
    | Fine
    | FinePayment
    | WriteOff
    | Dropout
    | NewLoan
    | Reversal
)

# The order of the methodology (domain.md, "A meeting, in the order it happens"). Entries are
# applied in this order whatever order they were typed in, so a loan always sees the shares
# bought earlier in the same meeting.
PHASES: dict[type, int] = {
    Reversal: 0,
    SocialFund: 1,
    Grant: 1,
    Shares: 2,
    Repayment: 3,
    Fine: 4,
    FinePayment: 4,
    WriteOff: 5,
    Dropout: 5,
    NewLoan: 6,
}
ATTENDANCE = ("present", "excused", "absent", "proxy")


@dataclass(frozen=True, slots=True)
class MeetingPlan:
    """A meeting as entered: attendance, counts and entries. Nothing here is recorded yet."""

    date: date
    entries: tuple[MeetingEntry, ...] = ()
    attendance: dict[str, str] = field(default_factory=dict)  # missing: present
    opening_counted: Bowls | None = None
    opening_reason: str = ""
    closing_counted: Bowls | None = None
    closing_reason: str = ""


@dataclass(frozen=True, slots=True)
class EntryProblem:
    """A broken rule, with where it is: the entry (index in the plan) and the member."""

    problem: Problem
    index: int | None = None
    member: str | None = None
    where: str = "meeting"  # the field: shares, loan, repay, closing, date ...

    @property
    def code(self) -> str:
        return self.problem.code

    def render(self) -> str:
        return self.problem.render()


@dataclass(slots=True)
class MemberLine:
    """What the secretary reads aloud for one member after the meeting."""

    member_id: str
    shares_bought: int = 0
    total_shares: int = 0
    savings_minor: int = 0
    social_fund_paid_minor: int = 0
    repaid_minor: int = 0
    fines_minor: int = 0
    loan_taken_minor: int = 0
    loan_owed_minor: int = 0
    fines_owed_minor: int = 0
