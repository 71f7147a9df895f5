"""The errors a front end may meet when it uses the book, all `LedgerError`s that carry a
translatable problem: a broken rule (`RuleBroken`, `MeetingRefused`) or a book file that
cannot be used as asked (busy, read-only, damaged, not a book). Front ends import them from
here, never from the store."""

from vsla.book.service import MeetingRefused
from vsla.domain.errors import RuleBroken
from vsla.store.errors import BookBusy, BookDamaged, BookReadOnly, NotABook, StoreError

__all__ = [
    "BookBusy",
    "BookDamaged",
    "BookReadOnly",
    "MeetingRefused",
    "NotABook",
    "RuleBroken",
    "StoreError",
]
