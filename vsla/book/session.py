"""A book as a front end holds it: reads at once, the services when first needed.

Opening the app must cost little more than showing a screen: the group list needs only the
reader (a plain SQLite connection). The services (`Book`: the rules, pydantic, sqlite-utils)
are loaded over the same connection the first time something is recorded or previewed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

from ledger import N_, Problem
from vsla.book.reader import Reader
from vsla.book.views.groups import BackupMark
from vsla.store.errors import BookDamaged, BookReadOnly

if TYPE_CHECKING:
    from vsla.book.service import Book


class BookSession:
    def __init__(
        self,
        reader: Reader,
        *,
        path: Path | None,
        backup_dir: Path | None,
        book: Book | None = None,
    ) -> None:
        self.reader = reader
        self.path = path
        self.backup_dir = backup_dir
        self._book = book

    @classmethod
    def open(
        cls, path: Path, *, timeout_ms: int | None = None, quick_check: bool = True
    ) -> BookSession:
        """The book at `path`, backed up after every meeting: read-only when the file cannot
        be written (nothing can be recorded then), refused when SQLite finds it damaged. A
        new book is made where no file is. `quick_check=False` is for a second connection
        of a process that checked the file with its first: the check reads the whole file
        (minutes for a hub's book of thousands of groups)."""
        from vsla.book.backups import default_backup_dir

        folder = default_backup_dir(path)
        if not path.exists():
            from vsla.book.service import Book

            return cls.of(Book.open(path, backup_dir=folder, timeout_ms=timeout_ms))
        try:
            reader = Reader.open(path, timeout_ms=timeout_ms)
        except BookReadOnly:
            reader = Reader.open(path, read_only=True, timeout_ms=timeout_ms)
        damage = reader.damage() if quick_check else []
        if damage:
            reader.close()
            raise BookDamaged(
                Problem(
                    "book.damaged",
                    N_("the book file is damaged ({detail})"),
                    {"detail": damage[0]},
                )
            )
        return cls(reader, path=path, backup_dir=folder)

    @classmethod
    def of(cls, book: Book) -> BookSession:
        """A session over a book already open (the tests make theirs)."""
        return cls(book.reader, path=book.path, backup_dir=book.backup_dir, book=book)

    @property
    def read_only(self) -> bool:
        return self.reader.read_only

    @property
    def book(self) -> Book:
        """The services, over the reader's connection (loaded the first time)."""
        if self._book is None:
            from vsla.book.service import Book

            self._book = Book.over(self.reader, path=self.path, backup_dir=self.backup_dir)
        return self._book

    def last_backup(self) -> BackupMark | None:
        """This book's newest backup and when it was made (UTC)."""
        if self.path is None:
            return None
        from vsla.book.backups import backups_of, default_backup_dir

        folder = self.backup_dir or default_backup_dir(self.path)
        found = backups_of(folder, self.path.stem)
        if not found:
            return None
        made, where = found[-1]
        return BackupMark(str(where), made.astimezone(UTC).isoformat(), str(folder))

    @contextmanager
    def without_waiting(self) -> Iterator[None]:
        """Writes in the block raise `BookBusy` at once rather than wait for the write lock
        (the hub's event loop must never stop; it hands such work to a thread)."""
        from vsla.store.connection import without_waiting

        with without_waiting(self.reader.conn):
            yield

    def close(self) -> None:
        self.reader.close()
