"""`vsla hub staff …`: on the hub, the programme staff who may log in to its web pages (to
read reports), and the audit log of what they did there."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated

import typer

from ledger import N_
from vsla.cli.common import DbOption, JsonOption, open_book, print_json
from vsla.i18n import tr

staff_app = typer.Typer(
    help=tr(N_("the staff who may log in to the hub's web pages")), no_args_is_help=True
)

Email = Annotated[str, typer.Argument(metavar="EMAIL", help=tr(N_("the staff member's email")))]


@staff_app.command("add")
def staff_add(
    email: Email,
    role: Annotated[
        str, typer.Option("--role", metavar="viewer|admin", help=tr(N_("what they may do")))
    ] = "viewer",
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin", help=tr(N_("read the password from one line of standard input"))
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """A new staff member; the password is asked twice, hidden (or read with --password-stdin)."""
    from vsla.book.staff import StaffAccounts

    with open_book(db, write=True) as book:
        accounts = StaffAccounts(book)
        accounts.check_new(email, role)  # before asking for a password
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = typer.prompt(
                tr(N_("password")),
                hide_input=True,
                confirmation_prompt=tr(N_("the password again")),
            )
        added = accounts.add(email, role, password, datetime.now(UTC))
    typer.echo(
        tr(N_("staff member {email} added, role {role}"), email=added.email, role=added.role)
    )


@staff_app.command("list")
def staff_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """The staff members: role, language, when each was added or disabled."""
    from vsla.book.staff import StaffAccounts

    with open_book(db) as book:
        found = StaffAccounts(book).members()
    if as_json:
        print_json({"staff": [m.to_json() for m in found]})
        return
    from vsla.cli.tables import Column, fitted_table, terminal

    columns = [
        Column(tr(N_("email")), whole=True),
        Column(tr(N_("role")), whole=True),
        Column(tr(N_("language")), whole=True, drop=1),
        Column(tr(N_("added")), whole=True, drop=2),
        Column(tr(N_("disabled")), whole=True),
    ]
    cells = [
        [
            m.email,
            m.role,
            m.language or "-",
            m.added_at.date().isoformat(),
            "-" if m.disabled_at is None else m.disabled_at.date().isoformat(),
        ]
        for m in found
    ]
    console = terminal()
    console.print(fitted_table(columns, cells, console.width))


@staff_app.command("disable")
def staff_disable(email: Email, db: DbOption = None) -> None:
    """Refuse this staff member's log-ins from now on."""
    from vsla.book.staff import StaffAccounts

    with open_book(db, write=True) as book:
        StaffAccounts(book).disable(email, datetime.now(UTC))
    typer.echo(
        tr(
            N_("staff member {email} disabled: they can no longer log in"),
            email=email.strip().lower(),
        )
    )


@staff_app.command("log")
def staff_log(
    limit: Annotated[
        int, typer.Option("--limit", min=1, metavar="N", help=tr(N_("how many lines")))
    ] = 100,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """What staff did on the hub's pages, log-ins included: the newest first."""
    from vsla.book.staff import StaffAccounts

    with open_book(db) as book:
        found = StaffAccounts(book).actions(limit)
    if as_json:
        print_json({"actions": [a.to_json() for a in found]})
        return
    from vsla.cli.tables import Column, fitted_table, terminal

    columns = [
        Column(tr(N_("when")), whole=True),
        Column(tr(N_("email")), whole=True),
        Column(tr(N_("action")), whole=True),
        Column(tr(N_("detail"))),
        Column(tr(N_("from")), whole=True, drop=1),
    ]
    cells = [
        [
            a.at.strftime("%Y-%m-%d %H:%M"),
            a.email,
            a.action,
            a.detail or "-",
            a.client or "-",
        ]
        for a in found
    ]
    console = terminal()
    console.print(fitted_table(columns, cells, console.width))
