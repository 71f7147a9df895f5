"""The programme report (`vsla report savix`): SAVIX data items and indicators per group and
in totals per currency, with the data-quality flags; and the outcomes of finished cycles.

`to_json()` is the public contract of docs/reports.md: items as {"all", "women", "men"},
money as integers in minor units, ratios as numbers (fractions of 1, never percent) or null
where the denominator is zero, each ratio that has them with its `_women` and `_men` versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ledger import Problem
from vsla.domain.savix import Gendered, Indicators, Items, Split, indicators

GROUP_HEAD = (  # a group's first keys in the JSON, before its figures
    "group_id",
    "name",
    "currency",
    "country",
    "facilitator",
    "last_sync",
    "cycle",
    "savings_started",
    "last_meeting",
    "shared_out",
)
SPLIT_ITEMS = (
    "members",
    "members_at_start",
    "attending_last_meeting",
    "proxies_last_meeting",
    "dropouts",
    "savings_minor",
    "borrowers",
    "loans_outstanding_count",
    "loans_outstanding_minor",
    "late_loans_unpaid_minor",
    "write_offs_minor",
)
MONEY_ITEMS = (
    "loan_fund_cash_minor",
    "social_fund_minor",
    "property_start_minor",
    "property_now_minor",
    "debts_minor",
    "assets_minor",
    "profit_minor",
)
RATIOS: tuple[str, ...] = Indicators._fields  # in the order `figures_json` zips them
DIGITS = 6  # a ratio's decimals in JSON, csv and xlsx


def number(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


_RATIO_KEYS = tuple((name, f"{name}_women", f"{name}_men") for name in RATIOS)


def figures_json(items: Items, ratios: Indicators | None = None) -> dict[str, Any]:
    """Items and indicators as the flat public shape (shared by groups and totals)."""
    out: dict[str, Any] = {}
    for name in SPLIT_ITEMS:
        split: Split = getattr(items, name)
        women, men = split.women, split.men
        out[name] = {"all": women + men, "women": women, "men": men}
    for name in MONEY_ITEMS:
        out[name] = getattr(items, name)
    ratios = ratios or indicators(items)
    for (name, women_key, men_key), value in zip(_RATIO_KEYS, ratios, strict=True):
        if isinstance(value, Gendered):
            a, w, m = value
            out[name] = None if a is None else round(a, DIGITS)
            out[women_key] = None if w is None else round(w, DIGITS)
            out[men_key] = None if m is None else round(m, DIGITS)
        else:
            out[name] = None if value is None else round(value, DIGITS)
    return out


def problem_json(problem: Problem) -> dict[str, Any]:
    return {"rule": problem.code, "message": problem.render(), **problem.params}


@dataclass(frozen=True, slots=True)
class GroupReport:
    group_id: str
    name: str
    currency: str
    country: str
    facilitator: str | None  # the device that writes the group (on a hub)
    last_sync: str | None  # when it last pushed (on a hub), UTC ISO time
    cycle: int | None
    cycle_start: date | None
    last_meeting: date | None
    shared_out: bool
    items: Items
    indicators: Indicators  # of `items`, worked out once
    flags: tuple[Problem, ...]
    refused: tuple[Problem, ...]  # impossible figures: the group is left out of the totals

    def to_json(self) -> dict[str, Any]:
        return {
            "group_id": self.group_id,
            "name": self.name,
            "currency": self.currency,
            "country": self.country,
            "facilitator": self.facilitator,
            "last_sync": self.last_sync,
            "cycle": self.cycle,
            "savings_started": None if self.cycle_start is None else self.cycle_start.isoformat(),
            "last_meeting": None if self.last_meeting is None else self.last_meeting.isoformat(),
            "shared_out": self.shared_out,
            **figures_json(self.items, self.indicators),
            "flags": [problem_json(p) for p in self.flags],
            "refused": [problem_json(p) for p in self.refused],
        }


@dataclass(frozen=True, slots=True)
class SavixReport:
    as_of: date
    groups: tuple[GroupReport, ...]
    totals: dict[str, Items]  # per currency, the groups that were not refused

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "groups": [g.to_json() for g in self.groups],
            "totals": self.totals_json(),
        }

    def totals_json(self) -> dict[str, Any]:
        return {
            currency: {
                "groups": sum(1 for g in self.groups if g.currency == currency and not g.refused),
                **figures_json(items),
            }
            for currency, items in sorted(self.totals.items())
        }


@dataclass(frozen=True, slots=True)
class Payout:
    member_id: str
    name: str
    gender: str
    shares: int
    savings_minor: int
    gross_minor: int  # her share of the fund before deductions
    owed_minor: int  # deducted: what she still owed
    payout_minor: int

    @property
    def return_on_savings(self) -> float | None:
        return _return(self.gross_minor, self.savings_minor)


@dataclass(frozen=True, slots=True)
class CycleOutcome:
    """A finished cycle: what each member saved and received, and the return, by gender."""

    group_id: str
    name: str
    currency: str
    cycle: int
    started_on: date
    shared_out_on: date
    payouts: tuple[Payout, ...]

    def savings(self) -> Split:
        return _split(self.payouts, "savings_minor")

    def gross(self) -> Split:
        return _split(self.payouts, "gross_minor")

    def paid(self) -> Split:
        return _split(self.payouts, "payout_minor")

    def returns(self) -> Gendered:
        savings, gross = self.savings(), self.gross()
        return Gendered(
            _return(gross.all, savings.all),
            _return(gross.women, savings.women),
            _return(gross.men, savings.men),
        )

    def to_json(self) -> dict[str, Any]:
        returns = self.returns()
        return {
            "group_id": self.group_id,
            "name": self.name,
            "currency": self.currency,
            "cycle": self.cycle,
            "started_on": self.started_on.isoformat(),
            "shared_out_on": self.shared_out_on.isoformat(),
            **{
                key: {"all": split.all, "women": split.women, "men": split.men}
                for key, split in (
                    ("savings_minor", self.savings()),
                    ("gross_minor", self.gross()),
                    ("payout_minor", self.paid()),
                )
            },
            "return_on_savings": number(returns.all),
            "return_on_savings_women": number(returns.women),
            "return_on_savings_men": number(returns.men),
            "payouts": [
                {
                    "member_id": p.member_id,
                    "name": p.name,
                    "gender": p.gender,
                    "shares": p.shares,
                    "savings_minor": p.savings_minor,
                    "gross_minor": p.gross_minor,
                    "owed_minor": p.owed_minor,
                    "payout_minor": p.payout_minor,
                    "return_on_savings": number(p.return_on_savings),
                }
                for p in self.payouts
            ],
        }


def _split(payouts: tuple[Payout, ...], name: str) -> Split:
    return Split(
        sum(getattr(p, name) for p in payouts if p.gender == "F"),
        sum(getattr(p, name) for p in payouts if p.gender == "M"),
    )


def _return(gross: int, savings: int) -> float | None:
    """gross ÷ savings − 1, worked out as (gross − savings) ÷ savings: one rounding."""
    return None if savings == 0 else (gross - savings) / savings
