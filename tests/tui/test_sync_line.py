"""The group's home screen says when the hub last took the group from this device and how
many entries wait, once the device syncs; nothing on a device that does not."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.tui.conftest import MEETING_DAY
from tests.tui.helpers import screen_text
from tui.app import create_app
from vsla.book.service import Book

GROUP = "kolwezi-tumaini"


def set_sync(path: Path, *, acked_behind: int | None) -> int:
    """The device set to sync; the hub holding all but `acked_behind` of the group's entries
    (None: nothing acknowledged yet). Returns the group's entry count."""
    conn = sqlite3.connect(path)
    with conn:
        head = conn.execute("SELECT MAX(seq) FROM journal WHERE group_id = ?", [GROUP])
        count = int(head.fetchone()[0])
        conn.execute("INSERT INTO settings (key, value) VALUES ('sync.hub', 'https://hub.example')")
        if acked_behind is not None:
            seq = count - acked_behind
            conn.execute(
                "INSERT INTO sync_acks (group_id, seq, hash, acked_at) SELECT group_id, seq, "
                "hash, '2026-11-20T10:00:00+00:00' FROM journal WHERE group_id = ? AND seq = ?",
                [GROUP, seq],
            )
    conn.close()
    return count


async def home_text(path: Path) -> str:
    book = Book.open(path)
    app = create_app(book, today=MEETING_DAY, group=GROUP)
    async with app.run_test(size=(80, 24)):
        text = screen_text(app)
    book.close()
    return text


async def test_a_device_that_does_not_sync_says_nothing_of_it(demo_path: Path) -> None:
    text = await home_text(demo_path)
    assert ("sync" not in text.lower() and "Last backup" in text) or "No backup yet" in text


async def test_entries_waiting_since_the_last_sync(demo_path: Path) -> None:
    set_sync(demo_path, acked_behind=10)
    text = await home_text(demo_path)
    assert "Last sync: 2026-11-20" in text and "· 10 entries waiting" in text


async def test_a_device_set_to_sync_that_never_did(demo_path: Path) -> None:
    count = set_sync(demo_path, acked_behind=None)
    text = await home_text(demo_path)
    assert f"Never synced: {count:,} entries wait for `vsla sync`".replace(",", "") in text.replace(
        ",", ""
    )
