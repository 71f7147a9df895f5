"""Read-only commands: groups, members, statement, meeting show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.table import Column as RichColumn
from rich.table import Table
from rich.text import Text

from ledger import N_
from vsla.book import queries
from vsla.book.service import Book
from vsla.cli.common import DbOption, JsonOption, fail, open_book, parse_date, print_json
from vsla.cli.frontends import point_to_demo
from vsla.display import money
from vsla.domain.words import ATTENDANCE_NAMES, KIND_NAMES, ROLE_NAMES, STATUS_NAMES
from vsla.i18n import default_language, tr


def terminal() -> Console:
    """Where a command prints: made when it prints, so that it takes the terminal's width
    (or COLUMNS) of that moment, not of when the module was imported."""
    return Console()


meeting_app = typer.Typer(help=tr(N_("meetings of a group")), no_args_is_help=True)


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a CLI table. `whole`: a value people type back or dial (an id, a phone
    number, a date), never cut or folded. `drop`: when the terminal is too narrow for every
    column, those with a `drop` rank go first, lowest rank first; 0 means always shown."""

    header: str
    whole: bool = False
    drop: int = 0


def fitted_table(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> Table:
    """A table no wider than `width` in which no `whole` column is cut.

    Rich shrinks columns evenly and cuts what no longer fits with "…", ids included. Here the
    columns that may go are dropped until every `whole` value fits on one line and every
    other column keeps its longest word; each column then gets its width explicitly, so that
    rich shrinks nothing.
    """
    natural, narrowest = _widest(columns, rows), _narrowest(columns, rows)
    shown = list(range(len(columns)))
    for index in sorted(
        (i for i, c in enumerate(columns) if c.drop), key=lambda i: columns[i].drop
    ):
        if _table_width({i: narrowest[i] for i in shown}) <= width:
            break
        shown.remove(index)
    table = Table(*(_rich_column(columns[i]) for i in shown))
    for row in rows:
        table.add_row(*(Text(row[i]) for i in shown))  # a name is text, never rich markup
    if _table_width({i: natural[i] for i in shown}) > width:
        widths = _column_widths(columns, shown, natural, narrowest, width)
        for column, index in zip(table.columns, shown, strict=True):
            column.width = None if widths is None else widths[index]
    return table


def _column_widths(
    columns: Sequence[Column],
    shown: list[int],
    natural: list[int],
    narrowest: list[int],
    width: int,
) -> dict[int, int] | None:
    """Each shown column's width: at least its narrowest or, when even that is too wide, the
    `whole` columns whole and the others folded inside words; None when the `whole` columns
    alone do not fit (rich then does what it can)."""
    start = {i: narrowest[i] for i in shown}
    if _table_width(start) > width:
        start = {i: narrowest[i] if columns[i].whole else 1 for i in shown}
        if _table_width(start) > width:
            return None
    return _share_out_space(start, natural, width - _table_width(start))


def _rich_column(column: Column) -> RichColumn:
    # fold, never "…": a long word wraps onto the next line instead of losing its end
    return RichColumn(column.header, overflow="fold")


def _cells(columns: Sequence[Column], rows: Sequence[Sequence[str]], index: int) -> list[str]:
    return [columns[index].header, *(row[index] for row in rows)]


def _widest(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> list[int]:
    """Each column's width with nothing wrapped."""
    return [
        max(
            cell_len(line)
            for cell in _cells(columns, rows, i)
            for line in cell.splitlines() or [""]
        )
        for i in range(len(columns))
    ]


def _narrowest(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> list[int]:
    """Each column's width with every cell wrapped at spaces, `whole` values excepted."""
    widths = []
    for i, column in enumerate(columns):
        words = [w for cell in _cells(columns, rows, i)[1:] for w in _words(cell, column.whole)]
        words += _words(column.header, whole=False)  # a header may always wrap
        widths.append(max((cell_len(w) for w in words), default=1))
    return widths


def _words(text: str, whole: bool) -> list[str]:
    return text.splitlines() if whole else text.split()


def _table_width(widths: dict[int, int]) -> int:
    """Columns of these widths, their padding (a space each side) and the rules between and
    around them."""
    return sum(width + 2 for width in widths.values()) + len(widths) + 1


def _share_out_space(widths: dict[int, int], wanted: Sequence[int], spare: int) -> dict[int, int]:
    """`spare` columns of space given one at a time to the columns still short of their
    natural width, in turn, so that no column wraps much more than another."""
    widths = dict(widths)
    while spare > 0:
        short = [i for i in widths if widths[i] < wanted[i]]
        if not short:
            break
        for i in short[:spare]:
            widths[i] += 1
        spare -= min(len(short), spare)
    return widths


def groups(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the groups in the book."""
    point_to_demo(db)
    with open_book(db) as book:
        rows = queries.groups(book.db)
    if as_json:
        print_json({"groups": rows})
        return
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
            r["group"],
            r["name"],
            r["currency"],
            str(r["members"]),
            f"{r['cycle']} ({tr(STATUS_NAMES.get(r['cycle_status'], r['cycle_status']))})",
            str(r["meetings_this_cycle"]),
            r["last_meeting"] or "-",
        ]
        for r in rows
    ]
    console = terminal()
    console.print(fitted_table(columns, cells, console.width))


def members(
    group: Annotated[str, typer.Argument(help=tr(N_("the group id")))],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the members of a group with their shares and what they owe."""
    point_to_demo(db)
    with open_book(db) as book:
        document = queries.members(book.db, group)
    if as_json:
        print_json(document)
        return
    lang, code = default_language(), document["currency"]
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
            m["member"],
            m["name"],
            m["gender"],
            m["phone"] or "-",
            str(m["shares"]),
            money(m["savings_minor"], code, lang),
            money(m["owed_minor"], code, lang),
            ", ".join(tr(ROLE_NAMES.get(r, r)) for r in m["roles"])
            + ("" if m["status"] == "active" else f" ({left})"),
        ]
        for m in document["members"]
    ]
    console = terminal()
    console.print(fitted_table(columns, cells, console.width))


def statement(
    group: Annotated[str, typer.Argument(help=tr(N_("the group id")))],
    member: Annotated[str, typer.Argument(help=tr(N_("the member number, like M01")))],
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
    console = terminal()
    console.print("\n".join(lines), highlight=False, markup=False)  # a name is not markup


@meeting_app.command("show")
def meeting_show(
    group: Annotated[str, typer.Argument(help=tr(N_("the group id")))],
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
    with open_book(db) as book:
        document = queries.meeting(book.db, group, number)
        unpaid = _unpaid_fines(book, document["entries"])
    if as_json:
        print_json(document)
        return
    console = terminal()
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
    for line in _attendance_lines(document["attendance"]):
        console.print(line, highlight=False, markup=False)
    _print_entries(document, unpaid)
    _print_cash(document)


def _unpaid_fines(book: Book, entries: list[dict[str, Any]]) -> set[str]:
    """The ids of the fines recorded as owed, not paid: only the journal entry says which."""
    unpaid = set()
    for entry in entries:
        if entry["kind"] == "fine":
            stored = book.journal.get(entry["id"])
            if stored is not None and stored.record.data.get("paid") is False:
                unpaid.add(entry["id"])
    return unpaid


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


def _entry_name(entry: dict[str, Any], unpaid: set[str]) -> str:
    """The kind of an entry; a fine says whether it was paid at the meeting or is owed."""
    kind = entry["kind"]
    if kind == "fine":
        name = tr(N_("fine, owed")) if entry["id"] in unpaid else tr(N_("fine, paid"))
    elif kind == "fine_payment":
        name = tr(N_("owed fine paid"))
    else:
        name = tr(KIND_NAMES.get(kind, kind))
    return name + (" ↩" if entry["reverses"] else "")


def _print_entries(document: dict[str, Any], unpaid: set[str]) -> None:
    lang, code = default_language(), document["currency"]
    columns = [
        Column(tr(N_("entry"))),
        Column(tr(N_("member")), whole=True),
        Column(tr(N_("amount"))),
        Column(tr(N_("note"))),
    ]
    cells = [
        [
            _entry_name(e, unpaid),
            e["member"] or "-",
            money(e["amount_minor"] or 0, code, lang),
            e["memo"],
        ]
        for e in document["entries"]
    ]
    console = terminal()
    console.print(fitted_table(columns, cells, console.width))


def _print_cash(document: dict[str, Any]) -> None:
    lang, code = default_language(), document["currency"]
    console = terminal()
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
