"""The book: every use case a facilitator performs, each one SQLite transaction.

The use cases live by kind in their own modules (groups and members, meetings, the cycle,
this device's settings and drafts); `Book` puts them together over one database. Reads for
display go through `reader` (`vsla.book.reader`), in one snapshot each.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from ledger import N_, currency, new_id
from vsla.book.base import BookBase, Clock, IdSource, guarded_methods
from vsla.book.cycles import CycleUseCases
from vsla.book.device import DeviceUseCases
from vsla.book.errors import MeetingRefused
from vsla.book.groups import GroupUseCases, clean_members
from vsla.book.meetings import MeetingUseCases
from vsla.book.reader import Reader
from vsla.domain.errors import broken
from vsla.store import open_database, store_errors

__all__ = ["Book", "MeetingRefused", "clean_members", "currency_of", "store_errors"]


@guarded_methods
class Book(GroupUseCases, MeetingUseCases, CycleUseCases, DeviceUseCases, BookBase):
    """All groups in one SQLite file."""

    @property
    def reader(self) -> Reader:
        """Reads of this book, through the same connection (so they see what it wrote)."""
        found: Reader | None = getattr(self, "_reader", None)
        if found is None:
            found = Reader(self.db.conn, read_only=self.read_only)
            self._reader = found
        return found

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        ids: IdSource | None = None,
        read_only: bool = False,
        create: bool = True,
        timeout_ms: int | None = None,
        backup_dir: Path | None = None,
        clock: Clock | None = None,
    ) -> Book:
        """The book at `path`; see `open_database` for `read_only`, `create`, `timeout_ms`."""
        db = open_database(path, read_only=read_only, create=create, timeout_ms=timeout_ms)
        if not read_only:
            from vsla.book.figures import rebuild_pending

            rebuild_pending(db)
        where = None if str(path) == ":memory:" else Path(path)
        return cls(
            db,
            ids=ids or new_id,
            path=where,
            read_only=read_only,
            backup_dir=backup_dir,
            clock=clock,
        )

    @classmethod
    def over(cls, reader: Reader, *, path: Path | None, backup_dir: Path | None) -> Book:
        """The services over a reader's connection, so both see the same book."""
        from vsla.store.connection import as_database

        book = cls(
            as_database(reader.conn, migrate=False),
            path=path,
            read_only=reader.read_only,
            backup_dir=backup_dir,
        )
        book._reader = reader
        return book

    def close(self) -> None:
        self.db.close()

    def damage(self) -> list[str]:
        """What SQLite's quick check finds wrong with the file (empty when it is whole)."""
        from vsla.store.backup import integrity_problems

        return integrity_problems(self.db.conn, quick=True)

    def last_backup(self) -> tuple[Path, datetime] | None:
        """This book's newest backup in its backup folder, and when it was made (UTC)."""
        if self.path is None:
            return None
        from vsla.book.backups import backups_of, default_backup_dir

        found = backups_of(self.backup_dir or default_backup_dir(self.path), self.path.stem)
        return None if not found else (found[-1][1], found[-1][0])


def currency_of(book: Book, group_id: str) -> Any:
    row = book.db.execute("SELECT currency FROM groups WHERE id = ?", [group_id]).fetchone()
    if row is None:
        raise broken(
            "group.unknown", N_('there is no group "{group}" in this book'), group=group_id
        )
    return currency(row[0])
