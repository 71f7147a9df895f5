"""The `vsla` command line (interfaces.md). Exit status: 0 done, 1 problems found, 2 bad input."""

from __future__ import annotations

import typer

from ledger import N_
from vsla.cli import (
    actions,
    backups,
    exporting,
    frontends,
    hub,
    hub_staff,
    hub_sync,
    reports,
    sms,
    sync,
    views,
)
from vsla.i18n import tr

app = typer.Typer(
    name="vsla",
    help=tr(
        N_(
            "Books for village savings and loan associations. Run without a command to "
            "open the facilitator app."
        )
    ),
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.callback()(frontends.default)
app.command("tui")(frontends.tui)
app.command("demo")(frontends.demo)
app.command("import")(actions.import_)
app.command("export")(exporting.export)
app.command("groups")(views.groups)
app.command("members")(views.members)
app.command("statement")(views.statement)
views.meeting_app.command("record")(actions.meeting_record)
app.add_typer(views.meeting_app, name="meeting")
app.command("shareout")(actions.shareout)
app.command("check")(actions.check)
app.command("backup")(backups.backup)
app.command("backups")(backups.backups)
app.command("restore-backup")(backups.restore)
app.add_typer(sms.sms_app, name="sms")
app.add_typer(reports.report_app, name="report")
hub.hub_app.add_typer(hub_sync.device_app, name="device")
hub.hub_app.add_typer(hub_sync.group_app, name="group")
hub.hub_app.add_typer(hub_sync.quarantine_app, name="quarantine")
hub.hub_app.add_typer(hub_staff.staff_app, name="staff")
hub.hub_app.command("stale")(hub_sync.stale)
app.add_typer(hub.hub_app, name="hub")
app.command("sync")(sync.sync)
app.command("restore")(sync.restore)
app.add_typer(hub.ussd_app, name="ussd")


def main() -> None:
    app()
