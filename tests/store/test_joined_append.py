"""`Journal.append(join=True)`: the entries join the caller's write transaction instead of
a savepoint (sync's pushes), so they stand or fall with it, and without one it refuses."""

from __future__ import annotations

from datetime import date

import pytest

from ledger import Transaction, make_transaction, new_id
from vsla.store import Journal, open_database, write_transaction

DAY = date(2026, 1, 5)


def deposit(amount_minor: int) -> Transaction:
    return make_transaction(
        id=new_id(),
        group_id="umoja",
        date=DAY,
        kind="shares",
        postings=[("assets:cash:loan_fund", amount_minor), ("equity:savings:M01", -amount_minor)],
    )


def test_joined_entries_are_undone_with_the_callers_transaction() -> None:
    db = open_database(":memory:")
    journal = Journal(db)
    journal.append([deposit(1_000)])
    with pytest.raises(RuntimeError, match="refused later"), write_transaction(db):
        journal.append([deposit(2_000), deposit(3_000)], join=True)
        assert journal.balance("umoja", "assets:cash:loan_fund") == 6_000  # seen inside
        raise RuntimeError("the push was refused later in the same transaction")
    assert journal.balance("umoja", "assets:cash:loan_fund") == 1_000
    head = journal.head_link("umoja")
    assert head is not None and head[0] == 1  # the first deposit only
    with write_transaction(db):
        journal.append([deposit(2_000)], join=True)
    assert journal.balance("umoja", "assets:cash:loan_fund") == 3_000


def test_a_joined_append_needs_the_callers_transaction() -> None:
    db = open_database(":memory:")
    with pytest.raises(RuntimeError, match="write transaction"):
        Journal(db).append([deposit(1_000)], join=True)
    assert Journal(db).head_link("umoja") is None
