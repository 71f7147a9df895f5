"""The dates a group book can hold: one range for every date the rules see.

A savings group meets in the present, so a date far outside it is a typing mistake. The
bound also keeps date arithmetic safe: the furthest a rule adds to a meeting date is a loan's
due date or its next monthly anniversary (at most loan_term_max_months × 28 days), far
inside what Python's dates can hold after LATEST.
"""

from __future__ import annotations

from datetime import date

from ledger import N_
from vsla.domain.errors import RuleBroken, broken

EARLIEST = date(1990, 1, 1)
LATEST = date(2099, 12, 31)


def date_out_of_range(day: date) -> RuleBroken | None:
    """The error for a date outside EARLIEST..LATEST, or None when it is inside."""
    if EARLIEST <= day <= LATEST:
        return None
    return broken(
        "date.out_of_range",
        N_("the date {date} is outside {earliest} to {latest}"),
        date=day.isoformat(),
        earliest=EARLIEST.isoformat(),
        latest=LATEST.isoformat(),
    )


def check_in_range(day: date) -> date:
    """`day` itself, or RuleBroken when it is outside EARLIEST..LATEST."""
    error = date_out_of_range(day)
    if error is not None:
        raise error
    return day
