"""Copies of a book file that are whole and checked before anyone can mistake them for one.

A live SQLite file is never copied byte for byte (a copy taken between two writes of a
commit is damaged): the online backup API reads a consistent snapshot through SQLite. The
copy is written under a temporary name, checked by SQLite, flushed to the device, and only
then renamed, so a power cut leaves either no backup or a whole one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from ledger import N_, Problem
from vsla.store.connection import read_only_uri
from vsla.store.errors import BookDamaged, StoreError, translated

PARTIAL = ".partial"
_CORRUPT, _NOTADB = 11, 26


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # some systems (and Android's shared storage) cannot open a folder: best effort
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def integrity_problems(conn: sqlite3.Connection, *, quick: bool = False) -> list[str]:
    """What SQLite's own check finds wrong with the file (empty when whole)."""
    pragma = "quick_check" if quick else "integrity_check"
    rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}(20)")]
    return [] if rows == ["ok"] else rows


def copy_book(source: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of the database behind `source` at `target`, which must not exist.

    Raises StoreError (and leaves nothing at `target`) if it cannot be made whole.
    """
    if target.exists():
        raise StoreError(
            Problem(
                "backup.exists",
                N_("{path} already exists: a backup never overwrites a file"),
                {"path": str(target)},
            )
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + PARTIAL)
    partial.unlink(missing_ok=True)
    try:
        copy = sqlite3.connect(str(partial))
        try:
            source.backup(copy)
            # A standalone file: no write-ahead log to carry around with it.
            copy.execute("PRAGMA journal_mode = DELETE")
            found = integrity_problems(copy)
        finally:
            copy.close()
        if found:
            raise BookDamaged(
                Problem(
                    "backup.damaged",
                    N_("the copy of the book is damaged ({detail}); no backup was made"),
                    {"detail": "; ".join(found[:3])},
                )
            )
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
        _fsync_dir(target.parent)
    except sqlite3.Error as error:
        raise translated(error) from error
    finally:
        partial.unlink(missing_ok=True)


def set_aside(path: Path, aside: Path) -> None:
    """The bytes of the book at `path` (and its write-ahead log) copied to `aside`, whatever
    state they are in: what is kept when a damaged book is replaced by a backup."""
    for suffix in ("", "-wal"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            shutil.copyfile(source, aside.with_name(aside.name + suffix))


def replace_book(source: Path, path: Path) -> None:
    """The book at `path` becomes a copy of `source`, in one step that either happens whole
    or not at all: through SQLite when the book opens, by a rename when it is too damaged."""
    try:
        origin = sqlite3.connect(read_only_uri(source), uri=True)
        try:
            if _overwrite_through_sqlite(origin, path):
                return
            fresh = path.with_name(path.name + ".restoring")
            fresh.unlink(missing_ok=True)
            copy = sqlite3.connect(str(fresh))
            try:
                origin.backup(copy)
            finally:
                copy.close()
        finally:
            origin.close()
    except sqlite3.Error as error:
        raise translated(error) from error
    with fresh.open("rb+") as handle:
        os.fsync(handle.fileno())
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    os.replace(fresh, path)
    _fsync_dir(path.parent)


def _overwrite_through_sqlite(origin: sqlite3.Connection, path: Path) -> bool:
    """Whether SQLite could write `origin` over the book at `path` and it is now whole.
    Another program writing it is an error, never a reason to replace the file under it."""
    try:
        live = sqlite3.connect(str(path), timeout=5)
        try:
            origin.backup(live)
            live.execute("PRAGMA journal_mode = WAL")
            return not integrity_problems(live, quick=True)
        finally:
            live.close()
    except sqlite3.DatabaseError as error:
        if (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF in (_CORRUPT, _NOTADB):
            return False
        raise
