"""The use cases a facilitator performs, each one SQLite transaction: create a group, hold a
meeting, reopen the last one, share out, start a new cycle, change members and roles."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from ledger import N_, LedgerError, Record, currency, make_event, new_id
from vsla.book.guard import account_guard
from vsla.book.loading import entry_lookup, group_exists, load_state
from vsla.book.projections import project
from vsla.domain.constitution import Constitution
from vsla.domain.entries import EntryProblem, MeetingPlan
from vsla.domain.errors import RuleBroken, broken
from vsla.domain.people import (
    CURRENCY_COUNTRY,
    Member,
    check_gender,
    check_group_id,
    check_language,
    check_member_id,
    check_name,
    normalise_phone,
    role_problems,
)
from vsla.domain.planner import MeetingOutcome, plan_meeting
from vsla.domain.shareout import ShareoutPreview, plan_shareout
from vsla.domain.state import GroupState
from vsla.sms.receipts import queue_receipts
from vsla.store import (
    Journal,
    StoreError,
    guarded,
    open_database,
    store_errors,
    write_transaction,
)

__all__ = ["Book", "MeetingRefused", "store_errors"]

IdSource = Callable[[], str]
DRAFT_LOCK_WAIT_MS = 250
AfterMeeting = Callable[[sqlite_utils.Database, GroupState, MeetingOutcome], object]


class MeetingRefused(RuleBroken):
    """The meeting breaks rules; nothing was recorded. `problems` lists every one of them."""

    def __init__(self, problems: Sequence[EntryProblem]) -> None:
        super().__init__(problems[0].problem)
        self.problems = list(problems)


def _store_errors_out(cls: type[Book]) -> type[Book]:
    """Every public method raises the store's own errors (busy, read-only, damaged …), never
    a bare SQLite one, so front ends show a message instead of a traceback."""
    for name, member in list(vars(cls).items()):
        if not name.startswith("_") and callable(member) and not isinstance(member, type):
            setattr(cls, name, guarded(member))
    return cls


@_store_errors_out
class Book:
    """All groups in one SQLite file.

    `path` is where the file is (None in memory); `backup_dir`, when given, receives a
    checked copy of the book after every closed meeting and share-out.
    """

    def __init__(
        self,
        db: sqlite_utils.Database,
        *,
        ids: IdSource = new_id,
        path: Path | None = None,
        read_only: bool = False,
        backup_dir: Path | None = None,
    ) -> None:
        self.db = db
        self.ids = ids
        self.path = path
        self.read_only = read_only
        self.backup_dir = backup_dir
        self.backup_problem: StoreError | OSError | None = None
        self.journal = Journal(db, projector=project, guard=account_guard)
        self.after_meeting: list[AfterMeeting] = [queue_receipts]

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        ids: IdSource = new_id,
        read_only: bool = False,
        create: bool = True,
        timeout_ms: int | None = None,
        backup_dir: Path | None = None,
    ) -> Book:
        """The book at `path`; see `open_database` for `read_only`, `create`, `timeout_ms`."""
        db = open_database(path, read_only=read_only, create=create, timeout_ms=timeout_ms)
        where = None if str(path) == ":memory:" else Path(path)
        return cls(db, ids=ids, path=where, read_only=read_only, backup_dir=backup_dir)

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

    # -- groups and members --------------------------------------------------------------

    def create_group(
        self,
        *,
        group_id: str,
        name: str,
        constitution: Constitution,
        members: Sequence[Member],
        cycle_start: date,
        language: str = "en",
        country: str | None = None,
        roles: dict[str, list[str]] | None = None,
    ) -> None:
        check_group_id(group_id)
        if group_exists(self.db, group_id):
            raise broken(
                "group.exists",
                N_('there is already a group "{group}" in this book'),
                group=group_id,
            )
        country = country or CURRENCY_COUNTRY.get(constitution.currency)
        if country is None:
            raise broken(
                "group.country_missing", N_("give the group's country (for phone numbers)")
            )
        events: list[Record] = [
            self._event(
                group_id,
                cycle_start,
                "group_created",
                {
                    "name": check_name(name, what=N_("group name")),
                    "currency": constitution.currency,
                    "country": country,
                    "language": check_language(language),
                },
            )
        ]
        cleaned = clean_members(members, country, existing=())
        events += [self._member_event(group_id, cycle_start, m) for m in cleaned]
        if roles:
            events.append(
                self._roles_event(group_id, cycle_start, roles, [m.member_id for m in cleaned])
            )
        events.append(
            self._event(
                group_id,
                cycle_start,
                "cycle_started",
                {
                    "cycle": 1,
                    "constitution": constitution.to_json(),
                },
            )
        )
        self.journal.append(events)

    def add_member(
        self, group_id: str, member: Member, *, on: date, mid_cycle_agreed: bool = False
    ) -> None:
        state = load_state(self.db, group_id)
        if (
            state.cycle_status == "open"
            and state.last_meeting is not None
            and (state.last_meeting.cycle_number == state.cycle_number)
            and not mid_cycle_agreed
        ):
            raise broken(
                "member.mid_cycle",
                N_("the cycle has started: a member joins mid-cycle only if the group agrees"),
            )
        existing = [
            (m.member_id, m.phone, m.shared_phone)
            for m in state.members.values()
            if m.status == "active" or m.member_id == member.member_id
        ]
        (cleaned,) = clean_members([member], state.country, existing=existing)
        self.journal.append([self._member_event(group_id, on, cleaned)])

    def update_member(
        self,
        group_id: str,
        member_id: str,
        *,
        on: date,
        name: str | None = None,
        phone: str | None = None,
        language: str | None = None,
        sms_opt_out: bool | None = None,
    ) -> None:
        """Change what can change about a member; the change stays in the journal."""
        state = load_state(self.db, group_id)
        member = state.members.get(member_id)
        if member is None:
            raise broken(
                "member.unknown", N_("{member} is not a member of the group"), member=member_id
            )
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = check_name(name)
        if language is not None:
            changes["language"] = check_language(language)
        if sms_opt_out is not None:
            changes["sms_opt_out"] = bool(sms_opt_out)
        if phone is not None:
            others = [
                (m.member_id, m.phone, m.shared_phone)
                for m in state.active_members()
                if m.member_id != member_id
            ]
            (checked,) = clean_members(
                [
                    Member(
                        member_id,
                        member.name,
                        member.gender,
                        phone or None,
                        shared_phone=member.shared_phone,
                    )
                ],
                state.country,
                existing=others,
            )
            changes["phone"] = checked.phone
        if changes:
            self.journal.append(
                [self._event(group_id, on, "member_updated", changes, member=member_id)]
            )

    def assign_roles(self, group_id: str, roles: dict[str, list[str]], *, on: date) -> None:
        state = load_state(self.db, group_id)
        self.journal.append(
            [self._roles_event(group_id, on, roles, [m.member_id for m in state.active_members()])]
        )

    def amend_constitution(
        self, group_id: str, changes: dict[str, Any], *, reason: str, on: date
    ) -> Constitution:
        """A change of settings mid-cycle: only by a recorded amendment with its reason."""
        if not reason.strip():
            raise broken(
                "constitution.reason_missing",
                N_("a change of the constitution mid-cycle needs the group's reason"),
            )
        state = load_state(self.db, group_id)
        if "currency" in changes and changes["currency"] != state.constitution.currency:
            raise broken("constitution.currency_fixed", N_("a group's currency cannot change"))
        amended = _amended(state.constitution, changes)
        self.journal.append(
            [
                self._event(
                    group_id,
                    on,
                    "constitution_amended",
                    {
                        "cycle": state.cycle_number,
                        "constitution": amended.to_json(),
                        "changes": {
                            k: v[1] for k, v in state.constitution.changed_fields(amended).items()
                        },
                        "reason": reason.strip(),
                    },
                )
            ]
        )
        return amended

    def update_constitution(self, group_id: str, changes: dict[str, Any]) -> None:
        """Settings change only between cycles (start_cycle) or by amendment."""
        state = load_state(self.db, group_id)
        amended = _amended(state.constitution, changes)
        if state.constitution.changed_fields(amended):
            raise broken(
                "constitution.mid_cycle",
                N_(
                    "the settings of cycle {cycle} are fixed: change them when the next cycle "
                    "starts, or record an amendment with the group's reason"
                ),
                cycle=state.cycle_number,
            )

    # -- meetings ------------------------------------------------------------------------

    def state(self, group_id: str) -> GroupState:
        return load_state(self.db, group_id)

    def preview_meeting(self, group_id: str, plan: MeetingPlan) -> MeetingOutcome:
        return plan_meeting(self.state(group_id), plan, ids=self.ids, lookup=entry_lookup(self.db))  # type: ignore[arg-type]

    def record_meeting(self, group_id: str, plan: MeetingPlan) -> MeetingOutcome:
        """Record a whole meeting at once, or nothing: the first broken rule stops it."""
        with write_transaction(self.db):
            state = self.state(group_id)
            outcome = plan_meeting(state, plan, ids=self.ids, lookup=entry_lookup(self.db))  # type: ignore[arg-type]
            if outcome.problems:
                raise MeetingRefused(outcome.problems)
            self.journal.append(outcome.records)
            self.db.execute("DELETE FROM meeting_drafts WHERE group_id = ?", [group_id])
            for hook in self.after_meeting:
                result = hook(self.db, state, outcome)
                if hook is queue_receipts and isinstance(result, int):
                    outcome.receipts_queued = result
        self.backed_up()
        return outcome

    def reopen_last_meeting(self, group_id: str, *, reason: str) -> int:
        """Reopen the most recent meeting; the reopening stays in the journal for good."""
        if not reason.strip():
            raise broken("meeting.reopen_reason", N_("say why the meeting is reopened"))
        state = self.state(group_id)
        last = state.last_meeting
        if last is None:
            raise broken("meeting.none", N_("there is no meeting to reopen"))
        if last.status == "open":
            raise broken(
                "meeting.already_open", N_("meeting {number} is already open"), number=last.number
            )
        if last.kind == "shareout" or state.cycle_status != "open":
            raise broken(
                "meeting.shareout_final",
                N_("the share-out closed the cycle; it cannot be reopened"),
            )
        self.journal.append(
            [
                make_event(
                    id=self.ids(),
                    group_id=group_id,
                    date=last.date,
                    kind="meeting_reopened",
                    payload={"reason": reason.strip()},
                    meeting_number=last.number,
                )
            ]
        )
        return last.number

    # -- cycles --------------------------------------------------------------------------

    def shareout(
        self,
        group_id: str,
        *,
        on: date,
        counted_cash_minor: int | None = None,
        reason: str = "",
        commit: bool = False,
    ) -> ShareoutPreview:
        """The share-out as it stands (a preview, read only), or, with `commit`, done."""
        if not commit:
            return plan_shareout(
                self.state(group_id),
                on,
                counted_cash_minor=counted_cash_minor,
                reason=reason,
                ids=self.ids,
            )
        with write_transaction(self.db):
            state = self.state(group_id)
            preview = plan_shareout(
                state, on, counted_cash_minor=counted_cash_minor, reason=reason, ids=self.ids
            )
            if preview.problems:
                raise MeetingRefused(preview.problems)
            self.journal.append(preview.records)
        self.backed_up()
        return preview

    def start_cycle(
        self,
        group_id: str,
        *,
        start: date,
        changes: dict[str, Any] | None = None,
        leaving: Iterable[str] = (),
        joining: Sequence[Member] = (),
    ) -> int:
        state = self.state(group_id)
        if state.cycle_status != "closed":
            raise broken(
                "cycle.still_open",
                N_("cycle {cycle} is not shared out yet"),
                cycle=state.cycle_number,
            )
        if state.last_meeting is not None and start < state.last_meeting.date:
            raise broken(
                "cycle.start_before_last_meeting",
                N_("the new cycle cannot start before the last meeting ({date})"),
                date=state.last_meeting.date.isoformat(),
            )
        constitution = _amended(state.constitution, changes or {})
        if constitution.currency != state.constitution.currency:
            raise broken("constitution.currency_fixed", N_("a group's currency cannot change"))
        events: list[Record] = []
        leaving_ids = set(leaving)
        for member_id in sorted(leaving_ids):
            if member_id not in state.members or state.members[member_id].status != "active":
                raise broken(
                    "member.unknown",
                    N_("{member} is not an active member of the group"),
                    member=member_id,
                )
            events.append(
                self._event(
                    group_id, start, "member_left", {"reason": "cycle_end"}, member=member_id
                )
            )
        staying = [
            (m.member_id, m.phone, m.shared_phone)
            for m in state.active_members()
            if m.member_id not in leaving_ids
        ]
        for member in clean_members(joining, state.country, existing=staying):
            if member.member_id in state.members and (
                state.members[member.member_id].status == "active"
            ):
                raise broken(
                    "member.duplicate_id",
                    N_("member number {member} is used twice"),
                    member=member.member_id,
                )
            events.append(self._member_event(group_id, start, member))
        number = state.cycle_number + 1
        events.append(
            self._event(
                group_id,
                start,
                "cycle_started",
                {
                    "cycle": number,
                    "constitution": constitution.to_json(),
                },
            )
        )
        self.journal.append(events)
        return number

    # -- device-local settings, drafts (not the journal) ---------------------------------

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

    # -- internals -----------------------------------------------------------------------

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


def _amended(constitution: Constitution, changes: dict[str, Any]) -> Constitution:
    data = constitution.to_json()
    unknown = sorted(set(changes) - set(data))
    if unknown:
        raise broken(
            "constitution.unknown_setting", N_('"{setting}" is not a setting'), setting=unknown[0]
        )
    data.update(changes)
    try:
        return Constitution.from_json(data)
    except ValueError as error:
        raise broken(
            "constitution.invalid",
            N_("the constitution is not valid: {detail}"),
            detail=_first_error(error),
        ) from error


def _first_error(error: ValueError) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        return f"{where}: {first.get('msg', '')}".strip(": ")
    return str(error)


def clean_members(
    members: Sequence[Member],
    country: str,
    *,
    existing: Iterable[tuple[str, str | None, bool]],
) -> list[Member]:
    """Members checked and normalised: ids and phones unique in the group (a phone may be
    shared only when both members say so), names without invisible characters."""
    seen_ids = {member_id for member_id, _phone, _shared in existing}
    phones = {phone: shared for _id, phone, shared in existing if phone}
    cleaned: list[Member] = []
    for member in members:
        member_id = check_member_id(member.member_id)
        if member_id in seen_ids:
            raise broken(
                "member.duplicate_id", N_("member number {member} is used twice"), member=member_id
            )
        seen_ids.add(member_id)
        phone = None
        if member.phone:
            phone = normalise_phone(member.phone, country)
            if phone in phones and not (phones[phone] and member.shared_phone):
                raise broken(
                    "member.duplicate_phone",
                    N_(
                        "{member}: phone {phone} already belongs to another member (mark both "
                        "as sharing the phone if they do)"
                    ),
                    member=member_id,
                    phone=phone,
                )
            phones[phone] = member.shared_phone
        try:
            cleaned.append(
                Member(
                    member_id=member_id,
                    name=check_name(member.name),
                    gender=check_gender(member.gender),
                    phone=phone,
                    language=None if member.language is None else check_language(member.language),
                    shared_phone=member.shared_phone,
                    roles=member.roles,
                )
            )
        except LedgerError as error:
            raise RuleBroken(error.problem) from error
    return cleaned


def currency_of(book: Book, group_id: str) -> Any:
    row = book.db.execute("SELECT currency FROM groups WHERE id = ?", [group_id]).fetchone()
    if row is None:
        raise broken(
            "group.unknown", N_('there is no group "{group}" in this book'), group=group_id
        )
    return currency(row[0])
