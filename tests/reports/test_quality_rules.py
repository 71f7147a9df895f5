"""Data quality as SAVIX does it: impossible figures refused, questionable ones flagged, each
with the rule that caught it. Figures are made by hand for each rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from vsla.domain.savix import Items, Split, annualised, indicators
from vsla.domain.savix_quality import Facts, impossible, questionable

AS_OF = date(2026, 6, 30)
START = date(2026, 1, 5)
SOUND = Items(
    members=Split(16, 4),
    members_at_start=Split(16, 4),
    attending_last_meeting=Split(15, 3),
    savings_minor=Split(800_000, 200_000),
    borrowers=Split(5, 1),
    loans_outstanding_count=Split(5, 1),
    loans_outstanding_minor=Split(300_000, 60_000),
    late_loans_unpaid_minor=Split(20_000, 0),
    loan_fund_cash_minor=800_000,
    social_fund_minor=50_000,
)  # profit 800,000 + 360,000 - 1,000,000 = 160,000 over 176 days
FACTS = Facts(AS_OF, START, date(2026, 6, 29), False, (0, 0), None)


def rules(items: Items, facts: Facts = FACTS, median: float | None = None) -> list[str]:
    items = annualised(items, (facts.as_of - START).days)
    return sorted(p.code for p in questionable(items, indicators(items), facts, median))


def refused(items: Items, facts: Facts = FACTS) -> list[str]:
    return sorted(p.code for p in impossible(items, facts))


def test_a_sound_group_is_neither_refused_nor_flagged() -> None:
    assert refused(SOUND) == [] and rules(SOUND) == []


def test_impossible_figures_are_refused() -> None:
    assert refused(replace(SOUND, attending_last_meeting=Split(17, 4))) == [
        "savix.attending_over_members"
    ]
    assert refused(replace(SOUND, late_loans_unpaid_minor=Split(20_000, 60_001))) == [
        "savix.late_over_outstanding"
    ]
    assert refused(replace(SOUND, loans_outstanding_count=Split(0, 1))) == [
        "savix.count_without_value"
    ]
    assert refused(replace(SOUND, loan_fund_cash_minor=-1)) == ["savix.negative"]
    assert refused(SOUND, replace(FACTS, last_meeting=date(2026, 7, 1))) == ["savix.future"]
    assert refused(SOUND, replace(FACTS, last_meeting=date(2026, 1, 4))) == ["savix.before_cycle"]


def test_each_questionable_rule_flags_its_own_case() -> None:
    # 9 of 20 attended: 45% < 50%
    assert rules(replace(SOUND, attending_last_meeting=Split(8, 1))) == ["savix.low_attendance"]
    # 80,000 late of 360,000 owed: 22% > 20%
    assert rules(replace(SOUND, late_loans_unpaid_minor=Split(80_000, 0))) == ["savix.high_risk"]
    # profit -200,000 on assets of 850,000, annualised over 176 days: about -49%
    assert rules(replace(SOUND, loan_fund_cash_minor=440_000)) == ["savix.odd_return"]
    # 50,000 a member against a median of 9,999: more than 5 times
    assert rules(SOUND, median=9_999.0) == ["savix.savings_over_median"]
    assert rules(SOUND, median=10_000.0) == []  # exactly 5 times is not over
    old = replace(FACTS, as_of=date(2027, 3, 2), last_meeting=date(2027, 3, 1))  # 421 days
    assert "savix.old_cycle" in rules(SOUND, old)
    assert "savix.old_cycle" not in rules(SOUND, replace(old, shared_out=True))
    assert rules(SOUND, replace(FACTS, last_meeting=date(2026, 6, 1))) == ["savix.quiet"]
    assert rules(SOUND, replace(FACTS, last_meeting=date(2026, 6, 2))) == []  # 28 days
    assert rules(SOUND, replace(FACTS, quarter_ago=SOUND)) == ["savix.unchanged"]
    fell = replace(SOUND, savings_minor=Split(900_000, 200_000))
    assert rules(SOUND, replace(FACTS, quarter_ago=fell)) == ["savix.savings_fell"]
    assert "savix.loans_without_savings" in rules(replace(SOUND, savings_minor=Split(0, 0)))
    assert rules(
        replace(
            SOUND,
            members=Split(3, 1),
            members_at_start=Split(3, 1),
            attending_last_meeting=Split(3, 1),
        )
    ) == ["savix.group_size"]
    assert rules(SOUND, replace(FACTS, cash_difference_minor=(0, -500))) == ["savix.cash_differs"]
    assert rules(Items(), Facts(AS_OF, None, None, False, (0, 0), None)) == ["savix.no_meeting"]
    # on a hub: the device last pushed 29 days before the date, 28 is still fine
    assert rules(SOUND, replace(FACTS, last_sync=date(2026, 6, 1))) == ["savix.no_sync"]
    assert rules(SOUND, replace(FACTS, last_sync=date(2026, 6, 2))) == []
