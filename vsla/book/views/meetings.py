"""A meeting as recorded, the entries a reversal can correct, the cycle meeting by meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


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
