"""Members, meetings and statements as tables: CSV files and an Excel workbook for donors
and programme staff. Money columns are in minor units (`_minor`), like the JSON."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import sqlite_utils
from openpyxl import Workbook

from vsla.book import queries
from vsla.book.loading import load_state

TABLES = ("members", "meetings", "statements")


def table_rows(
    db: sqlite_utils.Database, group_id: str, table: str, *, on: date
) -> list[dict[str, Any]]:
    if table == "members":
        document = queries.members(db, group_id)
        return [
            {
                **{k: v for k, v in m.items() if k != "roles"},
                "roles": " ".join(m["roles"]),
                "currency": document["currency"],
            }
            for m in document["members"]
        ]
    if table == "meetings":
        return [
            {k: v for k, v in row.items()}
            for row in db.execute_returning_dicts(
                "SELECT number, cycle_number AS cycle, date, kind, status, "
                "opening_loan_fund_minor, opening_social_fund_minor, expected_loan_fund_minor, "
                "expected_social_fund_minor, counted_loan_fund_minor, counted_social_fund_minor, "
                "reopened FROM meetings WHERE group_id = ? ORDER BY number",
                [group_id],
            )
        ]
    state = load_state(db, group_id)
    rows = []
    for member_id in state.members:
        s = queries.statement_of(state, member_id, on=on)
        loan = s.pop("loan") or {}
        rows.append(
            {
                **s,
                "loan_principal_minor": loan.get("principal_minor", 0),
                "loan_charges_owed_minor": loan.get("charges_owed_minor", 0),
                "loan_owed_minor": loan.get("owed_minor", 0),
                "loan_due_date": loan.get("due_date", ""),
                "loan_late": loan.get("late", False),
            }
        )
    return rows


def to_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


def write_csv_dir(
    db: sqlite_utils.Database, group_id: str, directory: Path, *, on: date
) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        path = directory / f"{group_id}-{table}.csv"
        path.write_text(to_csv(table_rows(db, group_id, table, on=on)), encoding="utf-8")
        written.append(path)
    return written


def write_xlsx(db: sqlite_utils.Database, group_id: str, path: Path, *, on: date) -> None:
    workbook = Workbook()
    first = True
    for table in TABLES:
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None
        sheet.title = table
        first = False
        rows = table_rows(db, group_id, table, on=on)
        if rows:
            sheet.append(list(rows[0]))
            for row in rows:
                sheet.append([_cell(v) for v in row.values()])
            sheet.freeze_panes = "A2"
    workbook.save(path)


def _cell(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return "" if value is None else ("yes" if value else "no")
    return value
