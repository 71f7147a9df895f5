"""`vsla hub device …`, `vsla hub group move`, `vsla hub quarantine …`: on the hub, the
devices that may push, which device writes each group, and the pushes it refused."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from ledger import N_
from vsla.cli.common import DbOption, JsonOption, open_book, print_json
from vsla.i18n import tr

device_app = typer.Typer(help=tr(N_("the devices that may push to this hub")), no_args_is_help=True)
group_app = typer.Typer(help=tr(N_("which device writes a group")), no_args_is_help=True)
quarantine_app = typer.Typer(
    help=tr(N_("pushes the hub refused, kept whole")), no_args_is_help=True
)

if TYPE_CHECKING:
    from vsla.book.sync import QuarantineLine

DeviceName = Annotated[str, typer.Argument(metavar="NAME", help=tr(N_("the device's name")))]


@device_app.command("add")
def device_add(name: DeviceName, db: DbOption = None, as_json: JsonOption = False) -> None:
    """A new device and its token, shown this once: give it to the device (`vsla sync`)."""
    from vsla.book.sync import SyncHub

    with open_book(db, write=True) as book:
        token = SyncHub(book).add_device(name, datetime.now(UTC))
    if as_json:
        print_json({"device": name, "token": token})
        return
    typer.echo(
        tr(
            N_("device {device} added; its token (shown only now): {token}"),
            device=name,
            token=token,
        )
    )


@device_app.command("list")
def device_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """The devices, when each was added or revoked, and the groups each writes."""
    from vsla.book.sync import SyncHub

    with open_book(db) as book:
        found = SyncHub(book).devices()
    if as_json:
        print_json(
            {
                "devices": [
                    {
                        "device": d.name,
                        "added_at": d.added_at,
                        "revoked_at": d.revoked_at,
                        "groups": list(d.groups),
                    }
                    for d in found
                ]
            }
        )
        return
    from vsla.cli.tables import Column, fitted_table, terminal

    columns = [
        Column(tr(N_("device")), whole=True),
        Column(tr(N_("added")), whole=True, drop=2),
        Column(tr(N_("revoked")), whole=True, drop=1),
        Column(tr(N_("writes"))),
    ]
    cells = [
        [d.name, d.added_at[:10], (d.revoked_at or "-")[:10], " ".join(d.groups) or "-"]
        for d in found
    ]
    console = terminal()
    console.print(fitted_table(columns, cells, console.width))


@device_app.command("revoke")
def device_revoke(name: DeviceName, db: DbOption = None) -> None:
    """Refuse this device's token from now on (a lost or stolen phone)."""
    from vsla.book.sync import SyncHub

    with open_book(db, write=True) as book:
        SyncHub(book).revoke(name, datetime.now(UTC))
    typer.echo(tr(N_("device {device} revoked: its pushes are refused"), device=name))


@group_app.command("move")
def group_move(
    group: Annotated[str, typer.Argument(metavar="GROUP", help=tr(N_("the group id")))],
    to: Annotated[str, typer.Option("--to", metavar="DEVICE", help=tr(N_("the new writer")))],
    db: DbOption = None,
) -> None:
    """Hand a group to another device; the old one's pushes for it are refused from now on."""
    from vsla.book.sync import SyncHub

    with open_book(db, write=True) as book:
        SyncHub(book).move_group(group, to, datetime.now(UTC))
    typer.echo(tr(N_("group {group} is now written by device {device}"), group=group, device=to))


@quarantine_app.command("list")
def quarantine_list(
    group: Annotated[
        str | None, typer.Argument(metavar="GROUP", help=tr(N_("only this group")))
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every refused push: when, from which device, why, how many entries."""
    from vsla.book.sync import SyncHub

    with open_book(db) as book:
        found = SyncHub(book).quarantined(group)
    if as_json:
        print_json({"quarantine": [_quarantine_json(q) for q in found]})
        return
    from vsla.cli.tables import Column, fitted_table, terminal

    columns = [
        Column(tr(N_("number")), whole=True),
        Column(tr(N_("group")), whole=True),
        Column(tr(N_("device")), whole=True),
        Column(tr(N_("received")), whole=True, drop=2),
        Column(tr(N_("entries")), whole=True, drop=1),
        Column(tr(N_("why"))),
    ]
    cells = [
        [str(q.number), q.group_id, q.device, q.received_at[:16], str(q.entries), q.reason]
        for q in found
    ]
    console = terminal()
    console.print(fitted_table(columns, cells, console.width))


@quarantine_app.command("show")
def quarantine_show(
    number: Annotated[int, typer.Argument(metavar="NUMBER", help=tr(N_("its number")))],
    db: DbOption = None,
) -> None:
    """One refused push, whole: why, and every entry as the device sent it (JSON)."""
    from vsla.book.sync import SyncHub

    with open_book(db) as book:
        kept = SyncHub(book).quarantined_one(number)
    print_json({**_quarantine_json(kept.line), "entries": list(kept.entries)})


def _quarantine_json(q: QuarantineLine) -> dict[str, object]:
    """A refused push as `--json` shows it (`entries`: how many; `show` gives them whole)."""
    return {
        "number": q.number,
        "group": q.group_id,
        "device": q.device,
        "received_at": q.received_at,
        "code": q.code,
        "reason": q.reason,
        "hub_seq": q.hub_seq,
        "first_seq": q.first_seq,
        "entries": q.entries,
    }


def stale(
    days: Annotated[int, typer.Option("--days", min=0, help=tr(N_("days without a push")))] = 14,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Groups that have not synced for --days days or more, or never: the oldest first."""
    from vsla.book.sync import SyncHub

    with open_book(db) as book:
        found = SyncHub(book).stale(days, datetime.now(UTC))
    if as_json:
        print_json(
            {
                "days": days,
                "groups": [
                    {
                        "group": g.group_id,
                        "writer": g.writer,
                        "last_push_at": g.last_push_at,
                        "days": g.days,
                    }
                    for g in found
                ],
            }
        )
        return
    from vsla.cli.tables import Column, fitted_table, terminal

    columns = [
        Column(tr(N_("group")), whole=True),
        Column(tr(N_("device")), whole=True),
        Column(tr(N_("last sync")), whole=True),
        Column(tr(N_("days")), whole=True),
    ]
    never = tr(N_("never"))
    cells = [
        [
            g.group_id,
            g.writer or "-",
            never if g.last_push_at is None else g.last_push_at[:10],
            "-" if g.days is None else str(g.days),
        ]
        for g in found
    ]
    console = terminal()
    console.print(fitted_table(columns, cells, console.width))
