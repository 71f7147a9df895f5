"""Opening a book database: settings that survive power loss, then migrations.

WAL with synchronous=FULL: in this project's power-cut tests NORMAL lost commits that had
been reported as done. `synchronous` is per connection and reverts on reopen, so it is set
and then read back on every connection.

A file is made into a book only when it does not exist yet: an existing file that is empty,
not SQLite or not a book is refused, never written into. A read-only opening runs no
migration and cannot write, which is how `vsla check` audits a book without touching it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from ledger import N_, Problem
from vsla.store.errors import (
    BookReadOnly,
    NotABook,
    StoreError,
    busy,
    store_errors,
    translated,
)
from vsla.store.schema import MIGRATIONS

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 5000
_SYNCHRONOUS_FULL = 2
_SQLITE_HEADER = b"SQLite format 3\x00"


def busy_timeout_ms() -> int:
    """How long a write waits for another program's lock: 5 s, or VSLA_BUSY_TIMEOUT_MS."""
    text = os.environ.get("VSLA_BUSY_TIMEOUT_MS", "")
    return int(text) if text.isascii() and text.isdigit() else BUSY_TIMEOUT_MS


def read_only_uri(path: Path) -> str:
    """An SQLite URI that opens `path` for reading only, whatever characters the path has."""
    return f"file:{quote(str(path.resolve()))}?mode=ro"


def connect(
    path: str | Path,
    *,
    read_only: bool = False,
    create: bool = True,
    timeout_ms: int | None = None,
) -> tuple[sqlite3.Connection, bool]:
    """A connection to the book at `path` with the settings a book needs, and whether the
    book is new (nothing was at `path`, or ":memory:"). Its schema is not migrated.

    This is all a reader needs, and costs no more than `sqlite3` to import: the app's first
    screen and the quick commands read through it. Raises NotABook, BookReadOnly, BookDamaged
    or StoreError, never a bare SQLite error.
    """
    memory = str(path) == ":memory:"
    file = Path(path)
    new = memory or not file.exists()
    key = "" if memory else str(file.resolve())
    # Opening and closing the file outside SQLite drops every POSIX lock this process holds
    # on it, those of its open connections included: another program could then checkpoint
    # and delete the write-ahead log under them. So the file is looked at only while no
    # connection of this process has it open (the hub opens one per thread).
    looked_at = not memory and not _open_here(key)
    if looked_at:
        _refuse_what_is_not_a_book(file, new=new, create=create and not read_only)
    if new and not memory:
        _make_folder(file)
    elif not memory and not read_only:
        _refuse_read_only(file)
    timeout = busy_timeout_ms() if timeout_ms is None else timeout_ms
    target, uri = (read_only_uri(file), True) if read_only else (str(path), False)
    try:
        conn = sqlite3.connect(
            target, uri=uri, timeout=timeout / 1000, check_same_thread=False, factory=_Tracked
        )
    except sqlite3.Error as error:
        raise translated(error) from error
    if key:
        conn.key = key
        _OPEN.setdefault(key, weakref.WeakSet()).add(conn)
    try:
        with store_errors():
            _configure(conn, timeout, wal=not memory and not read_only)
            _check_version(conn, file, new=new, read_only=read_only)
    except StoreError:
        conn.close()
        raise
    return conn, new


def open_database(
    path: str | Path,
    *,
    migrate: bool = True,
    read_only: bool = False,
    create: bool = True,
    timeout_ms: int | None = None,
) -> sqlite_utils.Database:
    """Open the book at `path` (":memory:" gives a throwaway one), its schema brought up to
    date unless `read_only` (or not `migrate`). See `connect`."""
    conn, _new = connect(path, read_only=read_only, create=create, timeout_ms=timeout_ms)
    return as_database(conn, migrate=migrate and not read_only)


def as_database(conn: sqlite3.Connection, *, migrate: bool = True) -> sqlite_utils.Database:
    """The connection wrapped for sqlite-utils (imported only here: it is slow to import),
    with the migrations applied when `migrate`."""
    import sqlite_utils

    db = sqlite_utils.Database(conn, strict=True)
    if migrate:
        try:
            with store_errors():
                apply_migrations(db)
        except StoreError:
            conn.close()
            raise
    return db


def _make_folder(file: Path) -> None:
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(
            Problem(
                "book.cannot_open",
                N_("the book file cannot be opened ({detail})"),
                {"detail": f"{file.parent}: {error.strerror or error}"},
            )
        ) from error


def _refuse_what_is_not_a_book(file: Path, *, new: bool, create: bool) -> None:
    where = str(file)
    if new:
        if not create:
            raise NotABook(
                Problem("book.missing", N_("there is no book at {path}"), {"path": where})
            )
        return
    if file.is_dir():
        raise NotABook(
            Problem("book.not_a_book", N_("{path} is a folder, not a book"), {"path": where})
        )
    try:
        with file.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as error:
        raise StoreError(
            Problem(
                "book.cannot_open",
                N_("the book file cannot be opened ({detail})"),
                {"detail": str(error)},
            )
        ) from error
    if header == b"":
        wal = file.with_name(file.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return  # a book whose pages are all still in its write-ahead log
        raise NotABook(
            Problem(
                "book.empty",
                N_("{path} is an empty file, not a book (nothing was written to it)"),
                {"path": where},
            )
        )
    if header != _SQLITE_HEADER:
        raise NotABook(
            Problem(
                "book.not_a_book",
                N_("{path} is not a book (not an SQLite database), or its first page is damaged"),
                {"path": where},
            )
        )


def _refuse_read_only(file: Path) -> None:
    """Opening read-write a file that cannot be written would fail only at the first write,
    with a half-done screen behind it: say so now. (`access`, not `open`: no file descriptor
    to close, so no lock of this process is dropped; it sees `chattr +i` too.)"""
    if not os.access(file, os.W_OK):
        raise BookReadOnly(
            Problem(
                "book.read_only",
                N_("this book is read-only: nothing can be recorded in it"),
            )
        )


class _Tracked(sqlite3.Connection):
    """A connection this process knows is open on its file (see `_open_here`)."""

    key = ""

    def close(self) -> None:
        found = _OPEN.get(self.key)
        if found is not None:
            found.discard(self)
        super().close()


_OPEN: dict[str, weakref.WeakSet[_Tracked]] = {}


def _open_here(key: str) -> bool:
    return bool(_OPEN.get(key))


def _configure(conn: sqlite3.Connection, timeout_ms: int, *, wal: bool) -> None:
    # In autocommit, as journal_mode cannot change inside a transaction; then back to
    # Python's default, which the rest of the store (and sqlite-utils) expects.
    level = conn.isolation_level
    conn.isolation_level = None
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
        if wal:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(
                    Problem(
                        "book.no_wal",
                        N_("cannot use write-ahead logging on this book (got {mode})"),
                        {"mode": str(mode)},
                    )
                )
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    finally:
        conn.isolation_level = level
    if conn.execute("PRAGMA synchronous").fetchone()[0] != _SYNCHRONOUS_FULL:
        raise StoreError(
            Problem(
                "book.not_synchronous",
                N_("SQLite refused synchronous=FULL; refusing to record money"),
            )
        )


def _check_version(conn: sqlite3.Connection, file: Path, *, new: bool, read_only: bool) -> None:
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if current > len(MIGRATIONS):
        raise NotABook(
            Problem(
                "book.newer",
                N_("this book was written by a newer version (schema {version}); update vsla"),
                {"version": current},
            )
        )
    if new:
        return
    has_journal = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'journal'"
    ).fetchone()
    if current == 0 or has_journal is None:
        raise NotABook(
            Problem(
                "book.not_a_book",
                N_("{path} is an SQLite database but not a book of this program"),
                {"path": str(file)},
            )
        )
    if read_only and current < len(MIGRATIONS):
        raise StoreError(
            Problem(
                "book.older",
                N_(
                    "this book was written by an older version (schema {version}); open it "
                    "once for writing to bring it up to date"
                ),
                {"version": current},
            )
        )


def schema_version(db: sqlite_utils.Database) -> int:
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    return version


def apply_migrations(db: sqlite_utils.Database) -> None:
    current = schema_version(db)
    for version, sql in enumerate(MIGRATIONS[current:], start=current + 1):
        # executescript commits any open transaction first; the script is its own transaction.
        db.conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One SQLite transaction for a multi-row write; nested calls become savepoints.

    The outermost level is BEGIN IMMEDIATE rather than `db.atomic()`'s deferred BEGIN: a
    deferred transaction that reads (the chain head) and then writes fails with
    SQLITE_BUSY_SNAPSHOT when another process (the hub, a sync) committed in between,
    whereas IMMEDIATE waits for the write lock up to the busy timeout. Past it, or on any
    other SQLite failure, the store's own error leaves and nothing was written.
    """
    if db.conn.in_transaction:
        with store_errors(), db.atomic():
            yield db
        return
    # Threads of one process (the hub's) queue here rather than in SQLite's busy handler,
    # which sleeps up to 100 ms between tries: a queued thread starts as soon as the one
    # before commits. Past the wait, BEGIN IMMEDIATE still decides, with the busy timeout.
    if getattr(_NOT_WAITING, "on", False):
        queued = _WRITERS.acquire(blocking=False)
        if not queued:
            raise busy()
    else:
        queued = _WRITERS.acquire(timeout=_QUEUE_SECONDS)
    try:
        with _begun(db):
            yield db
    finally:
        if queued:
            _WRITERS.release()


_WRITERS = threading.RLock()  # one writer at a time in this process, whatever the book
_QUEUE_SECONDS = 5.0
_NOT_WAITING = threading.local()


@contextmanager
def without_waiting(conn: sqlite3.Connection) -> Iterator[None]:
    """In the block, a write of this thread never waits for the write lock: held by another
    thread or program, it raises `BookBusy` at once. For a thread that must not stop (the
    hub's event loop); it does the work again where waiting is allowed."""
    before = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
    conn.execute("PRAGMA busy_timeout = 0")
    _NOT_WAITING.on = True
    try:
        yield
    finally:
        _NOT_WAITING.on = False
        conn.execute(f"PRAGMA busy_timeout = {before}")


@contextmanager
def _begun(db: sqlite_utils.Database) -> Iterator[None]:
    with store_errors():
        db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException as error:
        _rollback(db.conn)
        if isinstance(error, sqlite3.Error):
            raise translated(error) from error
        raise
    else:
        with store_errors():
            try:
                db.conn.execute("COMMIT")
            except sqlite3.Error:
                _rollback(db.conn)
                raise


def _rollback(conn: sqlite3.Connection) -> None:
    """Undo what is open; a rollback that fails (a damaged file) must not hide why."""
    if conn.in_transaction:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
