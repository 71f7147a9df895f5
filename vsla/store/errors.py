"""What can go wrong with the book file itself, as errors that carry a translatable problem.

Front ends show them like any broken rule (they are `LedgerError`s), never as a traceback:
"another program is writing this book" is something a facilitator can act on, a raw
`sqlite3.OperationalError: database is locked` is not.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from ledger import N_, LedgerError, Problem

P = ParamSpec("P")
R = TypeVar("R")

# SQLite's primary result codes (the low byte of an extended code), https://sqlite.org/rescode.html
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26


class StoreError(LedgerError):
    """The book file cannot be used as asked; nothing was changed."""

    def __rich__(self) -> str:
        # Textual shows an exception with __rich__ as its message instead of a traceback.
        from vsla.i18n import render_problem

        return render_problem(self.problem)


class NotABook(StoreError):
    """The file is empty, not SQLite, not a book of this program, or from a newer version."""


class BookDamaged(StoreError):
    """SQLite found the file malformed: restore a backup."""


class BookBusy(StoreError):
    """Another program held the write lock past the busy timeout: try again."""


class BookReadOnly(StoreError):
    """The file (or its folder) cannot be written, or it was opened read-only."""


def _problem(code: str, message: str, **params: Any) -> Problem:
    return Problem(code, message, params)


def busy() -> BookBusy:
    return BookBusy(
        _problem(
            "book.busy",
            N_(
                "another program is writing this book; nothing was changed. Wait until it "
                "has finished, then try again"
            ),
        )
    )


def translated(error: sqlite3.Error) -> StoreError:
    """The store's own error for what SQLite raised."""
    primary = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    detail = str(error)
    if primary in (_BUSY, _LOCKED):
        return busy()
    if primary == _READONLY:
        return BookReadOnly(
            _problem("book.read_only", N_("this book is read-only: nothing can be recorded in it"))
        )
    if primary in (_CORRUPT, _NOTADB) or "malformed" in detail:
        return BookDamaged(
            _problem("book.damaged", N_("the book file is damaged ({detail})"), detail=detail)
        )
    if primary == _FULL:
        return StoreError(_problem("book.disk_full", N_("the device is full: nothing was changed")))
    if primary == _CANTOPEN:
        return StoreError(
            _problem(
                "book.cannot_open", N_("the book file cannot be opened ({detail})"), detail=detail
            )
        )
    if primary == _IOERR:
        return StoreError(
            _problem(
                "book.io_error",
                N_("the device could not read or write the book ({detail})"),
                detail=detail,
            )
        )
    return StoreError(
        _problem("book.unusable", N_("the book could not be used: {detail}"), detail=detail)
    )


@contextmanager
def store_errors() -> Iterator[None]:
    """Inside: any SQLite error leaves as the store's own error."""
    try:
        yield
    except sqlite3.Error as error:
        raise translated(error) from error


def guarded(function: Callable[P, R]) -> Callable[P, R]:
    """`function`, raising the store's own errors instead of SQLite's."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with store_errors():
            return function(*args, **kwargs)

    return wrapper
