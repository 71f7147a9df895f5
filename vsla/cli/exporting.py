"""`vsla export GROUP --format book|hledger|csv|xlsx [-o FILE]`.

Everything is made in memory first and written only once it is whole, so a refused export
(an unknown group, a folder where a file is wanted) writes nothing at all.
"""

from __future__ import annotations

import enum
import sys
import tempfile
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ledger import N_
from vsla.cli.common import DbOption, fail, open_book, parse_date, resolve_db
from vsla.cli.frontends import point_to_demo
from vsla.exports import TABLES
from vsla.i18n import tr

if TYPE_CHECKING:
    from vsla.book.service import Book

Output = list[tuple[Path | None, bytes]]  # (file, or None for standard output; its bytes)


class Format(enum.StrEnum):
    BOOK = "book"
    HLEDGER = "hledger"
    CSV = "csv"
    XLSX = "xlsx"


def export(
    group: Annotated[str, typer.Argument(metavar="GROUP", help=tr(N_("the group id")))],
    fmt: Annotated[Format, typer.Option("--format", "-f", help=tr(N_("what to write")))],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help=tr(
                N_(
                    "where to write: a .toml or .json file for book, a file for hledger or "
                    "xlsx, a folder for csv (one file per table); default: standard output "
                    "(for xlsx only when it goes to a file or a program, not to the terminal)"
                )
            ),
        ),
    ] = None,
    table: Annotated[
        str | None,
        typer.Option(
            "--table",
            metavar="TABLE",
            help=tr(
                N_("for csv on standard output: members (the default), meetings or statements")
            ),
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help=tr(N_("the date statements judge lateness on (default: today)")),
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Write a group out: its book, an hledger journal, CSV tables or an Excel workbook."""
    day = parse_date(as_of, "--as-of")
    _check_table(fmt, output, table)
    _check_output(fmt, output, resolve_db(db))
    point_to_demo(db)
    with open_book(db) as book:
        book.reader.group(group)  # an unknown group is refused here: nothing made
        written = _made(book, group, fmt, output, table or "members", day)
    if fmt is Format.CSV and output is not None:
        _make_folder(output)
    for path, data in written:
        _write(path, data)
        if path is not None and fmt in (Format.CSV, Format.XLSX):
            typer.echo(str(path), err=True)


def _check_table(fmt: Format, output: Path | None, table: str | None) -> None:
    if table is None:
        return
    if fmt is not Format.CSV or output is not None:
        fail(tr(N_("--table is only for csv written to standard output")))
    if table not in TABLES:
        fail(tr(N_("--table must be one of {tables}"), tables=", ".join(TABLES)))


def _check_output(fmt: Format, output: Path | None, db_path: Path) -> None:
    """Refuse, before anything is read, an output that cannot be what the format needs."""
    if output is None:
        if fmt is Format.XLSX and stdout_is_terminal():
            fail(
                tr(
                    N_(
                        "an Excel workbook is not text for the terminal: give -o FILE.xlsx, "
                        "or send standard output to a file (> FILE.xlsx)"
                    )
                )
            )
        return
    if output.resolve() == db_path.resolve():
        fail(tr(N_("{path} is the book itself; choose another file"), path=str(output)))
    if fmt is Format.CSV:
        if output.exists() and not output.is_dir():
            fail(tr(N_("for csv, -o is a folder; {path} is a file"), path=str(output)))
    elif output.is_dir():
        fail(tr(N_("{path} is a folder; give a file name"), path=str(output)))
    if fmt is Format.BOOK and output.suffix.lower() not in (".toml", ".json"):
        fail(tr(N_("a book is written to a .toml or a .json file, not {path}"), path=str(output)))


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _made(
    book: Book, group: str, fmt: Format, output: Path | None, table: str, day: date
) -> Output:
    if fmt is Format.BOOK:
        from vsla.bookfile.writer import group_book, to_json, to_toml

        document = group_book(book, group)
        as_json = output is not None and output.suffix.lower() == ".json"
        return [(output, (to_json(document) if as_json else to_toml(document)).encode())]
    if fmt is Format.HLEDGER:
        from vsla.exports.hledger import hledger_of

        return [(output, hledger_of(book, group).encode())]
    from vsla.exports.tables import table_rows, to_csv

    if fmt is Format.CSV:
        if output is None:
            return [(None, to_csv(table_rows(book.reader, group, table, on=day)).encode())]
        return [
            (
                output / f"{group}-{name}.csv",
                to_csv(table_rows(book.reader, group, name, on=day)).encode(),
            )
            for name in TABLES
        ]
    return [(output, _xlsx_bytes(book, group, day))]


def _xlsx_bytes(book: Book, group: str, day: date) -> bytes:
    """The workbook, made in a private folder so that nothing appears where the user is."""
    with tempfile.TemporaryDirectory(prefix="vsla-export-") as folder:
        path = Path(folder) / f"{group}.xlsx"
        from vsla.exports.tables import write_xlsx

        write_xlsx(book.reader, group, path, on=day)
        return path.read_bytes()


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(
            tr(N_("cannot write {path}: {error}"), path=str(folder), error=error.strerror or error)
        )


def _write(path: Path | None, data: bytes) -> None:
    """`data` to standard output, or to `path` whole: into a hidden file beside it first,
    renamed over it once written, so that a full card or a pulled cable leaves the old file
    (or none), never half a file."""
    if path is None:
        stream = typer.get_binary_stream("stdout")
        stream.write(data)
        stream.flush()
        return
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    except OSError as error:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        fail(tr(N_("cannot write {path}: {error}"), path=str(path), error=error.strerror or error))
