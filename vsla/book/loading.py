"""Reading a group's state from the book's tables, for the rules to work on."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any, Protocol

from ledger import N_, Transaction, currency
from vsla.domain.constitution import Constitution
from vsla.domain.errors import broken
from vsla.domain.state import GroupState, LoanState, MeetingState, MemberState


class Queryable(Protocol):
    """A plain sqlite3 connection or a sqlite-utils database: what the readers need."""

    def execute(self, sql: str, parameters: Any = ..., /) -> sqlite3.Cursor: ...


def group_exists(db: Queryable, group_id: str) -> bool:
    return db.execute("SELECT 1 FROM groups WHERE id = ?", [group_id]).fetchone() is not None


def load_state(db: Queryable, group_id: str) -> GroupState:
    group = db.execute(
        "SELECT name, currency, country, language FROM groups WHERE id = ?", [group_id]
    ).fetchone()
    if group is None:
        raise broken(
            "group.unknown", N_('there is no group "{group}" in this book'), group=group_id
        )
    cycle = db.execute(
        "SELECT number, start_date, status, constitution FROM cycles WHERE group_id = ? "
        "ORDER BY number DESC LIMIT 1",
        [group_id],
    ).fetchone()
    if cycle is None:
        raise broken("group.no_cycle", N_('group "{group}" has no cycle'), group=group_id)
    roles: dict[str, list[str]] = {}
    for member_id, role in db.execute(
        "SELECT member_id, role FROM roles WHERE group_id = ? ORDER BY role", [group_id]
    ):
        roles.setdefault(member_id, []).append(role)
    members = {
        row[0]: MemberState(
            member_id=row[0],
            name=row[1],
            gender=row[2],
            phone=row[3],
            language=row[4],
            status=row[5],
            joined_on=date.fromisoformat(row[6]),
            shared_phone=bool(row[7]),
            roles=tuple(roles.get(row[0], ())),
        )
        for row in db.execute(
            "SELECT member_id, name, gender, phone, language, status, joined_on, shared_phone "
            "FROM members WHERE group_id = ? ORDER BY member_id",
            [group_id],
        )
    }
    loans = {
        row[0]: LoanState(
            number=row[0],
            member_id=row[1],
            principal_minor=row[2],
            method=row[3],
            rate_bp=row[4],
            term_months=row[5],
            disbursed_on=date.fromisoformat(row[6]),
            due_on=date.fromisoformat(row[7]),
            periods_charged=row[8],
            status=row[9],
            entry_id=row[10],
        )
        for row in db.execute(
            "SELECT loan_number, member_id, principal_minor, method, rate_bp, term_months, "
            "disbursed_on, due_on, periods_charged, status, entry_id FROM loans "
            "WHERE group_id = ? AND (status = 'open' OR cycle_number = ?)",
            [group_id, cycle[0]],
        )
    }
    next_loan = db.execute(
        "SELECT COALESCE(MAX(loan_number), 0) + 1 FROM loans WHERE group_id = ?", [group_id]
    ).fetchone()[0]
    last = db.execute(
        "SELECT number, date, kind, status, cycle_number FROM meetings WHERE group_id = ? "
        "ORDER BY number DESC LIMIT 1",
        [group_id],
    ).fetchone()
    reversed_ids = {
        str(row[0])
        for row in db.execute(
            "SELECT reverses FROM journal WHERE group_id = ? AND reverses IS NOT NULL", [group_id]
        )
    }
    return GroupState(
        group_id=group_id,
        name=group[0],
        currency=currency(group[1]),
        country=group[2],
        language=group[3],
        cycle_number=cycle[0],
        cycle_start=date.fromisoformat(cycle[1]),
        cycle_status=cycle[2],
        constitution=Constitution.from_json(json.loads(cycle[3])),
        members=members,
        balances={
            str(account): int(amount)
            for account, amount in db.execute(
                "SELECT account, balance_minor FROM balances WHERE group_id = ?", [group_id]
            )
        },
        loans=loans,
        last_meeting=None
        if last is None
        else MeetingState(last[0], date.fromisoformat(last[1]), last[2], last[3], last[4]),
        next_loan_number=next_loan,
        reversed_ids=reversed_ids,
    )


def entry_lookup(db: Any) -> object:
    from vsla.store import Journal

    journal = Journal(db)

    def lookup(entry_id: str) -> tuple[Transaction, int] | None:
        chained = journal.get(entry_id)
        if chained is None or not isinstance(chained.record, Transaction):
            return None
        row = db.execute(
            "SELECT cycle_number FROM meetings WHERE group_id = ? AND number = ?",
            [chained.record.group_id, chained.record.meeting_number],
        ).fetchone()
        return chained.record, int(row[0]) if row else 0

    return lookup
