"""Commands that check or change the book: check, import, shareout."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from ledger import N_
from vsla.book.errors import MeetingRefused
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
from vsla.cli.frontends import point_to_demo
from vsla.i18n import default_language, render_problem, tr

if TYPE_CHECKING:
    from vsla.domain.entries import EntryProblem
    from vsla.domain.shareout import ShareoutPreview


def check(
    db: DbOption = None,
    as_json: JsonOption = False,
    hub: Annotated[
        str | None,
        typer.Option(
            "--hub",
            metavar="URL",
            help=tr(N_("also compare each group's chain with what the hub acknowledged")),
        ),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            metavar="TOKEN",
            envvar="VSLA_SYNC_TOKEN",
            help=tr(N_("this device's token (default: the one `vsla sync` remembered)")),
        ),
    ] = None,
) -> None:
    """Verify every invariant and hash chain; exit 1 if anything is wrong.

    The book is opened read-only and nothing in it is changed, whatever state it is in. With
    --hub, each group's chain is also compared with the head the hub acknowledged: a book
    whose history was replaced, or that lost its last meetings after they were synced, is
    found.
    """
    path = resolve_db(db)
    if not path.exists():
        fail(tr(N_("there is no book at {path}"), path=str(path)))
    from vsla.book.check import GroupProblem, audit

    with bad_input_exits(path):
        result = audit(path)
    found, groups = list(result.problems), result.groups
    if hub is not None:
        from vsla.cli.sync import hub_problems

        found += [GroupProblem(g, p) for g, p in hub_problems(path, hub, token, groups)]
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
    from vsla.bookfile.reader import import_book, load_book, removed_unless_imported

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
    group: Annotated[str, typer.Argument(metavar="GROUP", help=tr(N_("the group id")))],
    counted_cash: Annotated[
        str | None,
        typer.Option(
            "--counted-cash",
            metavar="AMOUNT",
            help=tr(
                N_(
                    "the loan-fund cash counted now, in major units (default: what the book "
                    "says); when it differs from the book, give --reason"
                )
            ),
        ),
    ] = None,
    commit: Annotated[
        bool, typer.Option("--commit", help=tr(N_("perform the share-out and close the cycle")))
    ] = False,
    on: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="DATE",
            help=tr(
                N_("the share-out date, YYYY-MM-DD (default: today); not before the last meeting")
            ),
        ),
    ] = None,
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            metavar="TEXT",
            help=tr(N_("why the counted cash differs from the book (recorded with it)")),
        ),
    ] = "",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Share-out preview (anyone can recompute it); --commit performs it.

    Exit status: 0, 1 when the share-out cannot be done as it stands (the preview is still
    printed), 2 for bad input or a refused --commit (every problem on stderr, nothing
    recorded).
    """
    day = parse_date(on, "--date")
    if reason.strip() and counted_cash is None:
        fail(tr(N_("--reason explains a counted cash: give --counted-cash with it")))
    point_to_demo(db)
    with open_book(db, write=commit) as book:
        code = book.reader.group(group).currency
        from ledger import currency, parse_amount

        counted = None if counted_cash is None else parse_amount(counted_cash, currency(code))
        try:
            preview = book.shareout(
                group, on=day, counted_cash_minor=counted, reason=reason, commit=commit
            )
            refused = _wrong_input(preview.problems)
        except MeetingRefused as error:  # --commit: nothing was recorded
            refused = _wrong_input(error.problems) or error.problems
            # the same share-out as a preview, for the figures the messages name
            preview = book.shareout(group, on=day, counted_cash_minor=counted, reason=reason)
    if refused:
        _refuse(refused, preview, code, commit=commit)
    document = shareout_document(preview, code, committed=commit)
    if as_json:
        print_json(document)
    else:
        _print_shareout(document, reason)
    if preview.problems:
        raise typer.Exit(EXIT_PROBLEMS)


def _wrong_input(problems: list[EntryProblem]) -> list[EntryProblem]:
    """The problems that make the command bad input: a date or a cash count the share-out
    cannot take. The figures of such a share-out would mean nothing, so none are shown."""
    return [p for p in problems if p.where != "shareout"]


def _refuse(
    problems: list[EntryProblem], preview: ShareoutPreview, code: str, *, commit: bool
) -> NoReturn:
    """Every problem once, on stderr; exit 2 with nothing recorded."""
    lines = dict.fromkeys(_problem_text(p, preview, code) for p in problems)
    head = (
        tr(N_("the share-out was not recorded; fix these first:"))
        if commit
        else tr(N_("cannot show the share-out:"))
    )
    fail("\n".join([head, *(f"- {line}" for line in lines)]))


def _problem_text(problem: EntryProblem, preview: ShareoutPreview, code: str) -> str:
    from vsla.display import money

    """The problem in the words of the command line: a missing reason names --reason."""
    if problem.problem.code == "count.reason_missing":
        language = default_language()
        return tr(
            N_(
                "the counted cash ({counted}) differs from the book ({book}) by {difference}: "
                "give --reason to record why, or count again"
            ),
            counted=money(preview.counted_cash_minor, code, language),
            book=money(preview.ledger_cash_minor, code, language),
            difference=money(
                preview.counted_cash_minor - preview.ledger_cash_minor, code, language
            ),
        )
    text = render_problem(problem.problem)
    # the shareout's problems name their member already; others get her number in front
    return f"{problem.member}: {text}" if problem.member and problem.member not in text else text


def shareout_document(preview: ShareoutPreview, code: str, *, committed: bool) -> dict[str, Any]:
    from ledger import currency, format_fraction

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


def _print_shareout(d: dict[str, Any], reason: str = "") -> None:
    from vsla.cli.tables import Column, fitted_table, terminal
    from vsla.display import money

    lang, code = default_language(), d["currency"]
    console = terminal()
    console.print(
        tr(
            N_("fund {fund} ÷ {shares} shares = {value} a share"),
            fund=money(d["fund_minor"], code, lang),
            shares=d["total_shares"],
            value=d["value_per_share"],
        ),
        highlight=False,
    )
    if d["counted_cash_minor"] != d["cash_in_book_minor"]:
        console.print(_cash_difference(d, reason), highlight=False, markup=False)
    columns = [
        Column(tr(N_("member")), whole=True),
        Column(tr(N_("shares")), whole=True),
        Column(tr(N_("gross"))),
        Column(tr(N_("owes"))),
        Column(tr(N_("payout"))),
    ]
    cells = [
        [
            m["member"],
            str(m["shares"]),
            money(m["gross_minor"], code, lang),
            money(m["owed_minor"], code, lang),
            money(m["payout_minor"], code, lang),
        ]
        for m in d["members"]
    ]
    console.print(fitted_table(columns, cells, console.width))
    console.print(
        tr(N_("remainder: {amount}"), amount=money(d["remainder_minor"], code, lang)),
        highlight=False,
    )
    if d["problems"]:
        console.print(tr(N_("the share-out cannot be done as it stands:")), style="red")
    for message in dict.fromkeys(problem["message"] for problem in d["problems"]):
        console.print(f"- {message}", style="red", highlight=False, markup=False)
    if d["committed"]:
        console.print(tr(N_("share-out recorded; the cycle is closed")))


def _cash_difference(d: dict[str, Any], reason: str) -> str:
    from vsla.display import money

    """The counted cash is what is shared out; the book's figure and the reason stay in view."""
    lang, code = default_language(), d["currency"]
    return tr(
        N_("cash counted {counted}, the book says {book}: a difference of {difference} ({reason})"),
        counted=money(d["counted_cash_minor"], code, lang),
        book=money(d["cash_in_book_minor"], code, lang),
        difference=money(d["counted_cash_minor"] - d["cash_in_book_minor"], code, lang),
        reason=reason.strip(),
    )


def meeting_record(
    group: Annotated[str, typer.Argument(metavar="GROUP", help=tr(N_("the group id")))],
    meeting_file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help=tr(N_("a file with one meeting in the group book format (.toml or .json)")),
            exists=False,
            dir_okay=False,
        ),
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record one meeting written in a file: all of it, or nothing if any rule is broken."""
    from vsla.bookfile.reader import load_meeting, record_meeting_file

    if not meeting_file.exists():
        fail(tr(N_("there is no file {path}"), path=str(meeting_file)))
    with bad_input_exits():
        meeting = load_meeting(meeting_file)  # before the book is opened
    with open_book(db, write=True) as book:
        recorded = record_meeting_file(book, group, meeting_file, meeting)
        book.backed_up()
    if as_json:
        print_json(
            {"group": recorded.group_id, "meeting": recorded.number, "date": str(recorded.on)}
        )
    else:
        typer.echo(
            tr(
                N_("recorded meeting {number} of {group} ({date})"),
                number=recorded.number,
                group=recorded.group_id,
                date=str(recorded.on),
            )
        )
