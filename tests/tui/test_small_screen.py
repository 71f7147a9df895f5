"""A phone's 80×24 terminal, in each of the four languages: nothing that matters is cut or
pushed off, the grid's titles say what they mean, names never look the same, and the share-out
shows every problem that stops it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from tests.tui.conftest import MEETING_DAY
from tests.tui.helpers import (
    Keys,
    grid_line,
    make_group,
    read_help,
    region_text,
    screen_text,
    words,
)
from tui.app import create_app
from tui.screens.cycle import CycleScreen
from tui.screens.meeting import MeetingScreen
from tui.text import problem_text, t, typed_amount
from tui.widgets.grid import OWES_TITLE, TITLES
from vsla.book.service import Book
from vsla.display import money

BUKAVU = "bukavu-amani"  # 28 members, CDF; fines: late CDF 100, absent CDF 300
UMOJA = "kolwezi-umoja"  # cycle 2, CDF


def cdf(amount_minor: int) -> str:
    return money(amount_minor, "CDF", "en", "CD")


async def open_meeting(keys: Keys, app: Any) -> MeetingScreen:
    """The meeting, attendance done and the box counted as the book says."""
    await keys("m", "end", "enter")
    screen = app.screen
    assert isinstance(screen, MeetingScreen) and screen.outcome is not None
    opening = screen.outcome.opening_ledger
    await keys.type(typed_amount(opening.loan_fund_minor, screen.cur))
    await keys("enter")
    await keys.type(typed_amount(opening.social_fund_minor, screen.cur))
    await keys("enter")
    return screen


async def test_fines_and_a_closing_difference_stay_readable_at_80_by_24(demo_path: Path) -> None:
    book = Book.open(demo_path)
    app = create_app(book, today=MEETING_DAY, group=BUKAVU)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        screen = await open_meeting(keys, app)
        await keys("end", "enter", "end", "enter", "tab")  # social fund, shares; to fines
        assert screen.grid.column == "fine"
        await keys("home")
        for _ in range(10):  # ten members late: CDF 1,000 of fines
            await keys("l", "down")
        assert screen.outcome is not None
        assert screen.outcome.totals_minor["fines"] == 10 * 100_00
        expected = screen.outcome.expected_closing
        totals = words(region_text(app, "#totals"))
        assert f"fines {cdf(100_000)}" in totals
        assert (
            f"Expected in the box: loan fund {cdf(expected.loan_fund_minor)} · "
            f"social fund {cdf(expected.social_fund_minor)}"
        ) in totals
        assert screen.query_one("#totals").region.bottom <= 22  # above the closing count
        # the closing count is CDF 7,217 short: the whole reason is on screen
        await keys("ctrl+e")
        await keys.type(typed_amount(expected.loan_fund_minor - 7_217_00, screen.cur))
        await keys("enter")
        await keys.type(typed_amount(expected.social_fund_minor, screen.cur))
        closing = words(region_text(app, "#closing-info"))
        assert closing == (
            "⚠ the closing count of the loan fund differs from the book by -CDF 7,217: "
            "say why before closing"
        )
        assert screen.query_one("#closing-info").region.bottom <= 23
    book.close()


NAMES = (
    "Esperance Kabila",
    "Esperance Kalume",
    "Marie-Claire Ilunga",
    "Marie-Claire Ilunda",
    "Aida Nsimba",
    "Jean-Pierre Mukendi Kalala",
)


def shown_names(app: Any) -> list[str]:
    """The names as the grid shows them, row by row (between the number and "present")."""
    lines = [grid_line(app, row) for row in range(1, len(NAMES) + 1)]
    return [line[5 : line.index(" present")].strip() for line in lines]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_two_members_never_look_the_same(tmp_path: Path, size: tuple[int, int]) -> None:
    book = Book.open(tmp_path / "book.sqlite")
    make_group(book, "majina", members=len(NAMES), names=NAMES, phones=0)
    app = create_app(book, today=MEETING_DAY, group="majina")
    async with app.run_test(size=size) as pilot:
        await Keys(pilot)("m")
        names = shown_names(app)
        assert len(set(names)) == len(NAMES), names
        if size[0] == 120:  # room for every name: whole, and the numbers right after them
            assert names == list(NAMES)
            longest = max(len(name) for name in NAMES)
            for row in range(1, len(NAMES) + 1):
                assert grid_line(app, row).index(" present") == 1 + 3 + 1 + longest
        else:  # each still says whose it is: the start and the family name
            assert names[0].startswith("Esper") and names[0].endswith("Kabila")
            assert names[1].startswith("Esper") and names[1].endswith("Kalume")
    book.close()


async def test_the_hint_names_the_count_being_typed(demo_path: Path) -> None:
    book = Book.open(demo_path)
    app = create_app(book, today=MEETING_DAY, group=BUKAVU)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("m", "end", "enter")
        assert grid_line(app, -1).startswith("2 Opening count: count both bowls")
        await keys("ctrl+e")
        assert grid_line(app, -1).startswith("8 Closing count: count both bowls")
    book.close()


async def test_help_explains_every_title_of_the_grid(demo_path: Path) -> None:
    book = Book.open(demo_path)
    app = create_app(book, today=MEETING_DAY, group=BUKAVU)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("m")
        header = grid_line(app, 0)
        text = await read_help(keys, app)
        assert "Mo: the new loan's term, in months" in text
        assert "Shares: shares bought today" in text
        assert "Fines: fine given today; * after it: owed, not paid" in text
        assert "Owes: her loan still owed after this meeting; ! before it: the loan is late" in (
            text
        )
        for title in (*TITLES.values(), OWES_TITLE):  # what the grid shows is what is explained
            assert title in header and f"{title}: " in text
    book.close()


async def test_french_titles_read_as_words(demo_path: Path) -> None:
    book = Book.open(demo_path)
    book.set_setting("language", "fr")
    app = create_app(book, today=MEETING_DAY, group=BUKAVU)
    async with app.run_test(size=(80, 24)) as pilot:
        await Keys(pilot)("m")
        header = grid_line(app, 0).split()
        assert "Parts" in header  # the shares bought, as the members and share-out say
        assert "Prt" not in header and "Amde" not in header
    book.close()


async def test_every_problem_of_the_share_out_can_be_read(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = Book.open(demo_path)
    preview = book.shareout(BUKAVU, on=MEETING_DAY)
    expected = [words(problem_text(p.problem, "CD")) for p in preview.problems]
    assert len(expected) == 9
    app = create_app(book, today=MEETING_DAY, group=BUKAVU)
    said: list[str] = []
    monkeypatch.setattr(app, "notify", lambda message, **_: said.append(message))
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("c")
        assert isinstance(app.screen, CycleScreen)
        assert "9 to put right before the share-out" in words(region_text(app, "#cycle-status"))
        while app.focused is not app.screen.query_one("#cycle-problems"):
            await keys("tab")
        seen = []
        for _ in range(30):  # the list scrolls: read it line by line
            seen.append(words(region_text(app, "#cycle-problems")))
            await keys("down")
        assert all(any(problem in view for view in seen) for problem in expected)
        await keys("ctrl+s")
        assert said == [f"The share-out cannot be done yet (9 to put right): {expected[0]}"]
    book.close()


async def test_the_value_of_a_share_has_two_decimals_more_than_francs(demo_path: Path) -> None:
    book = Book.open(demo_path)
    book.set_setting("language", "ln")
    preview = book.shareout(UMOJA, on=MEETING_DAY)
    # in hundredths of a franc, truncated: fund (centimes) ÷ shares
    hundredths = preview.fund_minor // preview.total_shares
    francs, cents = divmod(hundredths, 100)
    value = f"{francs:,}".replace(",", ".") + f",{cents:02d}".rstrip("0").rstrip(",")
    app = create_app(book, today=MEETING_DAY, group=UMOJA)
    async with app.run_test(size=(80, 24)) as pilot:
        await Keys(pilot)("c")
        formula = words(region_text(app, "#formula"))
        assert f"{preview.total_shares} = {value} CDF" in formula, formula
    book.close()


def formula_lines(app: Any) -> list[str]:
    return str(app.screen.query_one("#formula", Static).content).splitlines()


@pytest.mark.parametrize("language", ["en", "fr", "sw", "ln"])
async def test_nothing_is_cut_at_80_by_24(demo_path: Path, language: str) -> None:
    book = Book.open(demo_path)
    book.set_setting("language", language)
    app = create_app(book, today=MEETING_DAY, group=BUKAVU)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        screen = await open_meeting(keys, app)
        for selector in ("#meeting-title", "#opening-info", "#totals", "#closing-info"):
            shown = screen._shown[selector]
            assert words(shown) in words(region_text(app, selector)), (selector, shown)
            assert screen.query_one(selector).region.bottom <= 23, selector
        header = grid_line(app, 0)
        for title in (*TITLES.values(), OWES_TITLE):
            assert t(title) in header
        assert sum(1 for line in screen_text(app).splitlines() if line[1:4].startswith("M")) >= 9
        await keys("escape", "c")  # the share-out: its formula whole
        assert isinstance(app.screen, CycleScreen)
        formula = words(region_text(app, "#formula"))
        assert all(words(line) in formula for line in formula_lines(app))
        assert words(str(app.screen.query_one("#cycle-status", Static).content)) in words(
            region_text(app, "#cycle-status")
        )
    book.close()
