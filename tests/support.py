"""Helpers that let scenario tests read like a facilitator's notebook."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from ledger import Transaction
from vsla.book.check import check_book
from vsla.book.service import Book, MeetingRefused
from vsla.domain.constitution import Constitution
from vsla.domain.entries import Bowls, EntryProblem, MeetingEntry, MeetingPlan
from vsla.domain.people import Member
from vsla.domain.planner import MeetingOutcome

MONDAY = date(2026, 1, 5)
NAMES = (
    "Aida Nsimba",
    "Bahati Kalume",
    "Chance Mwamba",
    "Dorcas Ilunga",
    "Esperance Kabila",
    "Furaha Ngoy",
    "Grace Mutombo",
    "Hélène Banza",
    "Imani Kasongo",
    "Jeanne Numbi",
)


def week(n: int, start: date = MONDAY) -> date:
    """The date of meeting n (1-based) of a weekly group."""
    return start + timedelta(weeks=n - 1)


def constitution(currency: str = "UGX", **overrides: Any) -> Constitution:
    data: dict[str, Any] = {
        "currency": currency,
        "share_value_minor": 1000,
        "shares_min": 1,
        "shares_max": 5,
        "social_fund_minor": 0,
        "loan_multiple": 3,
        "loan_term_max_months": 3,
        "service_charge": "declining",
        "service_charge_rate_bp": 1000,
        "fines_minor": {"late": 500, "absent": 1000},
    }
    data.update(overrides)
    return Constitution.from_json(data)


def new_group(
    book: Book,
    group_id: str = "umoja",
    *,
    members: int = 5,
    start: date = MONDAY,
    currency: str = "UGX",
    **overrides: Any,
) -> None:
    book.create_group(
        group_id=group_id,
        name="Umoja Women's Group",
        constitution=constitution(currency, **overrides),
        members=[
            Member(
                f"M{n:02d}",
                NAMES[n - 1],
                "F" if n != 3 else "M",
                phone=f"+2567000000{n:02d}" if currency == "UGX" else None,
            )
            for n in range(1, members + 1)
        ],
        cycle_start=start,
    )


def meet(
    book: Book,
    day: date,
    *entries: MeetingEntry,
    group: str = "umoja",
    attendance: dict[str, str] | None = None,
    closing: Bowls | None = None,
    reason: str = "",
    opening: Bowls | None = None,
) -> MeetingOutcome:
    return book.record_meeting(
        group,
        MeetingPlan(
            date=day,
            entries=entries,
            attendance=attendance or {},
            closing_counted=closing,
            closing_reason=reason,
            opening_counted=opening,
            opening_reason=reason,
        ),
    )


def refused(
    book: Book, day: date, *entries: MeetingEntry, group: str = "umoja", **kwargs: Any
) -> EntryProblem:
    """The first broken rule of a meeting that must not be recorded."""
    before = book.journal.head_link(group)
    with pytest.raises(MeetingRefused) as caught:
        meet(book, day, *entries, group=group, **kwargs)
    assert book.journal.head_link(group) == before, "a refused meeting wrote something"
    return caught.value.problems[0]


def transactions(book: Book, group: str = "umoja", kind: str | None = None) -> list[Transaction]:
    return [
        r
        for r in book.journal.records(group)
        if isinstance(r, Transaction) and (kind is None or r.kind == kind)
    ]


def assert_book_is_sound(book: Book) -> None:
    problems = check_book(book.db)
    assert [p.problem.render() for p in problems] == []
