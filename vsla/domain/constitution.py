"""A group's constitution: the settings fixed for a cycle (domain.md, with its defaults)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ledger import N_, LedgerError, currency


class ServiceCharge(StrEnum):
    DECLINING = "declining"
    UPFRONT = "upfront"
    NONE = "none"


class FinesTo(StrEnum):
    LOAN_FUND = "loan_fund"
    SOCIAL_FUND = "social_fund"


class RemainderTo(StrEnum):
    NEXT_CYCLE = "next_cycle"
    SOCIAL_FUND = "social_fund"


class SocialFundAtShareout(StrEnum):
    KEPT = "kept"
    PAID_OUT = "paid_out"


class DebtsAtShareout(StrEnum):
    DEDUCT = "deduct"
    FORBID = "forbid"


DAYS_PER_LOAN_MONTH = 28


class Constitution(BaseModel):
    """Every amount is in minor units of `currency`; rates are basis points (1000 = 10%)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    currency: str
    share_value_minor: int = Field(gt=0, le=10**12)
    shares_min: int = Field(default=1, ge=0, le=1000)
    shares_max: int = Field(default=5, ge=1, le=1000)
    social_fund_minor: int = Field(default=0, ge=0, le=10**12)
    meeting_interval_days: int = Field(default=7, ge=1, le=62)
    loan_multiple: int = Field(default=3, ge=0, le=100)
    loan_term_max_months: int = Field(default=3, ge=1, le=24)
    service_charge: ServiceCharge = ServiceCharge.DECLINING
    service_charge_rate_bp: int = Field(default=1000, ge=0, le=10_000)
    one_loan_at_a_time: bool = True
    fines_minor: dict[str, int] = Field(default_factory=dict)
    fines_to: FinesTo = FinesTo.LOAN_FUND
    payout_rounding_minor: int = Field(default=1, ge=1, le=10**9)
    remainder_to: RemainderTo = RemainderTo.NEXT_CYCLE
    social_fund_at_shareout: SocialFundAtShareout = SocialFundAtShareout.KEPT
    debts_at_shareout: DebtsAtShareout = DebtsAtShareout.DEDUCT
    dropout_gets_profit: bool = False

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, code: str) -> str:
        currency(code)
        return code

    @field_validator("fines_minor")
    @classmethod
    def _fines(cls, fines: dict[str, int]) -> dict[str, int]:
        for name, amount in fines.items():
            if not name.replace("_", "").isalnum() or not name.isascii() or len(name) > 30:
                raise ValueError(f"fine name {name!r}: use letters, digits and _")
            if amount <= 0:
                raise ValueError(f"fine {name!r} must be more than zero")
        return fines

    @model_validator(mode="after")
    def _consistent(self) -> Constitution:
        if self.shares_min > self.shares_max:
            raise ValueError(
                f"shares_min ({self.shares_min}) is more than shares_max ({self.shares_max})"
            )
        return self

    @property
    def currency_info(self) -> Any:
        return currency(self.currency)

    def changed_fields(self, other: Constitution) -> dict[str, tuple[Any, Any]]:
        mine, theirs = self.model_dump(mode="json"), other.model_dump(mode="json")
        return {k: (mine[k], theirs[k]) for k in mine if mine[k] != theirs[k]}

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Constitution:
        return cls.model_validate(data, strict=False)


def constitution_error(detail: str) -> LedgerError:
    return LedgerError.of(
        "constitution.invalid", N_("the constitution is not valid: {detail}"), detail=detail
    )
