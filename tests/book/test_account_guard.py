"""The journal's account guard: a posting must go to an account of its own group. It asks
the book once per account in an append, so what it found in one group must not pass for
another group's."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger import Transaction, make_transaction
from ledger.ids import new_id
from vsla.book.service import Book
from vsla.domain import accounts as acc
from vsla.store.journal import InvalidEntry

from ..support import MONDAY, new_group


def payment(group_id: str, member_id: str) -> Transaction:
    return make_transaction(
        id=new_id(),
        group_id=group_id,
        date=MONDAY,
        kind="adjustment",
        postings=[(acc.LOAN_FUND_CASH, 100), (acc.savings(member_id), -100)],
    )


def test_a_member_of_one_group_is_no_account_of_another_in_the_same_append(
    tmp_path: Path,
) -> None:
    """umoja has M01..M05, tumaini only M01 and M02: M05's savings are umoja's account, not
    tumaini's, even right after the guard found them in umoja."""
    book = Book.open(tmp_path / "book.sqlite")
    new_group(book, "umoja")
    new_group(book, "tumaini", members=2)
    before = book.journal.head_link("umoja"), book.journal.head_link("tumaini")
    with pytest.raises(InvalidEntry) as refused:
        book.journal.append([payment("umoja", "M05"), payment("tumaini", "M05")])
    assert refused.value.problem.code == "account.unknown"
    assert refused.value.problem.params["group"] == "tumaini"
    assert (book.journal.head_link("umoja"), book.journal.head_link("tumaini")) == before
    stored = book.journal.append([payment("umoja", "M05"), payment("tumaini", "M02")])
    assert [r.status for r in stored] == ["recorded", "recorded"]
    book.close()
