"""Data quality as SAVIX does it (reports.md): impossible figures are refused (the group is
left out of every total, with the rule that refused it), questionable ones are flagged with
the rule that flagged them, for staff to confirm. Both are lists of problems, never raised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import chain

from ledger import N_, Problem
from vsla.domain.savix import Indicators, Items

LOW_ATTENDANCE = 0.5
HIGH_PORTFOLIO_AT_RISK = 0.2
ANNUAL_RETURN_ON_ASSETS = (-0.1, 2.0)
SAVINGS_OVER_MEDIAN = 5
OLDEST_CYCLE_DAYS = 60 * 7
QUIET_DAYS = 4 * 7
FEWEST_MEMBERS, MOST_MEMBERS = 5, 50
SPLITS = tuple(name for name, f in Items.__dataclass_fields__.items() if f.type == "Split")


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules look at beyond a group's items and indicators."""

    as_of: date
    cycle_start: date | None
    last_meeting: date | None
    shared_out: bool
    cash_difference_minor: tuple[int, int]  # loan fund, social fund: counted − book
    quarter_ago: Items | None  # of the last meeting a quarter earlier, in the same cycle
    last_sync: date | None = None  # on a hub: the day the group's device last pushed


def impossible(items: Items, facts: Facts) -> list[Problem]:
    found: list[Problem] = []
    splits = [getattr(items, name) for name in SPLITS]
    if min(chain.from_iterable(splits)) < 0:  # rare: then say which
        for name, split in zip(SPLITS, splits, strict=True):
            if min(split) < 0:
                found.append(_refused("savix.negative", N_("{item} is negative"), item=name))
    for name in ("loan_fund_cash_minor", "social_fund_minor"):
        if getattr(items, name) < 0:
            found.append(_refused("savix.negative", N_("{item} is negative"), item=name))
    if items.attending_last_meeting.all + items.proxies_last_meeting.all > items.members.all:
        found.append(
            _refused(
                "savix.attending_over_members", N_("more members attended than are registered")
            )
        )
    for gender in ("women", "men"):
        late = getattr(items.late_loans_unpaid_minor, gender)
        if late > getattr(items.loans_outstanding_minor, gender):
            found.append(
                _refused(
                    "savix.late_over_outstanding",
                    N_("late loans owe more than all loans outstanding"),
                )
            )
            break
    count, value = items.loans_outstanding_count, items.loans_outstanding_minor
    if (count.women == 0) != (value.women == 0) or (count.men == 0) != (value.men == 0):
        found.append(
            _refused(
                "savix.count_without_value",
                N_("loans outstanding: a number without a value or the reverse"),
            )
        )
    if facts.last_meeting is not None and facts.last_meeting > facts.as_of:
        found.append(_refused("savix.future", N_("a meeting is dated after the reporting date")))
    if (
        facts.cycle_start is not None
        and facts.last_meeting is not None
        and facts.last_meeting < facts.cycle_start
    ):
        found.append(
            _refused("savix.before_cycle", N_("the last meeting is dated before its cycle started"))
        )
    return found


def questionable(
    items: Items, ratios: Indicators, facts: Facts, median_savings_minor: float | None
) -> list[Problem]:
    """The flags of reports.md, each naming its rule and the figure that tripped it."""
    found: list[Problem] = []
    attendance = ratios.attendance_rate.all
    if attendance is not None and attendance < LOW_ATTENDANCE:
        found.append(
            _flag(
                "savix.low_attendance",
                N_("attendance under 50% ({percent})"),
                percent=_percent(attendance),
            )
        )
    risk = ratios.portfolio_at_risk.all
    if risk is not None and risk > HIGH_PORTFOLIO_AT_RISK:
        found.append(
            _flag(
                "savix.high_risk",
                N_("portfolio at risk over 20% ({percent})"),
                percent=_percent(risk),
            )
        )
    roa = ratios.annualised_return_on_assets
    if roa is not None and not ANNUAL_RETURN_ON_ASSETS[0] <= roa <= ANNUAL_RETURN_ON_ASSETS[1]:
        found.append(
            _flag(
                "savix.odd_return",
                N_("annualised return on assets outside -10%…200% ({percent})"),
                percent=_percent(roa),
            )
        )
    average = ratios.average_savings_minor.all
    if (
        average is not None
        and median_savings_minor is not None
        and median_savings_minor > 0
        and average > SAVINGS_OVER_MEDIAN * median_savings_minor
    ):
        found.append(
            _flag(
                "savix.savings_over_median",
                N_("savings per member over 5 times the programme's median"),
            )
        )
    if (
        facts.cycle_start is not None
        and not facts.shared_out
        and (facts.as_of - facts.cycle_start).days > OLDEST_CYCLE_DAYS
    ):
        found.append(_flag("savix.old_cycle", N_("older than 60 weeks without a share-out")))
    if facts.last_meeting is None:
        found.append(_flag("savix.no_meeting", N_("no meeting recorded yet")))
    elif (facts.as_of - facts.last_meeting).days > QUIET_DAYS:
        found.append(
            _flag(
                "savix.quiet",
                N_("no meeting recorded since {date}"),
                date=facts.last_meeting.isoformat(),
            )
        )
    if facts.last_sync is not None and (facts.as_of - facts.last_sync).days > QUIET_DAYS:
        found.append(
            _flag("savix.no_sync", N_("no sync since {date}"), date=facts.last_sync.isoformat())
        )
    if facts.quarter_ago is not None:
        if _key_figures(facts.quarter_ago) == _key_figures(items):
            found.append(_flag("savix.unchanged", N_("the same figures as a quarter ago")))
        elif items.savings_minor.all < facts.quarter_ago.savings_minor.all:
            found.append(_flag("savix.savings_fell", N_("savings fell during the cycle")))
    if items.loans_outstanding_count.all > 0 and items.savings_minor.all == 0:
        found.append(_flag("savix.loans_without_savings", N_("loans without savings")))
    if facts.last_meeting is not None and not (FEWEST_MEMBERS <= items.members.all <= MOST_MEMBERS):
        found.append(
            _flag(
                "savix.group_size",
                N_("{count} members (5 to 50 expected)"),
                count=items.members.all,
            )
        )
    loan_fund, social_fund = facts.cash_difference_minor
    if loan_fund or social_fund:
        found.append(_flag("savix.cash_differs", N_("the last cash count differed from the book")))
    return found


def _key_figures(items: Items) -> tuple[object, ...]:
    """What a group copied from one quarter to the next would repeat."""
    return (
        items.members,
        items.attending_last_meeting,
        items.savings_minor,
        items.loans_outstanding_minor,
        items.loan_fund_cash_minor,
        items.social_fund_minor,
    )


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _refused(code: str, message: str, **params: object) -> Problem:
    return Problem(code, message, dict(params))


def _flag(code: str, message: str, **params: object) -> Problem:
    return Problem(code, message, dict(params))
