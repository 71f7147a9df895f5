"""The per-group hash chain: each entry stores the hash of the one before it.

The hash covers every stored field of the entry and of each posting (through a canonical
encoding), its place in the chain (`seq`) and the previous hash. Altering, dropping,
reordering or inserting any entry therefore breaks the chain at that entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from ledger.problems import N_, Problem
from ledger.records import Event, Record, Transaction, canonical_json

GENESIS_HASH = "0" * 64
ENCODING_VERSION = "vsla-entry/1"


@dataclass(frozen=True, slots=True)
class Chained:
    """An entry at its place in its group's chain."""

    record: Record
    seq: int
    prev_hash: str
    hash: str


def canonical_bytes(record: Record, seq: int, prev_hash: str) -> bytes:
    if isinstance(record, Transaction):
        record_type = "tx"
        postings = [[i, p.account, p.amount_minor] for i, p in enumerate(record.postings)]
        reverses = record.reverses
    else:
        record_type = "event"
        postings = []
        reverses = None
    return canonical_json(
        [
            ENCODING_VERSION,
            record_type,
            record.id,
            record.group_id,
            seq,
            prev_hash,
            record.date.isoformat(),
            record.kind,
            record.memo,
            record.member_id,
            record.meeting_number,
            reverses,
            record.payload,
            postings,
        ]
    ).encode("utf-8")


def entry_hash(record: Record, seq: int, prev_hash: str) -> str:
    return hashlib.sha256(canonical_bytes(record, seq, prev_hash)).hexdigest()


def link(record: Record, seq: int, prev_hash: str) -> Chained:
    return Chained(record, seq, prev_hash, entry_hash(record, seq, prev_hash))


def link_after(head: Chained | None, record: Record) -> Chained:
    """`record` chained after `head` (None for a group's first entry)."""
    if head is None:
        return link(record, 1, GENESIS_HASH)
    return link(record, head.seq + 1, head.hash)


def verify_chain(entries: Iterable[Chained], *, after: Chained | None = None) -> list[Problem]:
    """Problems with a group's chain, given in stored order; `after` is a trusted earlier head.

    Each problem names the first entry at which the chain stops being what was signed.
    """
    problems: list[Problem] = []
    expected_seq = 1 if after is None else after.seq + 1
    expected_prev = GENESIS_HASH if after is None else after.hash
    group_id = None if after is None else after.record.group_id
    for entry in entries:
        record = entry.record
        if group_id is None:
            group_id = record.group_id
        if record.group_id != group_id:
            problems.append(
                _problem(
                    "chain.other_group",
                    N_("entry {id} belongs to group {other}, not {group}"),
                    record,
                    other=record.group_id,
                    group=group_id,
                )
            )
        if entry.seq != expected_seq:
            problems.append(
                _problem(
                    "chain.seq_gap",
                    N_(
                        "entry {id} is number {seq} in the chain where {expected} was expected: "
                        "an entry was dropped, inserted or moved"
                    ),
                    record,
                    seq=entry.seq,
                    expected=expected_seq,
                )
            )
        if entry.prev_hash != expected_prev:
            problems.append(
                _problem(
                    "chain.broken_link",
                    N_(
                        "entry {id} does not follow the entry before it: the journal was altered "
                        "before or at this entry"
                    ),
                    record,
                )
            )
        altered = hash_problem(entry)
        if altered is not None:
            problems.append(altered)
        expected_seq = entry.seq + 1
        expected_prev = entry.hash
    return problems


def hash_problem(entry: Chained) -> Problem | None:
    """`chain.altered` when the entry's hash is not that of its own fields."""
    if entry_hash(entry.record, entry.seq, entry.prev_hash) == entry.hash:
        return None
    return _problem(
        "chain.altered",
        N_("entry {id} was altered after it was recorded (its hash does not match)"),
        entry.record,
    )


def _problem(code: str, message: str, record: Record | Event, **params: object) -> Problem:
    return Problem(code, message, {"id": record.id, **params}, record.id)
