"""Opening a front end (the facilitator app) without `vsla` importing it.

Front ends register a callable under the `vsla.frontends` entry point; `vsla`, `vsla tui`
and `vsla demo` look it up at run time, so the core never depends on the app.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated, cast

import typer

from ledger import N_
from vsla.cli.common import DbOption, bad_input_exits, demo_db, fail, resolve_db
from vsla.i18n import tr

Frontend = Callable[[Path], None]


def find_frontend(name: str = "tui") -> Frontend | None:
    for entry in entry_points(group="vsla.frontends"):
        if entry.name == name:
            return cast(Frontend, entry.load())
    return None


def open_app(path: Path) -> None:
    frontend = find_frontend()
    if frontend is None:
        fail(tr(N_("the facilitator app is not installed (pip install vsla-books)")))
    frontend(path)


def default(ctx: typer.Context, db: DbOption = None) -> None:
    """Open the facilitator app when no command is given."""
    if ctx.invoked_subcommand is None:
        open_app(resolve_db(db))


def tui(db: DbOption = None) -> None:
    """Open the facilitator app on the book."""
    open_app(resolve_db(db))


def demo(
    db: DbOption = None,
    no_open: Annotated[
        bool,
        typer.Option("--no-open", help=tr(N_("only create the demo book, do not open the app"))),
    ] = False,
) -> None:
    """Create (once) a realistic demo book and open the app on it."""
    from vsla.demo import ensure_demo

    path = db if db is not None else demo_db()
    with bad_input_exits():
        created = ensure_demo(path)
    if created:
        typer.echo(tr(N_("demo book created at {path}"), path=str(path)), err=True)
    if not no_open:
        open_app(path)
    elif not created:
        typer.echo(tr(N_("demo book already at {path}"), path=str(path)), err=True)
