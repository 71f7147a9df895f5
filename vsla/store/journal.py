"""The journal in SQLite: idempotent appends that continue each group's hash chain, balances
read in one indexed lookup, and a loader that turns stored rows back into kernel records.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import sqlite_utils

from ledger import (
    GENESIS_HASH,
    N_,
    Chained,
    Event,
    LedgerError,
    Posting,
    Problem,
    Record,
    Transaction,
    check_reversal,
    link,
    verify_chain,
)
from ledger.records import transaction_problems
from vsla.store.connection import write_transaction

Projector = Callable[[sqlite_utils.Database, Chained], None]
# The guard's third argument: (group, account) pairs it already found in this append
# (members and loans are never deleted, so they stay valid to its end; a push of a year
# asks once per account, not once per posting).
AccountGuard = Callable[[sqlite_utils.Database, Transaction, set[tuple[str, str]]], list[Problem]]


class IdConflict(LedgerError):
    """An id already in the journal arrived with different content: never overwrite."""


class InvalidEntry(LedgerError):
    """An entry broke a kernel rule and was not recorded."""


@dataclass(frozen=True, slots=True)
class AppendResult:
    entry_id: str
    seq: int
    status: Literal["recorded", "already_recorded"]


_INSERT_ENTRY = (
    "INSERT INTO journal (id, group_id, seq, record_type, date, kind, memo, member_id, "
    "meeting_number, reverses, payload, prev_hash, hash) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_POSTING = (
    "INSERT INTO postings (entry_id, idx, group_id, account, amount_minor) VALUES (?, ?, ?, ?, ?)"
)
_SELECT_ENTRY = (
    "SELECT id, group_id, seq, record_type, date, kind, memo, member_id, meeting_number, "
    "reverses, payload, prev_hash, hash FROM journal"
)


class Journal:
    """Append-only entries of every group in one database.

    `projector` updates the book's tables (members, meetings, loans) from each new entry, in
    the same SQLite transaction; `guard` adds domain checks (accounts of the group) before a
    transaction is stored.
    """

    def __init__(
        self,
        db: sqlite_utils.Database,
        projector: Projector | None = None,
        guard: AccountGuard | None = None,
    ) -> None:
        self.db = db
        self._projector = projector
        self._guard = guard

    def append(self, records: Iterable[Record], *, join: bool = False) -> list[AppendResult]:
        """Store each record after its group's head, all in one SQLite transaction.

        A record whose id is already stored with the same content is acknowledged
        ("already_recorded"), so a retry after a crash is safe; the same id with other
        content raises IdConflict and nothing of the batch is stored.

        `join`: the caller holds a write transaction that it rolls back whole on any
        failure (sync's pushes and restores): the records join it rather than open a
        savepoint. Inside a savepoint SQLite keeps a copy of every page it changes, which
        more than doubled the cost of each insert of a large push.
        """
        batch = list(records)
        if join:
            if not self.db.conn.in_transaction:
                raise RuntimeError("append(join=True) needs the caller's write transaction")
            return self._append(batch)
        with write_transaction(self.db):
            return self._append(batch)

    def _append(self, batch: list[Record]) -> list[AppendResult]:
        results: list[AppendResult] = []
        heads: dict[str, tuple[int, str]] = {}
        conn = self.db.conn
        stored = self._stored_ids([record.id for record in batch])
        known_accounts: set[tuple[str, str]] = set()
        for record in batch:
            existing = self.get(record.id) if record.id in stored else None
            stored.add(record.id)  # the same id twice in one batch is a retry or a conflict
            if existing is not None:
                if existing.record != record:
                    raise IdConflict.of(
                        "entry.id_conflict",
                        N_("entry {id} is already recorded with different content"),
                        id=record.id,
                    )
                results.append(AppendResult(record.id, existing.seq, "already_recorded"))
                continue
            if isinstance(record, Transaction):
                problems = transaction_problems(record)
                if not problems and record.reverses is not None:
                    problems = self._reversal_problems(record)
                if not problems and self._guard is not None:
                    problems = self._guard(self.db, record, known_accounts)
                if problems:
                    raise InvalidEntry(problems[0])
            group = record.group_id
            if group not in heads:
                heads[group] = self.head_link(group) or (0, GENESIS_HASH)
            seq, prev_hash = heads[group]
            chained = link(record, seq + 1, prev_hash)
            conn.execute(_INSERT_ENTRY, _entry_row(chained))
            if isinstance(record, Transaction):
                conn.executemany(
                    _INSERT_POSTING,
                    [
                        (record.id, i, group, p.account, p.amount_minor)
                        for i, p in enumerate(record.postings)
                    ],
                )
            if self._projector is not None:
                self._projector(self.db, chained)
            heads[group] = (chained.seq, chained.hash)
            results.append(AppendResult(record.id, chained.seq, "recorded"))
        return results

    def _stored_ids(self, ids: list[str]) -> set[str]:
        """Which of `ids` are already in the journal: one query per 500, not one per entry."""
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                str(r[0])
                for r in self.db.execute(f"SELECT id FROM journal WHERE id IN ({marks})", chunk)
            )
        return found

    def _reversal_problems(self, reversal: Transaction) -> list[Problem]:
        original = self.get(reversal.reverses or "")
        if (
            original is None
            or original.record.group_id != reversal.group_id
            or not isinstance(original.record, Transaction)
        ):
            return [
                Problem(
                    "reversal.unknown_original",
                    N_(
                        "transaction {id} reverses {original}, which is not earlier in the journal "
                        "of this group"
                    ),
                    {"id": reversal.id, "original": reversal.reverses},
                    reversal.id,
                )
            ]
        problems = check_reversal(original.record, reversal)
        already = self.db.execute(
            "SELECT id FROM journal WHERE reverses = ?", [original.record.id]
        ).fetchone()
        if already is not None:
            problems.append(
                Problem(
                    "reversal.twice",
                    N_("{original} is reversed twice (by {first} and {id})"),
                    {"id": reversal.id, "original": original.record.id, "first": already[0]},
                    reversal.id,
                )
            )
        return problems

    def head_link(self, group_id: str) -> tuple[int, str] | None:
        row = self.db.execute(
            "SELECT seq, hash FROM journal WHERE group_id = ? ORDER BY seq DESC LIMIT 1",
            [group_id],
        ).fetchone()
        return None if row is None else (int(row[0]), str(row[1]))

    def get(self, entry_id: str) -> Chained | None:
        row = self.db.execute(f"{_SELECT_ENTRY} WHERE id = ?", [entry_id]).fetchone()
        if row is None:
            return None
        postings = self.db.execute(
            "SELECT idx, group_id, account, amount_minor FROM postings "
            "WHERE entry_id = ? ORDER BY idx",
            [entry_id],
        ).fetchall()
        chained, _ = _load(row, postings)
        return chained

    def entries(self, group_id: str, after_seq: int = 0) -> Iterator[Chained]:
        for chained, _ in self.stored_entries(group_id, after_seq):
            yield chained

    def records(self, group_id: str, after_seq: int = 0) -> Iterator[Record]:
        for chained in self.entries(group_id, after_seq):
            yield chained.record

    def stored_entries(
        self, group_id: str, after_seq: int = 0
    ) -> Iterator[tuple[Chained, list[Problem]]]:
        """Entries in chain order, with what is wrong with the stored rows of each.

        Streams both tables in step so that checking millions of postings needs no memory.
        """
        entries = self.db.conn.execute(
            f"{_SELECT_ENTRY} WHERE group_id = ? AND seq > ? ORDER BY seq", [group_id, after_seq]
        )
        postings = self.db.conn.execute(
            "SELECT p.entry_id, p.idx, p.group_id, p.account, p.amount_minor "
            "FROM postings p JOIN journal j ON j.id = p.entry_id "
            "WHERE j.group_id = ? AND j.seq > ? ORDER BY j.seq, p.idx",
            [group_id, after_seq],
        )
        pending = postings.fetchone()
        for row in entries:
            rows: list[tuple[Any, ...]] = []
            while pending is not None and pending[0] == row[0]:
                rows.append(tuple(pending[1:]))
                pending = postings.fetchone()
            yield _load(row, rows)

    def verify(self, group_id: str) -> list[Problem]:
        """Every way the stored journal of a group differs from what was chained."""
        problems: list[Problem] = []

        def links() -> Iterator[Chained]:
            for chained, row_problems in self.stored_entries(group_id):
                problems.extend(row_problems)
                yield chained

        problems.extend(verify_chain(links()))
        for (entry_id,) in self.db.execute(
            "SELECT DISTINCT entry_id FROM postings WHERE group_id = ? "
            "AND entry_id NOT IN (SELECT id FROM journal WHERE group_id = ?)",
            [group_id, group_id],
        ):
            problems.append(
                Problem(
                    "chain.orphan_posting",
                    N_("postings of entry {id} are in the journal but the entry is not"),
                    {"id": entry_id},
                    entry_id,
                )
            )
        return problems

    def balance(self, group_id: str, account: str) -> int:
        row = self.db.execute(
            "SELECT balance_minor FROM balances WHERE group_id = ? AND account = ?",
            [group_id, account],
        ).fetchone()
        return 0 if row is None else int(row[0])

    def balances(self, group_id: str, prefix: str | None = None) -> dict[str, int]:
        """Balances of a group's accounts, optionally those under `prefix` (`equity:savings`)."""
        if prefix is None:
            rows = self.db.execute(
                "SELECT account, balance_minor FROM balances WHERE group_id = ?", [group_id]
            )
        else:
            rows = self.db.execute(
                "SELECT account, balance_minor FROM balances WHERE group_id = ? "
                "AND (account = ? OR (account >= ? AND account < ?))",
                [group_id, prefix, prefix + ":", prefix + ";"],
            )
        return {str(account): int(amount) for account, amount in rows}

    def recomputed_balances(self, group_id: str) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT account, SUM(amount_minor) FROM postings WHERE group_id = ? GROUP BY account",
            [group_id],
        )
        return {str(account): int(amount) for account, amount in rows}

    def group_ids(self) -> list[str]:
        return [str(r[0]) for r in self.db.execute("SELECT DISTINCT group_id FROM journal")]


def _entry_row(chained: Chained) -> tuple[Any, ...]:
    record = chained.record
    is_tx = isinstance(record, Transaction)
    return (
        record.id,
        record.group_id,
        chained.seq,
        "tx" if is_tx else "event",
        record.date.isoformat(),
        record.kind,
        record.memo,
        record.member_id,
        record.meeting_number,
        record.reverses if isinstance(record, Transaction) else None,
        record.payload,
        chained.prev_hash,
        chained.hash,
    )


def _load(
    row: Sequence[Any], posting_rows: Sequence[Sequence[Any]]
) -> tuple[Chained, list[Problem]]:
    """A stored entry as a chained record, and what is structurally wrong with its rows.

    A row that cannot even be read becomes a stand-in whose hash cannot match, so the chain
    check names it like any other altered entry.
    """
    (
        entry_id,
        group_id,
        seq,
        record_type,
        day,
        kind,
        memo,
        member_id,
        meeting_number,
        reverses,
        payload,
        prev_hash,
        stored_hash,
    ) = row
    problems: list[Problem] = []
    for expected_idx, (idx, posting_group, _account, _amount) in enumerate(posting_rows):
        if idx != expected_idx or posting_group != group_id:
            problems.append(
                Problem(
                    "chain.altered_posting",
                    N_("a posting of entry {id} was altered after it was recorded"),
                    {"id": entry_id},
                    entry_id,
                )
            )
            break
    try:
        fields: dict[str, Any] = {
            "id": entry_id,
            "group_id": group_id,
            "date": date.fromisoformat(day),
            "kind": kind,
            "memo": memo,
            "member_id": member_id,
            "meeting_number": meeting_number,
            "payload": payload,
        }
        record: Record
        if record_type == "tx":
            record = Transaction(
                **fields,
                postings=tuple(Posting(str(a), int(m)) for _i, _g, a, m in posting_rows),
                reverses=reverses,
            )
        else:
            record = Event(**fields)
            if posting_rows or reverses is not None:
                problems.append(
                    Problem(
                        "chain.altered_posting",
                        N_("a posting of entry {id} was altered after it was recorded"),
                        {"id": entry_id},
                        entry_id,
                    )
                )
    except (TypeError, ValueError, sqlite3.Error):
        record = Event(id=str(entry_id), group_id=str(group_id), date=date.min, kind="unreadable")
    return Chained(record, int(seq), str(prev_hash), str(stored_hash)), problems
