"""Backups from the command line: make one now, list them, restore one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ledger import N_
from vsla.cli.common import (
    EXIT_BAD_INPUT,
    DbOption,
    JsonOption,
    bad_input_exits,
    open_book,
    print_json,
    resolve_db,
)
from vsla.i18n import default_language, render_problem, tr


def backup(
    to: Annotated[
        Path | None,
        typer.Option(
            "--to",
            help=tr(N_("a file or folder to write the backup to (default: the backup folder)")),
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Back the book up now: a checked copy, never written over another file."""
    from vsla.book.backups import make_backup

    with open_book(db) as book:
        made = make_backup(book, to=to, rotate=to is None)
    typer.echo(tr(N_("backup written: {path}"), path=str(made)))


def backups(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the book's backups, newest first, with the last meeting of each group in them."""
    from vsla.book.backups import default_backup_dir, list_backups

    path = resolve_db(db)
    with bad_input_exits(path):
        found = list_backups(path)
    if as_json:
        print_json(
            {
                "folder": str(default_backup_dir(path)),
                "backups": [
                    {
                        "path": str(b.path),
                        "made_at": b.made_at.isoformat(timespec="seconds"),
                        "size_bytes": b.size_bytes,
                        "readable": b.readable,
                        "groups": [
                            {
                                "group": g.group_id,
                                "last_meeting": g.last_meeting,
                                "last_meeting_date": g.last_meeting_on,
                            }
                            for g in b.groups
                        ],
                    }
                    for b in found
                ],
            }
        )
        return
    if not found:
        typer.echo(tr(N_("no backups yet in {folder}"), folder=str(default_backup_dir(path))))
        return
    from vsla.cli.tables import Column, fitted_table, terminal

    columns = [
        Column(tr(N_("made (UTC)")), whole=True),
        Column(tr(N_("last meetings"))),
        Column(tr(N_("file")), whole=True),
    ]
    rows = []
    for b in found:
        marks = ", ".join(
            f"{g.group_id} {g.last_meeting or '-'} ({g.last_meeting_on or '-'})" for g in b.groups
        )
        rows.append(
            [
                b.made_at.strftime("%Y-%m-%d %H:%M"),
                marks if b.readable else tr(N_("unreadable")),
                str(b.path),
            ]
        )
    console = terminal()
    console.print(fitted_table(columns, rows, console.width))


def restore(
    backup_file: Annotated[
        Path, typer.Argument(metavar="FILE", help=tr(N_("the backup to restore")))
    ],
    db: DbOption = None,
) -> None:
    """Replace the book by a backup that passes `vsla check`; the book is kept aside first."""
    from vsla.book.backups import BackupRefused, restore_backup

    path = resolve_db(db)
    language = default_language()
    with bad_input_exits(None):
        try:
            restored = restore_backup(backup_file, path)
        except BackupRefused as refused:
            typer.echo(
                tr(N_("error: {message}"), message=render_problem(refused.problem, language)),
                err=True,
            )
            for found in refused.problems[:20]:
                where = found.group_id or tr(N_("book"))
                typer.echo(f"  {where}: {render_problem(found.problem, language)}", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from refused
    if restored.aside is not None:
        typer.echo(tr(N_("the book that was there is kept as {path}"), path=str(restored.aside)))
    from vsla.book.check import audit

    with bad_input_exits(path):
        problems = audit(path).problems
    typer.echo(
        tr(
            N_("restored {backup} to {path}; check: {count} problems"),
            backup=str(backup_file),
            path=str(path),
            count=len(problems),
        )
    )
