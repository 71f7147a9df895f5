"""What every use case of the book shares: the database and its journal, where ids come from,
backups after a meeting, and the store's own errors instead of SQLite's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ledger import Record, make_event, new_id
from vsla.book.guard import account_guard
from vsla.book.projections import project
from vsla.domain.errors import RuleBroken
from vsla.domain.people import Member, role_problems
from vsla.store.errors import StoreError, guarded
from vsla.store.journal import Journal

if TYPE_CHECKING:
    import sqlite_utils

    from vsla.domain.state import GroupState

IdSource = Callable[[], str]
Clock = Callable[[], datetime]
DRAFT_LOCK_WAIT_MS = 250
C = TypeVar("C", bound=type)


def guarded_methods(cls: C) -> C:
    """Every public method of the class raises the store's own errors (busy, read-only,
    damaged …), never a bare SQLite one, so front ends show a message, not a traceback."""
    for name, member in list(vars(cls).items()):
        if not name.startswith("_") and callable(member) and not isinstance(member, type):
            setattr(cls, name, guarded(member))
    return cls


@guarded_methods
class BookBase:
    """The state every use case works with. `path` is where the file is (None in memory);
    `backup_dir`, when given, receives a checked copy after every closed meeting; `ids` and
    `clock` make every id and time the book writes (tests fix them)."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        *,
        ids: IdSource = new_id,
        path: Path | None = None,
        read_only: bool = False,
        backup_dir: Path | None = None,
        clock: Clock | None = None,
    ) -> None:
        from vsla.sms.receipts import utc_now

        self.db = db
        self.clock = clock or utc_now
        self.ids = ids
        self.path = path
        self.read_only = read_only
        self.backup_dir = backup_dir
        self.backup_problem: StoreError | OSError | None = None
        self.journal = Journal(db, projector=project, guard=account_guard)

    def state(self, group_id: str) -> GroupState:
        """The group as the rules see it, read now."""
        from vsla.book.loading import load_state

        return load_state(self.db, group_id)

    def backed_up(self) -> None:
        """After a change worth keeping (a closed meeting, a share-out, an import): a checked
        copy into `backup_dir`, rotated. A failed backup never undoes the change: it is kept
        in `backup_problem` for the front end to show."""
        self.backup_problem = None
        if self.backup_dir is None or self.path is None or self.db.conn.in_transaction:
            return
        from vsla.book.backups import make_backup

        try:
            make_backup(self, rotate=True)
        except (StoreError, OSError) as error:
            self.backup_problem = error

    @contextmanager
    def _lock_wait(self, timeout_ms: int) -> Iterator[None]:
        (before,) = self.db.execute("PRAGMA busy_timeout").fetchone()
        self.db.execute(f"PRAGMA busy_timeout = {min(int(before), timeout_ms)}")
        try:
            yield
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {int(before)}")

    def _event(
        self, group_id: str, on: date, kind: str, payload: dict[str, Any], member: str | None = None
    ) -> Record:
        return make_event(
            id=self.ids(), group_id=group_id, date=on, kind=kind, payload=payload, member_id=member
        )

    def _member_event(self, group_id: str, on: date, member: Member) -> Record:
        return self._event(
            group_id,
            on,
            "member_joined",
            {
                "name": member.name,
                "gender": member.gender,
                "phone": member.phone,
                "shared_phone": member.shared_phone,
                "language": member.language,
            },
            member=member.member_id,
        )

    def _roles_event(
        self, group_id: str, on: date, roles: dict[str, list[str]], members: list[str]
    ) -> Record:
        problems = role_problems(roles, members)
        if problems:
            raise RuleBroken(problems[0].problem)
        return self._event(
            group_id,
            on,
            "roles_assigned",
            {"roles": {role: list(ids) for role, ids in roles.items() if ids}},
        )
