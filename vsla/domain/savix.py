"""The SAVIX data items and indicators (reports.md), as pure arithmetic.

A group's data items are counts and money split into women and men (`Split`); the items of
several groups add up item by item (`Items.total`), and every indicator is then one division
of two such sums: a weighted ratio, never an average of per-group ratios. A ratio whose
denominator is zero is None ("not available"), never 0. Items are exact integers; each ratio
is the float nearest its exact value, worked out in one rounding.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from fractions import Fraction
from typing import Any, NamedTuple

WEEKS_A_YEAR = 52
DAYS_A_WEEK = 7


class Split(NamedTuple):
    """A count or an amount of women and of men (members are F or M: all = women + men).
    A named tuple, not a dataclass: a report makes a dozen for each of thousands of groups,
    and a tuple is made several times faster than a frozen dataclass."""

    women: int = 0
    men: int = 0

    @property
    def all(self) -> int:
        return self.women + self.men

    def minus(self, other: Split) -> Split:
        return Split(self.women - other.women, self.men - other.men)


@dataclass(frozen=True, slots=True)
class Items:
    """The data items of one group, or their sums over groups of one currency."""

    members: Split = field(default_factory=Split)
    members_at_start: Split = field(default_factory=Split)
    attending_last_meeting: Split = field(default_factory=Split)
    proxies_last_meeting: Split = field(default_factory=Split)
    dropouts: Split = field(default_factory=Split)
    savings_minor: Split = field(default_factory=Split)
    borrowers: Split = field(default_factory=Split)
    loans_outstanding_count: Split = field(default_factory=Split)
    loans_outstanding_minor: Split = field(default_factory=Split)
    late_loans_unpaid_minor: Split = field(default_factory=Split)
    write_offs_minor: Split = field(default_factory=Split)
    loan_fund_cash_minor: int = 0
    social_fund_minor: int = 0
    property_start_minor: int = 0
    property_now_minor: int = 0
    debts_minor: int = 0
    # Profit × 52 ÷ weeks since savings started, as an exact fraction so that sums over groups
    # of different ages stay exact; with the savings and assets of the groups it covers (a
    # group on its first day has no annualised profit, and then counts in neither).
    annual_profit_minor: Fraction = Fraction(0)
    annual_savings_minor: int = 0
    annual_assets_minor: int = 0

    @staticmethod
    def total(many: list[Items]) -> Items:
        """The items of several groups added up, item by item."""
        values: dict[str, Any] = {}
        for f in fields(Items):
            column = [getattr(items, f.name) for items in many]
            if f.type == "Split":
                values[f.name] = Split(sum(s.women for s in column), sum(s.men for s in column))
            else:
                values[f.name] = sum(column, Fraction(0) if f.name == "annual_profit_minor" else 0)
        return Items(**values)

    @property
    def assets_minor(self) -> int:
        return (
            self.loan_fund_cash_minor
            + self.loans_outstanding_minor.all
            + self.social_fund_minor
            + self.property_now_minor
        )

    @property
    def profit_minor(self) -> int:
        return profit(
            self.loan_fund_cash_minor,
            self.loans_outstanding_minor.all,
            self.savings_minor.all,
            self.property_now_minor - self.property_start_minor - self.debts_minor,
        )


def profit(
    loan_fund_cash_minor: int, loans_minor: int, savings_minor: int, net_property_minor: int = 0
) -> int:
    """loan-fund cash + loans outstanding + property now − debts − savings − property at
    start (`net_property_minor`: property now − property at start − debts)."""
    return loan_fund_cash_minor + loans_minor - savings_minor + net_property_minor


def annual(profit_minor: int, days_since_start: int) -> Fraction:
    """A profit annualised: × 52 ÷ weeks since savings started."""
    return Fraction(profit_minor * WEEKS_A_YEAR * DAYS_A_WEEK, days_since_start)


def annualised(items: Items, days_since_start: int) -> Items:
    """A group's items with its profit annualised (× 52 ÷ weeks since savings started), or
    without one on the day savings started."""
    if days_since_start <= 0:
        return replace(
            items, annual_profit_minor=Fraction(0), annual_savings_minor=0, annual_assets_minor=0
        )
    return replace(
        items,
        annual_profit_minor=annual(items.profit_minor, days_since_start),
        annual_savings_minor=items.savings_minor.all,
        annual_assets_minor=items.assets_minor,
    )


def ratio(numerator: int | Fraction, denominator: int | Fraction) -> float | None:
    """numerator ÷ denominator as the float nearest the exact quotient (Python divides two
    integers exactly and rounds once), or None when the denominator is 0."""
    if denominator == 0:
        return None
    if isinstance(numerator, int) and isinstance(denominator, int):
        return numerator / denominator
    if isinstance(numerator, Fraction) and isinstance(denominator, int):
        return numerator.numerator / (numerator.denominator * denominator)
    top, bottom = Fraction(numerator), Fraction(denominator)
    return (top.numerator * bottom.denominator) / (top.denominator * bottom.numerator)


class Gendered(NamedTuple):
    """A ratio for everyone, for women and for men."""

    all: float | None
    women: float | None
    men: float | None


def _by_gender(numerator: Split, denominator: Split) -> Gendered:
    women, men = denominator.women, denominator.men
    return Gendered(
        None if women + men == 0 else (numerator.women + numerator.men) / (women + men),
        None if women == 0 else numerator.women / women,
        None if men == 0 else numerator.men / men,
    )


class Indicators(NamedTuple):
    """Every indicator of one group or total (a named tuple: thousands are made a report)."""

    percent_women: float | None
    attendance_rate: Gendered
    dropout_rate: Gendered
    retention_rate: Gendered
    membership_growth: Gendered
    average_savings_minor: Gendered
    percent_with_loan: Gendered
    average_loan_minor: Gendered
    portfolio_at_risk: Gendered
    loan_fund_utilisation: float | None
    loans_to_assets: float | None
    return_on_savings: float | None
    return_on_assets: float | None
    annualised_return_on_savings: float | None
    annualised_return_on_assets: float | None
    average_profit_minor: float | None


def indicators(items: Items) -> Indicators:
    """reports.md's indicators, each one division of sums."""
    members = items.members
    outstanding = items.loans_outstanding_minor.all
    savings, assets = items.savings_minor.all, items.assets_minor
    annual, profit = items.annual_profit_minor, items.profit_minor
    return Indicators(
        percent_women=ratio(members.women, members.all),
        attendance_rate=_by_gender(items.attending_last_meeting, members),
        dropout_rate=_by_gender(items.dropouts, members),
        retention_rate=_by_gender(members.minus(items.dropouts), members),
        membership_growth=_by_gender(members.minus(items.members_at_start), items.members_at_start),
        average_savings_minor=_by_gender(items.savings_minor, members),
        percent_with_loan=_by_gender(items.borrowers, members),
        average_loan_minor=_by_gender(items.loans_outstanding_minor, items.loans_outstanding_count),
        portfolio_at_risk=_by_gender(items.late_loans_unpaid_minor, items.loans_outstanding_minor),
        loan_fund_utilisation=ratio(outstanding, outstanding + items.loan_fund_cash_minor),
        loans_to_assets=ratio(outstanding, assets),
        return_on_savings=ratio(profit, savings),
        return_on_assets=ratio(profit, assets),
        annualised_return_on_savings=ratio(annual, items.annual_savings_minor),
        annualised_return_on_assets=ratio(annual, items.annual_assets_minor),
        average_profit_minor=ratio(profit, members.all),
    )
