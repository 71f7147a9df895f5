"""The report figures, as projections of the journal (reports.md's data items).

When a regular meeting closes, the group as it then stands is written down once, by gender:
members, attendance, dropouts, savings, loans, write-offs, cash and the counting differences.
Each share-out payout is kept per member. Both are written in the same transaction as the
entry that caused them, like every other projection, and `vsla check` rebuilds and compares
them; so a programme report reads one row per group, never a journal.

A book made before these tables existed is rebuilt once from its journals (`rebuild_pending`).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

from ledger import Event, Transaction
from vsla.domain import accounts as acc

if TYPE_CHECKING:
    import sqlite_utils

PENDING_KEY = "report_figures"
FIGURE_TABLES = ("meeting_figures", "payouts")


def cycle_started(db: sqlite_utils.Database, e: Event) -> None:
    """Members at the start of the cycle, by gender."""
    by_gender = _active_by_gender(db, e.group_id)
    db.execute(
        "UPDATE cycles SET women_at_start = ?, men_at_start = ? WHERE group_id = ? AND number = ?",
        [by_gender["F"], by_gender["M"], e.group_id, e.data["cycle"]],
    )


def meeting_reopened(db: sqlite_utils.Database, e: Event) -> None:
    """A reopened meeting is not closed any more: reports fall back to the one before."""
    db.execute(
        "DELETE FROM meeting_figures WHERE group_id = ? AND meeting_number = ?",
        [e.group_id, e.meeting_number],
    )


def shareout_payout(db: sqlite_utils.Database, tx: Transaction) -> None:
    if tx.reverses is not None:
        return  # a share-out is never reversed by the rules; nothing to keep if one were
    d = tx.data
    savings_minor = sum(
        p.amount_minor for p in tx.postings if p.account == acc.savings(str(tx.member_id))
    )
    row = db.execute(
        "SELECT m.gender, c.cycle_number FROM members m, meetings c "
        "WHERE m.group_id = ? AND m.member_id = ? AND c.group_id = m.group_id AND c.number = ?",
        [tx.group_id, tx.member_id, tx.meeting_number],
    ).fetchone()
    db.execute(
        "INSERT INTO payouts (group_id, cycle_number, member_id, gender, shares, savings_minor, "
        "gross_minor, owed_minor, payout_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            tx.group_id,
            row[1],
            tx.member_id,
            row[0],
            d["shares"],
            savings_minor,
            d["gross_minor"],
            d["owed_minor"],
            d["payout_minor"],
        ],
    )


def meeting_closed(db: sqlite_utils.Database, e: Event) -> None:
    """The group as it stands at the close of a regular meeting (a share-out meeting pays
    everything out: reports keep the cycle's last regular meeting instead)."""
    group, number = e.group_id, e.meeting_number
    meeting = db.execute(
        "SELECT m.cycle_number, m.date, m.kind, c.start_date, c.women_at_start, c.men_at_start, "
        "m.counted_loan_fund_minor - m.expected_loan_fund_minor, "
        "m.counted_social_fund_minor - m.expected_social_fund_minor "
        "FROM meetings m JOIN cycles c ON c.group_id = m.group_id AND c.number = m.cycle_number "
        "WHERE m.group_id = ? AND m.number = ?",
        [group, number],
    ).fetchone()
    if meeting is None or meeting[2] != "regular":
        return
    cycle, day, _kind, cycle_start, women_at_start, men_at_start, lf_diff, sf_diff = meeting
    genders: dict[str, str] = {}
    active: set[str] = set()
    members: Counter[str] = Counter()
    dropouts: Counter[str] = Counter()
    for member_id, gender, status, left_on in db.execute(
        "SELECT member_id, gender, status, left_on FROM members WHERE group_id = ?", [group]
    ):
        genders[member_id] = gender
        if status == "active":
            members[gender] += 1
            active.add(member_id)
        elif left_on is not None and left_on >= cycle_start:
            dropouts[gender] += 1
    attending: Counter[str] = Counter()
    proxies: Counter[str] = Counter()
    for member_id, status in db.execute(
        "SELECT member_id, status FROM attendance WHERE group_id = ? AND meeting_number = ?",
        [group, number],
    ):
        # Of the members registered at the close: one who left at this meeting attended it
        # but is no longer among those the rate divides by.
        if member_id not in active:
            continue
        if status == "present":
            attending[genders[member_id]] += 1
        elif status == "proxy":
            proxies[genders[member_id]] += 1
    balances = _balances(db, group)
    savings: Counter[str] = Counter()
    for account, balance in balances.items():
        if account.startswith(acc.SAVINGS + ":"):
            savings[genders[account[len(acc.SAVINGS) + 1 :]]] -= balance  # equity: credit
    loans: Counter[str] = Counter()
    loans_minor: Counter[str] = Counter()
    borrowers: dict[str, set[str]] = {"F": set(), "M": set()}
    open_loans: list[tuple[str, str, int]] = []
    for member_id, loan_number, due_on in db.execute(
        "SELECT member_id, loan_number, due_on FROM loans "
        "WHERE group_id = ? AND status = 'open' ORDER BY loan_number",
        [group],
    ):
        owed = balances.get(acc.loan_principal(member_id, loan_number), 0) + balances.get(
            acc.loan_charges(member_id, loan_number), 0
        )
        if owed <= 0:
            continue
        gender = genders[member_id]
        loans[gender] += 1
        loans_minor[gender] += owed
        borrowers[gender].add(member_id)
        open_loans.append((due_on, gender, owed))
    write_offs = _write_offs(db, group, cycle, genders)
    db.execute(
        f"INSERT OR REPLACE INTO meeting_figures VALUES ({', '.join('?' * 30)})",
        [
            group,
            number,
            cycle,
            day,
            cycle_start,
            women_at_start,
            men_at_start,
            members["F"],
            members["M"],
            attending["F"],
            attending["M"],
            proxies["F"],
            proxies["M"],
            dropouts["F"],
            dropouts["M"],
            savings["F"],
            savings["M"],
            len(borrowers["F"]),
            len(borrowers["M"]),
            loans["F"],
            loans["M"],
            loans_minor["F"],
            loans_minor["M"],
            write_offs["F"],
            write_offs["M"],
            balances.get(acc.LOAN_FUND_CASH, 0),
            balances.get(acc.SOCIAL_FUND_CASH, 0),
            lf_diff or 0,
            sf_diff or 0,
            json.dumps(open_loans, separators=(",", ":")),
        ],
    )


def _active_by_gender(db: sqlite_utils.Database, group: str) -> Counter[str]:
    return Counter(
        {
            str(gender): int(count)
            for gender, count in db.execute(
                "SELECT gender, COUNT(*) FROM members WHERE group_id = ? AND status = 'active' "
                "GROUP BY gender",
                [group],
            )
        }
    )


def _balances(db: sqlite_utils.Database, group: str) -> dict[str, int]:
    """The group's cash, savings and loan balances (ranges of the balances' primary key)."""
    found: dict[str, int] = {}
    for low, high in (
        (acc.LOANS + ":", acc.LOANS + ";"),  # assets:loans:* (";" follows ":")
        (acc.CHARGES + ":", acc.CHARGES + ";"),
        (acc.SAVINGS + ":", acc.SAVINGS + ";"),
    ):
        found.update(
            db.execute(
                "SELECT account, balance_minor FROM balances "
                "WHERE group_id = ? AND account >= ? AND account < ?",
                [group, low, high],
            ).fetchall()
        )
    found.update(
        db.execute(
            "SELECT account, balance_minor FROM balances WHERE group_id = ? AND account IN (?, ?)",
            [group, acc.LOAN_FUND_CASH, acc.SOCIAL_FUND_CASH],
        ).fetchall()
    )
    return found


def _write_offs(
    db: sqlite_utils.Database, group: str, cycle: int, genders: dict[str, str]
) -> Counter[str]:
    """Written off this cycle (reversals net), by the gender of the borrower."""
    found: Counter[str] = Counter()
    for member_id, amount in db.execute(
        "SELECT j.member_id, p.amount_minor FROM postings p "
        "JOIN journal j ON j.id = p.entry_id "
        "JOIN meetings m ON m.group_id = j.group_id AND m.number = j.meeting_number "
        "WHERE p.group_id = ? AND p.account = ? AND m.cycle_number = ?",
        [group, acc.WRITE_OFFS, cycle],
    ):
        if member_id in genders:
            found[genders[member_id]] += int(amount)
    return found


def rebuild_pending(db: sqlite_utils.Database) -> None:
    """Rebuild the figures of a book made before they were kept, once, from its journals:
    each group replayed in memory through the same projections, its figures copied over,
    all in one transaction (the marker goes with them)."""
    if db.conn.execute("SELECT 1 FROM settings WHERE key = ?", [PENDING_KEY]).fetchone() is None:
        return
    from vsla.book.projections import project
    from vsla.store import Journal, open_database, write_transaction

    journal = Journal(db)
    with write_transaction(db):
        groups = [str(r[0]) for r in db.execute("SELECT DISTINCT group_id FROM journal")]
        for group in groups:
            replayed = open_database(":memory:")
            try:
                Journal(replayed, projector=project).append(journal.records(group))
                _copy_figures(replayed, db, group)
            finally:
                replayed.close()
        db.execute("DELETE FROM settings WHERE key = ?", [PENDING_KEY])


def _copy_figures(source: sqlite_utils.Database, db: sqlite_utils.Database, group: str) -> None:
    for table in FIGURE_TABLES:
        db.execute(f"DELETE FROM {table} WHERE group_id = ?", [group])
        rows = source.execute(f"SELECT * FROM {table} WHERE group_id = ?", [group]).fetchall()
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            db.conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    for number, women, men in source.execute(
        "SELECT number, women_at_start, men_at_start FROM cycles WHERE group_id = ?", [group]
    ):
        db.execute(
            "UPDATE cycles SET women_at_start = ?, men_at_start = ? "
            "WHERE group_id = ? AND number = ?",
            [women, men, group, number],
        )
