"""The SAVIX report of three hand-built groups, every figure worked out by hand below.

umoja (UGX, shares of 1,000, upfront service charge 10% a month), started 2026-01-05:
  members M01 F, M02 F, M03 M, M04 F, M05 M, M06 F: 4 women and 2 men at the start.
  2026-01-05  shares M01 5, M02 4, M03 3, M04 2, M05 5, M06 1 (20,000); M04 fined 500, paid.
  2026-01-12  M01 buys 1 share (1,000). Loans: M01 10,000 for 1 month (charge 1,000, due
              2026-02-09); M03 6,000 for 2 months (charge 1,200, due 2026-03-09).
  2026-02-16  M02 absent with leave, M03 by proxy. M03 repays 3,000 (the charge of 1,200
              first). M05 drops out: his 5,000 of savings paid back.
  As of 2026-02-20 (46 days after savings started):
    members: women 4 (M01, M02, M04, M06), men 1 (M03); at start 4 and 2; dropouts men 1
    attending in person: M01, M04, M06 (women 3, men 0; M05 left at that meeting)
    savings: women 6,000 + 4,000 + 2,000 + 1,000 = 13,000; men 3,000 (M03)
    loans outstanding: M01 11,000 (woman), M03 7,200 - 3,000 = 4,200 (man)
    late (due before the 20th): M01's 11,000 only
    loan-fund cash: 20,500 + 1,000 - 16,000 + 3,000 - 5,000 = 3,500
    profit: 3,500 + 15,200 - 16,000 = 2,700 (= fine 500 + charges 1,000 + 1,200)
upendo (UGX), started 2026-02-02: U01 F, U02 M, U03 F, U04 F, U05 F, U06 F buy 1, 2, 1, 1, 1,
  1 shares at its only meeting: savings women 5,000, men 2,000, cash 7,000, no loan, profit 0.
tumaini (KES, shares of KES 100.00, no service charge, social fund KES 50.00), started
  2026-01-05: W01 F, W02 F, W03 M.
  2026-01-05  shares W01 2, W02 1, W03 3 (KES 600.00); each pays KES 50.00 to the social fund.
  2026-01-12  W03 borrows KES 500.00 for 1 month.
  2026-02-16  W03's loan is written off (KES 500.00, a man's).
  As of 2026-02-20: loan-fund cash KES 100.00, social fund KES 150.00, nothing outstanding,
  profit 10,000 - 60,000 = -50,000 (minor), assets 10,000 + 15,000 = 25,000.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from vsla.book.reader import Reader
from vsla.book.service import Book
from vsla.domain.entries import (
    Dropout,
    Fine,
    NewLoan,
    Repayment,
    Shares,
    SocialFund,
    WriteOff,
)
from vsla.domain.people import Member

from ..support import assert_book_is_sound, constitution, meet

AS_OF = date(2026, 2, 20)
DAYS_UMOJA = 46  # 2026-01-05 .. 2026-02-20
DAYS_UPENDO = 18  # 2026-02-02 .. 2026-02-20
YEAR_DAYS = 52 * 7


def build(path: Path) -> None:
    book = Book.open(path)
    people = [("M01", "F"), ("M02", "F"), ("M03", "M"), ("M04", "F"), ("M05", "M"), ("M06", "F")]
    book.create_group(
        group_id="umoja",
        name="Umoja",
        constitution=constitution("UGX", service_charge="upfront", fines_minor={"late": 500}),
        members=[Member(m, f"Member {m}", g) for m, g in people],
        cycle_start=date(2026, 1, 5),
    )
    shares = {"M01": 5, "M02": 4, "M03": 3, "M04": 2, "M05": 5, "M06": 1}
    meet(
        book,
        date(2026, 1, 5),
        *(Shares(m, n) for m, n in shares.items()),
        Fine("M04", "late"),
    )
    meet(
        book,
        date(2026, 1, 12),
        Shares("M01", 1),
        NewLoan("M01", 10_000, 1),
        NewLoan("M03", 6_000, 2),
    )
    meet(
        book,
        date(2026, 2, 16),
        Repayment("M03", 3_000),
        Dropout("M05"),
        attendance={"M02": "excused", "M03": "proxy"},
    )
    upendo = [("U01", "F"), ("U02", "M"), ("U03", "F"), ("U04", "F"), ("U05", "F"), ("U06", "F")]
    book.create_group(
        group_id="upendo",
        name="Upendo",
        constitution=constitution("UGX"),
        members=[Member(m, f"Member {m}", g) for m, g in upendo],
        cycle_start=date(2026, 2, 2),
    )
    meet(
        book,
        date(2026, 2, 2),
        *(Shares(m, 2 if m == "U02" else 1) for m, _g in upendo),
        group="upendo",
    )
    book.create_group(
        group_id="tumaini",
        name="Tumaini",
        constitution=constitution(
            "KES", share_value_minor=10_000, social_fund_minor=5_000, service_charge="none"
        ),
        members=[
            Member("W01", "W one", "F"),
            Member("W02", "W two", "F"),
            Member("W03", "W three", "M"),
        ],
        cycle_start=date(2026, 1, 5),
    )
    meet(
        book,
        date(2026, 1, 5),
        Shares("W01", 2),
        Shares("W02", 1),
        Shares("W03", 3),
        *(SocialFund(m, 5_000) for m in ("W01", "W02", "W03")),
        group="tumaini",
    )
    meet(book, date(2026, 1, 12), NewLoan("W03", 50_000, 1), group="tumaini")
    meet(book, date(2026, 2, 16), WriteOff("W03", "left the mine"), group="tumaini")
    assert_book_is_sound(book)
    book.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("savix") / "book.sqlite"
    build(path)
    reader = Reader.open(path)
    try:
        document: dict[str, Any] = reader.savix(AS_OF).to_json()
    finally:
        reader.close()
    return document


def group(report: dict[str, Any], group_id: str) -> dict[str, Any]:
    (found,) = [g for g in report["groups"] if g["group_id"] == group_id]
    assert isinstance(found, dict)
    return found


def split(all_: int, women: int, men: int) -> dict[str, int]:
    assert all_ == women + men
    return {"all": all_, "women": women, "men": men}


def near(value: Fraction | int) -> float:
    return round(float(Fraction(value)), 6)


def test_the_data_items_of_one_group(report: dict[str, Any]) -> None:
    g = group(report, "umoja")
    assert g["members"] == split(5, 4, 1)
    assert g["members_at_start"] == split(6, 4, 2)
    assert g["dropouts"] == split(1, 0, 1)
    assert g["attending_last_meeting"] == split(3, 3, 0)
    assert g["proxies_last_meeting"] == split(1, 0, 1)
    assert g["savings_minor"] == split(16_000, 13_000, 3_000)
    assert g["loans_outstanding_count"] == split(2, 1, 1)
    assert g["loans_outstanding_minor"] == split(15_200, 11_000, 4_200)
    assert g["late_loans_unpaid_minor"] == split(11_000, 11_000, 0)
    assert g["write_offs_minor"] == split(0, 0, 0)
    assert (g["loan_fund_cash_minor"], g["social_fund_minor"]) == (3_500, 0)
    assert (g["assets_minor"], g["profit_minor"]) == (18_700, 2_700)
    assert (g["savings_started"], g["last_meeting"]) == ("2026-01-05", "2026-02-16")


def test_each_indicator_of_one_group_by_hand(report: dict[str, Any]) -> None:
    g = group(report, "umoja")
    expected: dict[str, Fraction | int] = {
        "percent_women": Fraction(4, 5),
        "attendance_rate": Fraction(3, 5),
        "attendance_rate_women": Fraction(3, 4),
        "attendance_rate_men": 0,
        "dropout_rate": Fraction(1, 5),
        "dropout_rate_women": 0,
        "dropout_rate_men": 1,
        "retention_rate": Fraction(5 - 1, 5),
        "retention_rate_women": 1,
        "retention_rate_men": 0,
        "membership_growth": Fraction(5 - 6, 6),
        "membership_growth_women": 0,
        "membership_growth_men": Fraction(1 - 2, 2),
        "average_savings_minor": Fraction(16_000, 5),
        "average_savings_minor_women": Fraction(13_000, 4),
        "average_savings_minor_men": 3_000,
        "portfolio_at_risk": Fraction(11_000, 15_200),
        "portfolio_at_risk_women": 1,
        "portfolio_at_risk_men": 0,
        "loan_fund_utilisation": Fraction(15_200, 15_200 + 3_500),
        "loans_to_assets": Fraction(15_200, 18_700),
        "return_on_savings": Fraction(2_700, 16_000),
        "return_on_assets": Fraction(2_700, 18_700),
        "annualised_return_on_savings": Fraction(2_700 * YEAR_DAYS, DAYS_UMOJA * 16_000),
        "annualised_return_on_assets": Fraction(2_700 * YEAR_DAYS, DAYS_UMOJA * 18_700),
        "average_loan_minor": Fraction(15_200, 2),
        "percent_with_loan_men": 1,
    }
    assert {key: g[key] for key in expected} == {k: near(v) for k, v in expected.items()}


def test_totals_are_sums_over_groups_then_one_division(report: dict[str, Any]) -> None:
    t = report["totals"]["UGX"]
    assert t["groups"] == 2
    assert t["members"] == split(11, 9, 2)  # umoja 4 + 1, upendo 5 + 1
    assert t["savings_minor"] == split(23_000, 13_000 + 5_000, 3_000 + 2_000)
    # 23,000 / 11, not the mean of the groups' averages ((3,200 + 7,000 / 6) / 2 = 2,183.33)
    assert t["average_savings_minor"] == near(Fraction(23_000, 11))
    assert t["average_savings_minor_men"] == near(Fraction(3_000 + 2_000, 2))
    assert t["attendance_rate"] == near(Fraction(3 + 6, 11))
    assert t["attendance_rate_women"] == near(Fraction(3 + 5, 9))
    assert t["membership_growth_men"] == near(Fraction(2 - 3, 3))
    assert t["return_on_savings"] == near(Fraction(2_700 + 0, 23_000))
    # each group's profit annualised over its own weeks, then summed, then divided once
    annual = Fraction(2_700 * YEAR_DAYS, DAYS_UMOJA) + Fraction(0 * YEAR_DAYS, DAYS_UPENDO)
    assert t["annualised_return_on_savings"] == near(annual / 23_000)
    assert t["loan_fund_utilisation"] == near(Fraction(15_200, 15_200 + 3_500 + 7_000))


def test_money_is_never_summed_across_currencies(report: dict[str, Any]) -> None:
    assert sorted(report["totals"]) == ["KES", "UGX"]
    k = report["totals"]["KES"]
    assert k["groups"] == 1
    assert k["savings_minor"] == split(60_000, 30_000, 30_000)
    assert k["write_offs_minor"] == split(50_000, 0, 50_000)
    assert (k["loan_fund_cash_minor"], k["social_fund_minor"]) == (10_000, 15_000)
    assert k["profit_minor"] == 10_000 - 60_000
    assert k["return_on_assets"] == near(Fraction(-50_000, 25_000))
    assert k["annualised_return_on_assets"] == near(
        Fraction(-50_000 * YEAR_DAYS, DAYS_UMOJA) / 25_000
    )
    assert k["loan_fund_utilisation"] == 0


def test_a_zero_denominator_is_not_available_never_zero(report: dict[str, Any]) -> None:
    k = report["totals"]["KES"]
    # nothing outstanding: no portfolio at risk, no average loan (0.0 would claim "no risk")
    assert k["portfolio_at_risk"] is None
    assert k["average_loan_minor"] is None
    u = group(report, "upendo")
    assert u["portfolio_at_risk_women"] is None and u["membership_growth"] == 0


def test_questionable_figures_are_flagged_with_their_rule(report: dict[str, Any]) -> None:
    rules = {g["group_id"]: sorted(f["rule"] for f in g["flags"]) for g in report["groups"]}
    # tumaini: 3 members; an annualised return on assets of -793%
    assert rules["tumaini"] == ["savix.group_size", "savix.odd_return"]
    # umoja: 72% of what is owed is late (over 20%); 3 of 5 attended (60%: not under 50%)
    assert rules["umoja"] == ["savix.high_risk"]
    assert rules["upendo"] == []
    assert all(g["refused"] == [] for g in report["groups"])
