"""What stays on this device and never enters the journal: settings (language, theme) and
the draft of a meeting being typed."""

from __future__ import annotations

from vsla.book.base import DRAFT_LOCK_WAIT_MS, BookBase, guarded_methods
from vsla.store.connection import write_transaction


@guarded_methods
class DeviceUseCases(BookBase):
    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return default if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    def save_draft(self, group_id: str, data: str, *, now: str) -> None:
        """Keep what has been typed of a meeting, so a closed app or a power cut loses
        nothing; the journal is not touched until the meeting is closed.

        Saved on every key, so it waits for another program's lock only briefly: the typing
        stays on screen and is saved at the next key (BookBusy says so)."""
        with self._lock_wait(DRAFT_LOCK_WAIT_MS), write_transaction(self.db):
            self.db.execute(
                "INSERT INTO meeting_drafts (group_id, updated_at, data) VALUES (?, ?, ?) "
                "ON CONFLICT (group_id) DO UPDATE SET updated_at = excluded.updated_at, "
                "data = excluded.data",
                [group_id, now, data],
            )

    def load_draft(self, group_id: str) -> str | None:
        row = self.db.execute(
            "SELECT data FROM meeting_drafts WHERE group_id = ?", [group_id]
        ).fetchone()
        return None if row is None else str(row[0])

    def discard_draft(self, group_id: str) -> None:
        with write_transaction(self.db):
            self.db.execute("DELETE FROM meeting_drafts WHERE group_id = ?", [group_id])
