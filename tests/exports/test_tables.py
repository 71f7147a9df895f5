"""CSV and Excel exports of members, meetings and statements: the same numbers as the JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from vsla.cli import app

GROUP = "bukavu-amani"


def cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_csv_statements_match_the_statement_json(demo_db: Path) -> None:
    rows = list(
        csv.DictReader(
            io.StringIO(
                cli(
                    "export",
                    GROUP,
                    "--format",
                    "csv",
                    "--table",
                    "statements",
                    "--as-of",
                    "2026-11-22",
                    "--db",
                    str(demo_db),
                )
            )
        )
    )
    members = json.loads(cli("members", GROUP, "--json", "--db", str(demo_db)))["members"]
    assert [r["member"] for r in rows] == [m["member"] for m in members]
    for row in rows[:5]:
        statement = json.loads(
            cli(
                "statement",
                GROUP,
                row["member"],
                "--json",
                "--as-of",
                "2026-11-22",
                "--db",
                str(demo_db),
            )
        )
        assert int(row["savings_minor"]) == statement["savings_minor"]
        assert int(row["loan_owed_minor"]) == (statement["loan"] or {}).get("owed_minor", 0)


def test_csv_folder_and_xlsx_workbook(demo_db: Path, tmp_path: Path) -> None:
    cli("export", GROUP, "--format", "csv", "-o", str(tmp_path / "csv"), "--db", str(demo_db))
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        f"{GROUP}-meetings.csv",
        f"{GROUP}-members.csv",
        f"{GROUP}-statements.csv",
    ]
    meetings = list(csv.DictReader((tmp_path / "csv" / f"{GROUP}-meetings.csv").open()))
    target = tmp_path / "b.xlsx"
    cli("export", GROUP, "--format", "xlsx", "-o", str(target), "--db", str(demo_db))
    workbook = load_workbook(target)
    assert workbook.sheetnames == ["members", "meetings", "statements"]
    sheet = workbook["meetings"]
    assert sheet.max_row == len(meetings) + 1
    header = [c.value for c in sheet[1]]
    assert "counted_loan_fund_minor" in header
    last = {h: c.value for h, c in zip(header, sheet[sheet.max_row], strict=True)}
    assert last["counted_loan_fund_minor"] == int(meetings[-1]["counted_loan_fund_minor"])
