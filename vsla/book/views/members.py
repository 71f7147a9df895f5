"""Members, and one member's statement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


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
