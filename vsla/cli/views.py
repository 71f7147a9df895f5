"""Read-only commands: groups, members, statement, meeting show.

They read through the book's read side (`vsla.book.reader`): a plain SQLite connection and
typed read models, so `vsla groups --json` costs little more than starting Python. Tables
for the terminal (rich) are loaded only when one is printed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ledger import N_
from vsla.cli.common import DbOption, JsonOption, fail, open_reader, parse_date, print_json
from vsla.cli.frontends import point_to_demo
from vsla.domain.words import ATTENDANCE_NAMES, KIND_NAMES, ROLE_NAMES, STATUS_NAMES
from vsla.i18n import default_language, tr

if TYPE_CHECKING:
    from vsla.book.views.meetings import EntryLine, MeetingView

meeting_app = typer.Typer(help=tr(N_("meetings of a group")), no_args_is_help=True)


def groups(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the groups in the book."""
    point_to_demo(db)
    with open_reader(db) as reader:
        found = reader.groups()
    if as_json:
        print_json({"groups": [g.to_json() for g in found]})
        return
    from vsla.cli.tables import Column, fitted_table, terminal

    columns = [
        Column(tr(N_("group")), whole=True),
        Column(tr(N_("name"))),
        Column(tr(N_("currency")), whole=True, drop=1),
        Column(tr(N_("members")), whole=True, drop=3),
        Column(tr(N_("cycle")), drop=4),
        Column(tr(N_("meetings")), whole=True, drop=2),
        Column(tr(N_("last meeting")), whole=True),
    ]
    cells = [
        [
            g.group_id,
            g.name,
            g.currency,
            str(g.members),
            f"{g.cycle} ({tr(STATUS_NAMES.get(g.cycle_status, g.cycle_status))})",
            str(g.meetings_this_cycle),
            "-" if g.last_meeting_on is None else g.last_meeting_on.isoformat(),
        ]
        for g in found
    ]
    console = terminal()
    console.print(fitted_table(columns, cells, console.width))


def members(
    group: Annotated[str, typer.Argument(metavar="GROUP", help=tr(N_("the group id")))],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the members of a group with their shares and what they owe."""
    point_to_demo(db)
    with open_reader(db) as reader:
        listed = reader.members(group)
    if as_json:
        print_json(listed.to_json())
        return
    from vsla.cli.tables import Column, fitted_table, terminal
    from vsla.display import money

    lang, code = default_language(), listed.currency
    columns = [
        Column(tr(N_("member")), whole=True),
        Column(tr(N_("name"))),
        Column(tr(N_("gender")), whole=True, drop=2),
        Column(tr(N_("phone")), whole=True),
        Column(tr(N_("shares")), whole=True, drop=3),
        Column(tr(N_("savings")), drop=1),  # shares × share value: the first to go
        Column(tr(N_("owes"))),
        Column(tr(N_("roles"))),
    ]
    left = tr(N_("left the group"))
    cells = [
        [
            m.member_id,
            m.name,
            m.gender,
            m.phone or "-",
            str(m.shares),
            money(m.savings_minor, code, lang),
            money(m.owed_minor, code, lang),
            ", ".join(tr(ROLE_NAMES.get(r, r)) for r in m.roles)
            + ("" if m.status == "active" else f" ({left})"),
        ]
        for m in listed.members
    ]
    console = terminal()
    console.print(fitted_table(columns, cells, console.width))


def statement(
    group: Annotated[str, typer.Argument(metavar="GROUP", help=tr(N_("the group id")))],
    member: Annotated[
        str, typer.Argument(metavar="MEMBER", help=tr(N_("the member number, like M01")))
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help=tr(N_("the date lateness is judged on (default: today)")),
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One member's position: shares, savings, social fund, fines and loan."""
    day = parse_date(as_of, "--as-of")
    point_to_demo(db)
    with open_reader(db) as reader:
        found = reader.statement(group, member, day)
    if as_json:
        print_json(found.to_json())
        return
    from vsla.cli.tables import terminal
    from vsla.display import money

    lang, code = default_language(), found.currency
    lines = [
        f"{found.member_id} {found.name} ({found.group_id})",
        tr(N_("shares: {shares}"), shares=found.shares),
        tr(N_("savings: {amount}"), amount=money(found.savings_minor, code, lang)),
        tr(
            N_("social fund paid: {amount}"),
            amount=money(found.social_fund_paid_minor, code, lang),
        ),
        tr(N_("fines owed: {amount}"), amount=money(found.fines_owed_minor, code, lang)),
    ]
    loan = found.loan
    if loan is None:
        lines.append(tr(N_("no loan")))
    else:
        lines.append(
            tr(
                N_("loan owed: {amount} (due {date})"),
                amount=money(loan.owed_minor, code, lang),
                date=loan.due_on.isoformat(),
            )
            + (" " + tr(N_("LATE")) if loan.late else "")
        )
    console = terminal()
    console.print("\n".join(lines), highlight=False, markup=False)  # a name is not markup


@meeting_app.command("show")
def meeting_show(
    group: Annotated[str, typer.Argument(metavar="GROUP", help=tr(N_("the group id")))],
    number: Annotated[
        int | None,
        typer.Option("--number", "-n", metavar="N", help=tr(N_("the meeting number"))),
    ] = None,
    last: Annotated[
        bool, typer.Option("--last", help=tr(N_("the most recent meeting (the default)")))
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One meeting: attendance, its entries, expected and counted cash."""
    if number is not None and last:
        fail(tr(N_("give --number or --last, not both")))
    point_to_demo(db)
    with open_reader(db) as reader:
        shown = reader.meeting(group, number)
    if as_json:
        print_json(shown.to_json())
        return
    from vsla.cli.tables import terminal

    console = terminal()
    console.print(
        tr(
            N_("meeting {number} of {group}, {date} ({status})"),
            number=shown.number,
            group=group,
            date=shown.on.isoformat(),
            status=tr(STATUS_NAMES.get(shown.status, shown.status)),
        ),
        highlight=False,
    )
    for line in _attendance_lines(dict(shown.attendance)):
        console.print(line, highlight=False, markup=False)
    _print_entries(shown)
    _print_cash(shown)


def _attendance_lines(attendance: dict[str, str]) -> list[str]:
    """How many came, then who did not, by status; nothing for a meeting without a roll
    (the share-out)."""
    if not attendance:
        return []
    present = sum(1 for status in attendance.values() if status == "present")
    lines = [
        tr(
            N_("attendance: {present} of {members} present"),
            present=present,
            members=len(attendance),
        )
    ]
    for status in ("absent", "excused", "proxy"):
        who = sorted(m for m, s in attendance.items() if s == status)
        if who:
            lines.append(
                tr(
                    N_("{status}: {members}"),
                    status=tr(ATTENDANCE_NAMES[status]),
                    members=", ".join(who),
                )
            )
    return lines


def _entry_name(entry: EntryLine) -> str:
    """The kind of an entry; a fine says whether it was paid at the meeting or is owed."""
    kind = entry.kind
    if kind == "fine":
        name = tr(N_("fine, paid")) if entry.paid else tr(N_("fine, owed"))
    elif kind == "fine_payment":
        name = tr(N_("owed fine paid"))
    else:
        name = tr(KIND_NAMES.get(kind, kind))
    return name + (" ↩" if entry.reverses else "")


def _print_entries(shown: MeetingView) -> None:
    from vsla.cli.tables import Column, fitted_table, terminal
    from vsla.display import money

    lang, code = default_language(), shown.currency
    columns = [
        Column(tr(N_("entry"))),
        Column(tr(N_("member")), whole=True),
        Column(tr(N_("amount"))),
        Column(tr(N_("note"))),
    ]
    cells = [
        [_entry_name(e), e.member_id or "-", money(e.amount_minor, code, lang), e.memo]
        for e in shown.entries
    ]
    console = terminal()
    console.print(fitted_table(columns, cells, console.width))


def _print_cash(shown: MeetingView) -> None:
    from vsla.cli.tables import terminal
    from vsla.display import money

    lang, code = default_language(), shown.currency
    console = terminal()
    for label, bowls in (
        (N_("expected"), shown.expected_closing),
        (N_("counted"), shown.counted_closing),
    ):
        if bowls is not None:
            console.print(
                tr(
                    N_("{label}: loan fund {loan_fund}, social fund {social_fund}"),
                    label=tr(label),
                    loan_fund=money(bowls.loan_fund_minor, code, lang),
                    social_fund=money(bowls.social_fund_minor, code, lang),
                ),
                highlight=False,
            )
