"""What the app's tests share: counting key presses, reading the screen, building groups."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot

from vsla.book.service import Book
from vsla.domain.constitution import Constitution
from vsla.domain.entries import MeetingEntry, MeetingPlan
from vsla.domain.people import Member
from vsla.domain.state import GroupState

WOMEN = (
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
    "Kavira Paluku",
    "Luse Kahindo",
    "Masika Mumbere",
    "Neema Kyungu",
    "Odette Mulumba",
    "Pendo Kasereka",
    "Rehema Muhindo",
    "Sifa Bisimwa",
    "Tumaini Cirhuza",
    "Upendo Nabintu",
    "Vumilia Kaswera",
    "Wivine Mukendi",
    "Yvette Tshibangu",
    "Zawadi Kabongo",
    "Anuarite Kalala",
    "Bijou Mwamba",
    "Clarisse Banza",
    "Dorothée Ngoy",
    "Espérance Kyungu",
    "Francine Numbi",
)


class Keys:
    """Presses keys through the pilot and counts every one of them."""

    def __init__(self, pilot: Pilot[Any]) -> None:
        self.pilot = pilot
        self.count = 0

    async def __call__(self, *keys: str) -> None:
        self.count += len(keys)
        await self.pilot.press(*keys)

    async def type(self, text: str) -> None:
        """Each character is one key press."""
        await self(*text)


async def shown(pilot: Pilot[Any], text: str, tries: int = 20) -> str:
    """The screen once `text` is on it: a switch of tabs or a plot may take a repaint or two
    more than the key itself on a busy machine. The screen as it is after `tries` pauses."""
    found = screen_text(pilot.app)
    for _ in range(tries):
        if text in found:
            break
        await pilot.pause(0.05)
        found = screen_text(pilot.app)
    return found


def screen_text(app: App[Any]) -> str:
    """The screen as plain text, as a person would read it."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


def make_group(
    book: Book,
    group_id: str = "tuungane",
    *,
    members: int = 25,
    start: date = date(2026, 1, 7),
    currency: str = "UGX",
    phones: int = 10,
    names: tuple[str, ...] = WOMEN,
    **rules: Any,
) -> None:
    """A small, realistic group: the first `phones` members have a phone; `names` are the
    members' names, M01 first."""
    data: dict[str, Any] = {
        "currency": currency,
        "share_value_minor": 2000,
        "shares_min": 1,
        "shares_max": 5,
        "social_fund_minor": 500,
        "loan_multiple": 3,
        "loan_term_max_months": 3,
        "service_charge": "declining",
        "service_charge_rate_bp": 1000,
        "fines_minor": {"late": 500, "absent": 1000, "phone": 200},
        "payout_rounding_minor": 500,
    }
    data.update(rules)
    book.create_group(
        group_id=group_id,
        name="Tuungane Mubende",
        constitution=Constitution.from_json(data),
        members=[
            Member(
                f"M{n:02d}",
                names[n - 1],
                "F" if n % 7 else "M",
                phone=f"+25677{n:07d}" if n <= phones else None,
            )
            for n in range(1, members + 1)
        ],
        cycle_start=start,
        language="en",
    )


def hold(book: Book, group_id: str, day: date, *entries: MeetingEntry) -> None:
    """A meeting recorded directly through the book (the history a test starts from)."""
    book.record_meeting(group_id, MeetingPlan(date=day, entries=entries))


def journal_rows(book: Book) -> int:
    return int(book.db.execute("SELECT COUNT(*) FROM journal").fetchone()[0])


def engine_state(path: Path, copy_to: Path, group_id: str, plan: MeetingPlan) -> GroupState:
    """What the engine records for `plan` on a copy of the book at `path` as it is now."""
    shutil.copyfile(path, copy_to)
    book = Book.open(copy_to)
    try:
        book.record_meeting(group_id, plan)
        return book.state(group_id)
    finally:
        book.close()


def region_lines(app: App[Any], selector: str) -> list[str]:
    """The lines a widget shows on the screen, inside its border, padding and scroll bars."""
    region = app.screen.query_one(selector).scrollable_content_region
    lines = screen_text(app).splitlines()[region.y : region.y + region.height]
    return [line[region.x : region.x + region.width] for line in lines]


def region_text(app: App[Any], selector: str) -> str:
    """What a widget shows, its lines joined by spaces (a sentence wrapped on two lines reads
    as one)."""
    return words(" ".join(region_lines(app, selector)))


def words(text: str) -> str:
    """`text` with every run of spaces (line ends, no-break spaces) as one space."""
    return " ".join(text.replace("\u202f", " ").split())


def grid_line(app: App[Any], row: int) -> str:
    """The line of the meeting grid at `row` (0: its titles; -1: the hint line under it)."""
    region = app.screen.query_one("#grid").region
    lines = screen_text(app).splitlines()[region.y : region.y + region.height]
    return lines[row][region.x : region.x + region.width].rstrip()


async def read_help(keys: Keys, app: App[Any]) -> str:
    """F1's help, scrolled line by line to its end, as one line of words."""
    await keys("f1", "home")
    view = region_lines(app, ".dialog")
    lines = list(view)
    for _ in range(200):
        await keys("down")
        before, view = view, region_lines(app, ".dialog")
        if view == before:
            break
        lines.append(view[-1])  # one line further down
    return words(" ".join(lines))
