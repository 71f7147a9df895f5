"""Members, meetings and statements as tables: CSV files and an Excel workbook for donors
and programme staff. Money columns are in minor units (`_minor`), like the JSON."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from vsla.book.reader import Reader, statement_of
from vsla.exports import TABLES

_MEETING_COLUMNS = (
    "number",
    "cycle",
    "date",
    "kind",
    "status",
    "opening_loan_fund_minor",
    "opening_social_fund_minor",
    "expected_loan_fund_minor",
    "expected_social_fund_minor",
    "counted_loan_fund_minor",
    "counted_social_fund_minor",
    "reopened",
)


def table_rows(reader: Reader, group_id: str, table: str, *, on: date) -> list[dict[str, Any]]:
    """One of TABLES as rows of plain values, read in one snapshot."""
    with reader.reading():
        if table == "members":
            listed = reader.members(group_id)
            return [
                {**m.to_json(), "roles": " ".join(m.roles), "currency": listed.currency}
                for m in listed.members
            ]
        if table == "meetings":
            return [_meeting_row(m.to_json()) for m in reader.meetings(group_id)]
        state = reader.state(group_id)
        rows = []
        for member_id in state.members:
            s = statement_of(state, member_id, on).to_json()
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


def _meeting_row(document: dict[str, Any]) -> dict[str, Any]:
    """A meeting flattened to one row: its counts bowl by bowl."""
    flat = dict(document)
    for key in ("opening_counted", "expected_closing", "counted_closing"):
        bowls = document[key] or {}
        prefix = {"opening_counted": "opening", "expected_closing": "expected"}.get(key, "counted")
        flat[f"{prefix}_loan_fund_minor"] = bowls.get("loan_fund_minor")
        flat[f"{prefix}_social_fund_minor"] = bowls.get("social_fund_minor")
    return {column: flat[column] for column in _MEETING_COLUMNS}


def to_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


def write_csv_dir(reader: Reader, group_id: str, directory: Path, *, on: date) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        path = directory / f"{group_id}-{table}.csv"
        path.write_text(to_csv(table_rows(reader, group_id, table, on=on)), encoding="utf-8")
        written.append(path)
    return written


def write_xlsx(reader: Reader, group_id: str, path: Path, *, on: date) -> None:
    workbook = Workbook()
    first = True
    for table in TABLES:
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None
        sheet.title = table
        first = False
        rows = table_rows(reader, group_id, table, on=on)
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
