"""The errors a front end may meet when it uses the book. Every one is a `BookError` that
carries a translatable problem: a broken rule (`RuleBroken`, `MeetingRefused` with all its
problems), a value typed wrongly, or a book file that cannot be used as asked (busy,
read-only, damaged, not a book). Front ends catch these, from here, and nothing else of the
layers below."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ledger import LedgerError
from vsla.domain.errors import RuleBroken
from vsla.store.errors import (
    BookBusy,
    BookDamaged,
    BookReadOnly,
    NotABook,
    StoreError,
    store_errors,
)

if TYPE_CHECKING:
    from vsla.domain.entries import EntryProblem

BookError = LedgerError  # every error of the kernel, the rules and the store derives from it

# Around a use of the book that may reach SQLite (an export, a long read): any SQLite failure
# leaves as a BookError (busy, damaged …), never as sqlite3's own exception.
failures_as_book_errors = store_errors


class MeetingRefused(RuleBroken):
    """The meeting breaks rules; nothing was recorded. `problems` lists every one of them."""

    def __init__(self, problems: Sequence[EntryProblem]) -> None:
        super().__init__(problems[0].problem)
        self.problems = list(problems)


__all__ = [
    "BookBusy",
    "BookDamaged",
    "BookError",
    "BookReadOnly",
    "MeetingRefused",
    "NotABook",
    "RuleBroken",
    "StoreError",
    "failures_as_book_errors",
]
