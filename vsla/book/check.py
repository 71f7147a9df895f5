"""`vsla check`: every invariant of reliability.md over every group, as a list of problems.

The auditor never changes what it audits: `audit` opens the file read-only and runs no
migration. Beyond the journal's own checks (chains, balances, reversals, counts) it proves
that every table the rules read is what the journal says, by rebuilding those tables from
the journal in memory and comparing them row by row, and that the schema, triggers included,
is the one the migrations made.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from ledger import (
    N_,
    Event,
    LedgerError,
    Problem,
    Record,
    Transaction,
    check_journal_balances,
    check_never_negative,
    check_reversals,
)
from vsla.book.projections import PROJECTION_TABLES, project
from vsla.domain import accounts as acc
from vsla.store import BookDamaged, Journal, open_database
from vsla.store.backup import integrity_problems

MAX_TABLE_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class GroupProblem:
    """A problem of one group, or of the whole file when `group_id` is None."""

    group_id: str | None
    problem: Problem


@dataclass(frozen=True, slots=True)
class Audit:
    groups: list[str]
    problems: list[GroupProblem]


def audit(path: Path) -> Audit:
    """Every problem of the book at `path`, opened read-only; damage is a problem, not a crash.

    Raises NotABook (or another StoreError) when the file is not a book at all.
    """
    try:
        db = open_database(path, read_only=True)
    except BookDamaged as error:
        return Audit([], [GroupProblem(None, error.problem)])
    try:
        try:
            damage = integrity_problems(db.conn)
        except sqlite3.DatabaseError as error:
            damage = [str(error)]
        if not damage:
            try:
                return Audit(group_ids(db), check_book(db))
            except sqlite3.DatabaseError as error:
                damage = [str(error)]
        return Audit(
            [],
            [
                GroupProblem(
                    None,
                    Problem(
                        "book.damaged",
                        N_("SQLite finds the book file damaged: {detail}"),
                        {"detail": detail},
                    ),
                )
                for detail in damage
            ],
        )
    finally:
        db.close()


def check_book(db: sqlite_utils.Database) -> list[GroupProblem]:
    journal = Journal(db)
    found = [GroupProblem(None, p) for p in schema_problems(db)]
    for group_id in group_ids(db):
        try:
            problems = check_group(db, journal, group_id)
        except (LedgerError, KeyError, TypeError, ValueError) as error:
            problems = [
                Problem(
                    "check.unreadable",
                    N_("the journal of group {group} cannot be read as entries: {detail}"),
                    {"group": group_id, "detail": repr(error)[:200]},
                )
            ]
        found += [GroupProblem(group_id, p) for p in problems]
    return found


def group_ids(db: sqlite_utils.Database) -> list[str]:
    """Every group any table mentions: a row of a group that has no journal is a problem too."""
    found = {str(r[0]) for r in db.execute("SELECT DISTINCT group_id FROM journal")}
    found |= {str(r[0]) for r in db.execute("SELECT id FROM groups")}
    for table in (*PROJECTION_TABLES, "balances"):
        if table != "groups":
            found |= {str(r[0]) for r in db.execute(f"SELECT DISTINCT group_id FROM {table}")}
    return sorted(found)


def schema_problems(db: sqlite_utils.Database) -> list[Problem]:
    """The tables, indexes and triggers are exactly those the migrations made: a dropped
    trigger would let the journal be edited, an added one could change what is stored."""
    fresh = open_database(":memory:")
    try:
        expected = _schema(fresh)
    finally:
        fresh.close()
    # Litestream (the hub's replication) keeps its own bookkeeping tables in the database it
    # replicates; they hold nothing of the book and no trigger.
    actual = {
        (kind, name): sql
        for (kind, name), sql in _schema(db).items()
        if not (kind == "table" and name.startswith("_litestream_"))
    }
    problems = []
    for kind, name in sorted(set(expected) | set(actual)):
        if (kind, name) not in actual:
            code, message = "schema.missing", N_("the {kind} {name} is missing from the book")
        elif (kind, name) not in expected:
            code, message = "schema.extra", N_("the {kind} {name} was added to the book")
        elif actual[(kind, name)] != expected[(kind, name)]:
            code, message = "schema.altered", N_("the {kind} {name} was altered")
        else:
            continue
        problems.append(Problem(code, message, {"kind": kind, "name": name}))
    return problems


def _schema(db: sqlite_utils.Database) -> dict[tuple[str, str], str]:
    return {
        (str(kind), str(name)): " ".join(str(sql or "").split())
        for kind, name, sql in db.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        )
    }


def check_group(db: sqlite_utils.Database, journal: Journal, group_id: str) -> list[Problem]:
    problems = journal.verify(group_id)
    records = [c.record for c in journal.entries(group_id)]
    problems += projection_problems(db, group_id, records)
    problems += check_journal_balances(records)
    problems += check_reversals(records)
    problems += check_never_negative(records, acc.is_watched)
    problems += _accounts(db, group_id, records)
    problems += _meetings(records)
    problems += _identities(journal.balances(group_id))
    stored, recomputed = journal.balances(group_id), journal.recomputed_balances(group_id)
    for account in sorted(set(stored) | set(recomputed)):
        if stored.get(account, 0) != recomputed.get(account, 0):
            problems.append(
                Problem(
                    "balances.stale",
                    N_(
                        "the stored balance of {account} ({stored}) differs from its postings "
                        "({recomputed})"
                    ),
                    {
                        "account": account,
                        "stored": stored.get(account, 0),
                        "recomputed": recomputed.get(account, 0),
                    },
                )
            )
    return problems


def projection_problems(
    db: sqlite_utils.Database, group_id: str, records: list[Record]
) -> list[Problem]:
    """The group's tables rebuilt from its journal alone, in memory, compared row by row
    with the book's: an edit to a table the rules read (a loan marked repaid, a member's
    gender, a constitution) is found and named by table, key and field."""
    rebuilt = open_database(":memory:")
    try:
        try:
            Journal(rebuilt, projector=project).append(records)
        except (LedgerError, sqlite3.Error, KeyError, TypeError, ValueError) as error:
            return [
                Problem(
                    "projection.rebuild_failed",
                    N_("the tables of group {group} cannot be rebuilt from its journal: {detail}"),
                    {"group": group_id, "detail": str(error)[:200]},
                )
            ]
        problems: list[Problem] = []
        for table in PROJECTION_TABLES:
            problems += _table_problems(
                table, _rows(db, table, group_id), _rows(rebuilt, table, group_id)
            )
        return problems
    finally:
        rebuilt.close()


_KEYS = {
    "groups": ("id",),
    "cycles": ("number",),
    "members": ("member_id",),
    "roles": ("role", "member_id"),
    "meetings": ("number",),
    "attendance": ("meeting_number", "member_id"),
    "loans": ("loan_number",),
    "meeting_figures": ("meeting_number",),
    "payouts": ("cycle_number", "member_id"),
}


def _rows(db: sqlite_utils.Database, table: str, group_id: str) -> dict[str, dict[str, object]]:
    where = "id" if table == "groups" else "group_id"
    cursor = db.execute(f"SELECT * FROM {table} WHERE {where} = ?", [group_id])
    columns = [d[0] for d in cursor.description]
    rows: dict[str, dict[str, object]] = {}
    for values in cursor.fetchall():
        row = dict(zip(columns, values, strict=True))
        key = " ".join(f"{k}={row[k]}" for k in _KEYS[table])
        rows[key] = row
    return rows


def _table_problems(
    table: str, stored: dict[str, dict[str, object]], rebuilt: dict[str, dict[str, object]]
) -> list[Problem]:
    problems: list[Problem] = []
    for key in sorted(set(stored) | set(rebuilt)):
        if key not in stored:
            problems.append(
                Problem(
                    "projection.missing_row",
                    N_("table {table}: the row {key} is missing, though the journal has it"),
                    {"table": table, "key": key},
                )
            )
        elif key not in rebuilt:
            problems.append(
                Problem(
                    "projection.extra_row",
                    N_("table {table}: the row {key} is not in the journal"),
                    {"table": table, "key": key},
                )
            )
        else:
            for field, expected in rebuilt[key].items():
                if stored[key].get(field) != expected:
                    problems.append(
                        Problem(
                            "projection.differs",
                            N_(
                                "table {table}, row {key}: {field} is {stored}, but the journal "
                                "says {expected}"
                            ),
                            {
                                "table": table,
                                "key": key,
                                "field": field,
                                "stored": _shown(stored[key].get(field)),
                                "expected": _shown(expected),
                            },
                        )
                    )
        if len(problems) >= MAX_TABLE_PROBLEMS:
            break
    return problems


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _accounts(db: sqlite_utils.Database, group_id: str, records: list[Record]) -> list[Problem]:
    members = {
        str(r[0])
        for r in db.execute("SELECT member_id FROM members WHERE group_id = ?", [group_id])
    }
    problems: list[Problem] = []
    for record in records:
        if not isinstance(record, Transaction):
            continue
        for posting in record.postings:
            found = acc.classify(posting.account)
            if found is None or (found[1] is not None and found[1] not in members):
                problems.append(
                    Problem(
                        "account.unknown",
                        N_(
                            "transaction {id} posts to {account}, which is not an account of group "
                            "{group}"
                        ),
                        {"id": record.id, "account": posting.account, "group": group_id},
                        record.id,
                    )
                )
    return problems


def _meetings(records: list[Record]) -> list[Problem]:
    """Meetings numbered without gaps; money only inside an open meeting; counted = ledger."""
    problems: list[Problem] = []
    status: dict[int, str] = {}
    opened_by: dict[int, str] = {}
    cash: dict[str, int] = defaultdict(int)
    last_number = 0
    for record in records:
        number = record.meeting_number
        if isinstance(record, Transaction):
            for posting in record.postings:
                if posting.account in acc.CASH_ACCOUNTS or posting.account.startswith(
                    acc.SAVINGS + ":"
                ):
                    cash[posting.account] += posting.amount_minor
            if number is None or status.get(number) not in ("open", "reopened"):
                problems.append(
                    Problem(
                        "meeting.entry_outside",
                        N_("transaction {id} is not inside an open meeting"),
                        {"id": record.id},
                        record.id,
                    )
                )
            continue
        assert isinstance(record, Event)
        if record.kind == "meeting_opened" and number is not None:
            if number != last_number + 1:
                problems.append(
                    Problem(
                        "meeting.gap",
                        N_(
                            "meeting {number} comes after meeting {previous}: the numbering "
                            "has a gap"
                        ),
                        {"number": number, "previous": last_number},
                        record.id,
                    )
                )
            problems += _unclosed(status, opened_by, before=number)
            last_number = number
            status[number] = "open"
            opened_by[number] = record.id
        elif record.kind == "cycle_closed":
            for account, amount in sorted(cash.items()):
                if account.startswith(acc.SAVINGS + ":") and amount:
                    problems.append(
                        Problem(
                            "shareout.savings_left",
                            N_("after the share-out, {account} still holds {amount}"),
                            {"account": account, "amount": -amount},
                            record.id,
                        )
                    )
        elif record.kind == "meeting_reopened" and number is not None:
            status[number] = "reopened"
        elif record.kind == "meeting_closed" and number is not None:
            status[number] = "closed"
            counted = record.data["counted"]
            for bowl, account in (
                ("loan_fund_minor", acc.LOAN_FUND_CASH),
                ("social_fund_minor", acc.SOCIAL_FUND_CASH),
            ):
                if counted[bowl] != cash[account]:
                    problems.append(
                        Problem(
                            "meeting.count_mismatch",
                            N_(
                                "meeting {number} closed with {counted} counted but {ledger} "
                                "in the "
                                "book for {account}"
                            ),
                            {
                                "number": number,
                                "counted": counted[bowl],
                                "ledger": cash[account],
                                "account": account,
                            },
                            record.id,
                        )
                    )
    return problems + _unclosed(status, opened_by, before=None)


def _unclosed(
    status: dict[int, str], opened_by: dict[int, str], *, before: int | None
) -> list[Problem]:
    """A meeting is written whole, from its opening to its closing, in one transaction: one
    left open means its end was cut off. Only a reopened last meeting may stay open (the
    facilitator is adding to it); `before` is the meeting opening now, None at the end."""
    cut = [
        number
        for number, state in sorted(status.items())
        if state == "open" or (state == "reopened" and before is not None)
    ]
    for number in cut:
        status[number] = "cut"
    return [
        Problem(
            "meeting.never_closed",
            N_("meeting {number} was opened but never closed: the end of it is missing"),
            {"number": number},
            opened_by.get(number),
        )
        for number in cut
    ]


def _identities(balances: dict[str, int]) -> list[Problem]:
    """Loan fund: cash + what members owe it = savings + retained + income − expenses.
    Social fund: its cash + fines owed to it = the social fund."""
    social_side = sum(
        amount
        for account, amount in balances.items()
        if account == acc.SOCIAL_FUND_CASH
        or account.startswith(acc.SOCIAL_FUND + ":")
        or account.startswith(acc.FINES_OWED + ":social_fund:")
    )
    problems = []
    if social_side != 0:
        problems.append(
            Problem(
                "identity.social_fund",
                N_(
                    "the social fund's cash plus the fines owed to it differ from the social "
                    "fund by {amount}"
                ),
                {"amount": social_side},
            )
        )
    return problems
