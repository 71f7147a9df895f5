"""The programme report of one group (p on the group's screen), on the demo book: its figures
for all, women and men are those of the members, their statements and their loans; a ratio
without a denominator says n/a; the flags say what looks unusual. At 80×24."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from textual.app import App
from textual_plotext import PlotextPlot

from tests.tui.conftest import MEETING_DAY
from tests.tui.helpers import Keys, region_lines, screen_text, shown
from tui.app import create_app
from tui.screens.reports import ReportsScreen
from vsla.book.service import Book
from vsla.display import amount

TUMAINI = "kolwezi-tumaini"  # 16 women and 2 men, every man with a loan
UMOJA = "kolwezi-umoja"  # cycle 2: no man has a loan


def table(app: App[Any]) -> dict[str, list[str]]:
    """The rows of the figures: label -> [all, women, men] (cells are 2 spaces apart)."""
    rows: dict[str, list[str]] = {}
    for line in region_lines(app, "#report-figures")[1:]:
        label, *cells = re.split(r"\s{2,}", line.strip())
        rows[label] = cells
    return rows


def by_gender(values: dict[str, int]) -> list[int]:
    return [values["F"] + values["M"], values["F"], values["M"]]


def percent(part: int, whole: int) -> str:
    return "n/a" if whole == 0 else f"{100 * part / whole:.1f}%"


async def test_the_figures_are_those_of_the_members_statements_and_loans(
    demo_path: Path,
) -> None:
    book = Book.open(demo_path)
    reader = book.reader
    listed = reader.members(TUMAINI)
    gender = {m.member_id: m.gender for m in listed.members}
    members = {"F": 0, "M": 0}
    savings = {"F": 0, "M": 0}
    for m in listed.active():
        members[m.gender] += 1
        savings[m.gender] += reader.statement(TUMAINI, m.member_id, MEETING_DAY).savings_minor
    count, owed, late = {"F": 0, "M": 0}, {"F": 0, "M": 0}, {"F": 0, "M": 0}
    for loan in reader.loans(TUMAINI, MEETING_DAY).loans:
        count[gender[loan.member_id]] += 1
        owed[gender[loan.member_id]] += loan.owed_minor
        if loan.late:
            late[gender[loan.member_id]] += loan.owed_minor
    last = reader.meeting(TUMAINI)
    attending = {"F": 0, "M": 0}
    for member_id, status in last.attendance:
        if status == "present" and member_id in {m.member_id for m in listed.active()}:
            attending[gender[member_id]] += 1
    assert members == {"F": 16, "M": 2} and late["F"] > 0 and late["M"] == 0  # the demo
    # The profit: what the group has (cash, loans) beyond what its members saved (the demo
    # group owns no property and owes no debt); annualised over the weeks since it started.
    box = reader.overview(TUMAINI, MEETING_DAY)
    assets = box.loan_fund_cash_minor + sum(owed.values()) + box.social_fund_cash_minor
    profit = box.loan_fund_cash_minor + sum(owed.values()) - sum(savings.values())
    days = (MEETING_DAY - box.cycle_start).days

    def cdf(minor: int) -> str:
        return amount(minor, "CDF", "en", "CD")

    app = create_app(book, today=MEETING_DAY, group=TUMAINI)
    async with app.run_test(size=(80, 24)) as pilot:
        await Keys(pilot)("p")
        assert isinstance(app.screen, ReportsScreen)
        rows = table(app)
        assert rows["Members"] == [str(n) for n in by_gender(members)]
        assert rows["Attending the last meeting"] == [str(n) for n in by_gender(attending)]
        assert rows["Savings"] == [cdf(n) for n in by_gender(savings)]
        assert rows["Loans outstanding: number"] == [str(n) for n in by_gender(count)]
        assert rows["Loans outstanding: value"] == [cdf(n) for n in by_gender(owed)]
        assert rows["Late loans: still owed"] == [cdf(n) for n in by_gender(late)]
        assert rows["Portfolio at risk"] == [
            percent(part, whole)
            for part, whole in zip(by_gender(late), by_gender(owed), strict=True)
        ]
        assert rows["Portfolio at risk"][2] == "0.0%"  # men owe, none late: 0, not n/a
        assert rows["Return on savings"] == [percent(profit, sum(savings.values()))]
        assert rows["Annualised return on assets"] == [percent(profit * 364, days * assets)]
        text = screen_text(app)
        assert "Tumaini Kanina · programme report on 2026-11-25 · CDF" in text
        assert "savings per member" in text and "average loan" in text
        assert "No data-quality flags" in text
        assert app.screen.query_one(PlotextPlot).region.height >= 6
        await Keys(pilot)("escape")
        assert not isinstance(app.screen, ReportsScreen)
    book.close()


async def test_a_ratio_without_a_denominator_is_not_available(demo_path: Path) -> None:
    book = Book.open(demo_path)
    listed = book.reader.members(UMOJA)
    men = {m.member_id for m in listed.active() if m.gender == "M"}
    assert men and not any(
        loan.member_id in men for loan in book.reader.loans(UMOJA, MEETING_DAY).loans
    )
    app = create_app(book, today=MEETING_DAY, group=UMOJA)
    async with app.run_test(size=(80, 24)) as pilot:
        await Keys(pilot)("p")
        rows = table(app)
        assert rows["Loans outstanding: number"][2] == "0"
        assert rows["Portfolio at risk"][2] == "n/a"  # nothing lent to men: no ratio
        assert rows["Portfolio at risk"][1] != "n/a"
        assert "average loan (men: n/a)" in screen_text(app)
    book.close()


async def test_a_quiet_old_group_is_flagged(demo_path: Path) -> None:
    book = Book.open(demo_path)
    summary = book.reader.group(TUMAINI)
    assert summary.last_meeting_on is not None
    later = date(2027, 9, 1)  # no meeting since November, and 62 weeks since savings started
    assert (later - summary.cycle_start).days > 60 * 7
    app = create_app(book, today=later, group=TUMAINI)
    async with app.run_test(size=(80, 24)) as pilot:
        await Keys(pilot)("p")
        lines = [line.strip() for line in region_lines(app, "#report-flags")]
        assert f"⚠ no meeting recorded since {summary.last_meeting_on.isoformat()}" in lines
        assert "⚠ older than 60 weeks without a share-out" in lines
        assert len(lines) <= 3  # and the footer still below
        assert "esc Back" in (await shown(pilot, "esc Back")).splitlines()[-1]
    book.close()
