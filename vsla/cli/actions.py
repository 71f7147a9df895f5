"""Commands that check or change the book: check, import, shareout."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ledger import N_, currency, format_fraction, parse_amount
from vsla.book.check import audit
from vsla.book.service import currency_of
from vsla.bookfile.reader import import_book
from vsla.cli.common import (
    EXIT_PROBLEMS,
    DbOption,
    JsonOption,
    bad_input_exits,
    fail,
    open_book,
    parse_date,
    print_json,
    resolve_db,
)
from vsla.display import money
from vsla.domain.shareout import ShareoutPreview
from vsla.i18n import default_language, render_problem, tr

console = Console()


def check(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Verify every invariant and hash chain; exit 1 if anything is wrong.

    The book is opened read-only and nothing in it is changed, whatever state it is in.
    """
    path = resolve_db(db)
    if not path.exists():
        fail(tr(N_("there is no book at {path}"), path=str(path)))
    with bad_input_exits(path):
        result = audit(path)
    found, groups = result.problems, result.groups
    language = default_language()
    if as_json:
        print_json(
            {
                "ok": not found,
                "groups_checked": groups,
                "problems": [
                    {
                        "group": f.group_id,
                        "code": f.problem.code,
                        "entry": f.problem.record_id,
                        "message": render_problem(f.problem, language),
                    }
                    for f in found
                ],
            }
        )
    else:
        for f in found:
            where = f.group_id or tr(N_("book"))
            typer.echo(f"{where}: {render_problem(f.problem, language)}")
        if not found:
            typer.echo(tr(N_("{count} group(s) checked: no problems"), count=len(groups)))
    if found:
        raise typer.Exit(EXIT_PROBLEMS)


def import_(
    book_file: Annotated[
        Path,
        typer.Argument(
            metavar="BOOK",
            help=tr(N_("a group book (.toml or .json)")),
            exists=False,
            dir_okay=False,
        ),
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import a group book: everything in it, or nothing if any rule is broken."""
    from vsla.bookfile.reader import load_book, removed_unless_imported

    if not book_file.exists():
        fail(tr(N_("there is no file {path}"), path=str(book_file)))
    with bad_input_exits():
        parsed = load_book(book_file)  # before the database is opened (or made)
    with (
        removed_unless_imported(resolve_db(db)) as imported,
        open_book(db, write=True, create=True) as book,
    ):
        result = import_book(book, book_file, parsed)
        imported()
        book.backed_up()
    if as_json:
        print_json(
            {
                "group": result.group_id,
                "members": result.members,
                "meetings": result.meetings,
                "cycles": result.cycles,
            }
        )
    else:
        typer.echo(
            tr(
                N_("imported {group}: {members} members, {meetings} meetings"),
                group=result.group_id,
                members=result.members,
                meetings=result.meetings,
            )
        )


def shareout(
    group: Annotated[str, typer.Argument(help=tr(N_("the group id")))],
    counted_cash: Annotated[
        str | None,
        typer.Option(
            "--counted-cash",
            help=tr(
                N_("the loan-fund cash counted now, in major units (default: what the book says)")
            ),
        ),
    ] = None,
    commit: Annotated[
        bool, typer.Option("--commit", help=tr(N_("perform the share-out and close the cycle")))
    ] = False,
    on: Annotated[
        str | None, typer.Option("--date", help=tr(N_("the share-out date (default: today)")))
    ] = None,
    reason: Annotated[
        str, typer.Option("--reason", help=tr(N_("why the counted cash differs from the book")))
    ] = "",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Share-out preview (anyone can recompute it); --commit performs it."""
    day = parse_date(on, "--date")
    with open_book(db, write=commit) as book:
        code = currency_of(book, group).code
        counted = None if counted_cash is None else parse_amount(counted_cash, currency(code))
        preview = book.shareout(
            group, on=day, counted_cash_minor=counted, reason=reason, commit=commit
        )
    document = shareout_document(preview, code, committed=commit)
    if as_json:
        print_json(document)
    else:
        _print_shareout(document)
    if preview.problems and not commit:
        raise typer.Exit(EXIT_PROBLEMS)


def shareout_document(preview: ShareoutPreview, code: str, *, committed: bool) -> dict[str, Any]:
    cur = currency(code)
    language = default_language()
    return {
        "group": preview.group_id,
        "currency": code,
        "exponent": cur.exponent,
        "date": preview.date.isoformat(),
        "total_shares": preview.total_shares,
        "fund_minor": preview.fund_minor,
        "value_per_share": format_fraction(preview.value_per_share_minor, cur),
        "value_per_share_exact_minor": f"{preview.fund_minor}/{preview.total_shares}",
        "payout_rounding_minor": preview.payout_rounding_minor,
        "remainder_minor": preview.remainder_minor,
        "cash_in_book_minor": preview.ledger_cash_minor,
        "counted_cash_minor": preview.counted_cash_minor,
        "paid_out_minor": preview.paid_out_minor,
        "social_fund_minor": preview.social_fund_minor,
        "social_fund_each_minor": preview.social_fund_each_minor,
        "committed": committed and not preview.problems,
        "members": [
            {
                "member": line.member_id,
                "shares": line.shares,
                "savings_minor": line.savings_minor,
                "gross_minor": line.gross_minor,
                "owed_minor": line.owed_minor,
                "payout_minor": line.payout_minor,
            }
            for line in preview.lines
        ],
        "problems": [
            {"code": p.code, "member": p.member, "message": render_problem(p.problem, language)}
            for p in preview.problems
        ],
    }


def _print_shareout(d: dict[str, Any]) -> None:
    lang, code = default_language(), d["currency"]
    console.print(
        tr(
            N_("fund {fund} ÷ {shares} shares = {value} a share"),
            fund=money(d["fund_minor"], code, lang),
            shares=d["total_shares"],
            value=d["value_per_share"],
        ),
        highlight=False,
    )
    table = Table(
        tr(N_("member")), tr(N_("shares")), tr(N_("gross")), tr(N_("owes")), tr(N_("payout"))
    )
    for m in d["members"]:
        table.add_row(
            m["member"],
            str(m["shares"]),
            money(m["gross_minor"], code, lang),
            money(m["owed_minor"], code, lang),
            money(m["payout_minor"], code, lang),
        )
    console.print(table)
    console.print(
        tr(N_("remainder: {amount}"), amount=money(d["remainder_minor"], code, lang)),
        highlight=False,
    )
    for problem in d["problems"]:
        console.print("[red]" + problem["message"] + "[/red]")
    if d["committed"]:
        console.print(tr(N_("share-out recorded; the cycle is closed")))
