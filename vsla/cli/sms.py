"""SMS receipts from the command line (on the hub): send what the outbox holds, and report.

`vsla sms flush` reads the Africa's Talking account from the same environment variables the
hub uses (`VSLA_HUB_AT_*`); the SDK and `requests` are imported only when it runs.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from ledger import N_
from vsla.cli.common import (
    EXIT_PROBLEMS,
    DbOption,
    JsonOption,
    fail,
    open_book,
    open_reader,
    print_json,
)
from vsla.i18n import tr

if TYPE_CHECKING:
    from vsla.book.sms import FlushReport, SmsTally
    from vsla.sms.sending import Sender

sms_app = typer.Typer(help=tr(N_("SMS receipts: send them, and report")), no_args_is_help=True)

USERNAME, API_KEY = "VSLA_HUB_AT_USERNAME", "VSLA_HUB_AT_API_KEY"
SENDER_ID, API_HOST = "VSLA_HUB_AT_SENDER_ID", "VSLA_HUB_AT_API_HOST"
OUTCOME_NAMES = {"sent": N_("sent"), "retry": N_("to retry"), "failed": N_("failed")}


def africastalking_from_environment() -> Sender:
    """The Africa's Talking sender the environment describes; exit 2 naming what is
    missing."""
    found = {name: os.environ.get(name, "").strip() for name in (USERNAME, API_KEY)}
    for name, value in found.items():
        if not value:
            fail(
                tr(
                    N_("{variable} is not set (the Africa's Talking account to send with)"),
                    variable=name,
                )
            )
    from vsla.sms.africastalking import AfricasTalkingSender

    return AfricasTalkingSender(
        found[USERNAME],
        found[API_KEY],
        sender_id=os.environ.get(SENDER_ID, "").strip() or None,
        api_host=os.environ.get(API_HOST, "").strip() or None,
    )


@sms_app.command("flush")
def flush(
    limit: Annotated[
        int,
        typer.Option("--limit", metavar="N", min=1, help=tr(N_("send at most this many messages"))),
    ] = 100,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Send the SMS receipts that are due through Africa's Talking, oldest first."""
    sender = africastalking_from_environment()
    from vsla.book.sms import flush_outbox

    with open_book(db) as book:
        report = flush_outbox(book, sender, now=datetime.now(UTC), limit=limit)
    if as_json:
        print_json(report.to_json())
    else:
        _print_flush(report)
    if report.unreachable:
        raise typer.Exit(EXIT_PROBLEMS)


def _print_flush(report: FlushReport) -> None:
    from vsla.book.sms import Flushed

    for m in report.messages:
        if m.outcome is not Flushed.SENT:
            typer.echo(
                tr(
                    N_("{group} {member}: {outcome} ({status})"),
                    group=m.group_id,
                    member=m.member_id or "-",
                    outcome=tr(OUTCOME_NAMES[m.outcome]),
                    status=m.status,
                )
            )
    typer.echo(
        tr(
            N_("sent {sent}, failed {failed}, to retry {retry}; waiting in the outbox: {left}"),
            sent=report.count(Flushed.SENT),
            failed=report.count(Flushed.FAILED),
            retry=report.count(Flushed.RETRY),
            left=report.left,
        )
    )
    if report.unreachable:
        typer.echo(
            tr(N_("Africa's Talking could not be reached: the rest waits for the next flush")),
            err=True,
        )


@sms_app.command("report")
def report(
    group: Annotated[
        str | None, typer.Argument(metavar="[GROUP]", help=tr(N_("the group id (all if none)")))
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """SMS receipts per group and cycle: sent, delivered, failed, waiting, cost."""
    from vsla.book.sms import sms_report

    with open_reader(db) as reader:
        tallies = sms_report(reader, group)
    if as_json:
        print_json({"receipts": [t.to_json() for t in tallies]})
        return
    _print_report(tallies)


def _print_report(tallies: tuple[SmsTally, ...]) -> None:
    from vsla.cli.tables import Column, fitted_table, terminal

    if not tallies:
        typer.echo(tr(N_("no SMS receipt in the book")))
        return
    columns = [
        Column(tr(N_("group")), whole=True),
        Column(tr(N_("cycle")), whole=True),
        Column(tr(N_("sent")), whole=True),
        Column(tr(N_("delivered")), whole=True, drop=2),
        Column(tr(N_("not delivered")), whole=True, drop=1),
        Column(tr(N_("failed")), whole=True),
        Column(tr(N_("waiting")), whole=True),
        Column(tr(N_("cost")), whole=True),  # a figure: never folded
    ]
    cells = [
        [
            t.group_id,
            "-" if t.cycle is None else str(t.cycle),
            str(t.sent),
            str(t.delivered),
            str(t.undelivered),
            str(t.failed),
            str(t.pending),
            ", ".join(f"{code} {amount}" for code, amount in t.cost) or "-",
        ]
        for t in tallies
    ]
    console = terminal()
    console.print(fitted_table(columns, cells, console.width))
