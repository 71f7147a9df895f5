"""Someone with the database file drops the triggers and edits one byte of one stored entry:
the chain check fails and names the entry."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import Record, make_event, make_transaction, new_id
from vsla.store import Journal, open_database

JOURNAL_COLUMNS = (
    "id",
    "group_id",
    "seq",
    "record_type",
    "date",
    "kind",
    "memo",
    "member_id",
    "meeting_number",
    "reverses",
    "payload",
    "prev_hash",
    "hash",
)
POSTING_COLUMNS = ("entry_id", "idx", "group_id", "account", "amount_minor")


def filled_journal(size: int) -> tuple[sqlite3.Connection, Journal, list[str]]:
    db = open_database(":memory:")
    journal = Journal(db)
    ids = []
    for i in range(size):
        record: Record
        if i % 4 == 3:
            record = make_event(
                id=new_id(),
                group_id="umoja",
                date=date(2026, 1, 1 + i % 20),
                kind="member_joined",
                member_id=f"M{i:02d}",
                meeting_number=1 + i // 5,
                payload={"name": "Aida Nsimba"},
            )
        else:
            record = make_transaction(
                id=new_id(),
                group_id="umoja",
                date=date(2026, 1, 1 + i % 20),
                kind="shares",
                postings=[
                    ("assets:cash:loan_fund", 1000 * (i + 1)),
                    (f"equity:savings:M{i % 5:02d}", -1000 * (i + 1)),
                ],
                member_id=f"M{i % 5:02d}",
                memo="shares",
            )
        journal.append([record])
        ids.append(record.id)
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        db.execute(f"DROP TRIGGER {name}")
    return db.conn, journal, ids


def edited(value: object, position: int) -> object:
    if value is None:
        return 7
    if isinstance(value, int):
        return value + 1 + position % 7
    text = str(value)
    index = position % len(text) if text else 0
    if not text:
        return "x"
    replacement = "Z" if text[index] != "Z" else "Y"
    return text[:index] + replacement + text[index + 1 :]


def problem_ids(journal: Journal) -> set[str | None]:
    found: set[str | None] = set()
    for group in journal.group_ids():
        found |= {p.record_id for p in journal.verify(group)}
    return found


COLUMNS = [("journal", c) for c in JOURNAL_COLUMNS] + [("postings", c) for c in POSTING_COLUMNS]


@pytest.mark.parametrize(("table", "column"), COLUMNS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    target=st.integers(min_value=0, max_value=11),
    position=st.integers(min_value=0, max_value=63),
)
def test_editing_any_byte_of_any_entry_is_found_and_named(
    table: str, column: str, target: int, position: int
) -> None:
    conn, journal, ids = filled_journal(12)
    if table == "postings" and target % 4 == 3:
        target -= 1  # events have no postings
    entry_id = ids[target]
    if table == "journal":
        old = conn.execute(f"SELECT {column} FROM journal WHERE id = ?", [entry_id]).fetchone()[0]
        new = edited(old, position)
        try:
            conn.execute(f"UPDATE journal SET {column} = ? WHERE id = ?", [new, entry_id])
        except sqlite3.IntegrityError:
            return  # the schema refused the edit (CHECK, UNIQUE, STRICT): nothing changed
        named = {entry_id, new} if column == "id" else {entry_id}
    else:
        idx = position % 2
        old = conn.execute(
            f"SELECT {column} FROM postings WHERE entry_id = ? AND idx = ?", [entry_id, idx]
        ).fetchone()[0]
        new = edited(old, position)
        try:
            conn.execute(
                f"UPDATE postings SET {column} = ? WHERE entry_id = ? AND idx = ?",
                [new, entry_id, idx],
            )
        except sqlite3.IntegrityError:
            return
        named = {entry_id}
    assert new != old
    found = problem_ids(journal)
    assert found & named, f"editing {table}.{column} of {entry_id} went unnoticed"


def test_deleting_an_entry_is_found() -> None:
    conn, journal, ids = filled_journal(8)
    conn.execute("DELETE FROM postings WHERE entry_id = ?", [ids[4]])
    conn.execute("DELETE FROM journal WHERE id = ?", [ids[4]])
    assert ids[5] in problem_ids(journal)


def test_an_untouched_journal_has_no_problems() -> None:
    _conn, journal, _ids = filled_journal(12)
    assert problem_ids(journal) == set()
