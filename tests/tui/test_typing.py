"""What a new facilitator types into the meeting grid, and what the app makes of it: money as the
screen shows it in her language, Enter passing over members who pay nothing in, keys refused
out loud, fines that fit the member, a deleted loan taking its term with it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.tui.conftest import MEETING_DAY
from tests.tui.helpers import Keys, grid_line, make_group, read_help, region_text, screen_text
from tui.app import create_app
from tui.screens.help import HelpScreen
from tui.screens.meeting import MeetingScreen
from tui.screens.summary import SummaryScreen
from tui.text import typed_amount
from vsla.book.service import Book
from vsla.display import money
from vsla.domain.entries import Fine, NewLoan

GROUP = "tuungane"  # make_group: UGX, share UGX 2,000, social fund UGX 500, 3 months at most
DAY = date(2026, 1, 7)
BUKAVU = "bukavu-amani"  # CDF, Congo


def new_book(tmp_path: Path, members: int = 6) -> Book:
    book = Book.open(tmp_path / "book.sqlite")
    make_group(book, GROUP, members=members, start=DAY, phones=0)
    return book


async def to_column(keys: Keys, screen: MeetingScreen, column: str) -> None:
    """From the grid's first column, Tab to `column` (the box is counted at 0 first)."""
    await keys("end", "enter", "0", "enter", "0", "enter")
    while screen.grid.column != column:
        await keys("tab")


async def test_lingala_money_is_typed_as_the_screen_shows_it(demo_path: Path) -> None:
    book = Book.open(demo_path)
    book.set_setting("language", "ln")
    app = create_app(book, today=MEETING_DAY, group=BUKAVU)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("m", "end", "enter")  # attendance done: on to the opening count
        screen = app.screen
        assert isinstance(screen, MeetingScreen) and screen.outcome is not None
        opening = screen.outcome.opening_ledger
        shown = [
            money(opening.loan_fund_minor, "CDF", "ln", "CD"),
            money(opening.social_fund_minor, "CDF", "ln", "CD"),
        ]
        assert all(text in screen_text(app) for text in shown)  # "419.105 FC": Lingala's way
        for text in shown:
            typed = text.removesuffix("\xa0FC")
            assert "." in typed  # the thousands mark, as on the screen
            await keys.type(typed)
            await keys("enter")
        assert screen.built.plan.opening_counted == opening
        assert region_text(app, "#opening-info").startswith("✓")
        # M01 repays "12.50", cents the English way: "." means thousands in Lingala
        await keys("tab", "tab")
        assert screen.grid.column == "repay"
        await keys.type("12.50")
        # The reason, in Lingala, shows both ways of typing it with Lingala's marks
        (reason,) = screen.problems[("M01", "repay")]
        assert reason.startswith('"12.50" ezali polele te')
        assert all(example in reason for example in ('"."', "25.000", "25000", '","', "12,50"))
        await keys("backspace", "backspace", "backspace", ",", "5", "0")  # 12,50
        assert ("M01", "repay") not in screen.problems
        assert screen.outcome.totals_minor["repayments"] == 12_50
        # F1 says the same as the code: the marks of Lingala, with its examples
        help_text = await read_help(keys, app)
        assert isinstance(app.screen, HelpScreen)
        assert "25000 to 25.000" in help_text and 'nsima ya ",": 12,50' in help_text
    book.close()


async def test_enter_passes_over_members_who_pay_nothing_in(tmp_path: Path) -> None:
    book = new_book(tmp_path)
    book.close()
    app = create_app(tmp_path / "book.sqlite", today=DAY, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        # M03 absent, M05 excused; the box is empty
        await keys("m", "down", "down", "a", "down", "down", "e", "end", "enter")
        await keys("0", "enter", "0", "enter", "end", "enter")  # social fund as filled in
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        assert screen.grid.column == "shares" and screen.grid.row == 0
        await keys("5", "enter", "3", "enter")
        assert screen.sheet.rows[screen.grid.row].member_id == "M04"  # not absent M03
        await keys("2", "enter")
        assert screen.sheet.rows[screen.grid.row].member_id == "M06"  # not excused M05
        await keys("4", "enter")
        assert screen.grid.column == "repay"  # M06 was the last who could buy
        assert screen.outcome is not None
        expected = screen.outcome.expected_closing
        await keys("ctrl+e")
        await keys.type(typed_amount(expected.loan_fund_minor, screen.cur))
        await keys("enter")
        await keys.type(typed_amount(expected.social_fund_minor, screen.cur))
        await keys("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    book = Book.open(tmp_path / "book.sqlite")
    state = book.state(GROUP)
    bought = {m: state.shares(m) for m in ("M01", "M02", "M03", "M04", "M05", "M06")}
    assert bought == {"M01": 5, "M02": 3, "M03": 0, "M04": 2, "M05": 0, "M06": 4}
    assert state.loan_fund_cash_minor == (5 + 3 + 2 + 4) * 2000
    book.close()


async def test_a_letter_in_an_amount_is_refused_with_its_reason(tmp_path: Path) -> None:
    new_book(tmp_path).close()
    app = create_app(tmp_path / "book.sqlite", today=DAY, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("m")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        await to_column(keys, screen, "loan")
        await keys.type("20x")
        reason = '⚠ "x" cannot be typed in an amount: use the digits 0-9, like 25,000'
        assert grid_line(app, -1) == reason
        await keys.type("000")  # she types on: what she is told stays on screen
        assert grid_line(app, -1) == reason
        assert screen.sheet.rows[0].cells["loan"] == "20000"
        await keys("down")  # another cell: the reason has been seen
        assert "cannot be typed" not in grid_line(app, -1)
        await keys("up", "tab", "backspace")  # M01's term: a whole number
        await keys.type("2m")
        assert grid_line(app, -1) == (
            '⚠ "m" cannot be typed here: type a whole number with the digits 0-9'
        )
        assert screen.sheet.rows[0].cells["term"] == "2"
    # nothing of the letters reached the meeting: 20,000 for 2 months, as shown
    assert [e for e in screen.built.plan.entries if isinstance(e, NewLoan)] == [
        NewLoan("M01", 20_000, 2)
    ]


async def test_a_cleared_loan_takes_its_term_with_it(tmp_path: Path) -> None:
    new_book(tmp_path).close()
    app = create_app(tmp_path / "book.sqlite", today=DAY, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("m")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        await to_column(keys, screen, "loan")
        await keys(*"20000", "tab", "backspace", "2", "shift+tab")  # 20,000 for 2 months
        row = screen.sheet.rows[0]
        assert row.cells["term"] == "2"
        await keys("backspace", *"30000", "enter", "up")  # the amount again: her term stays
        assert (row.cells["loan"], row.cells["term"]) == ("30000", "2")
        await keys("backspace", "escape")  # cleared, then given up: as it was, term included
        assert (row.cells["loan"], row.cells["term"]) == ("30000", "2")
        await keys("delete")  # no loan after all
        assert "term" not in row.cells
        assert grid_line(app, 1).split()[-2:] == ["·", "·"]  # loan and term both empty
        await keys(*"5000", "enter")  # another loan later: the longest term, not the old 2
        assert [e for e in screen.built.plan.entries if isinstance(e, NewLoan)] == [
            NewLoan("M01", 5000, 3)
        ]


async def test_the_absence_fine_is_offered_only_to_an_absent_member(tmp_path: Path) -> None:
    new_book(tmp_path).close()  # fines: absent, late, phone
    app = create_app(tmp_path / "book.sqlite", today=DAY, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("m", "down", "a", "up")  # M02 absent
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        await to_column(keys, screen, "fine")
        await keys("home")
        seen = []
        for _ in range(4):  # Space goes round M01's choices
            await keys("space")
            seen.append(screen.sheet.rows[0].cells.get("fine", ""))
        assert seen == ["late", "phone", "", "late"]
        await keys("a")  # the absence fine, by its letter
        assert screen.sheet.rows[0].cells["fine"] == "late"
        assert grid_line(app, -1) == "⚠ The absence fine is only for a member marked absent"
        await keys("down", "delete", "space")  # M02, absent: the absence fine is hers
        assert screen.sheet.rows[1].cells["fine"] == "absent"
        await keys("z")
        assert grid_line(app, -1).startswith('⚠ No fine starts with "z"')
    fines = [e for e in screen.built.plan.entries if isinstance(e, Fine)]
    assert fines == [Fine("M01", "late"), Fine("M02", "absent", paid=False)]
