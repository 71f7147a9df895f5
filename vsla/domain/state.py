"""A group's state as the rules see it: a snapshot they can work on without a database.

The planner copies it and applies each entry of a meeting to the copy, so "her savings at
that moment" and "the cash in the box at that moment" are exact, in meeting order.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ledger import Currency, Transaction
from vsla.domain import accounts as acc
from vsla.domain.constitution import DAYS_PER_LOAN_MONTH, Constitution, FinesTo


@dataclass(slots=True)
class MemberState:
    member_id: str
    name: str
    gender: str
    phone: str | None
    language: str | None
    status: str  # active | left
    joined_on: date
    shared_phone: bool = False
    roles: tuple[str, ...] = ()


@dataclass(slots=True)
class LoanState:
    number: int
    member_id: str
    principal_minor: int
    method: str
    rate_bp: int
    term_months: int
    disbursed_on: date
    due_on: date
    periods_charged: int
    status: str  # open | repaid | written_off | reversed
    entry_id: str = ""

    def anniversary(self, period: int) -> date:
        return self.disbursed_on + timedelta(days=DAYS_PER_LOAN_MONTH * period)


@dataclass(slots=True)
class MeetingState:
    number: int
    date: date
    kind: str
    status: str
    cycle_number: int


@dataclass(slots=True)
class GroupState:
    group_id: str
    name: str
    currency: Currency
    country: str
    language: str
    cycle_number: int
    cycle_start: date
    cycle_status: str
    constitution: Constitution
    members: dict[str, MemberState]
    balances: dict[str, int]
    loans: dict[int, LoanState]
    last_meeting: MeetingState | None
    next_loan_number: int = 1
    reversed_ids: set[str] = field(default_factory=set)

    def copy(self) -> GroupState:
        """A copy the planner can change: every mutable part copied, the immutable ones
        (the constitution, the currency, tuples, dates) shared. A tenth of what deepcopy
        takes, and the hub previews a share-out on every balance it shows."""
        return replace(
            self,
            members={key: replace(member) for key, member in self.members.items()},
            balances=dict(self.balances),
            loans={key: replace(loan) for key, loan in self.loans.items()},
            last_meeting=None if self.last_meeting is None else replace(self.last_meeting),
            reversed_ids=set(self.reversed_ids),
        )

    def balance(self, account: str) -> int:
        return self.balances.get(account, 0)

    def post(self, tx: Transaction) -> None:
        for posting in tx.postings:
            self.balances[posting.account] = self.balance(posting.account) + posting.amount_minor

    @property
    def loan_fund_cash_minor(self) -> int:
        return self.balance(acc.LOAN_FUND_CASH)

    @property
    def social_fund_cash_minor(self) -> int:
        return self.balance(acc.SOCIAL_FUND_CASH)

    def savings_minor(self, member_id: str) -> int:
        return -self.balance(acc.savings(member_id))

    def shares(self, member_id: str) -> int:
        return self.savings_minor(member_id) // self.constitution.share_value_minor

    def fines_owed_minor(self, member_id: str, bowl: str | None = None) -> int:
        bowls = ("loan_fund", "social_fund") if bowl is None else (bowl,)
        return sum(self.balance(acc.fines_owed(member_id, b)) for b in bowls)

    def open_loans(self, member_id: str | None = None) -> list[LoanState]:
        return sorted(
            (
                loan
                for loan in self.loans.values()
                if loan.status == "open" and (member_id is None or loan.member_id == member_id)
            ),
            key=lambda loan: loan.number,
        )

    def principal_owed_minor(self, loan: LoanState) -> int:
        return self.balance(acc.loan_principal(loan.member_id, loan.number))

    def charges_owed_minor(self, loan: LoanState) -> int:
        return self.balance(acc.loan_charges(loan.member_id, loan.number))

    def loan_owed_minor(self, loan: LoanState) -> int:
        return self.principal_owed_minor(loan) + self.charges_owed_minor(loan)

    def member_loan_owed_minor(self, member_id: str) -> int:
        return sum(self.loan_owed_minor(loan) for loan in self.open_loans(member_id))

    def member_owed_minor(self, member_id: str) -> int:
        """Everything she owes: loans, service charges and fines recorded as owed."""
        return self.member_loan_owed_minor(member_id) + self.fines_owed_minor(member_id)

    def active_members(self) -> list[MemberState]:
        return [m for m in self.members.values() if m.status == "active"]

    def fines_bowl(self) -> str:
        return "social_fund" if self.constitution.fines_to is FinesTo.SOCIAL_FUND else "loan_fund"

    def is_late(self, loan: LoanState, on: date) -> bool:
        return loan.status == "open" and on > loan.due_on and self.loan_owed_minor(loan) > 0
