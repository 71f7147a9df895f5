"""Read-only views of the book in the JSON shapes of interfaces.md: groups, members, a member's
statement, a meeting. Balances come from the balances table, never from a journal replay."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlite_utils

from ledger import N_
from vsla.book.loading import load_state
from vsla.domain import accounts as acc
from vsla.domain.errors import broken
from vsla.domain.state import GroupState


def groups(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT g.id, g.name, g.currency, g.country, g.language, c.number, c.start_date, "
        "c.status, (SELECT COUNT(*) FROM members m WHERE m.group_id = g.id "
        "AND m.status = 'active'), (SELECT COUNT(*) FROM meetings t WHERE t.group_id = g.id "
        "AND t.cycle_number = c.number), (SELECT MAX(date) FROM meetings t "
        "WHERE t.group_id = g.id) "
        "FROM groups g JOIN cycles c ON c.group_id = g.id AND c.number = "
        "(SELECT MAX(number) FROM cycles WHERE group_id = g.id) ORDER BY g.id"
    ).fetchall()
    from ledger import currency

    return [
        {
            "group": r[0],
            "name": r[1],
            "currency": r[2],
            "exponent": currency(r[2]).exponent,
            "country": r[3],
            "language": r[4],
            "cycle": r[5],
            "cycle_start": r[6],
            "cycle_status": r[7],
            "members": r[8],
            "meetings_this_cycle": r[9],
            "last_meeting": r[10],
        }
        for r in rows
    ]


def members(db: sqlite_utils.Database, group_id: str) -> dict[str, Any]:
    state = load_state(db, group_id)
    return {
        "group": group_id,
        "currency": state.currency.code,
        "exponent": state.currency.exponent,
        "members": [
            {
                "member": m.member_id,
                "name": m.name,
                "gender": m.gender,
                "phone": m.phone,
                "language": m.language,
                "status": m.status,
                "roles": list(m.roles),
                "shares": state.shares(m.member_id),
                "savings_minor": state.savings_minor(m.member_id),
                "owed_minor": state.member_owed_minor(m.member_id),
            }
            for m in state.members.values()
        ],
    }


def statement(
    db: sqlite_utils.Database, group_id: str, member_id: str, *, on: date
) -> dict[str, Any]:
    state = load_state(db, group_id)
    member = state.members.get(member_id)
    if member is None:
        raise broken(
            "member.unknown", N_("{member} is not a member of the group"), member=member_id
        )
    return statement_of(state, member_id, on=on)


def statement_of(state: GroupState, member_id: str, *, on: date) -> dict[str, Any]:
    loans = [loan for loan in state.open_loans(member_id) if state.loan_owed_minor(loan) > 0]
    loan = None
    if loans:
        principal = sum(state.principal_owed_minor(ln) for ln in loans)
        charges = sum(state.charges_owed_minor(ln) for ln in loans)
        loan = {
            "principal_minor": principal,
            "charges_owed_minor": charges,
            "owed_minor": principal + charges,
            "due_date": min(ln.due_on for ln in loans).isoformat(),
            "late": any(state.is_late(ln, on) for ln in loans),
            "loans": [ln.number for ln in loans],
        }
    return {
        "group": state.group_id,
        "member": member_id,
        "name": state.members[member_id].name,
        "currency": state.currency.code,
        "exponent": state.currency.exponent,
        "as_of": on.isoformat(),
        "shares": state.shares(member_id),
        "savings_minor": state.savings_minor(member_id),
        "social_fund_paid_minor": -state.balance(acc.social_fund_contributions(member_id)),
        "fines_owed_minor": state.fines_owed_minor(member_id),
        "loan": loan,
    }


def meeting(db: sqlite_utils.Database, group_id: str, number: int | None = None) -> dict[str, Any]:
    state = load_state(db, group_id)
    if number is None:
        row = db.execute(
            "SELECT MAX(number) FROM meetings WHERE group_id = ?", [group_id]
        ).fetchone()
        number = row[0]
        if number is None:
            raise broken(
                "meeting.none_yet", N_("group {group} has held no meeting yet"), group=group_id
            )
    row = db.execute(
        "SELECT number, date, status, kind, cycle_number, opening_loan_fund_minor, "
        "opening_social_fund_minor, expected_loan_fund_minor, expected_social_fund_minor, "
        "counted_loan_fund_minor, counted_social_fund_minor, reopened FROM meetings "
        "WHERE group_id = ? AND number = ?",
        [group_id, number],
    ).fetchone()
    if row is None:
        raise broken(
            "meeting.unknown",
            N_("group {group} has no meeting number {number}"),
            group=group_id,
            number=number,
        )
    expected = {"loan_fund_minor": row[7], "social_fund_minor": row[8]}
    counted = {"loan_fund_minor": row[9], "social_fund_minor": row[10]}
    difference = (
        {k: counted[k] - expected[k] for k in expected}
        if row[7] is not None and row[9] is not None
        else None
    )
    entries = [
        {
            "id": r[0],
            "kind": r[1],
            "member": r[2],
            "memo": r[3],
            "reverses": r[4],
            "amount_minor": r[5],
        }
        for r in db.execute(
            "SELECT j.id, j.kind, j.member_id, j.memo, j.reverses, "
            "(SELECT SUM(amount_minor) FROM postings p WHERE p.entry_id = j.id "
            "AND p.amount_minor > 0) FROM journal j WHERE j.group_id = ? "
            "AND j.meeting_number = ? AND j.record_type = 'tx' ORDER BY j.seq",
            [group_id, number],
        )
    ]
    attendance = {
        r[0]: r[1]
        for r in db.execute(
            "SELECT member_id, status FROM attendance WHERE group_id = ? AND meeting_number = ?",
            [group_id, number],
        )
    }
    return {
        "group": group_id,
        "number": row[0],
        "date": row[1],
        "status": row[2],
        "kind": row[3],
        "cycle": row[4],
        "currency": state.currency.code,
        "exponent": state.currency.exponent,
        "opening_counted": None
        if row[5] is None
        else {"loan_fund_minor": row[5], "social_fund_minor": row[6]},
        "expected_closing": expected,
        "counted_closing": counted,
        "difference": difference,
        "reopened": row[11],
        "attendance": attendance,
        "entries": entries,
    }


def cycle_series(db: sqlite_utils.Database, group_id: str) -> list[dict[str, Any]]:
    """Per meeting of the current cycle, at its close: savings, loans outstanding, cash.

    For charts. Reads only the postings of this cycle's meetings, once, in journal order.
    """
    state = load_state(db, group_id)
    meetings = db.execute(
        "SELECT number, date FROM meetings WHERE group_id = ? AND cycle_number = ? ORDER BY number",
        [group_id, state.cycle_number],
    ).fetchall()
    if not meetings:
        return []
    first = meetings[0][0]
    start = db.execute(
        "SELECT MIN(seq) FROM journal WHERE group_id = ? AND meeting_number = ?",
        [group_id, first],
    ).fetchone()[0]
    totals = {"savings": 0, "loans": 0, "loan_fund": 0, "social_fund": 0}
    for account, amount in db.execute(
        "SELECT p.account, SUM(p.amount_minor) FROM postings p JOIN journal j "
        "ON j.id = p.entry_id WHERE j.group_id = ? AND j.seq < ? GROUP BY p.account",
        [group_id, start],
    ):
        _accumulate(totals, account, amount)
    by_meeting: dict[int, dict[str, int]] = {}
    rows = db.execute(
        "SELECT j.meeting_number, p.account, p.amount_minor FROM postings p JOIN journal j "
        "ON j.id = p.entry_id WHERE j.group_id = ? AND j.seq >= ? ORDER BY j.seq",
        [group_id, start],
    )
    for number, account, amount in rows:
        _accumulate(totals, account, amount)
        by_meeting[number] = dict(totals)
    series = []
    last = dict(totals)
    for number, day in meetings:
        point = by_meeting.get(number, last)
        last = point
        series.append(
            {
                "number": number,
                "date": day,
                "savings_minor": -point["savings"],
                "loans_outstanding_minor": point["loans"],
                "loan_fund_cash_minor": point["loan_fund"],
                "social_fund_cash_minor": point["social_fund"],
            }
        )
    return series


def _accumulate(totals: dict[str, int], account: str, amount: int) -> None:
    if account.startswith(acc.SAVINGS + ":"):
        totals["savings"] += amount
    elif account.startswith((acc.LOANS + ":", acc.CHARGES + ":")):
        totals["loans"] += amount
    elif account == acc.LOAN_FUND_CASH:
        totals["loan_fund"] += amount
    elif account == acc.SOCIAL_FUND_CASH:
        totals["social_fund"] += amount


def correctable_entries(
    db: sqlite_utils.Database, group_id: str, *, limit: int = 100
) -> list[dict[str, Any]]:
    """Entries of the current cycle a person made and that can still be reversed, newest
    first: what a facilitator picks from to correct a mistake of an earlier meeting."""
    from vsla.domain.handlers import REVERSIBLE_KINDS

    state = load_state(db, group_id)
    kinds = sorted(REVERSIBLE_KINDS)
    rows = db.execute(
        "SELECT j.id, j.date, j.meeting_number, j.member_id, j.kind, j.payload, "
        "(SELECT SUM(amount_minor) FROM postings p WHERE p.entry_id = j.id "
        "AND p.amount_minor > 0) FROM journal j JOIN meetings m ON m.group_id = j.group_id "
        "AND m.number = j.meeting_number WHERE j.group_id = ? AND j.record_type = 'tx' "
        f"AND j.reverses IS NULL AND j.kind IN ({','.join('?' * len(kinds))}) "
        "AND m.cycle_number = ? AND NOT EXISTS (SELECT 1 FROM journal r "
        "WHERE r.reverses = j.id) ORDER BY j.seq DESC LIMIT ?",
        [group_id, *kinds, state.cycle_number, limit],
    ).fetchall()
    import json

    return [
        {
            "id": r[0],
            "date": r[1],
            "meeting": r[2],
            "member": r[3],
            "kind": r[4],
            "shares": json.loads(r[5]).get("shares"),
            "amount_minor": r[6] or 0,
        }
        for r in rows
    ]
