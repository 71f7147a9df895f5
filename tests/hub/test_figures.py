"""Members' figures are kept per group while its journal does not grow, and per day: a new
meeting or a new day is worked out again, never an old figure shown.

The book of conftest: M03 saved 4 shares (CDF 4,000.00) at meeting 1 (2026-01-05) and
borrowed CDF 10,000.50 for 2 months at meeting 2 (2026-01-12): due 2026-03-09 (a loan month
is 28 days)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ussd.figures import FiguresCache, NotKept
from vsla.book.service import Book
from vsla.domain.entries import MeetingPlan, Shares

from .conftest import hub_book


def test_figures_follow_new_meetings_and_new_days(tmp_path: Path) -> None:
    hub_book(tmp_path / "hub.sqlite")
    book = Book.open(tmp_path / "hub.sqlite")
    cache = FiguresCache()
    first = cache.figures(book.reader, "umoja", "M03", date(2026, 1, 14))
    assert (first.meeting, first.shares, first.savings_minor) == (2, 4, 400_000)
    assert first.loan_due_on == date(2026, 3, 9) and not first.loan_late  # 2 x 28 days
    same = cache.figures(book.reader, "umoja", "M01", date(2026, 1, 14))
    assert (same.shares, cache.misses) == (5, 1)  # one working-out for the whole group
    kept = cache.figures(book.reader, "umoja", "M02", date(2026, 1, 14), work_out=False)
    assert kept.shares == 3  # kept: fine on the event loop
    with pytest.raises(NotKept):  # not kept: the event loop hands the hop to a thread
        cache.figures(book.reader, "umoja", "M03", date(2026, 3, 20), work_out=False)
    late = cache.figures(book.reader, "umoja", "M03", date(2026, 3, 20))
    assert late.loan_late and cache.misses == 2  # a new day
    book.record_meeting("umoja", MeetingPlan(date=date(2026, 1, 19), entries=(Shares("M03", 2),)))
    after = cache.figures(book.reader, "umoja", "M03", date(2026, 1, 19))
    assert (after.meeting, after.shares, after.savings_minor) == (3, 6, 600_000)
    book.close()


def test_the_cache_keeps_at_most_its_number_of_groups(tmp_path: Path) -> None:
    hub_book(tmp_path / "hub.sqlite")
    book = Book.open(tmp_path / "hub.sqlite")
    cache = FiguresCache(groups=2)
    for day in (14, 15, 16, 14):  # the 14th was pushed out by the 16th
        cache.figures(book.reader, "umoja", "M03", date(2026, 1, day))
    assert cache.misses == 4
    book.close()
