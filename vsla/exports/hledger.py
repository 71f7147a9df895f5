"""A plain-text-accounting journal of a group that the real `hledger` accepts.

`hledger bal` on it gives the same balances as the book: that is tested against hledger
itself. Amounts are written with the commodity on the left and the currency's ISO decimals.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ledger import Currency, Record, Transaction, currency, format_minor

if TYPE_CHECKING:
    from vsla.book.service import Book as BookBase


def _clean(text: str) -> str:
    # ';' starts a comment in a description and '|' splits payee from note.
    return " ".join(text.replace(";", ",").replace("|", "/").split())


def _amount(amount_minor: int, cur: Currency) -> str:
    return f"{cur.code} {format_minor(amount_minor, cur)}"


def hledger_lines(
    group_id: str,
    group_name: str,
    cur: Currency,
    records: Iterable[Record],
    accounts: Iterable[str],
) -> Iterator[str]:
    yield f"; {group_name} ({group_id}), exported by vsla"
    yield f"; amounts in {cur.code}, {cur.exponent} decimal place(s)"
    yield ""
    sample = format_minor(100_000 * cur.unit_minor, cur)
    # hledger wants a decimal mark in a commodity directive, even with no decimals.
    yield f"commodity {cur.code} {sample}{'.' if cur.exponent == 0 else ''}"
    yield ""
    for account in sorted(accounts):
        yield f"account {account}"
    yield ""
    for record in records:
        if not isinstance(record, Transaction):
            continue
        description = _clean(
            " ".join(
                part
                for part in (record.kind.replace("_", " "), record.member_id or "", record.memo)
                if part
            )
        )
        tags = [f"id:{record.id}"]
        if record.meeting_number is not None:
            tags.append(f"meeting:{record.meeting_number}")
        if record.reverses:
            tags.append(f"reverses:{record.reverses}")
        yield f"{record.date.isoformat()} * {description}  ; {', '.join(tags)}"
        width = max(len(p.account) for p in record.postings) + 4
        for posting in record.postings:
            yield f"    {posting.account:<{width}}{_amount(posting.amount_minor, cur):>24}"
        yield ""


def hledger_text(
    group_id: str,
    group_name: str,
    cur: Currency,
    records: Iterable[Record],
    accounts: Iterable[str],
) -> str:
    return "\n".join(hledger_lines(group_id, group_name, cur, records, accounts)) + "\n"


def hledger_of(book: BookBase, group_id: str) -> str:
    """The group's whole journal for hledger (an unknown group is refused)."""
    group = book.reader.group(group_id)
    accounts = book.journal.recomputed_balances(group_id).keys()
    records = book.journal.records(group_id)
    return hledger_text(group_id, group.name, currency(group.currency), records, accounts)
