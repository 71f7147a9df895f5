"""import(export(group)) gives the same ledger, for every demo group, in TOML and in JSON."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledger import Transaction
from vsla.book.service import Book
from vsla.cli import app

GROUPS = ["kolwezi-umoja", "kolwezi-tumaini", "bukavu-amani", "mubende-twekembe"]


def ledger_of(book: Book, group: str) -> tuple[Counter[tuple[object, ...]], dict[str, int]]:
    """The money of a group: every transaction (by date, kind, member, postings) and the
    balances; ids of the entries the book makes by itself are not compared."""
    transactions: Counter[tuple[object, ...]] = Counter()
    for record in book.journal.records(group):
        if isinstance(record, Transaction):
            transactions[
                (
                    record.date,
                    record.kind,
                    record.member_id,
                    record.reverses is None,
                    tuple(sorted((p.account, p.amount_minor) for p in record.postings)),
                )
            ] += 1
    balances = {a: b for a, b in book.journal.balances(group).items() if b}
    return transactions, balances


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_export_then_import_gives_the_same_ledger(
    demo_db: Path, tmp_path: Path, group: str, suffix: str
) -> None:
    exported = tmp_path / f"{group}{suffix}"
    result = CliRunner().invoke(
        app, ["export", group, "--format", "book", "-o", str(exported), "--db", str(demo_db)]
    )
    assert result.exit_code == 0, result.output
    copy = tmp_path / "copy.sqlite"
    result = CliRunner().invoke(app, ["import", str(exported), "--db", str(copy)])
    assert result.exit_code == 0, result.output
    original, imported = Book.open(demo_db), Book.open(copy)
    try:
        assert ledger_of(imported, group) == ledger_of(original, group)
        entries = {r.id for r in original.journal.records(group) if isinstance(r, Transaction)}
        kept = {r.id for r in imported.journal.records(group) if isinstance(r, Transaction)}
        assert len(entries & kept) > len(kept) // 2  # entries a person made keep their ids
    finally:
        original.close()
        imported.close()


def test_a_reversal_and_a_reopened_meeting_survive_the_round_trip(tmp_path: Path) -> None:
    from vsla.domain.entries import Reversal, Shares

    from ..support import meet, new_group, week

    book = Book.open(tmp_path / "a.sqlite")
    new_group(book)
    meet(book, week(1), Shares("M01", 5))
    wrong = next(
        r
        for r in book.journal.records("umoja")
        if isinstance(r, Transaction) and r.kind == "shares"
    )
    book.reopen_last_meeting("umoja", reason="M02 forgotten")
    meet(book, week(1), Shares("M02", 1))
    meet(book, week(2), Reversal(wrong.id, "she bought 4"), Shares("M01", 4))
    from vsla.bookfile.writer import book_document, to_toml

    text = to_toml(book_document(book.journal, "umoja"))
    assert 'reopen_reason = "M02 forgotten"' in text
    assert f'reverse = "{wrong.id}"' in text
    path = tmp_path / "umoja.toml"
    path.write_text(text)
    from vsla.bookfile.reader import import_book

    copy = Book.open(tmp_path / "b.sqlite")
    import_book(copy, path)
    assert ledger_of(copy, "umoja") == ledger_of(book, "umoja")
    kinds = [r.kind for r in copy.journal.records("umoja")]
    assert kinds.count("meeting_reopened") == 1
