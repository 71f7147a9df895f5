"""The group book file (interfaces.md): a whole group in one TOML or JSON document.

Money is written in major units as an integer or a string ("5.50"); a float is refused,
because by the time a number is a float it may already be wrong (0.1 + 0.2).
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import suppress
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ledger import N_, LedgerError, Problem
from vsla.bookfile.limits import FloatLiteral, shown
from vsla.domain.dates import check_in_range

FORMAT = "vsla-book/1"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _no_float(value: Any) -> Any:
    if isinstance(value, float | FloatLiteral):
        raise ValueError(
            f"{value} is written as a decimal number; write money as a whole number or as "
            f'text, like "{value}"'
        )
    if isinstance(value, bool):
        raise ValueError("expected an amount, got true/false")
    if not isinstance(value, int | str):  # one message, not one per member of int | str
        raise ValueError('expected an amount: a whole number, or text like "5.50"')
    return value


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date (YYYY-MM-DD), got a date and time")
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value):  # fromisoformat alone also takes 20260105, 2026-W01-1
            with suppress(ValueError):
                return dt.date.fromisoformat(value)
        raise ValueError(f'"{shown(value)}" is not a date (YYYY-MM-DD)')
    return value


Money = Annotated[int | str, BeforeValidator(_no_float)]
Count = Annotated[int, BeforeValidator(_no_float)]
# The range is the domain's (vsla.domain.dates): its RuleBroken is a ValueError, so pydantic
# reports it at the field, and the reader shows the domain's own (translated) message.
Day = Annotated[dt.date, BeforeValidator(_date), AfterValidator(check_in_range)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Cash(_Strict):
    loan_fund: Money
    social_fund: Money = 0


class GroupSection(_Strict):
    id: str
    name: str
    currency: str
    language: str = "en"
    country: str | None = None
    share_value: Money
    shares_min: Count = 1
    shares_max: Count = 5
    social_fund: Money = 0
    meeting_interval_days: Count = 7
    loan_multiple: Count = 3
    loan_term_max_months: Count = 3
    service_charge: str = "declining"
    service_charge_monthly_percent: Money = 10
    one_loan_at_a_time: bool = True
    fines_to: str = "loan_fund"
    payout_rounding: Money | None = None
    remainder_to: str = "next_cycle"
    social_fund_at_shareout: str = "kept"
    debts_at_shareout: str = "deduct"
    dropout_gets_profit: bool = False
    cycle_start: Day
    fines: dict[str, Money] = Field(default_factory=dict)
    roles: dict[str, list[str]] = Field(default_factory=dict)


class MemberSection(_Strict):
    id: str
    name: str
    gender: str
    phone: str | None = None
    language: str | None = None
    shared_phone: bool = False


ACTIONS = (
    "shares",
    "social_fund",
    "grant",
    "repay",
    "fine",
    "fine_payment",
    "loan",
    "write_off",
    "dropout",
    "reverse",
)


class EntrySection(_Strict):
    id: str | None = None
    member: str | None = None
    shares: Count | None = None
    social_fund: Money | None = None
    grant: Money | None = None
    repay: Money | None = None
    fine: str | None = None
    fine_payment: Money | None = None
    loan: Money | None = None
    write_off: bool | None = None
    dropout: bool | None = None
    reverse: str | None = None
    amount: Money | None = None
    paid: bool = True
    term_months: Count | None = None
    loan_number: Count | None = None
    reason: str | None = None

    @model_validator(mode="after")
    def _one_action(self) -> EntrySection:
        given = [name for name in ACTIONS if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                "an entry needs exactly one of "
                + ", ".join(ACTIONS)
                + (f" (found {', '.join(given)})" if given else "")
            )
        if given[0] != "reverse" and self.member is None:
            raise ValueError(f"a {given[0]} entry needs a member")
        if given[0] == "loan" and self.term_months is None:
            raise ValueError("a loan needs term_months")
        return self

    @property
    def action(self) -> str:
        return next(name for name in ACTIONS if getattr(self, name) is not None)


class MeetingSection(_Strict):
    date: Day
    absent: list[str] = Field(default_factory=list)
    excused: list[str] = Field(default_factory=list)
    proxy: list[str] = Field(default_factory=list)
    opening_cash: Cash | None = None
    closing_cash: Cash | None = None
    opening_reason: str = ""
    closing_reason: str = ""
    entries: list[EntrySection] = Field(default_factory=list)
    joining: list[MemberSection] = Field(default_factory=list)
    reopen_reason: str | None = None
    shareout: bool = False


class CycleChanges(_Strict):
    """What a later cycle changes, written as in [group]; anything left out stays. The
    currency may be written but not changed (the rules refuse another one)."""

    currency: str | None = None
    share_value: Money | None = None
    shares_min: Count | None = None
    shares_max: Count | None = None
    social_fund: Money | None = None
    meeting_interval_days: Count | None = None
    loan_multiple: Count | None = None
    loan_term_max_months: Count | None = None
    service_charge: str | None = None
    service_charge_monthly_percent: Money | None = None
    one_loan_at_a_time: bool | None = None
    fines_to: str | None = None
    payout_rounding: Money | None = None
    remainder_to: str | None = None
    social_fund_at_shareout: str | None = None
    debts_at_shareout: str | None = None
    dropout_gets_profit: bool | None = None
    fines: dict[str, Money] | None = None


class CycleSection(_Strict):
    """A later cycle, after the one described by [group] has been shared out."""

    start: Day
    changes: CycleChanges = Field(default_factory=CycleChanges)
    leaving: list[str] = Field(default_factory=list)
    joining: list[MemberSection] = Field(default_factory=list)
    meetings: list[MeetingSection] = Field(default_factory=list)


class BookFile(_Strict):
    format: str
    group: GroupSection
    members: list[MemberSection] = Field(default_factory=list)
    meetings: list[MeetingSection] = Field(default_factory=list)
    cycles: list[CycleSection] = Field(default_factory=list)

    @model_validator(mode="after")
    def _format(self) -> BookFile:
        if self.format != FORMAT:
            raise ValueError(f'format must be "{FORMAT}", not "{self.format}"')
        return self


class MeetingFile(_Strict):
    """One meeting for `vsla meeting record`: a single `[[meetings]]` table of the group
    book format (a paper record entered later, a script driving a device)."""

    format: str | None = None
    meetings: list[MeetingSection]

    @model_validator(mode="after")
    def _one(self) -> MeetingFile:
        if self.format is not None and self.format != FORMAT:
            raise ValueError(f'format must be "{FORMAT}", not "{self.format}"')
        if len(self.meetings) != 1:
            raise LedgerError(
                Problem(
                    "import.one_meeting",
                    N_("a meeting file holds one [[meetings]] table, not {count}"),
                    {"count": len(self.meetings)},
                )
            )
        return self
