"""The book's tables (groups, members, meetings, loans …) as projections of the journal.

Every change to them is made here, from a journal entry, in the same SQLite transaction as
the entry. So a group's tables can always be rebuilt from its journal alone, which is how the
hub restores a lost device and how sync stays a matter of shipping entries.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import sqlite_utils

from ledger import Chained, Event, Transaction
from vsla.book import figures
from vsla.domain import accounts as acc

Handler = Callable[[sqlite_utils.Database, Any], None]
_LOAN_PREFIXES = (acc.LOANS + ":", acc.CHARGES + ":")  # the only accounts that name a loan


def project(db: sqlite_utils.Database, chained: Chained) -> None:
    record = chained.record
    if isinstance(record, Event):
        handler = _EVENTS.get(record.kind)
        if handler is not None:
            handler(db, record)
    else:
        _transaction(db, record)


def _group_created(db: sqlite_utils.Database, e: Event) -> None:
    d = e.data
    db.execute(
        "INSERT INTO groups (id, name, currency, country, language) VALUES (?, ?, ?, ?, ?)",
        [e.group_id, d["name"], d["currency"], d["country"], d["language"]],
    )


def _group_updated(db: sqlite_utils.Database, e: Event) -> None:
    for column in ("name", "language"):
        if column in e.data:
            db.execute(f"UPDATE groups SET {column} = ? WHERE id = ?", [e.data[column], e.group_id])


def _cycle_started(db: sqlite_utils.Database, e: Event) -> None:
    active = db.execute(
        "SELECT COUNT(*) FROM members WHERE group_id = ? AND status = 'active'", [e.group_id]
    ).fetchone()[0]
    db.execute(
        "INSERT INTO cycles (group_id, number, start_date, status, constitution, "
        "members_at_start) VALUES (?, ?, ?, 'open', ?, ?)",
        [
            e.group_id,
            e.data["cycle"],
            e.date.isoformat(),
            json.dumps(e.data["constitution"], sort_keys=True),
            active,
        ],
    )
    figures.cycle_started(db, e)


def _cycle_closed(db: sqlite_utils.Database, e: Event) -> None:
    db.execute(
        "UPDATE cycles SET status = 'closed', closed_on = ? WHERE group_id = ? AND number = ?",
        [e.date.isoformat(), e.group_id, e.data["cycle"]],
    )


def _constitution_amended(db: sqlite_utils.Database, e: Event) -> None:
    db.execute(
        "UPDATE cycles SET constitution = ? WHERE group_id = ? AND number = ?",
        [json.dumps(e.data["constitution"], sort_keys=True), e.group_id, e.data["cycle"]],
    )


def _member_joined(db: sqlite_utils.Database, e: Event) -> None:
    d = e.data
    db.execute(
        "INSERT INTO members (group_id, member_id, name, gender, phone, shared_phone, language, "
        "status, joined_on) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?) "
        "ON CONFLICT (group_id, member_id) DO UPDATE SET name = excluded.name, "
        "gender = excluded.gender, phone = excluded.phone, shared_phone = excluded.shared_phone, "
        "language = excluded.language, status = 'active', joined_on = excluded.joined_on, "
        "left_on = NULL",
        [
            e.group_id,
            e.member_id,
            d["name"],
            d["gender"],
            d.get("phone"),
            int(bool(d.get("shared_phone"))),
            d.get("language"),
            e.date.isoformat(),
        ],
    )


def _member_updated(db: sqlite_utils.Database, e: Event) -> None:
    for column in ("name", "phone", "language", "shared_phone", "sms_opt_out", "sms_balances"):
        if column in e.data:
            value = e.data[column]
            db.execute(
                f"UPDATE members SET {column} = ? WHERE group_id = ? AND member_id = ?",
                [
                    int(value)
                    if column in ("shared_phone", "sms_opt_out", "sms_balances")
                    else value,
                    e.group_id,
                    e.member_id,
                ],
            )


def _member_left(db: sqlite_utils.Database, e: Event) -> None:
    db.execute(
        "UPDATE members SET status = 'left', left_on = ? WHERE group_id = ? AND member_id = ?",
        [e.date.isoformat(), e.group_id, e.member_id],
    )
    db.execute("DELETE FROM roles WHERE group_id = ? AND member_id = ?", [e.group_id, e.member_id])


def _roles_assigned(db: sqlite_utils.Database, e: Event) -> None:
    db.execute("DELETE FROM roles WHERE group_id = ?", [e.group_id])
    for role, holders in e.data["roles"].items():
        for member_id in holders:
            db.execute(
                "INSERT INTO roles (group_id, member_id, role) VALUES (?, ?, ?)",
                [e.group_id, member_id, role],
            )


def _meeting_opened(db: sqlite_utils.Database, e: Event) -> None:
    d = e.data
    counted = d.get("opening_counted") or {}
    db.execute(
        "INSERT INTO meetings (group_id, number, cycle_number, date, kind, status, "
        "opening_loan_fund_minor, opening_social_fund_minor) "
        "VALUES (?, ?, ?, ?, ?, 'open', ?, ?)",
        [
            e.group_id,
            e.meeting_number,
            d["cycle"],
            e.date.isoformat(),
            d["kind"],
            counted.get("loan_fund_minor"),
            counted.get("social_fund_minor"),
        ],
    )
    db.conn.executemany(
        "INSERT INTO attendance (group_id, meeting_number, member_id, status) VALUES (?, ?, ?, ?)",
        [(e.group_id, e.meeting_number, m, s) for m, s in d["attendance"].items()],
    )


def _meeting_closed(db: sqlite_utils.Database, e: Event) -> None:
    expected, counted = e.data["expected"], e.data["counted"]
    db.execute(
        "UPDATE meetings SET status = 'closed', expected_loan_fund_minor = ?, "
        "expected_social_fund_minor = ?, counted_loan_fund_minor = ?, "
        "counted_social_fund_minor = ? WHERE group_id = ? AND number = ?",
        [
            expected["loan_fund_minor"],
            expected["social_fund_minor"],
            counted["loan_fund_minor"],
            counted["social_fund_minor"],
            e.group_id,
            e.meeting_number,
        ],
    )
    figures.meeting_closed(db, e)


def _meeting_reopened(db: sqlite_utils.Database, e: Event) -> None:
    db.execute(
        "UPDATE meetings SET status = 'open', reopened = reopened + 1 "
        "WHERE group_id = ? AND number = ?",
        [e.group_id, e.meeting_number],
    )
    figures.meeting_reopened(db, e)


def _transaction(db: sqlite_utils.Database, tx: Transaction) -> None:
    if tx.kind == "loan" and tx.reverses is None:
        d = tx.data
        cycle = db.execute(
            "SELECT cycle_number FROM meetings WHERE group_id = ? AND number = ?",
            [tx.group_id, tx.meeting_number],
        ).fetchone()
        db.execute(
            "INSERT INTO loans (group_id, loan_number, member_id, cycle_number, entry_id, "
            "disbursed_on, principal_minor, method, rate_bp, term_months, due_on, status) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')",
            [
                tx.group_id,
                d["loan"],
                tx.member_id,
                cycle[0] if cycle else 0,
                tx.id,
                tx.date.isoformat(),
                d["principal_minor"],
                d["method"],
                d["rate_bp"],
                d["term_months"],
                d["due_on"],
            ],
        )
        return
    if tx.kind == "shareout_payout":
        figures.shareout_payout(db, tx)
    if tx.kind == "service_charge" and tx.reverses is None:
        db.execute(
            "UPDATE loans SET periods_charged = MAX(periods_charged, ?) "
            "WHERE group_id = ? AND loan_number = ?",
            [tx.data["period"], tx.group_id, tx.data["loan"]],
        )
    loans = {
        (found[1], found[2])
        for found in (
            acc.classify(p.account) for p in tx.postings if p.account.startswith(_LOAN_PREFIXES)
        )
        if found is not None and found[0] == "loan"
    }
    for member_id, loan_number in loans:
        _loan_status(db, tx, str(member_id), int(loan_number or 0))


def _loan_status(db: sqlite_utils.Database, tx: Transaction, member_id: str, number: int) -> None:
    owed = sum(
        int(row[0])
        for row in db.execute(
            "SELECT balance_minor FROM balances WHERE group_id = ? AND account IN (?, ?)",
            [
                tx.group_id,
                acc.loan_principal(member_id, number),
                acc.loan_charges(member_id, number),
            ],
        )
    )
    if tx.kind == "loan" and tx.reverses is not None:
        status = "reversed"
    elif owed > 0:
        status = "open"
    elif tx.kind == "write_off" and tx.reverses is None:
        status = "written_off"
    else:
        status = "repaid"
    db.execute(
        "UPDATE loans SET status = ? WHERE group_id = ? AND loan_number = ?",
        [status, tx.group_id, number],
    )


_EVENTS: dict[str, Handler] = {
    "group_created": _group_created,
    "group_updated": _group_updated,
    "cycle_started": _cycle_started,
    "cycle_closed": _cycle_closed,
    "constitution_amended": _constitution_amended,
    "member_joined": _member_joined,
    "member_updated": _member_updated,
    "member_left": _member_left,
    "roles_assigned": _roles_assigned,
    "meeting_opened": _meeting_opened,
    "meeting_closed": _meeting_closed,
    "meeting_reopened": _meeting_reopened,
}

PROJECTION_TABLES = (
    "groups",
    "cycles",
    "members",
    "roles",
    "meetings",
    "attendance",
    "loans",
    *figures.FIGURE_TABLES,
)
