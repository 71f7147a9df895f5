"""What every command shares: the database option, the exit codes, errors on stderr, JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import platformdirs
import typer

from ledger import N_
from vsla.book.errors import (
    BookDamaged,
    BookError,
    BookReadOnly,
    MeetingRefused,
    NotABook,
    failures_as_book_errors,
)
from vsla.domain.dates import date_out_of_range
from vsla.i18n import default_language, render_problem, tr

if TYPE_CHECKING:
    from vsla.book.reader import Reader
    from vsla.book.service import Book

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2


def data_dir() -> Path:
    return platformdirs.user_data_path("vsla", appauthor=False)


def default_db() -> Path:
    return data_dir() / "books.sqlite"


def demo_db() -> Path:
    return data_dir() / "demo.sqlite"


DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar="VSLA_DB",
        metavar="PATH",
        help=tr(N_("the book database (default: a file in your data folder)")),
        dir_okay=False,
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help=tr(N_("print JSON for scripts")))]


def resolve_db(db: Path | None) -> Path:
    return db if db is not None else default_db()


def fail(message: str) -> NoReturn:
    typer.echo(tr(N_("error: {message}"), message=message), err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


@contextmanager
def bad_input_exits(book_path: Path | None = None) -> Iterator[None]:
    """Any broken rule, bad value or unusable book file: a message on stderr and exit
    status 2; for a damaged book, where its latest backup is."""
    language = default_language()
    try:
        yield
    except MeetingRefused as refused:
        first = refused.problems[0]
        where = f"{first.member}, " if first.member else ""
        fail(where + render_problem(first.problem, language))
    except (BookDamaged, NotABook) as error:
        message = render_problem(error.problem, language)
        if book_path is not None and book_path.exists():
            from vsla.book.backups import damage_advice

            advice = damage_advice(
                book_path.resolve(), language, damaged=isinstance(error, BookDamaged)
            )
            message += f"\n{advice}" if advice else ""
        fail(message)
    except BookError as error:
        fail(
            render_problem(error.problem, language)
            if not hasattr(error, "located")
            else _located(error, language)
        )


def _located(error: BookError, language: str) -> str:
    from vsla.bookfile.reader import describe

    return describe(error.located, language)  # type: ignore[attr-defined]


@contextmanager
def open_book(db: Path | None, *, write: bool = False, create: bool = False) -> Iterator[Book]:
    """The book for one command; whatever goes wrong inside is a message and exit status 2.

    A command that only reads opens a read-only book too; one that writes (`write`) backs
    the book up after each closed meeting. Only `create` makes a new book, and only where
    there is no file at all.
    """
    path = resolve_db(db)
    if not create and not path.exists():
        fail(
            tr(
                N_("there is no book at {path} (use --db or VSLA_DB, or `vsla import`)"),
                path=str(path),
            )
        )
    with bad_input_exits(path), failures_as_book_errors():
        from vsla.book.service import Book

        if write:
            from vsla.book.backups import default_backup_dir

            book = Book.open(path, create=create, backup_dir=default_backup_dir(path))
        else:
            try:
                book = Book.open(path, create=False)
            except BookReadOnly:
                book = Book.open(path, read_only=True)
        try:
            yield book
        finally:
            book.close()


@contextmanager
def open_reader(db: Path | None) -> Iterator[Reader]:
    """The book for a command that only reads: its read side, nothing more loaded (a
    read-only file is read all the same). Failures are messages and exit status 2."""
    path = resolve_db(db)
    if not path.exists():
        fail(
            tr(
                N_("there is no book at {path} (use --db or VSLA_DB, or `vsla import`)"),
                path=str(path),
            )
        )
    with bad_input_exits(path):
        from vsla.book.reader import Reader

        try:
            reader = Reader.open(path)
        except BookReadOnly:
            reader = Reader.open(path, read_only=True)
        try:
            yield reader
        finally:
            reader.close()


def print_json(document: Any, *, compact: bool = False) -> None:
    """`document` on standard output: indented, or `compact` for the large ones (a report
    of thousands of groups; `jq` indents it for reading)."""
    if compact:
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=_default)
    else:
        text = json.dumps(document, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write(text + "\n")


def _default(value: object) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def parse_date(text: str | None, what: str = "date") -> date:
    if text is None:
        return date.today()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        fail(tr(N_('{what} "{value}" is not a date (YYYY-MM-DD)'), what=what, value=text))
    out_of_range = date_out_of_range(day)
    if out_of_range is not None:
        fail(f"{what}: {render_problem(out_of_range.problem)}")
    return day


Command = Callable[..., Any]
