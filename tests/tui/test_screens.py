"""The other screens, on the demo book: statements, loans, charts, help, settings remembered,
and everything of the meeting screen on an 80×24 terminal."""

from __future__ import annotations

from pathlib import Path

from textual_plotext import PlotextPlot

from tests.tui.conftest import MEETING_DAY
from tests.tui.helpers import Keys, screen_text, shown
from tui.app import create_app
from tui.screens.charts import ChartsScreen
from tui.screens.groups import GroupPickerScreen
from tui.screens.help import HelpScreen
from tui.screens.loans import LoansScreen
from tui.screens.meeting import MeetingScreen
from tui.screens.members import MembersScreen
from tui.text import language
from tui.widgets.grid import MeetingGrid
from vsla.book.service import Book
from vsla.display import money

GROUP = "kolwezi-tumaini"


async def test_the_statement_of_the_member_under_the_cursor(demo_path: Path) -> None:
    book = Book.open(demo_path)
    app = create_app(book, today=MEETING_DAY, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("b", "down")  # M02: a loan, due today
        assert isinstance(app.screen, MembersScreen)
        statement = book.reader.statement(GROUP, "M02", MEETING_DAY)
        text = screen_text(app)
        assert f"Shares {statement.shares} · savings CDF 130,000" in text
        assert statement.loan is not None and statement.loan.owed_minor == 33_000_00
        assert "Loan owed CDF 33,000 (service charge CDF 0) · due 2026-11-25" in text
    book.close()


async def test_loans_show_what_is_due_late_and_owed(demo_path: Path) -> None:
    book = Book.open(demo_path)
    state = book.state(GROUP)
    late = [loan for loan in state.open_loans() if state.is_late(loan, MEETING_DAY)]
    assert late  # the demo has its late loans
    app = create_app(book, today=MEETING_DAY, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        await Keys(pilot)("l")
        assert isinstance(app.screen, LoansScreen)
        text = screen_text(app)
        assert f"{len(state.open_loans())} open" in text and f"· {len(late)} late" in text
        flagged = [line.split()[0] for line in text.splitlines() if line.rstrip().endswith("LATE")]
        assert flagged == [f"L{loan.number}" for loan in sorted(late, key=lambda x: x.due_on)]
    book.close()


async def test_charts_draw_one_point_per_meeting(demo_path: Path) -> None:
    book = Book.open(demo_path)
    series = book.reader.cycle_series(GROUP)
    app = create_app(book, today=MEETING_DAY, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("g")
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        assert len(screen.series) == len(series) == 23
        assert len(screen.query(PlotextPlot)) == 3
        assert "Savings of all members" in await shown(pilot, "Savings of all members")
        await keys("3")
        cash = "Cash in the box after each meeting"
        assert cash in await shown(pilot, cash)
    book.close()


async def test_help_explains_the_screen_it_is_asked_on(demo_path: Path) -> None:
    book = Book.open(demo_path)
    app = create_app(book, today=MEETING_DAY, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("m", "f1")
        assert isinstance(app.screen, HelpScreen)
        assert "Go down each column in turn" in screen_text(app)
        await keys("escape")
        assert isinstance(app.screen, MeetingScreen)
    book.close()


async def test_the_language_chosen_is_remembered_and_money_shown_its_way(demo_path: Path) -> None:
    book = Book.open(demo_path)
    app = create_app(book, today=MEETING_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("s", "down", "enter")  # Français
        await pilot.pause()
        assert isinstance(app.screen, GroupPickerScreen)
        assert language() == "fr"
        await keys("s", "tab", "down", "enter", "escape")  # light colours, for daylight
    assert book.setting("language") == "fr" and book.setting("theme") == "textual-light"
    app = create_app(book, today=MEETING_DAY, group=GROUP)
    async with app.run_test(size=(80, 24)):
        assert language() == "fr" and app.theme == "textual-light"
        cash = book.state(GROUP).loan_fund_cash_minor
        assert money(cash, "CDF", "fr", "CD") == "975\u202f717\xa0FC"  # as francs are written
        assert money(cash, "CDF", "fr", "CD") in screen_text(app)
    book.close()


async def test_the_meeting_screen_fits_80_by_24(demo_path: Path) -> None:
    book = Book.open(demo_path)
    app = create_app(book, today=MEETING_DAY, group="bukavu-amani")  # the largest: 28
    async with app.run_test(size=(80, 24)) as pilot:
        await Keys(pilot)("m")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        for selector in (
            "#meeting-title",
            "#open-loan_fund",
            "#open-social_fund",
            "#opening-info",
            "#grid",
            "#totals",
            "#close-loan_fund",
            "#close-social_fund",
            "#close-reason",
            "#closing-info",
        ):
            region = screen.query_one(selector).region
            assert region.height >= 1 and region.bottom <= 23 and region.right <= 80, selector
        lines = screen_text(app).splitlines()
        assert sum(1 for line in lines if line[1:4].startswith("M")) >= 12  # members in view
        assert "Expected in the box: loan fund" in screen_text(app)
    book.close()


async def test_a_tap_on_a_cell_moves_the_cursor_there(demo_path: Path) -> None:
    book = Book.open(demo_path)
    app = create_app(book, today=MEETING_DAY, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        await Keys(pilot)("m")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        grid = screen.grid
        x = next(x for x in range(80) if grid._column_at(x) == 2)  # the shares column
        await pilot.click(MeetingGrid, offset=(x, 3))  # the header, then M01, M02, M03
        assert grid.cursor == (2, 2)
    book.close()
