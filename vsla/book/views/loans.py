"""The open loans of a group on a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


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
