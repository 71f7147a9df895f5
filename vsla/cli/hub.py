"""`vsla hub …` and `vsla ussd simulate`: members' access to their figures by phone.

Giving an activation code and resetting a PIN need only the book and the hub's secret
(`VSLA_HUB_PIN_KEY`), so they work on any machine that keeps the book and the key. Serving
the hub and simulating a phone need the hub's own packages (`pip install -e '.[hub]'`),
found at run time, so that the command line never loads them otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, cast

import typer

from ledger import N_
from vsla.cli.common import DbOption, JsonOption, fail, open_book, print_json, resolve_db
from vsla.cli.frontends import find_frontend
from vsla.i18n import tr

hub_app = typer.Typer(help=tr(N_("the hub: USSD for members, SMS receipts")), no_args_is_help=True)
ussd_app = typer.Typer(help=tr(N_("USSD sessions")), no_args_is_help=True)

Group = Annotated[str, typer.Argument(metavar="GROUP", help=tr(N_("the group id")))]
MemberArg = Annotated[
    str, typer.Argument(metavar="MEMBER", help=tr(N_("the member number, like M01")))
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help=tr(N_("the hub's settings (TOML); VSLA_HUB_… variables win over it")),
        dir_okay=False,
    ),
]


def _hub(name: str) -> Callable[..., None]:
    found = find_frontend(name)
    if found is None:
        fail(tr(N_("the hub is not installed here: pip install -e '.[hub]'")))
    return cast(Callable[..., None], found)


@hub_app.command("serve")
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help=tr(N_("the address to listen on")))] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", help=tr(N_("the port to listen on")))] = 8000,
    config: ConfigOption = None,
) -> None:
    """Serve members' USSD sessions and send the SMS receipts of the book at --db."""
    run = _hub("hub")
    run(resolve_db(db), host=host, port=port, config=config)


@hub_app.command("activation-code")
def activation_code(
    group: Group,
    member: MemberArg,
    config: ConfigOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """A one-time code for the member's first USSD session (give it to her in person)."""
    _give_code(group, member, config, db, as_json, reset=False)


@hub_app.command("pin-reset")
def pin_reset(
    group: Group,
    member: MemberArg,
    config: ConfigOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """An officer's reset, in person: her PIN and lock go, and a new code lets her back in."""
    _give_code(group, member, config, db, as_json, reset=True)


def _give_code(
    group: str, member: str, config: Path | None, db: Path | None, as_json: bool, *, reset: bool
) -> None:
    from vsla.book.access import CODE_LIFETIME, MemberAccess, hub_pin_key

    now = datetime.now(UTC)
    with open_book(db, write=True) as book:
        access = MemberAccess(book, hub_pin_key(config))
        code = access.reset(group, member, now) if reset else access.issue_code(group, member, now)
    expires = (now + CODE_LIFETIME).date().isoformat()
    if as_json:
        print_json({"group": group, "member": member, "code": code, "expires": expires})
        return
    said = (
        N_("PIN of {member} reset; her new activation code: {code} (one use, until {date})")
        if reset
        else N_("activation code for {member}: {code} (one use, until {date})")
    )
    typer.echo(tr(said, member=member, code=code, date=expires))


@ussd_app.command("simulate")
def simulate(
    phone: Annotated[
        str, typer.Option("--phone", metavar="NUMBER", help=tr(N_("the phone that dials")))
    ],
    hub: Annotated[
        str | None,
        typer.Option(
            "--hub",
            metavar="URL",
            help=tr(N_("the hub's callback URL (default: the book at --db, on this machine)")),
        ),
    ] = None,
    service_code: Annotated[
        str, typer.Option("--code", metavar="CODE", help=tr(N_("the USSD code dialled")))
    ] = "*384*123#",
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Dial the hub like a phone, in this terminal: to show members, and for support."""
    run = _hub("simulate")
    run(phone=phone, hub=hub, service_code=service_code, config=config, db=resolve_db(db))
