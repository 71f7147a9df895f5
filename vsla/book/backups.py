"""Backups of a book: made after every closed meeting, rotated, listed, restored.

Phones and laptops are lost, stolen and dropped in water; a backup a facilitator can copy off
the device is what is left then. Where the copies go:

- `VSLA_BACKUP_DIR`, when set (one folder per book inside it);
- on Termux with shared storage set up (`termux-setup-storage`), the phone's own storage,
  `~/storage/shared/VSLA/backups/<book>`, which a file manager or a USB cable can reach;
- otherwise a `backups/<book>` folder next to the book.

The last `KEEP_LAST` backups are kept, and of older ones the newest of each month.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ledger import N_, Problem
from vsla.store.connection import open_database, read_only_uri
from vsla.store.errors import NotABook, StoreError

if TYPE_CHECKING:
    from vsla.book.base import BookBase
    from vsla.book.check import GroupProblem

KEEP_LAST = 10
_STAMP = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})\.sqlite$")


@dataclass(frozen=True, slots=True)
class GroupMark:
    """Where a group stood in a backup: its last meeting."""

    group_id: str
    last_meeting: int | None
    last_meeting_on: str | None


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    made_at: datetime
    size_bytes: int
    groups: tuple[GroupMark, ...]
    readable: bool


class BackupRefused(StoreError):
    """A backup that fails `vsla check` is never restored; `problems` says why."""

    def __init__(self, problem: Problem, problems: list[GroupProblem]) -> None:
        super().__init__(problem)
        self.problems = problems


def default_backup_dir(book_path: Path) -> Path:
    stem = book_path.stem
    configured = os.environ.get("VSLA_BACKUP_DIR", "").strip()
    if configured:
        return Path(configured).expanduser() / stem
    shared = Path.home() / "storage" / "shared"
    if os.environ.get("TERMUX_VERSION") and shared.is_dir():
        return shared / "VSLA" / "backups" / stem
    return book_path.resolve().parent / "backups" / stem


def backup_name(book_path: Path, when: datetime) -> str:
    return f"{book_path.stem}-{when.astimezone(UTC).strftime(_STAMP)}.sqlite"


def make_backup(
    book: BookBase,
    *,
    to: Path | None = None,
    rotate: bool = False,
    now: datetime | None = None,
) -> Path:
    """A checked copy of `book`: into `to` (a file, or a folder), else its backup folder."""
    from vsla.store.backup import copy_book

    if book.path is None:
        raise StoreError(
            Problem("backup.memory", N_("a book kept only in memory cannot be backed up"))
        )
    when = now or datetime.now(UTC)
    folder = book.backup_dir or default_backup_dir(book.path)
    if to is not None:
        target = to / backup_name(book.path, when) if to.is_dir() else to
    else:
        target = folder / backup_name(book.path, when)

    heads = _heads(book.db.conn)
    copy_book(book.db.conn, target)
    if not _holds(target, heads):
        target.unlink(missing_ok=True)
        raise StoreError(
            Problem(
                "backup.incomplete",
                N_("the copy of the book does not end where the book ends; no backup was made"),
            )
        )
    if rotate and to is None:
        rotate_backups(folder, book.path.stem)
    return target


def _heads(conn: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    """Each group's newest journal entry when the backup starts."""
    rows = conn.execute("SELECT group_id, MAX(seq), hash FROM journal GROUP BY group_id")
    return {str(group): (int(seq), str(digest)) for group, seq, digest in rows}


def _holds(copy: Path, heads: dict[str, tuple[int, str]]) -> bool:
    """Whether the copy has every group's journal up to the head it had when the backup
    started (the chain makes that entry stand for all before it)."""
    with closing(sqlite3.connect(read_only_uri(copy), uri=True)) as conn:
        for group, (seq, digest) in heads.items():
            row = conn.execute(
                "SELECT hash FROM journal WHERE group_id = ? AND seq = ?", [group, seq]
            ).fetchone()
            if row is None or row[0] != digest:
                return False
    return True


def backups_of(folder: Path, stem: str) -> list[tuple[datetime, Path]]:
    found = []
    if folder.is_dir():
        for path in folder.iterdir():
            match = _NAME.match(path.name)
            if match and match["stem"] == stem:
                made = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
                found.append((made, path))
    return sorted(found)


def rotate_backups(folder: Path, stem: str, keep_last: int = KEEP_LAST) -> list[Path]:
    """Keep the newest `keep_last` backups and the newest of every month; return the removed."""
    backups = backups_of(folder, stem)
    kept = {path for _made, path in backups[-keep_last:]}
    newest_of_month: dict[tuple[int, int], Path] = {}
    for made, path in backups:
        newest_of_month[(made.year, made.month)] = path
    kept |= set(newest_of_month.values())
    removed = []
    for _made, path in backups:
        if path not in kept:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def list_backups(book_path: Path, folder: Path | None = None) -> list[BackupInfo]:
    """The backups of the book at `book_path`, newest first, with what each holds."""
    folder = folder or default_backup_dir(book_path)
    found = []
    for made, path in reversed(backups_of(folder, book_path.stem)):
        groups: tuple[GroupMark, ...] = ()
        readable = True
        try:
            db = open_database(path, read_only=True)
            try:
                groups = tuple(
                    GroupMark(str(g), None if n is None else int(n), d)
                    for g, n, d in db.execute(
                        "SELECT g.id, m.number, m.date FROM groups g LEFT JOIN meetings m "
                        "ON m.group_id = g.id AND m.number = (SELECT MAX(number) FROM "
                        "meetings WHERE group_id = g.id) ORDER BY g.id"
                    )
                )
            finally:
                db.close()
        except (StoreError, sqlite3.Error):
            readable = False
        found.append(BackupInfo(path, made, path.stat().st_size, groups, readable))
    return found


def latest_backup(book_path: Path, folder: Path | None = None) -> Path | None:
    backups = backups_of(folder or default_backup_dir(book_path), book_path.stem)
    return backups[-1][1] if backups else None


def damage_advice(book_path: Path, language: str | None = None, *, damaged: bool = True) -> str:
    """What to do about a damaged book: restore its latest backup. When the file may never
    have been a book (`damaged` false), only a backup that exists is worth a word."""
    from vsla.i18n import tr

    latest = latest_backup(book_path)
    if latest is None:
        if not damaged:
            return ""
        return tr(
            N_("There is no backup of this book in {folder}."),
            language,
            folder=str(default_backup_dir(book_path)),
        )
    return tr(
        N_("Its latest backup is {backup}: restore it with `vsla restore-backup {backup}`."),
        language,
        backup=str(latest),
    )


@dataclass(frozen=True, slots=True)
class Restored:
    path: Path
    aside: Path | None


def restore_backup(backup: Path, book_path: Path, *, now: datetime | None = None) -> Restored:
    """Make the book at `book_path` the backup's copy, after `vsla check` passes on it.

    The book that was there is first kept aside under a new name; nothing is overwritten.
    """
    from vsla.book.check import audit
    from vsla.store.backup import replace_book

    if not backup.is_file():
        raise NotABook(
            Problem("book.missing", N_("there is no book at {path}"), {"path": str(backup)})
        )
    found = audit(backup).problems
    if found:
        raise BackupRefused(
            Problem(
                "backup.fails_check",
                N_("{path} fails the check ({count} problems); it was not restored"),
                {"path": str(backup), "count": len(found)},
            ),
            found,
        )
    aside = None
    if book_path.exists():
        aside = _aside_name(book_path, now or datetime.now(UTC))
        _keep_aside(book_path, aside)
    replace_book(backup, book_path)
    return Restored(book_path, aside)


def _aside_name(book_path: Path, when: datetime) -> Path:
    stamp = when.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    candidate = book_path.with_name(f"{book_path.stem}.before-restore-{stamp}{book_path.suffix}")
    number = 1
    while candidate.exists():
        number += 1
        candidate = book_path.with_name(
            f"{book_path.stem}.before-restore-{stamp}-{number}{book_path.suffix}"
        )
    return candidate


def _keep_aside(book_path: Path, aside: Path) -> None:
    """A consistent copy when SQLite can still read the book, its raw bytes when it cannot."""
    from vsla.store.backup import copy_book, integrity_problems, set_aside

    try:
        db = open_database(book_path, read_only=True)
    except StoreError:
        set_aside(book_path, aside)
        return
    try:
        if integrity_problems(db.conn):
            set_aside(book_path, aside)
        else:
            copy_book(db.conn, aside)
    except (StoreError, sqlite3.Error):
        aside.unlink(missing_ok=True)
        set_aside(book_path, aside)
    finally:
        db.close()
