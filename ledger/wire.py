"""Journal entries as sync carries them: plain JSON values, read back as strictly as the
kernel checks its own entries.

`to_wire` writes every stored field of an entry at its place in the chain. `from_wire`
takes any JSON value and returns the entry only when it is one the kernel could have made:
the right fields with the right types, a valid id, a balanced transaction with valid
accounts, its payload in canonical form, and a hash that matches. Anything else is a
`LedgerError` naming the entry (or its place in the batch) and what is wrong, never another
exception.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ledger.chain import Chained, hash_problem
from ledger.problems import N_, LedgerError
from ledger.records import Record, Transaction, make_event, make_transaction

_TEXT_FIELDS = ("id", "group_id", "kind", "memo", "prev_hash", "hash", "date", "payload")
_FIELDS = {
    "type",
    "seq",
    "member_id",
    "meeting_number",
    "reverses",
    "postings",
    *_TEXT_FIELDS,
}
MAX_TEXT = 100_000  # characters in any one text field (a payload is the largest: a few kB)


def to_wire(entry: Chained) -> dict[str, Any]:
    record = entry.record
    is_tx = isinstance(record, Transaction)
    return {
        "type": "tx" if is_tx else "event",
        "id": record.id,
        "group_id": record.group_id,
        "seq": entry.seq,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
        "date": record.date.isoformat(),
        "kind": record.kind,
        "memo": record.memo,
        "member_id": record.member_id,
        "meeting_number": record.meeting_number,
        "reverses": record.reverses if isinstance(record, Transaction) else None,
        "payload": record.payload,
        "postings": (
            [[p.account, p.amount_minor] for p in record.postings]
            if isinstance(record, Transaction)
            else []
        ),
    }


def from_wire(value: Any, place: int = 0, *, hashed: bool = True) -> Chained:
    """The entry `value` describes, checked; `place` is its index in the batch.

    `hashed=False` leaves out the check of the entry's own hash, for a caller that links
    the entries itself and compares the head it computed with the last hash sent (the hub:
    a chain computed over every record ends in the sent hash only if each record is the one
    that was hashed). Every other check still holds.
    """
    if not isinstance(value, dict) or set(value) != _FIELDS:
        raise _bad(place, N_("entry {place} of the batch does not have the fields of an entry"))
    for name in _TEXT_FIELDS:
        if not isinstance(value[name], str) or len(value[name]) > MAX_TEXT:
            raise _bad(place, N_("entry {place} of the batch: {field} must be text"), name)
    for name in ("member_id", "reverses"):
        if value[name] is not None and not isinstance(value[name], str):
            raise _bad(place, N_("entry {place} of the batch: {field} must be text"), name)
    for name in ("seq", "meeting_number"):
        number = value[name]
        if name == "meeting_number" and number is None:
            continue
        if type(number) is not int or not 1 <= number < 2**53:
            raise _bad(place, N_("entry {place} of the batch: {field} must be a number"), name)
    try:
        record = _record(value)
    except (ValueError, TypeError) as error:
        if isinstance(error, LedgerError):
            raise
        raise _bad(
            place, N_("entry {place} of the batch: {field} is not valid"), "record"
        ) from error
    entry = Chained(record, value["seq"], value["prev_hash"], value["hash"])
    altered = hash_problem(entry) if hashed else None
    if altered is not None:
        raise LedgerError(altered)
    return entry


def _record(value: dict[str, Any]) -> Record:
    data = json.loads(value["payload"])
    if not isinstance(data, dict):
        raise ValueError("payload is not an object")
    common: dict[str, Any] = {
        "id": value["id"],
        "group_id": value["group_id"],
        "date": date.fromisoformat(value["date"]),
        "kind": value["kind"],
        "memo": value["memo"],
        "member_id": value["member_id"],
        "meeting_number": value["meeting_number"],
        "payload": data,
    }
    if value["type"] == "event":
        if value["postings"] != [] or value["reverses"] is not None:
            raise ValueError("an event has no postings")
        record: Record = make_event(**common)
    elif value["type"] == "tx":
        postings = value["postings"]
        if not isinstance(postings, list) or not all(
            isinstance(p, list)
            and len(p) == 2
            and isinstance(p[0], str)
            and type(p[1]) is int
            and abs(p[1]) < 2**53
            for p in postings
        ):
            raise ValueError("postings must be [account, amount] pairs")
        record = make_transaction(
            **common, postings=[(p[0], p[1]) for p in postings], reverses=value["reverses"]
        )
    else:
        raise ValueError("type must be tx or event")
    # make_* cleans the memo and writes the payload in canonical form; the hash covers
    # both as they were sent, so either must come back unchanged
    if record.memo != value["memo"]:
        raise ValueError("memo is not clean")
    if record.payload != value["payload"]:
        raise ValueError("payload is not canonical")
    return record


def _bad(place: int, message: str, field: str = "") -> LedgerError:
    return LedgerError.of("sync.bad_entry", message, place=place, field=field)
