"""`vsla export GROUP --format book|hledger|csv|xlsx [-o FILE]`."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from ledger import N_
from vsla.book.loading import load_state
from vsla.bookfile.writer import book_document, to_json, to_toml
from vsla.cli.common import DbOption, fail, open_book, parse_date
from vsla.exports.hledger import hledger_text
from vsla.exports.tables import TABLES, table_rows, to_csv, write_csv_dir, write_xlsx
from vsla.i18n import tr


class Format(enum.StrEnum):
    BOOK = "book"
    HLEDGER = "hledger"
    CSV = "csv"
    XLSX = "xlsx"


def export(
    group: Annotated[str, typer.Argument(help=tr(N_("the group id")))],
    fmt: Annotated[Format, typer.Option("--format", "-f", help=tr(N_("what to write")))],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=tr(
                N_(
                    "where to write (a .toml or .json file for book, a folder for csv, "
                    "a .xlsx file); "
                    "default: standard output"
                )
            ),
        ),
    ] = None,
    table: Annotated[
        str,
        typer.Option(
            "--table", help=tr(N_("for csv on standard output: members, meetings or statements"))
        ),
    ] = "members",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help=tr(N_("the date statements judge lateness on (default: today)"))
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Write a group out: its book, an hledger journal, CSV tables or an Excel workbook."""
    day = parse_date(as_of, "--as-of")
    with open_book(db) as book:
        state = load_state(book.db, group)
        if fmt is Format.BOOK:
            document = book_document(book.journal, group)
            as_json = output is not None and output.suffix.lower() == ".json"
            _emit(to_json(document) if as_json else to_toml(document), output)
        elif fmt is Format.HLEDGER:
            accounts = book.journal.recomputed_balances(group).keys()
            _emit(
                hledger_text(
                    group, state.name, state.currency, book.journal.records(group), accounts
                ),
                output,
            )
        elif fmt is Format.CSV:
            if output is None:
                if table not in TABLES:
                    fail(tr(N_("--table must be one of {tables}"), tables=", ".join(TABLES)))
                _emit(to_csv(table_rows(book.db, group, table, on=day)), None)
            else:
                for path in write_csv_dir(book.db, group, output, on=day):
                    typer.echo(str(path), err=True)
        else:
            target = output or Path(f"{group}.xlsx")
            write_xlsx(book.db, group, target, on=day)
            typer.echo(str(target), err=True)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
