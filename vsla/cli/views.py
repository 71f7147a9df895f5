"""Read-only commands: groups, members, statement, meeting show."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ledger import N_
from vsla.book import queries
from vsla.cli.common import DbOption, JsonOption, open_book, parse_date, print_json
from vsla.display import money
from vsla.domain.words import KIND_NAMES, ROLE_NAMES, STATUS_NAMES
from vsla.i18n import default_language, tr

console = Console()
meeting_app = typer.Typer(help=tr(N_("meetings of a group")), no_args_is_help=True)


def groups(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the groups in the book."""
    with open_book(db) as book:
        rows = queries.groups(book.db)
    if as_json:
        print_json({"groups": rows})
        return
    table = Table(
        tr(N_("group")),
        tr(N_("name")),
        tr(N_("currency")),
        tr(N_("members")),
        tr(N_("cycle")),
        tr(N_("meetings")),
        tr(N_("last meeting")),
    )
    for r in rows:
        table.add_row(
            r["group"],
            r["name"],
            r["currency"],
            str(r["members"]),
            f"{r['cycle']} ({tr(STATUS_NAMES.get(r['cycle_status'], r['cycle_status']))})",
            str(r["meetings_this_cycle"]),
            r["last_meeting"] or "-",
        )
    console.print(table)


def members(
    group: Annotated[str, typer.Argument(help=tr(N_("the group id")))],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the members of a group with their shares and what they owe."""
    with open_book(db) as book:
        document = queries.members(book.db, group)
    if as_json:
        print_json(document)
        return
    lang, code = default_language(), document["currency"]
    table = Table(
        tr(N_("member")),
        tr(N_("name")),
        tr(N_("gender")),
        tr(N_("phone")),
        tr(N_("shares")),
        tr(N_("savings")),
        tr(N_("owes")),
        tr(N_("roles")),
    )
    left = tr(N_("left the group"))
    for m in document["members"]:
        table.add_row(
            m["member"],
            m["name"],
            m["gender"],
            m["phone"] or "-",
            str(m["shares"]),
            money(m["savings_minor"], code, lang),
            money(m["owed_minor"], code, lang),
            ", ".join(tr(ROLE_NAMES.get(r, r)) for r in m["roles"])
            + ("" if m["status"] == "active" else f" ({left})"),
        )
    console.print(table)


def statement(
    group: Annotated[str, typer.Argument(help=tr(N_("the group id")))],
    member: Annotated[str, typer.Argument(help=tr(N_("the member number, like M01")))],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help=tr(N_("the date lateness is judged on (default: today)"))),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One member's position: shares, savings, social fund, fines and loan."""
    day = parse_date(as_of, "--as-of")
    with open_book(db) as book:
        document = queries.statement(book.db, group, member, on=day)
    if as_json:
        print_json(document)
        return
    lang, code = default_language(), document["currency"]
    lines = [
        f"{document['member']} {document['name']} ({document['group']})",
        tr(N_("shares: {shares}"), shares=document["shares"]),
        tr(N_("savings: {amount}"), amount=money(document["savings_minor"], code, lang)),
        tr(
            N_("social fund paid: {amount}"),
            amount=money(document["social_fund_paid_minor"], code, lang),
        ),
        tr(N_("fines owed: {amount}"), amount=money(document["fines_owed_minor"], code, lang)),
    ]
    loan = document["loan"]
    if loan is None:
        lines.append(tr(N_("no loan")))
    else:
        lines.append(
            tr(
                N_("loan owed: {amount} (due {date})"),
                amount=money(loan["owed_minor"], code, lang),
                date=loan["due_date"],
            )
            + (" " + tr(N_("LATE")) if loan["late"] else "")
        )
    console.print("\n".join(lines), highlight=False)


@meeting_app.command("show")
def meeting_show(
    group: Annotated[str, typer.Argument(help=tr(N_("the group id")))],
    number: Annotated[
        int | None, typer.Option("--number", "-n", help=tr(N_("the meeting number")))
    ] = None,
    last: Annotated[
        bool, typer.Option("--last", help=tr(N_("the most recent meeting (the default)")))
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One meeting: its entries, expected and counted cash."""
    if number is not None and last:
        from vsla.cli.common import fail

        fail(tr(N_("give --number or --last, not both")))
    with open_book(db) as book:
        document = queries.meeting(book.db, group, number)
    if as_json:
        print_json(document)
        return
    lang, code = default_language(), document["currency"]
    console.print(
        tr(
            N_("meeting {number} of {group}, {date} ({status})"),
            number=document["number"],
            group=group,
            date=document["date"],
            status=tr(STATUS_NAMES.get(document["status"], document["status"])),
        ),
        highlight=False,
    )
    table = Table(tr(N_("entry")), tr(N_("member")), tr(N_("amount")), tr(N_("note")))
    for e in document["entries"]:
        table.add_row(
            tr(KIND_NAMES.get(e["kind"], e["kind"])) + (" ↩" if e["reverses"] else ""),
            e["member"] or "-",
            money(e["amount_minor"] or 0, code, lang),
            e["memo"],
        )
    console.print(table)
    for label, key in ((N_("expected"), "expected_closing"), (N_("counted"), "counted_closing")):
        bowls = document[key]
        if bowls["loan_fund_minor"] is not None:
            console.print(
                tr(
                    N_("{label}: loan fund {loan_fund}, social fund {social_fund}"),
                    label=tr(label),
                    loan_fund=money(bowls["loan_fund_minor"], code, lang),
                    social_fund=money(bowls["social_fund_minor"], code, lang),
                ),
                highlight=False,
            )
