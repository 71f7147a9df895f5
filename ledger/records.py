"""Journal entries: transactions (money moves, balanced postings) and events (facts, no money).

Both are immutable and carry an id made where they are made. They share one per-group hash
chain, so the order of everything that happened to a group (a member joined, a meeting opened,
shares were bought) can be proven, not just the money.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ledger.accounts import is_valid_account
from ledger.ids import is_valid_id
from ledger.money import MAX_AMOUNT_MINOR
from ledger.problems import N_, LedgerError, Problem, Term

JsonScalar = str | int | bool | None


@dataclass(frozen=True, slots=True)
class Posting:
    """`amount_minor` > 0 debits the account, < 0 credits it."""

    account: str
    amount_minor: int


def canonical_json(value: Any) -> str:
    """The one JSON text of a value: sorted keys, no spaces, no floats (they are refused)."""
    return _CANONICAL.encode(value)


def _refuse(value: object) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__} in a journal payload")


# What json.dumps(value, **these) would build on every call, built once: the same text
# (dumps is this very encoder's encode), without the cost of making it for each entry.
_CANONICAL = json.JSONEncoder(
    ensure_ascii=False,
    sort_keys=True,
    separators=(",", ":"),
    allow_nan=False,
    default=_refuse,
)


_PLAIN = (str, int, bool, type(None))  # by exact type: most of a payload, checked at once


def _check_no_floats(value: Any) -> None:
    if type(value) in _PLAIN:
        return
    if isinstance(value, float):
        raise LedgerError.of("payload.float", N_("journal payloads may not hold decimal numbers"))
    if isinstance(value, Mapping):
        for item in value.values():
            _check_no_floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_no_floats(item)


def payload_text(payload: Mapping[str, Any] | None) -> str:
    if not payload:
        return "{}"
    _check_no_floats(payload)
    return canonical_json(payload)


@dataclass(frozen=True, slots=True)
class Entry:
    """Fields every journal entry has. `payload` is canonical JSON text (see `payload_text`)."""

    id: str
    group_id: str
    date: date
    kind: str
    memo: str = ""
    member_id: str | None = None
    meeting_number: int | None = None
    payload: str = "{}"

    @property
    def data(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.payload)
        return result


@dataclass(frozen=True, slots=True)
class Transaction(Entry):
    postings: tuple[Posting, ...] = field(default=())
    reverses: str | None = None

    def amount_of(self, account: str) -> int:
        return sum(p.amount_minor for p in self.postings if p.account == account)


@dataclass(frozen=True, slots=True)
class Event(Entry):
    """A fact with no money in it: a member joined, a meeting opened or closed."""


Record = Transaction | Event


def clean_text(text: str, *, field_name: str, max_length: int = 200) -> str:
    """NFC text without control, format (zero-width) or escape characters."""
    normal = unicodedata.normalize("NFC", text)
    for char in normal:
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn") or char in "\u2028\u2029":
            raise LedgerError.of(
                "text.invisible",
                N_("{field} contains an invisible or control character (U+{code:04X})"),
                field=Term(field_name),
                code=ord(char),
            )
    if len(normal) > max_length:
        raise LedgerError.of(
            "text.too_long",
            N_("{field} is longer than {limit} characters"),
            field=Term(field_name),
            limit=max_length,
        )
    return normal


def make_transaction(
    *,
    id: str,
    group_id: str,
    date: date,
    kind: str,
    postings: Iterable[tuple[str, int] | Posting],
    memo: str = "",
    member_id: str | None = None,
    meeting_number: int | None = None,
    payload: Mapping[str, Any] | None = None,
    reverses: str | None = None,
) -> Transaction:
    """Build a transaction, dropping nothing: zero postings are an error, not silently removed."""
    built = tuple(p if isinstance(p, Posting) else Posting(p[0], p[1]) for p in postings)
    tx = Transaction(
        id=id,
        group_id=group_id,
        date=date,
        kind=kind,
        memo=clean_text(memo, field_name=N_("memo")),
        member_id=member_id,
        meeting_number=meeting_number,
        payload=payload_text(payload),
        postings=built,
        reverses=reverses,
    )
    problems = transaction_problems(tx)
    if problems:
        raise LedgerError(problems[0])
    return tx


def make_event(
    *,
    id: str,
    group_id: str,
    date: date,
    kind: str,
    payload: Mapping[str, Any] | None = None,
    memo: str = "",
    member_id: str | None = None,
    meeting_number: int | None = None,
) -> Event:
    event = Event(
        id=id,
        group_id=group_id,
        date=date,
        kind=kind,
        memo=clean_text(memo, field_name=N_("memo")),
        member_id=member_id,
        meeting_number=meeting_number,
        payload=payload_text(payload),
    )
    if not is_valid_id(event.id):
        raise LedgerError.of("entry.bad_id", N_('"{id}" is not a valid entry id'), id=event.id)
    return event


def reverse(
    original: Transaction,
    *,
    id: str,
    date: date,
    memo: str,
    meeting_number: int | None = None,
) -> Transaction:
    """The transaction that undoes `original`: the same postings with opposite signs."""
    if original.reverses is not None:
        raise LedgerError.of(
            "reversal.of_reversal",
            N_("{id} is itself a reversal; record the entry again instead of reversing it"),
            id=original.id,
        )
    return make_transaction(
        id=id,
        group_id=original.group_id,
        date=date,
        kind=original.kind,
        postings=[Posting(p.account, -p.amount_minor) for p in original.postings],
        memo=memo,
        member_id=original.member_id,
        meeting_number=meeting_number,
        payload=original.data,
        reverses=original.id,
    )


def transaction_problems(tx: Transaction) -> list[Problem]:
    """What makes `tx` invalid on its own: too few postings, zero amounts, no balance, bad names."""
    problems: list[Problem] = []
    if not is_valid_id(tx.id):
        problems.append(
            Problem("entry.bad_id", N_('"{id}" is not a valid entry id'), {"id": tx.id[:40]}, tx.id)
        )
    if len(tx.postings) < 2:
        problems.append(
            Problem(
                "tx.too_few_postings",
                N_("transaction {id} has {count} posting(s); a transaction needs at least two"),
                {"id": tx.id, "count": len(tx.postings)},
                tx.id,
            )
        )
    for posting in tx.postings:
        if not is_valid_account(posting.account):
            problems.append(
                Problem(
                    "account.invalid",
                    N_('"{account}" is not a valid account name'),
                    {"account": posting.account[:80]},
                    tx.id,
                )
            )
        if isinstance(posting.amount_minor, bool) or not isinstance(posting.amount_minor, int):
            problems.append(
                Problem(
                    "tx.amount_not_integer",
                    N_("transaction {id} has an amount that is not a whole number of minor units"),
                    {"id": tx.id},
                    tx.id,
                )
            )
        elif posting.amount_minor == 0:
            problems.append(
                Problem(
                    "tx.zero_posting",
                    N_("transaction {id} posts zero to {account}"),
                    {"id": tx.id, "account": posting.account},
                    tx.id,
                )
            )
        elif abs(posting.amount_minor) > MAX_AMOUNT_MINOR:
            problems.append(
                Problem(
                    "tx.amount_too_large",
                    N_("transaction {id} posts an absurd amount"),
                    {"id": tx.id},
                    tx.id,
                )
            )
    total = sum(p.amount_minor for p in tx.postings if isinstance(p.amount_minor, int))
    if total != 0:
        problems.append(
            Problem(
                "tx.unbalanced",
                N_("transaction {id} does not balance: its postings sum to {total}"),
                {"id": tx.id, "total": total},
                tx.id,
            )
        )
    if tx.reverses is not None and tx.reverses == tx.id:
        problems.append(
            Problem(
                "reversal.self", N_("transaction {id} cannot reverse itself"), {"id": tx.id}, tx.id
            )
        )
    return problems
