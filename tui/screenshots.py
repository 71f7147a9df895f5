"""The screenshots of the README and docs/, made again from the demo book, at 80×24:

    .venv/bin/python -m tui.screenshots [FOLDER]     # default: docs/

meeting.svg: a meeting of the largest demo group half way, with a loan over the limit and its
reason. shareout.svg: a group's share-out preview once every debt is settled. Each also in
French and Lingala (meeting-fr.svg, shareout-ln.svg …), as facilitators in Kinshasa,
Kolwezi and Bukavu see them.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

from vsla.book.service import Book
from vsla.demo import ensure_demo
from vsla.domain.entries import FinePayment, MeetingEntry, MeetingPlan, Repayment

DEMO_TODAY = date(2026, 11, 22)
MEETING_DAY = date(2026, 11, 25)
SIZE = (80, 24)


async def meeting(book: Book, target: Path) -> None:
    from tui.app import create_app
    from tui.text import typed_amount

    app = create_app(book, today=MEETING_DAY, group="bukavu-amani")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "down", "down", "a", "end", "enter")
        screen = app.screen
        opening = screen.outcome.opening_ledger  # type: ignore[attr-defined]
        cur = screen.cur  # type: ignore[attr-defined]
        await pilot.press(*typed_amount(opening.loan_fund_minor, cur), "enter")
        await pilot.press(*typed_amount(opening.social_fund_minor, cur), "enter")
        # M03 is absent: Enter passes over her, from M02 to M04
        await pilot.press("end", "enter", "3", "enter", "2", "enter", "4", "enter")
        await pilot.press("tab", "tab", "tab", "up", "up", "up", "up", *"900000")
        await pilot.pause()
        app.save_screenshot(target.name, str(target.parent))
    book.discard_draft("bukavu-amani")


def settle(book: Book, group: str) -> None:
    """A last meeting where every loan and fine is paid: the end of a cycle."""
    state = book.state(group)
    entries: list[MeetingEntry] = []
    after = book.preview_meeting(group, MeetingPlan(date=MEETING_DAY)).state_after
    assert after is not None
    for member in state.active_members():
        owed = after.member_loan_owed_minor(member.member_id)
        if owed:
            entries.append(Repayment(member.member_id, owed))
        fines = after.fines_owed_minor(member.member_id)
        if fines:
            entries.append(FinePayment(member.member_id, fines))
    book.record_meeting(group, MeetingPlan(date=MEETING_DAY, entries=tuple(entries)))


async def shareout(book: Book, target: Path) -> None:
    from tui.app import create_app

    settle(book, "kolwezi-umoja")
    app = create_app(book, today=MEETING_DAY, group="kolwezi-umoja")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        app.save_screenshot(target.name, str(target.parent))


LANGUAGES = ("en", "fr", "ln")


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        demo = Path(work) / "demo.sqlite"
        ensure_demo(demo, today=DEMO_TODAY)
        for language in LANGUAGES:
            path = Path(work) / f"demo-{language}.sqlite"
            shutil.copyfile(demo, path)
            book = Book.open(path)
            suffix = "" if language == "en" else f"-{language}"
            try:
                book.set_setting("language", language)  # the app speaks what the device says
                asyncio.run(meeting(book, folder / f"meeting{suffix}.svg"))
                asyncio.run(shareout(book, folder / f"shareout{suffix}.svg"))
            finally:
                book.close()
            print(f"wrote {folder / f'meeting{suffix}.svg'} and {folder / f'shareout{suffix}.svg'}")


if __name__ == "__main__":
    main(
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "docs"
    )
