"""The report's files carry exactly the numbers of `--json`: the csv read back with the csv
module, the workbook with openpyxl, the Parquet with DuckDB (a second, independent reader)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest
from typer.testing import CliRunner

from vsla.cli import app

from .test_savix_by_hand import AS_OF, build

runner = CliRunner()


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("files") / "book.sqlite"
    build(path)
    return path


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def as_json(book: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        run("report", "savix", "--db", str(book), "--as-of", AS_OF.isoformat(), "--json")
    )
    return document


def flat_expected(group: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for key, value in group.items():
        if isinstance(value, dict):
            row |= {key: value["all"], f"{key}_women": value["women"], f"{key}_men": value["men"]}
        elif isinstance(value, list):
            row[key] = "; ".join(f["rule"] for f in value)
        else:
            row[key] = value
    return row


def test_the_csv_has_the_numbers_of_the_json(book: Path, tmp_path: Path) -> None:
    groups = as_json(book)["groups"]
    out = tmp_path / "groups.csv"
    run("report", "savix", "--db", str(book), "--as-of", AS_OF.isoformat(), "--csv", str(out))
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["group_id"] for r in rows] == [g["group_id"] for g in groups]
    for row, group in zip(rows, groups, strict=True):
        expected = flat_expected(group)
        for key, value in expected.items():
            shown = "" if value is None else str(value)
            assert row[key] == shown, (group["group_id"], key)


def test_the_workbook_has_the_numbers_of_the_json(book: Path, tmp_path: Path) -> None:
    document = as_json(book)
    out = tmp_path / "report.xlsx"
    run("report", "savix", "--db", str(book), "--as-of", AS_OF.isoformat(), "--xlsx", str(out))
    workbook = openpyxl.load_workbook(out, read_only=True)
    assert workbook.sheetnames == [
        "groups",
        "totals",
        "women and men",
        "cycles",
        "payouts",
        "flags",
        "definitions",
    ]
    sheet = workbook["totals"]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    totals = {row[header.index("currency")]: dict(zip(header, row, strict=True)) for row in rows}
    for currency, total in document["totals"].items():
        for key, value in flat_expected(total).items():
            assert totals[currency][key] == value, (currency, key)
    women_men = [list(r) for r in workbook["women and men"].iter_rows(values_only=True)]
    assert [
        "UGX",
        "portfolio_at_risk",
        document["totals"]["UGX"]["portfolio_at_risk"],
        document["totals"]["UGX"]["portfolio_at_risk_women"],
        document["totals"]["UGX"]["portfolio_at_risk_men"],
    ] in women_men
    names = [r[0] for r in workbook["definitions"].iter_rows(values_only=True)]
    assert {"portfolio_at_risk", "loan_fund_utilisation", "annualised_return_on_assets"} <= set(
        names
    )


def test_the_parquet_read_by_duckdb_has_the_numbers_of_the_json(book: Path, tmp_path: Path) -> None:
    document = as_json(book)
    out = tmp_path / "groups.parquet"
    run("report", "savix", "--db", str(book), "--as-of", AS_OF.isoformat(), "--parquet", str(out))
    con = duckdb.connect()
    cursor = con.execute("SELECT * FROM read_parquet(?) ORDER BY group_id", [str(out)])
    columns = [d[0] for d in cursor.description]
    rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    for row, group in zip(rows, document["groups"], strict=True):
        for key, value in flat_expected(group).items():
            got = row[key]
            if hasattr(got, "isoformat"):
                got = got.isoformat()
            assert got == value, (group["group_id"], key)
    # and DuckDB's own sums over the groups equal the report's totals, currency by currency
    summed = con.execute(
        "SELECT currency, SUM(members), SUM(members_women), SUM(savings_minor_men), "
        "SUM(late_loans_unpaid_minor), SUM(profit_minor) FROM read_parquet(?) "
        "GROUP BY currency ORDER BY currency",
        [str(out)],
    ).fetchall()
    assert summed == [
        (
            c,
            t["members"]["all"],
            t["members"]["women"],
            t["savings_minor"]["men"],
            t["late_loans_unpaid_minor"]["all"],
            t["profit_minor"],
        )
        for c, t in sorted(document["totals"].items())
    ]
    con.close()


def test_the_quarterly_layout_has_one_row_per_group_per_quarter(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "quarterly.csv"
    run(
        "report",
        "quarterly",
        "--db",
        str(book),
        "--since",
        "2026-01-01",
        "--until",
        "2026-06-30",
        "--csv",
        str(out),
    )
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    # March 31 and June 30; every group had met by March 31
    assert [(r["Reporting date"], r["Group id"]) for r in rows] == [
        (day, g) for day in ("2026-03-31", "2026-06-30") for g in ("tumaini", "umoja", "upendo")
    ]
    umoja = rows[1]
    assert (umoja["Registered members"], umoja["Women"], umoja["Men"]) == ("5", "4", "1")
    assert umoja["Value of savings this cycle"] == "16000"
    assert umoja["Unpaid balance of late loans"] == "15200"  # by March 31 both were late


def test_the_fast_json_is_byte_for_byte_what_json_dumps_makes(book: Path) -> None:
    """`--json` writes the report's text directly; it must be exactly json.dumps of
    to_json(), flags, nulls, a refused group and non-ASCII names included."""
    from dataclasses import replace

    from ledger import Problem
    from vsla.book.reader import Reader
    from vsla.book.views.report_text import savix_json_text

    reader = Reader.open(book)
    try:
        report = reader.savix(AS_OF)
    finally:
        reader.close()
    odd = Problem("savix.negative", "{item} is negative", {"item": "loan_fund_cash_minor"})
    first, *rest = report.groups
    report = replace(
        report, groups=(replace(first, name='Umoja "Wamama" – Kolwezi', refused=(odd,)), *rest)
    )
    expected = json.dumps(report.to_json(), ensure_ascii=False, separators=(",", ":"))
    assert savix_json_text(report) == expected
    assert '"refused":[{"rule":"savix.negative"' in expected  # the case is really there
