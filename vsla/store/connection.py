"""Opening a book database: settings that survive power loss, then migrations.

WAL with synchronous=FULL: in this project's power-cut tests NORMAL lost commits that had
been reported as done. `synchronous` is per connection and reverts on reopen, so it is set
and then read back on every connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from vsla.store.schema import MIGRATIONS

BUSY_TIMEOUT_MS = 5000
_SYNCHRONOUS_FULL = 2


class StoreError(RuntimeError):
    """The database is not usable as a book (wrong settings, newer schema, not SQLite)."""


def open_database(path: str | Path, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the book at `path`; ":memory:" gives a throwaway one."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    db = sqlite_utils.Database(conn, strict=True)
    try:
        with db.ensure_autocommit_on():
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if str(path) != ":memory:":
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise StoreError(f"cannot use write-ahead logging on {path} (got {mode})")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA synchronous").fetchone()[0] != _SYNCHRONOUS_FULL:
            raise StoreError("SQLite refused synchronous=FULL; refusing to record money")
        if migrate:
            apply_migrations(db)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise StoreError(f"{path} is not a usable book database: {error}") from error
    return db


def schema_version(db: sqlite_utils.Database) -> int:
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    return version


def apply_migrations(db: sqlite_utils.Database) -> None:
    current = schema_version(db)
    if current > len(MIGRATIONS):
        raise StoreError(
            f"this book was written by a newer version (schema {current}); update vsla"
        )
    for version, sql in enumerate(MIGRATIONS[current:], start=current + 1):
        # executescript commits any open transaction first; the script is its own transaction.
        db.conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One SQLite transaction for a multi-row write; nested calls become savepoints.

    The outermost level is BEGIN IMMEDIATE rather than `db.atomic()`'s deferred BEGIN: a
    deferred transaction that reads (the chain head) and then writes fails with
    SQLITE_BUSY_SNAPSHOT when another process (the hub, a sync) committed in between,
    whereas IMMEDIATE waits for the write lock up to the busy timeout.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")
