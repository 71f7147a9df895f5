"""Sync, both ends: a device pushes the journal entries the hub has not acknowledged; the hub
stores each once, if it continues the group's chain and comes from the group's writer.

On the hub (`SyncHub`): the devices allowed to push (each with a token, kept only as a
hash), which device writes each group (the first to push it, until an explicit move), and a
quarantine holding every refused push whole, for staff: a refused meeting was still real
cash in a real box. A push is checked entry by entry as the kernel checks its own (fields,
balance, canonical payload, hash), then as a chain: entries the hub already has must be the
very same (same place, same hash); the rest must continue the hub's head. They are then
appended through the same journal and projections a device uses, in one transaction, and
the new head is the acknowledgement. Nothing is ever merged.

On a device (`SyncDevice`): how far the hub has acknowledged each group, what waits.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ledger import N_, LedgerError, Problem
from ledger.chain import GENESIS_HASH, Chained, hash_problem, verify_chain
from ledger.wire import from_wire, to_wire
from vsla.book.base import guarded_methods
from vsla.domain.errors import broken
from vsla.sms.receipts import outcome_of_entries, queue_receipts
from vsla.store.connection import write_transaction

if TYPE_CHECKING:
    from vsla.book.service import Book

MAX_BATCH = 1000  # entries in one push: a year of weekly meetings of a group is about 3,000
RECEIPT_DAYS = 14  # a meeting that reaches the hub later than this after it was held: no SMS
_DEVICE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")


@dataclass(frozen=True, slots=True)
class Head:
    seq: int
    hash: str


@dataclass(frozen=True, slots=True)
class Acknowledged:
    group_id: str
    head: Head
    stored: int
    already: int


@dataclass(frozen=True, slots=True)
class DeviceLine:
    name: str
    added_at: str
    revoked_at: str | None
    groups: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuarantineLine:
    number: int
    group_id: str
    device: str
    received_at: str
    code: str
    reason: str
    hub_seq: int
    first_seq: int | None
    entries: int


@dataclass(frozen=True, slots=True)
class StaleGroup:
    group_id: str
    writer: str | None
    last_push_at: str | None  # None: never pushed (made on the hub, or not yet synced)
    days: int | None  # whole days since then


@dataclass(frozen=True, slots=True)
class Quarantined:
    line: QuarantineLine
    entries: tuple[Any, ...]  # as they came, whole


class SyncRefused(LedgerError):
    """A push the hub did not store: kept in quarantine (number `quarantined`)."""

    def __init__(self, problem: Problem, quarantined: int) -> None:
        super().__init__(problem)
        self.quarantined = quarantined


class _Refusal(Exception):
    def __init__(self, problem: Problem, first_seq: int | None) -> None:
        self.problem, self.first_seq = problem, first_seq


def token_hash(token: str) -> str:
    """Tokens are 32 random bytes: a plain SHA-256 is enough to keep them out of the file."""
    return hashlib.sha256(token.encode()).hexdigest()


def _now(now: datetime) -> str:
    return now.astimezone(UTC).isoformat(timespec="seconds")


# A group's making (up to its first cycle) and a meeting (opened or reopened, then closed)
# were each one transaction where they were recorded: sync moves them whole, so that neither
# the hub nor a restored phone ever holds half of one.
_OPENS = frozenset({"group_created", "meeting_opened", "meeting_reopened"})
_CLOSES = frozenset({"cycle_started", "meeting_closed"})


def units(entries: Iterable[Chained]) -> Iterator[list[Chained]]:
    """`entries` cut where each unit ends (the last may be open: a reopened meeting)."""
    unit: list[Chained] = []
    inside = False
    for entry in entries:
        unit.append(entry)
        if entry.record.kind in _OPENS:
            inside = True
        elif entry.record.kind in _CLOSES:
            inside = False
        if not inside:
            yield unit
            unit = []
    if unit:
        yield unit


def whole_units(entries: Iterable[Chained], limit: int) -> list[dict[str, Any]]:
    """Whole units up to `limit` entries (more only when the first unit alone is larger; the
    last may be open, where the entries end: a device inside a reopened meeting)."""
    taken: list[Chained] = []
    for unit in units(entries):
        if taken and len(taken) + len(unit) > limit:
            break
        taken += unit
        if len(taken) >= limit:
            break
    return [to_wire(entry) for entry in taken]


def _check_hashes(entries: list[Chained]) -> None:
    """Refuses the first entry whose hash is not that of its own fields."""
    for entry in entries:
        altered = hash_problem(entry)
        if altered is not None:
            raise _Refusal(altered, entry.seq)


@guarded_methods
class SyncHub:
    def __init__(self, book: Book) -> None:
        self.book = book
        self.db = book.db

    # -- devices ---------------------------------------------------------------------------

    def add_device(self, name: str, now: datetime) -> str:
        """A new device; its token, shown once (only its hash is kept)."""
        if not _DEVICE_NAME.fullmatch(name):
            raise broken(
                "sync.device_name",
                N_("a device name is 1 to 40 letters, digits, dots, dashes or underscores"),
            )
        token = secrets.token_urlsafe(32)
        with write_transaction(self.db):
            if self._device_row(name) is not None:
                raise broken("sync.device_exists", N_("device {device} exists"), device=name)
            self.db.execute(
                "INSERT INTO devices (name, token_hash, added_at) VALUES (?, ?, ?)",
                [name, token_hash(token), _now(now)],
            )
        return token

    def devices(self) -> list[DeviceLine]:
        rows = self.db.execute(
            "SELECT name, added_at, revoked_at FROM devices ORDER BY name"
        ).fetchall()
        writes: dict[str, list[str]] = {}
        for group_id, device in self.db.execute(
            "SELECT group_id, device FROM group_writers ORDER BY group_id"
        ):
            writes.setdefault(str(device), []).append(str(group_id))
        return [DeviceLine(r[0], r[1], r[2], tuple(writes.get(r[0], ()))) for r in rows]

    def revoke(self, name: str, now: datetime) -> None:
        with write_transaction(self.db):
            self._known_device(name)
            self.db.execute(
                "UPDATE devices SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                [_now(now), name],
            )

    def device_for(self, token: str) -> str | None:
        """The device a token belongs to, unless it was revoked."""
        row = self.db.execute(
            "SELECT name FROM devices WHERE token_hash = ? AND revoked_at IS NULL",
            [token_hash(token)],
        ).fetchone()
        return None if row is None else str(row[0])

    # -- groups ----------------------------------------------------------------------------

    def writer(self, group_id: str) -> str | None:
        row = self.db.execute(
            "SELECT device FROM group_writers WHERE group_id = ?", [group_id]
        ).fetchone()
        return None if row is None else str(row[0])

    def move_group(self, group_id: str, device: str, now: datetime) -> None:
        """Hand a group to `device`: from now on the old writer's pushes are refused."""
        with write_transaction(self.db):
            row = self._device_row(device)
            if row is None or row[1] is not None:
                raise broken(
                    "sync.unknown_device", N_("there is no active device {device}"), device=device
                )
            self.db.execute(
                "INSERT INTO group_writers (group_id, device, since) VALUES (?, ?, ?) "
                "ON CONFLICT (group_id) DO UPDATE SET device = excluded.device, "
                "since = excluded.since",
                [group_id, device, _now(now)],
            )

    def head(self, group_id: str) -> Head | None:
        found = self.book.journal.head_link(group_id)
        return None if found is None else Head(*found)

    # -- a push ----------------------------------------------------------------------------

    def receive(self, device: str, group_id: str, batch: list[Any], now: datetime) -> Acknowledged:
        """Store what continues the group's chain; refuse the whole batch otherwise (it goes
        to quarantine and `SyncRefused` says why)."""
        try:
            entries = self._read(group_id, batch)
            with write_transaction(self.db):
                acknowledged = self._store(device, group_id, entries, now)
        except _Refusal as refusal:
            number = self._quarantine(device, group_id, batch, refusal, now)
            raise SyncRefused(refusal.problem, number) from None
        return acknowledged

    def _read(self, group_id: str, batch: list[Any]) -> list[Chained]:
        if not batch or len(batch) > MAX_BATCH:
            raise _Refusal(
                Problem(
                    "sync.batch_size",
                    N_("a push holds 1 to {most} entries, not {count}"),
                    {"most": MAX_BATCH, "count": len(batch)},
                ),
                None,
            )
        entries: list[Chained] = []
        for place, value in enumerate(batch):
            try:
                # hashed once, by the journal as it links them (see `_check_hashes`)
                entry = from_wire(value, place, hashed=False)
            except LedgerError as error:
                raise _Refusal(error.problem, None) from error
            if entry.record.group_id != group_id:
                raise _Refusal(
                    Problem(
                        "sync.other_group",
                        N_("entry {id} belongs to group {other}, not {group}"),
                        {"id": entry.record.id, "other": entry.record.group_id, "group": group_id},
                    ),
                    entry.seq,
                )
            if entries and entry.seq != entries[-1].seq + 1:
                raise _Refusal(
                    Problem(
                        "sync.not_in_order",
                        N_("entry {id} is not in chain order in the push"),
                        {"id": entry.record.id},
                    ),
                    entry.seq,
                )
            if entries and entry.prev_hash != entries[-1].hash:
                raise _Refusal(
                    Problem(
                        "chain.broken_link",
                        N_(
                            "entry {id} does not follow the entry before it: the journal was "
                            "altered before or at this entry"
                        ),
                        {"id": entry.record.id},
                    ),
                    entry.seq,
                )
            entries.append(entry)
        return entries

    def _store(
        self, device: str, group_id: str, entries: list[Chained], now: datetime
    ) -> Acknowledged:
        writer = self.writer(group_id)
        first = entries[0].seq
        if writer is not None and writer != device:
            raise _Refusal(
                Problem(
                    "sync.not_the_writer",
                    N_(
                        "group {group} is written by device {writer}, not {device}: its push is "
                        "kept in quarantine (an officer hands a group over with `vsla hub group "
                        "move`)"
                    ),
                    {"group": group_id, "writer": writer, "device": device},
                ),
                first,
            )
        head = self.head(group_id)
        held = 0 if head is None else head.seq
        already = [e for e in entries if e.seq <= held]
        _check_hashes(already)  # not stored again, so not hashed by the journal
        for entry in already:
            mine = self._entry_at(group_id, entry.seq)
            if mine is None or mine.hash != entry.hash:
                raise _Refusal(self._fork(group_id, device, entry, mine), first)
        new = [e for e in entries if e.seq > held]
        if new:
            expected_prev = GENESIS_HASH if head is None else head.hash
            if new[0].seq != held + 1 or new[0].prev_hash != expected_prev:
                raise _Refusal(self._gap_or_fork(group_id, device, new[0], held), first)
            try:
                self._append(group_id, new, now)
            except LedgerError as error:
                _check_hashes(new)  # an altered entry is named as such, whatever it broke
                raise _Refusal(error.problem, first) from error
            stored = self.head(group_id)
            if stored is None or stored.hash != new[-1].hash:
                # the journal linked what was sent into another chain: say which entry
                _check_hashes(new)
                raise _Refusal(
                    Problem(
                        "sync.stored_otherwise",
                        N_("entry {id} would be stored with another hash than pushed"),
                        {"id": new[-1].record.id},
                    ),
                    first,
                )
        if new:
            self.db.execute(
                "INSERT INTO pushes (group_id, device, first_seq, last_seq, received_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [group_id, device, new[0].seq, new[-1].seq, _now(now)],
            )
        if writer is None:
            self.db.execute(
                "INSERT INTO group_writers (group_id, device, since) VALUES (?, ?, ?)",
                [group_id, device, _now(now)],
            )
        final = self.head(group_id)
        assert final is not None
        return Acknowledged(group_id, final, len(new), len(already))

    def _append(self, group_id: str, new: list[Chained], now: datetime) -> None:
        """Append what was pushed; queue the SMS receipts of each meeting it closes that was
        held in the last RECEIPT_DAYS days, in this same transaction (a first sync of a
        year of history texts no one about last year). From the first such meeting on, each
        unit is appended on its own, so that a receipt's balances are those right after its
        meeting."""
        recent = now.date() - timedelta(days=RECEIPT_DAYS)
        held: list[Chained] = []
        for unit in units(new):
            closed = [e.record for e in unit if e.record.kind == "meeting_closed"]
            if not any(c.date >= recent for c in closed):
                held += unit  # nothing to text about: appended together, later
                continue
            if held:
                self.book.journal.append([e.record for e in held], join=True)
                held = []
            self.book.journal.append([e.record for e in unit], join=True)
            for record in closed:
                if record.date >= recent and record.meeting_number is not None:
                    self._receipts(group_id, record.meeting_number, unit, now)
        if held:
            self.book.journal.append([e.record for e in held], join=True)

    def _receipts(self, group_id: str, number: int, unit: list[Chained], now: datetime) -> None:
        state = self.book.state(group_id)
        meeting = [e.record for e in unit if e.record.meeting_number == number]
        outcome = outcome_of_entries(number, meeting, state)
        queue_receipts(self.db, state, outcome, ids=self.book.ids, clock=lambda: now)

    def _fork(self, group_id: str, device: str, theirs: Chained, mine: Chained | None) -> Problem:
        params: dict[str, object] = {
            "group": group_id,
            "seq": theirs.seq,
            "device": device,
            "theirs": theirs.record.id,
            "mine": "-" if mine is None else mine.record.id,
        }
        origin = self._origin(group_id, theirs.seq)
        if origin is None:
            message = N_(
                "the chains of group {group} part at entry {seq}: device {device} sent {theirs}, "
                "the hub holds {mine} from its own book; nothing was merged, the push is kept "
                "in quarantine"
            )
        else:
            params["origin"] = origin
            message = N_(
                "the chains of group {group} part at entry {seq}: device {device} sent {theirs}, "
                "the hub holds {mine} from device {origin}; nothing was merged, the push is "
                "kept in quarantine"
            )
        return Problem("sync.fork", message, params)

    def _gap_or_fork(self, group_id: str, device: str, first: Chained, held: int) -> Problem:
        if first.seq > held + 1:
            return Problem(
                "sync.gap",
                N_(
                    "the push of group {group} starts at entry {seq} but the hub holds {held}: "
                    "the entries between are missing (push from the last acknowledged one)"
                ),
                {"group": group_id, "seq": first.seq, "held": held},
            )
        return self._fork(group_id, device, first, self._entry_at(group_id, first.seq))

    def _origin(self, group_id: str, seq: int) -> str | None:
        """The device that pushed the hub's entry at `seq` (None: the hub's own, an import)."""
        row = self.db.execute(
            "SELECT device FROM pushes WHERE group_id = ? AND first_seq <= ? AND last_seq >= ?",
            [group_id, seq, seq],
        ).fetchone()
        return None if row is None else str(row[0])

    def _entry_at(self, group_id: str, seq: int) -> Chained | None:
        row = self.db.execute(
            "SELECT id FROM journal WHERE group_id = ? AND seq = ?", [group_id, seq]
        ).fetchone()
        return None if row is None else self.book.journal.get(str(row[0]))

    def _quarantine(
        self, device: str, group_id: str, batch: list[Any], refusal: _Refusal, now: datetime
    ) -> int:
        head = self.head(group_id)
        with write_transaction(self.db):
            cursor = self.db.execute(
                "INSERT INTO quarantine (group_id, device, received_at, code, reason, hub_seq, "
                "first_seq, entries) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    group_id,
                    device,
                    _now(now),
                    refusal.problem.code,
                    refusal.problem.render(),
                    0 if head is None else head.seq,
                    refusal.first_seq,
                    json.dumps(batch, ensure_ascii=False, default=str),
                ],
            )
        return int(cursor.lastrowid or 0)

    def entries(
        self, group_id: str, after_seq: int, limit: int = MAX_BATCH
    ) -> list[dict[str, Any]]:
        """The group's entries after `after_seq`, as sync sends them, in whole units (a
        device restoring)."""
        return whole_units(self.book.journal.entries(group_id, after_seq), limit)

    def stale(self, days: int, now: datetime) -> list[StaleGroup]:
        """Groups that have not pushed for `days` days or more, or never: the oldest first.
        A warning for programme staff (a lost phone, a facilitator gone)."""
        rows = self.db.execute(
            "SELECT g.id, w.device, (SELECT MAX(received_at) FROM pushes p "
            "WHERE p.group_id = g.id) FROM groups g "
            "LEFT JOIN group_writers w ON w.group_id = g.id ORDER BY g.id"
        ).fetchall()
        found = []
        for group_id, writer, last in rows:
            since = None if last is None else (now - datetime.fromisoformat(last)).days
            if since is None or since >= days:
                found.append(StaleGroup(str(group_id), writer, last, since))
        return sorted(found, key=lambda g: (g.last_push_at is not None, g.last_push_at or ""))

    # -- quarantine ------------------------------------------------------------------------

    def quarantined(self, group_id: str | None = None) -> list[QuarantineLine]:
        where, params = ("WHERE group_id = ?", [group_id]) if group_id else ("", [])
        rows = self.db.execute(
            "SELECT id, group_id, device, received_at, code, reason, hub_seq, first_seq, "
            f"json_array_length(entries) FROM quarantine {where} ORDER BY id",
            params,
        ).fetchall()
        return [QuarantineLine(*row) for row in rows]

    def quarantined_one(self, number: int) -> Quarantined:
        row = self.db.execute(
            "SELECT id, group_id, device, received_at, code, reason, hub_seq, first_seq, "
            "json_array_length(entries), entries FROM quarantine WHERE id = ?",
            [number],
        ).fetchone()
        if row is None:
            raise broken(
                "sync.no_quarantine", N_("there is no quarantined push {number}"), number=number
            )
        return Quarantined(QuarantineLine(*row[:9]), tuple(json.loads(row[9])))

    # -- internals -------------------------------------------------------------------------

    def _device_row(self, name: str) -> tuple[str, str | None] | None:
        row = self.db.execute(
            "SELECT name, revoked_at FROM devices WHERE name = ?", [name]
        ).fetchone()
        return None if row is None else (str(row[0]), row[1])

    def _known_device(self, name: str) -> None:
        if self._device_row(name) is None:
            raise broken("sync.unknown_device", N_("there is no device {device}"), device=name)


@guarded_methods
class SyncDevice:
    """This device's side: how far the hub has acknowledged each group, and what waits."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.db = book.db

    def groups(self) -> list[str]:
        return self.book.journal.group_ids()

    def head(self, group_id: str) -> Head | None:
        """This device's last entry of the group."""
        found = self.book.journal.head_link(group_id)
        return None if found is None else Head(*found)

    def acknowledged(self, group_id: str) -> Head | None:
        row = self.db.execute(
            "SELECT seq, hash FROM sync_acks WHERE group_id = ?", [group_id]
        ).fetchone()
        return None if row is None else Head(int(row[0]), str(row[1]))

    def waiting(self, group_id: str) -> int:
        head = self.book.journal.head_link(group_id)
        acked = self.acknowledged(group_id)
        return (0 if head is None else head[0]) - (0 if acked is None else acked.seq)

    def pending(
        self, group_id: str, limit: int = MAX_BATCH, after_seq: int | None = None
    ) -> list[dict[str, Any]]:
        """The next entries the hub has not acknowledged (or those after `after_seq`: the
        batch after one still on its way), in chain order, as sync sends them, in whole
        units (see `whole_units`)."""
        if after_seq is None:
            acked = self.acknowledged(group_id)
            after_seq = 0 if acked is None else acked.seq
        return whole_units(self.book.journal.entries(group_id, after_seq), limit)

    def restore(self, group_id: str, batch: list[Any], now: datetime) -> Head:
        """Entries of a group fetched from the hub, in chain order from where this device
        stands: checked as the hub checks a push, appended through the journal and its
        projections, and marked as acknowledged (the hub has them). Returns the new head."""
        head = self.book.journal.head_link(group_id)
        after = None
        if head is not None:
            row = self.db.execute(
                "SELECT id FROM journal WHERE group_id = ? AND seq = ?", [group_id, head[0]]
            ).fetchone()
            after = self.book.journal.get(str(row[0]))
        # each hash is checked with the links, by verify_chain
        entries = [from_wire(value, place, hashed=False) for place, value in enumerate(batch)]
        if any(e.record.group_id != group_id for e in entries):
            raise broken("sync.other_group_restore", N_("the hub sent another group's entries"))
        problems = verify_chain(entries, after=after)
        if problems:
            raise LedgerError(problems[0])
        with write_transaction(self.db):
            self.book.journal.append([e.record for e in entries], join=True)
            stored = self.book.journal.head_link(group_id)
            if entries and (stored is None or stored[1] != entries[-1].hash):
                raise broken(
                    "sync.restored_otherwise",
                    N_("the restored entries would be stored with other hashes than the hub's"),
                )
            if stored is not None:
                self.db.execute(
                    "INSERT INTO sync_acks (group_id, seq, hash, acked_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (group_id) DO UPDATE SET seq = excluded.seq, "
                    "hash = excluded.hash, acked_at = excluded.acked_at",
                    [group_id, stored[0], stored[1], _now(now)],
                )
        final = self.book.journal.head_link(group_id)
        assert final is not None
        return Head(*final)

    def against_hub(self, group_id: str, hub_head: Head | None) -> list[Problem]:
        """What the hub's head says of this device's chain (`vsla check --hub`): the hub's
        acknowledged entry must be here, the very same. A book whose history was replaced,
        or that lost meetings after they were synced, cannot hide it from the hub."""
        if hub_head is None:
            return []
        row = self.db.execute(
            "SELECT hash FROM journal WHERE group_id = ? AND seq = ?", [group_id, hub_head.seq]
        ).fetchone()
        if row is None:
            mine = self.head(group_id)
            return [
                Problem(
                    "sync.dropped",
                    N_(
                        "this book holds {mine} entries of group {group} but the hub holds "
                        "{theirs}: entries the hub has were removed from this book"
                    ),
                    {
                        "mine": 0 if mine is None else mine.seq,
                        "group": group_id,
                        "theirs": hub_head.seq,
                    },
                )
            ]
        if str(row[0]) != hub_head.hash:
            return [
                Problem(
                    "sync.replaced",
                    N_(
                        "entry {seq} of group {group} is not the one the hub holds: this book's "
                        "history was replaced"
                    ),
                    {"seq": hub_head.seq, "group": group_id},
                )
            ]
        return []

    def acknowledge(self, group_id: str, head: Head, now: datetime) -> None:
        """The hub holds this group up to `head`; it must be this device's own entry there."""
        row = self.db.execute(
            "SELECT hash FROM journal WHERE group_id = ? AND seq = ?", [group_id, head.seq]
        ).fetchone()
        if row is None or str(row[0]) != head.hash:
            raise broken(
                "sync.ack_not_mine",
                N_(
                    "the hub acknowledged entry {seq} of group {group} with a hash this device "
                    "does not have: the chains differ; nothing was marked as sent"
                ),
                seq=head.seq,
                group=group_id,
            )
        with write_transaction(self.db):
            self.db.execute(
                "INSERT INTO sync_acks (group_id, seq, hash, acked_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (group_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
                "acked_at = excluded.acked_at WHERE excluded.seq >= sync_acks.seq",
                [group_id, head.seq, head.hash, _now(now)],
            )
