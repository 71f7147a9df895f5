"""Opening a front end (the facilitator app) without `vsla` importing it.

Front ends register a callable under the `vsla.frontends` entry point; `vsla`, `vsla tui`
and `vsla demo` look it up at run time, so the core never depends on the app.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, cast

import typer

from ledger import N_
from vsla.cli.common import DbOption, bad_input_exits, default_db, demo_db, fail, resolve_db
from vsla.i18n import tr

Frontend = Callable[[Path], None]


def find_frontend(name: str = "tui") -> Frontend | None:
    from importlib.metadata import entry_points  # slow to import: only when the app opens

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
    # Said before the app takes the screen: the demo book is not the default book, and the
    # other commands find it only when told where it is.
    where = N_("demo book created at {path}") if created else N_("demo book already at {path}")
    typer.echo(tr(where, path=str(path)), err=True)
    typer.echo(how_to_use(path), err=True)
    if not no_open:
        open_app(path)


def how_to_use(path: Path) -> str:
    """How the other commands read the book at `path`, which is not the default book."""
    return tr(
        N_("read it with --db, e.g. vsla groups --db {path}, or set VSLA_DB={path}"),
        path=shlex.quote(str(path)),
    )


def point_to_demo(db: Path | None) -> None:
    """Before a command reads the default book: when there is none there but the demo book
    exists, say how to read the demo book (exit 2) rather than only that there is no book."""
    if db is not None or default_db().exists() or not demo_db().exists():
        return
    fail(
        tr(
            N_("there is no book at {path}; the demo book is at {demo}"),
            path=str(default_db()),
            demo=str(demo_db()),
        )
        + "\n"
        + how_to_use(demo_db())
    )
