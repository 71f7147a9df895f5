"""`vsla report savix|quarterly|cycles`: the programme report (reports.md) of any book, a
device's or the hub's, in the terminal or written out (JSON, csv, xlsx, Parquet, charts).

Each output is made whole before anything is written; a refused command writes nothing.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ledger import N_
from vsla.cli.common import DbOption, JsonOption, fail, open_reader, parse_date, print_json
from vsla.cli.exporting import _write
from vsla.cli.frontends import point_to_demo
from vsla.i18n import default_language, tr

if TYPE_CHECKING:
    from vsla.book.views.report import GroupReport, SavixReport
    from vsla.domain.savix import Items

report_app = typer.Typer(
    help=tr(N_("programme reports: SAVIX indicators split by gender")), no_args_is_help=True
)

GroupOption = Annotated[
    list[str] | None,
    typer.Option("--group", "-g", metavar="GROUP", help=tr(N_("only this group (repeatable)"))),
]
CHART_MONTHS = 12


@report_app.command("savix")
def savix(
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE", help=tr(N_("the reporting date (default: today)"))),
    ] = None,
    group: GroupOption = None,
    as_json: JsonOption = False,
    csv_file: Annotated[
        Path | None,
        typer.Option("--csv", metavar="FILE", help=tr(N_("write one row per group to FILE"))),
    ] = None,
    xlsx_file: Annotated[
        Path | None,
        typer.Option(
            "--xlsx",
            metavar="FILE",
            help=tr(N_("write a workbook: a sheet per view and one of definitions")),
        ),
    ] = None,
    parquet_file: Annotated[
        Path | None,
        typer.Option("--parquet", metavar="FILE", help=tr(N_("write the group rows as Parquet"))),
    ] = None,
    charts: Annotated[
        Path | None,
        typer.Option(
            "--charts", metavar="DIR", help=tr(N_("write charts as PNG and SVG into DIR"))
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """The SAVIX data items and indicators, every figure for women and for men."""
    # A short-lived process holding tens of thousands of objects to the end: the cycle
    # collector would only walk them over and over (a third of the time on 10,000 groups).
    gc.disable()
    day = parse_date(as_of, "--as-of")
    groups = tuple(group or ())
    outputs = [o for o in (csv_file, xlsx_file, parquet_file) if o is not None]
    if as_json and outputs:
        fail(tr(N_("--json prints to the terminal; give it alone or write files")))
    for path in outputs:
        if path.is_dir():
            fail(tr(N_("{path} is a folder; give a file name"), path=str(path)))
    if parquet_file is not None or charts is not None:
        _need_reports_extra()
    point_to_demo(db)
    with open_reader(db) as reader:
        report = reader.savix(day, groups)
        outcomes = reader.cycle_outcomes(groups) if xlsx_file or charts else ()
        series = (
            (*reader.savix_series(_month_ends(day, CHART_MONTHS), groups), report) if charts else ()
        )
    from vsla.exports import savix as out

    if as_json:
        from vsla.book.views.report_text import savix_json_text

        sys.stdout.write(savix_json_text(report) + "\n")
        return
    with _busy(N_("Writing the report's files …"), bool(outputs or charts)):
        if csv_file is not None:
            _write(csv_file, out.to_csv(out.group_rows(report)).encode())
        if xlsx_file is not None:
            out.write_xlsx(report, outcomes, xlsx_file, tr)
        if parquet_file is not None and report.groups:
            out.write_parquet(out.group_rows(report), parquet_file)
        if charts is not None:
            from vsla.exports.charts import write_charts

            for path in write_charts(series, outcomes, charts, translate=tr):
                typer.echo(str(path), err=True)
    for path in outputs:
        typer.echo(str(path), err=True)
    if not outputs and charts is None:
        _print(report)


@report_app.command("quarterly")
def quarterly(
    since: Annotated[
        str,
        typer.Option(
            "--since", metavar="DATE", help=tr(N_("the first quarter ending on or after DATE"))
        ),
    ],
    until: Annotated[
        str | None,
        typer.Option(
            "--until", metavar="DATE", help=tr(N_("the last quarter end (default: today)"))
        ),
    ] = None,
    group: GroupOption = None,
    csv_file: Annotated[
        Path | None,
        typer.Option("--csv", metavar="FILE", help=tr(N_("write the SAVIX layout as csv"))),
    ] = None,
    parquet_file: Annotated[
        Path | None,
        typer.Option("--parquet", metavar="FILE", help=tr(N_("write the group rows as Parquet"))),
    ] = None,
    db: DbOption = None,
) -> None:
    """One row per group per quarter end, in the SAVIX data-item layout."""
    first, last = parse_date(since, "--since"), parse_date(until, "--until")
    if last < first:
        fail(tr(N_("--until is before --since")))
    if csv_file is None and parquet_file is None:
        fail(tr(N_("give --csv FILE or --parquet FILE")))
    if parquet_file is not None:
        _need_reports_extra()
    ends = _quarter_ends(first, last)
    if not ends:
        fail(tr(N_("no quarter ends between {since} and {until}"), since=since, until=last))
    point_to_demo(db)
    with open_reader(db) as reader:
        reports = reader.savix_series(ends, tuple(group or ()))
    from vsla.exports import savix as out

    if csv_file is not None:
        _write(csv_file, out.to_csv(out.quarterly_rows(reports, tr)).encode())
        typer.echo(str(csv_file), err=True)
    if parquet_file is not None:
        rows = [row for report in reports for row in out.group_rows(report, met_only=True)]
        if rows:
            out.write_parquet(rows, parquet_file)
            typer.echo(str(parquet_file), err=True)


@report_app.command("cycles")
def cycles(group: GroupOption = None, as_json: JsonOption = False, db: DbOption = None) -> None:
    """Finished cycles: each member's savings and payout, the return for women and men."""
    point_to_demo(db)
    with open_reader(db) as reader:
        outcomes = reader.cycle_outcomes(tuple(group or ()))
    if as_json:
        print_json({"cycles": [o.to_json() for o in outcomes]})
        return
    from vsla.cli.tables import Column, fitted_table, terminal

    language = default_language()
    columns = [
        Column(tr(N_("group")), whole=True),
        Column(tr(N_("cycle")), whole=True),
        Column(tr(N_("shared out")), whole=True),
        Column(tr(N_("savings")), whole=True, drop=2),
        Column(tr(N_("paid out")), whole=True, drop=1),
        Column(tr(N_("return")), whole=True),
        Column(tr(N_("women")), whole=True),
        Column(tr(N_("men")), whole=True),
    ]
    rows = []
    for o in outcomes:
        returns = o.returns()
        rows.append(
            [
                o.group_id,
                str(o.cycle),
                o.shared_out_on.isoformat(),
                _money(o.savings().all, o.currency, language),
                _money(o.paid().all, o.currency, language),
                _percent(returns.all),
                _percent(returns.women),
                _percent(returns.men),
            ]
        )
    console = terminal()
    if not rows:
        console.print(tr(N_("No cycle has been shared out yet.")))
        return
    console.print(fitted_table(columns, rows, console.width))


# -- the terminal view ----------------------------------------------------------------------


def _print(report: SavixReport) -> None:
    from vsla.cli.tables import Column, fitted_table, terminal

    language = default_language()
    console = terminal()
    columns = [
        Column(tr(N_("group")), whole=True),
        Column(tr(N_("currency")), whole=True),
        Column(tr(N_("members")), whole=True),
        Column(tr(N_("women")), whole=True, drop=2),
        Column(tr(N_("savings")), whole=True),
        Column(tr(N_("loans")), whole=True, drop=3),
        Column(tr(N_("at risk")), whole=True, drop=4),
    ]
    rows = [_group_cells(g, language) for g in report.groups]
    console.print(tr(N_("SAVIX report as of {date}"), date=report.as_of.isoformat()))
    if rows:
        console.print(fitted_table(columns, rows, console.width))
    for g in report.groups:
        for problem, left_out in [(p, True) for p in g.refused] + [(p, False) for p in g.flags]:
            text = tr(problem.message).format(**problem.params)
            if left_out:
                text = tr(N_("left out of the totals: {reason}"), reason=text)
            console.print(f"[yellow]{g.group_id}[/yellow]: {text}", highlight=False, markup=True)
    for currency, items in sorted(report.totals.items()):
        console.print(_totals_table(currency, items, language, console.width))


def _group_cells(g: GroupReport, language: str) -> list[str]:
    ratios = g.indicators
    return [
        g.group_id,
        g.currency,
        str(g.items.members.all),
        _percent(ratios.percent_women),
        _money(g.items.savings_minor.all, g.currency, language),
        _money(g.items.loans_outstanding_minor.all, g.currency, language),
        _percent(ratios.portfolio_at_risk.all),
    ]


def _totals_table(currency: str, items: Items, language: str, width: int) -> object:
    from vsla.cli.tables import Column, fitted_table
    from vsla.domain.savix import indicators

    r = indicators(items)
    money = [
        (N_("savings"), items.savings_minor),
        (N_("loans outstanding"), items.loans_outstanding_minor),
        (N_("late loans unpaid"), items.late_loans_unpaid_minor),
        (N_("write-offs"), items.write_offs_minor),
    ]
    counts = [
        (N_("members"), items.members),
        (N_("members at start"), items.members_at_start),
        (N_("attending last meeting"), items.attending_last_meeting),
        (N_("dropouts"), items.dropouts),
        (N_("loans outstanding (number)"), items.loans_outstanding_count),
    ]
    ratios = [
        (N_("attendance rate"), r.attendance_rate),
        (N_("retention rate"), r.retention_rate),
        (N_("portfolio at risk"), r.portfolio_at_risk),
        (N_("members with a loan"), r.percent_with_loan),
    ]
    rows = [[tr(name), str(s.all), str(s.women), str(s.men)] for name, s in counts]
    rows += [
        [tr(name), *(_money(v, currency, language) for v in (s.all, s.women, s.men))]
        for name, s in money
    ]
    rows += [[tr(name), _percent(g.all), _percent(g.women), _percent(g.men)] for name, g in ratios]
    for name, value in (
        (N_("loan fund utilisation"), r.loan_fund_utilisation),
        (N_("return on savings"), r.return_on_savings),
        (N_("return on assets"), r.return_on_assets),
        (N_("annualised return on savings"), r.annualised_return_on_savings),
        (N_("annualised return on assets"), r.annualised_return_on_assets),
    ):
        rows.append([tr(name), _percent(value), "", ""])
    columns = [
        Column(tr(N_("totals in {currency}"), currency=currency)),
        Column(tr(N_("all")), whole=True),
        Column(tr(N_("women")), whole=True),
        Column(tr(N_("men")), whole=True),
    ]
    return fitted_table(columns, rows, width)


def _money(amount_minor: int, currency: str, language: str) -> str:
    from vsla.display import amount

    return amount(amount_minor, currency, language)


def _percent(value: float | None) -> str:
    return tr(N_("n/a")) if value is None else f"{float(value) * 100:.1f}%"


# -- dates ----------------------------------------------------------------------------------


def _quarter_ends(first: date, last: date) -> tuple[date, ...]:
    ends = []
    for year in range(first.year, last.year + 1):
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            end = date(year, month, day)
            if first <= end <= last:
                ends.append(end)
    return tuple(ends)


def _month_ends(day: date, months: int) -> tuple[date, ...]:
    """The last day of each of the `months` months before `day`'s month, oldest first."""
    ends = []
    year, month = day.year, day.month
    for _ in range(months):
        first_of_month = date(year, month, 1)
        end = first_of_month.fromordinal(first_of_month.toordinal() - 1)
        ends.append(end)
        year, month = end.year, end.month
    return tuple(reversed(ends))


@contextmanager
def _busy(message: str, shown: bool) -> Iterator[None]:
    """A spinner on the terminal (never in a pipe or a file) while files are written: a
    workbook of thousands of groups takes seconds."""
    from rich.console import Console

    console = Console(stderr=True)
    if not shown or not console.is_terminal:
        yield
        return
    with console.status(tr(message)):
        yield


def _need_reports_extra() -> None:
    import importlib.util

    missing = [m for m in ("duckdb", "matplotlib") if importlib.util.find_spec(m) is None]
    if missing:
        fail(
            tr(
                N_("this needs {packages}: pip install 'vsla-books[reports]'"),
                packages=", ".join(missing),
            )
        )
