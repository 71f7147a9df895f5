"""The programme report written out: one flat row per group (csv, Parquet), the SAVIX
quarterly layout, an Excel workbook with a sheet per view and a sheet of definitions.

Every writer starts from `SavixReport.to_json()`, so the csv, the workbook and the Parquet
carry exactly the numbers of `--json`: split items become three columns (`members`,
`members_women`, `members_men`), ratios keep their names.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ledger import N_
from vsla.book.views.report import GROUP_HEAD, CycleOutcome, SavixReport

Row = dict[str, Any]
Translate = Callable[[str], str]

GROUP_COLUMNS = ("as_of", *GROUP_HEAD)

# (name, numerator, denominator or "", unit) of every figure, shipped with every export so
# that readers know exactly what was computed (reports.md).
DEFINITIONS: tuple[tuple[str, str, str, str], ...] = (
    (
        "members",
        N_("active members at the close of the last meeting on or before the date"),
        "",
        N_("people"),
    ),
    ("members_at_start", N_("active members when the cycle started"), "", N_("people")),
    ("attending_last_meeting", N_("members present in person at that meeting"), "", N_("people")),
    (
        "proxies_last_meeting",
        N_("members represented by a proxy at that meeting"),
        "",
        N_("people"),
    ),
    ("dropouts", N_("members who left during the cycle"), "", N_("people")),
    (
        "savings_minor",
        N_(
            "savings held by members: shares bought this cycle, less savings paid back to "
            "members who left"
        ),
        "",
        N_("minor units"),
    ),
    ("borrowers", N_("members with a loan outstanding"), "", N_("people")),
    ("loans_outstanding_count", N_("loans with something still owed"), "", N_("loans")),
    (
        "loans_outstanding_minor",
        N_("principal and service charges still owed on those loans"),
        "",
        N_("minor units"),
    ),
    (
        "late_loans_unpaid_minor",
        N_("owed on loans whose due date is before the reporting date"),
        "",
        N_("minor units"),
    ),
    ("write_offs_minor", N_("written off this cycle"), "", N_("minor units")),
    ("loan_fund_cash_minor", N_("cash in the loan fund"), "", N_("minor units")),
    ("social_fund_minor", N_("cash in the social fund"), "", N_("minor units")),
    (
        "property_start_minor",
        N_("property at the start of the cycle (not recorded by this tool: 0)"),
        "",
        N_("minor units"),
    ),
    (
        "property_now_minor",
        N_("property now (not recorded by this tool: 0)"),
        "",
        N_("minor units"),
    ),
    ("debts_minor", N_("debts of the group (not recorded by this tool: 0)"), "", N_("minor units")),
    (
        "assets_minor",
        N_("loan-fund cash + loans outstanding + social fund + property now"),
        "",
        N_("minor units"),
    ),
    (
        "profit_minor",
        N_(
            "loan-fund cash + loans outstanding + property now - debts - savings - property "
            "at start"
        ),
        "",
        N_("minor units"),
    ),
    ("percent_women", N_("women"), N_("members"), N_("fraction of 1")),
    ("attendance_rate", N_("attending the last meeting"), N_("members"), N_("fraction of 1")),
    ("dropout_rate", N_("dropouts this cycle"), N_("members"), N_("fraction of 1")),
    ("retention_rate", N_("members - dropouts"), N_("members"), N_("fraction of 1")),
    (
        "membership_growth",
        N_("members - members at start"),
        N_("members at start"),
        N_("fraction of 1"),
    ),
    ("average_savings_minor", N_("savings"), N_("members"), N_("minor units")),
    ("percent_with_loan", N_("borrowers"), N_("members"), N_("fraction of 1")),
    (
        "average_loan_minor",
        N_("value of loans outstanding"),
        N_("number of loans outstanding"),
        N_("minor units"),
    ),
    (
        "portfolio_at_risk",
        N_("unpaid balance of late loans"),
        N_("value of loans outstanding"),
        N_("fraction of 1"),
    ),
    (
        "loan_fund_utilisation",
        N_("loans outstanding"),
        N_("loans outstanding + loan-fund cash"),
        N_("fraction of 1"),
    ),
    ("loans_to_assets", N_("loans outstanding"), N_("assets"), N_("fraction of 1")),
    ("return_on_savings", N_("profit"), N_("savings"), N_("fraction of 1")),
    ("return_on_assets", N_("profit"), N_("assets"), N_("fraction of 1")),
    (
        "annualised_return_on_savings",
        N_("profit x 52 / weeks since savings started (to the reporting date)"),
        N_("savings"),
        N_("fraction of 1"),
    ),
    (
        "annualised_return_on_assets",
        N_("profit x 52 / weeks since savings started (to the reporting date)"),
        N_("assets"),
        N_("fraction of 1"),
    ),
    ("average_profit_minor", N_("profit"), N_("members"), N_("minor units")),
)
DEFINITIONS_NOTE = N_(
    "Totals are sums over the groups of one currency, then one division (never an average of "
    "the groups' ratios). A ratio is empty (null) when its denominator is 0. Figures are those "
    "of each group's last regular meeting on or before the reporting date; a group whose "
    "figures are impossible is listed with the rule that refused it and left out of the totals."
)


def flat(figures: dict[str, Any]) -> Row:
    """A group or a total of `to_json()` as one flat row: {"all","women","men"} items become
    three columns; flags and refusals become their rules, joined by "; "."""
    row: Row = {}
    for key, value in figures.items():
        if isinstance(value, dict):
            row[key] = value["all"]
            row[f"{key}_women"] = value["women"]
            row[f"{key}_men"] = value["men"]
        elif isinstance(value, list):
            row[key] = "; ".join(str(item["rule"]) for item in value)
        else:
            row[key] = value
    return row


def group_rows(report: SavixReport, *, met_only: bool = False) -> list[Row]:
    """One flat row per group; with `met_only`, only groups that had met by the date."""
    document = report.to_json()
    return [
        {"as_of": document["as_of"], **flat(group)}
        for group in document["groups"]
        if not met_only or group["last_meeting"] is not None
    ]


def total_rows(report: SavixReport) -> list[Row]:
    document = report.to_json()
    return [
        {"as_of": document["as_of"], "currency": currency, **flat(total)}
        for currency, total in document["totals"].items()
    ]


def to_csv(rows: Sequence[Row]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


# -- the SAVIX quarterly layout ------------------------------------------------------------

QUARTERLY: tuple[tuple[str, str], ...] = (
    (N_("Group name"), "name"),
    (N_("Group id"), "group_id"),
    (N_("Facilitator"), "facilitator"),
    (N_("Currency"), "currency"),
    (N_("Reporting date"), "as_of"),
    (N_("Date savings started this cycle"), "savings_started"),
    (N_("Members at start of cycle"), "members_at_start"),
    (N_("Registered members"), "members"),
    (N_("Women"), "members_women"),
    (N_("Men"), "members_men"),
    (N_("Members attending last meeting"), "attending_last_meeting"),
    (N_("Dropouts this cycle"), "dropouts"),
    (N_("Value of savings this cycle"), "savings_minor"),
    (N_("Number of loans outstanding"), "loans_outstanding_count"),
    (N_("Value of loans outstanding"), "loans_outstanding_minor"),
    (N_("Unpaid balance of late loans"), "late_loans_unpaid_minor"),
    (N_("Write-offs this cycle"), "write_offs_minor"),
    (N_("Loan fund cash"), "loan_fund_cash_minor"),
    (N_("Cash in other funds"), "social_fund_minor"),
    (N_("Property at start of cycle"), "property_start_minor"),
    (N_("Property now"), "property_now_minor"),
    (N_("Debts"), "debts_minor"),
    (N_("Data quality flags"), "flags"),
    (N_("Refused"), "refused"),
)


def quarterly_rows(reports: Iterable[SavixReport], translate: Translate) -> list[Row]:
    """One row per group per reporting date (of the groups that had met by then), with
    SAVIX's data items as column headings."""
    return [
        {translate(heading): row[key] for heading, key in QUARTERLY}
        for report in reports
        for row in group_rows(report, met_only=True)
    ]


# -- Parquet, through DuckDB ---------------------------------------------------------------


def write_parquet(rows: Sequence[Row], path: Path) -> None:
    """The rows as a Parquet file, with their types (integers, numbers, text, dates, yes/no),
    written by DuckDB: any Parquet engine (DuckDB, Spark, Trino, pandas) reads it."""
    import duckdb

    if not rows:
        raise ValueError("no rows to write")
    columns = {name: _duck_type(name, [row[name] for row in rows]) for name in rows[0]}
    with tempfile.TemporaryDirectory(prefix="vsla-parquet-") as folder:
        lines = Path(folder) / "rows.ndjson"
        with lines.open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        partial = path.with_name(f".{path.name}.partial")
        spec = ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items())
        con = duckdb.connect()
        try:
            con.execute(
                f"COPY (SELECT * FROM read_json(?, format = 'newline_delimited', "
                f"columns = {{{spec}}})) TO '{_quoted(partial)}' (FORMAT parquet)",
                [str(lines)],
            )
        finally:
            con.close()
        partial.replace(path)


def _duck_type(name: str, values: list[Any]) -> str:
    present = [v for v in values if v is not None]
    if name in ("as_of", "savings_started", "last_meeting"):
        return "DATE"
    if present and all(isinstance(v, bool) for v in present):
        return "BOOLEAN"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "BIGINT"
    if present and all(isinstance(v, int | float) for v in present):
        return "DOUBLE"
    if not present and name not in GROUP_COLUMNS and name not in ("flags", "refused"):
        return "DOUBLE"  # a ratio that is null in every row
    return "VARCHAR"


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


# -- the workbook --------------------------------------------------------------------------


def write_xlsx(
    report: SavixReport, outcomes: Sequence[CycleOutcome], path: Path, translate: Translate
) -> None:
    """Sheets: groups, totals, women and men, cycle outcomes, payouts, flags, definitions."""
    from openpyxl import Workbook

    book = Workbook()
    sheets: list[tuple[str, list[Row]]] = [
        (translate(N_("groups")), group_rows(report)),
        (translate(N_("totals")), total_rows(report)),
        (translate(N_("women and men")), _women_and_men(report)),
        (translate(N_("cycles")), [_outcome_row(o) for o in outcomes]),
        (translate(N_("payouts")), [p for o in outcomes for p in _payout_rows(o)]),
        (translate(N_("flags")), _flag_rows(report, translate)),
        (translate(N_("definitions")), _definition_rows(translate)),
    ]
    first = True
    for title, rows in sheets:
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = title[:31]
        if not rows:
            continue
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append(list(row.values()))
        sheet.freeze_panes = "A2"
    partial = path.with_name(f".{path.name}.partial")
    book.save(partial)
    partial.replace(path)


def _women_and_men(report: SavixReport) -> list[Row]:
    """Per currency, each split item and ratio as all / women / men side by side."""
    rows: list[Row] = []
    for currency, total in report.to_json()["totals"].items():
        for key, value in total.items():
            if isinstance(value, dict):
                rows.append({"currency": currency, "figure": key, **value})
            elif f"{key}_women" in total:
                rows.append(
                    {
                        "currency": currency,
                        "figure": key,
                        "all": value,
                        "women": total[f"{key}_women"],
                        "men": total[f"{key}_men"],
                    }
                )
    return rows


def _outcome_row(outcome: CycleOutcome) -> Row:
    document = outcome.to_json()
    document.pop("payouts")
    return flat(document)


def _payout_rows(outcome: CycleOutcome) -> list[Row]:
    return [
        {"group_id": outcome.group_id, "cycle": outcome.cycle, **line}
        for line in outcome.to_json()["payouts"]
    ]


def _flag_rows(report: SavixReport, translate: Translate) -> list[Row]:
    rows: list[Row] = []
    for group in report.groups:
        for kind, problems in (("refused", group.refused), ("flag", group.flags)):
            for problem in problems:
                rows.append(
                    {
                        "group_id": group.group_id,
                        "kind": kind,
                        "rule": problem.code,
                        "message": translate(problem.message).format(**problem.params),
                    }
                )
    return rows


def _definition_rows(translate: Translate) -> list[Row]:
    rows = [
        {
            "figure": name,
            "numerator": translate(numerator),
            "denominator": translate(denominator) if denominator else "",
            "unit": translate(unit),
        }
        for name, numerator, denominator, unit in DEFINITIONS
    ]
    rows.append({"figure": "", "numerator": translate(DEFINITIONS_NOTE), "denominator": "",
                 "unit": ""})  # fmt: skip
    return rows
