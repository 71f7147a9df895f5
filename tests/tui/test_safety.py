"""Nothing typed is lost by a habit of the fingers: Enter in the throw-away question keeps the
meeting, Escape asks before dropping typed roles, a draft the app cannot read is kept aside;
and the settings and the group's counts say what a facilitator expects."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input

from tests.tui.conftest import MEETING_DAY
from tests.tui.helpers import Keys, journal_rows, region_text, screen_text
from tui.app import create_app
from tui.screens.confirm import ConfirmScreen
from tui.screens.groups import GroupPickerScreen
from tui.screens.home import GroupHomeScreen
from tui.screens.meeting import MeetingScreen
from tui.screens.roles import RolesScreen
from tui.text import language
from vsla.book.service import Book

BUKAVU = "bukavu-amani"
UMOJA = "kolwezi-umoja"  # cycle 2: its meetings are numbered on from cycle 1's


async def test_enter_in_the_throw_away_question_keeps_the_meeting(demo_path: Path) -> None:
    book = Book.open(demo_path)
    app = create_app(book, today=MEETING_DAY, group=BUKAVU)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("m", "tab", "tab", "3", "enter")  # something typed: a draft is kept
        typed = book.load_draft(BUKAVU)
        assert typed is not None
        await keys("ctrl+x")
        assert isinstance(app.screen, ConfirmScreen)
        focused = app.focused
        assert isinstance(focused, Button) and str(focused.label) == "Keep the meeting"
        await keys("enter")  # out of habit
        assert isinstance(app.screen, MeetingScreen)
        assert book.load_draft(BUKAVU) == typed
        await keys("ctrl+x", "shift+tab", "enter")  # "Throw it away", chosen on purpose
        assert isinstance(app.screen, GroupHomeScreen)
        assert book.load_draft(BUKAVU) is None
    book.close()


async def test_escape_asks_before_dropping_typed_roles(demo_path: Path) -> None:
    book = Book.open(demo_path)
    before = {m.member_id: m.roles for m in book.state(BUKAVU).active_members()}
    rows = journal_rows(book)
    app = create_app(book, today=MEETING_DAY, group=BUKAVU)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("r")
        roles = app.screen
        assert isinstance(roles, RolesScreen)
        await keys("escape")  # nothing typed: straight back
        assert isinstance(app.screen, GroupHomeScreen)
        await keys("r")
        chair = app.screen.query_one("#input-chair", Input)
        await keys("ctrl+u", *"M05")
        await keys("escape")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Leave without saving?" in screen_text(app)
        await keys("enter")  # "Keep editing" has the focus
        assert isinstance(app.screen, RolesScreen) and chair.value == "M05"
        await keys("escape", "shift+tab", "enter")  # "Leave without saving", on purpose
        assert isinstance(app.screen, GroupHomeScreen)
    assert {m.member_id: m.roles for m in book.state(BUKAVU).active_members()} == before
    assert journal_rows(book) == rows
    book.close()


async def test_a_draft_the_app_cannot_read_is_kept_aside(demo_path: Path) -> None:
    book = Book.open(demo_path)
    unreadable = '{"version": 0, "typed": "by another version of the app"}'
    book.save_draft(BUKAVU, unreadable, now="2026-11-25T08:00:00+00:00")
    app = create_app(book, today=MEETING_DAY, group=BUKAVU)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        keys = Keys(pilot)
        await keys("m")
        screen = app.screen
        assert isinstance(screen, MeetingScreen) and not screen.resumed
        await pilot.pause(0.2)  # the message arrives as a toast
        assert "could not be read" in " ".join(screen_text(app).split())
        key = screen.kept_aside
        assert key.startswith(f"unreadable_draft:{BUKAVU}:")
        assert book.setting(key) == unreadable
        await keys("tab", "tab", "3", "enter")  # the first keys save the new meeting
        assert book.load_draft(BUKAVU) != unreadable
    assert book.setting(key) == unreadable  # untouched, where the message said
    book.close()


async def test_down_in_the_language_list_stops_at_its_end(demo_path: Path) -> None:
    book = Book.open(demo_path)
    book.set_setting("language", "ln")  # Lingála: the last of the list
    app = create_app(book, today=MEETING_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("s", "down", "enter")
        await pilot.pause()
        assert language() == "ln"  # not English, from the top of the list
        await keys("s", "up", "enter")
        await pilot.pause()
        assert language() == "sw"  # the one above
    assert book.setting("language") == "sw"
    book.close()


async def test_the_group_list_and_the_group_count_meetings_alike(demo_path: Path) -> None:
    book = Book.open(demo_path)
    state = book.state(UMOJA)
    last = state.last_meeting
    assert last is not None
    this_cycle = book.db.execute(
        "SELECT COUNT(*) FROM meetings WHERE group_id = ? AND cycle_number = ?",
        [UMOJA, state.cycle_number],
    ).fetchone()[0]
    assert (this_cycle, last.number) == (10, 47)
    app = create_app(book, today=MEETING_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        assert isinstance(app.screen, GroupPickerScreen)
        lines = screen_text(app).splitlines()
        title = next(i for i, line in enumerate(lines) if "Meetings" in line)
        column = lines[title].index("Meetings")
        assert lines[title + 1][column:].startswith("this cycle")  # its title's second line
        row = next(line for line in lines if "Umoja" in line).split()
        assert row[-2:] == [str(this_cycle), last.date.isoformat()]
        await keys("down", "down", "enter")
        assert isinstance(app.screen, GroupHomeScreen)
        assert (
            f"Meetings this cycle: {this_cycle} · the last: no. {last.number} in the book, "
            f"{last.date.isoformat()}"
        ) in region_text(app, "#home-status")
    book.close()
