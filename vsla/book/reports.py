"""Reading the programme report from the figures the projections keep (`figures`): per group,
the figures of its last regular meeting on or before the reporting date (and of a quarter
earlier, for the flags); never a journal. A report over 10,000 groups reads about 20,000 rows.
"""

from __future__ import annotations

import gc
import json
import sqlite3
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from vsla.book.views.report import CycleOutcome, GroupReport, Payout, SavixReport
from vsla.domain.savix import Items, Split, annual, indicators, profit
from vsla.domain.savix_quality import Facts, impossible, questionable

QUARTER = timedelta(days=91)
ZERO = Fraction(0)

_COLUMNS = (
    "meeting_number", "cycle_number", "date", "cycle_start", "members_at_start_women",
    "members_at_start_men", "members_women", "members_men", "attending_women", "attending_men",
    "proxies_women", "proxies_men", "dropouts_women", "dropouts_men", "savings_women_minor",
    "savings_men_minor", "borrowers_women", "borrowers_men", "loans_women", "loans_men",
    "loans_women_minor", "loans_men_minor", "write_offs_women_minor", "write_offs_men_minor",
    "loan_fund_cash_minor", "social_fund_minor", "loan_fund_difference_minor",
    "social_fund_difference_minor", "open_loans",
)  # fmt: skip
_WIDTH = len(_COLUMNS)
_LAST = """(SELECT x.meeting_number FROM meeting_figures x WHERE x.group_id = g.id AND x.date <= ?
  ORDER BY x.date DESC, x.meeting_number DESC LIMIT 1)"""
# One query for the whole report: each group with the figures of its last meeting on or before
# the date, and of a quarter earlier (for the flags), found by the (group_id, date) index.
_REPORT = f"""
SELECT g.id, g.name, g.currency, g.country,
  (SELECT device FROM group_writers w WHERE w.group_id = g.id),
  (SELECT MAX(received_at) FROM pushes p WHERE p.group_id = g.id),
  c.closed_on,
  {", ".join(f"f.{c}" for c in _COLUMNS)},
  {", ".join(f"q.{c}" if c != "open_loans" else "'[]'" for c in _COLUMNS)}
FROM groups g
LEFT JOIN meeting_figures f ON f.group_id = g.id AND f.meeting_number = {_LAST}
LEFT JOIN cycles c ON c.group_id = g.id AND c.number = f.cycle_number
LEFT JOIN meeting_figures q ON q.group_id = g.id AND q.meeting_number = {_LAST}
"""


def savix_report(
    conn: sqlite3.Connection, as_of: date, group_ids: Sequence[str] = ()
) -> SavixReport:
    """The report as of `as_of` for the given groups (every group when none is given)."""
    # Tens of thousands of small objects that all live until the report is done: the cycle
    # collector's passes over them find nothing and cost a third of the time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _report(conn, as_of, group_ids)
    finally:
        if collecting:
            gc.enable()


def _report(conn: sqlite3.Connection, as_of: date, group_ids: Sequence[str]) -> SavixReport:
    days = [as_of.isoformat(), (as_of - QUARTER).isoformat()]
    if group_ids:
        marks = ", ".join("?" * len(group_ids))
        rows = conn.execute(f"{_REPORT} WHERE g.id IN ({marks}) ORDER BY g.id", [*days, *group_ids])
    else:
        rows = conn.execute(f"{_REPORT} ORDER BY g.id", days)
    read = [_read_group(row, as_of) for row in rows]
    medians = _median_savings(read)
    groups: list[GroupReport] = []
    counted: dict[str, list[Items]] = defaultdict(list)
    for base, items, facts in read:
        refused = impossible(items, facts)
        ratios = indicators(items)
        flags = questionable(items, ratios, facts, medians.get(base["currency"]))
        report = GroupReport(
            items=items, indicators=ratios, flags=tuple(flags), refused=tuple(refused), **base
        )
        groups.append(report)
        if not refused:
            counted[report.currency].append(items)
    totals = {currency: Items.total(many) for currency, many in counted.items()}
    return SavixReport(as_of, tuple(groups), totals)


def _read_group(row: Sequence[Any], as_of: date) -> tuple[dict[str, Any], Items, Facts]:
    group_id, name, currency, country, facilitator, last_sync, closed_on = row[:7]
    now, earlier = row[7 : 7 + _WIDTH], row[7 + _WIDTH :]
    base: dict[str, Any] = {
        "group_id": group_id,
        "name": name,
        "currency": currency,
        "country": country,
        "facilitator": facilitator,
        "last_sync": last_sync,
        "cycle": None,
        "cycle_start": None,
        "last_meeting": None,
        "shared_out": False,
    }
    synced = None if last_sync is None else date.fromisoformat(str(last_sync)[:10])
    if now[0] is None:
        return base, Items(), Facts(as_of, None, None, False, (0, 0), None, synced)
    cycle_start = date.fromisoformat(now[3])
    items = _items(now, as_of, (as_of - cycle_start).days)
    shared_out = closed_on is not None and closed_on <= as_of.isoformat()
    quarter_ago = (
        _key_items(earlier)
        if earlier[0] is not None and earlier[1] == now[1] and earlier[0] != now[0]
        else None
    )
    base.update(
        cycle=now[1],
        cycle_start=cycle_start,
        last_meeting=date.fromisoformat(now[2]),
        shared_out=shared_out,
    )
    facts = Facts(
        as_of,
        cycle_start,
        base["last_meeting"],
        shared_out,
        (now[26], now[27]),
        quarter_ago,
        synced,
    )
    return base, items, facts


def _items(row: Sequence[Any], as_of: date, days: int = 0) -> Items:
    """A figures row as items, with the profit annualised over `days` since savings started
    (none when 0)."""
    day = as_of.isoformat()
    late: dict[str, int] = {"F": 0, "M": 0}
    for due_on, gender, owed in json.loads(row[28]):
        if due_on < day:  # late: still owed after its due date
            late[gender] += owed
    savings, loans = row[14] + row[15], row[20] + row[21]
    yearly = days > 0
    return Items(
        annual_profit_minor=annual(profit(row[24], loans, savings), days) if yearly else ZERO,
        annual_savings_minor=savings if yearly else 0,
        annual_assets_minor=row[24] + loans + row[25] if yearly else 0,
        members_at_start=Split(row[4], row[5]),
        members=Split(row[6], row[7]),
        attending_last_meeting=Split(row[8], row[9]),
        proxies_last_meeting=Split(row[10], row[11]),
        dropouts=Split(row[12], row[13]),
        savings_minor=Split(row[14], row[15]),
        borrowers=Split(row[16], row[17]),
        loans_outstanding_count=Split(row[18], row[19]),
        loans_outstanding_minor=Split(row[20], row[21]),
        late_loans_unpaid_minor=Split(late["F"], late["M"]),
        write_offs_minor=Split(row[22], row[23]),
        loan_fund_cash_minor=row[24],
        social_fund_minor=row[25],
    )


def _key_items(row: Sequence[Any]) -> Items:
    """Of a quarter-ago row, what the flags compare (`savix_quality`: members, attendance,
    savings, loans and cash); its open loans are not read."""
    return Items(
        members=Split(row[6], row[7]),
        attending_last_meeting=Split(row[8], row[9]),
        savings_minor=Split(row[14], row[15]),
        loans_outstanding_minor=Split(row[20], row[21]),
        loan_fund_cash_minor=row[24],
        social_fund_minor=row[25],
    )


def _median_savings(read: Iterable[tuple[dict[str, Any], Items, Facts]]) -> dict[str, float]:
    """The median savings per member of the groups of each currency (for the 5× flag)."""
    per_currency: dict[str, list[float]] = defaultdict(list)
    for base, items, _facts in read:
        if items.members.all:
            per_currency[base["currency"]].append(items.savings_minor.all / items.members.all)
    return {currency: statistics.median(values) for currency, values in per_currency.items()}


def cycle_outcomes(
    conn: sqlite3.Connection, group_ids: Sequence[str] = ()
) -> tuple[CycleOutcome, ...]:
    """Every finished cycle (shared out) of the given groups, with each member's payout."""
    where, params = "", []
    if group_ids:
        where = f" AND c.group_id IN ({', '.join('?' * len(group_ids))})"
        params = list(group_ids)
    cycles = conn.execute(
        "SELECT c.group_id, g.name, g.currency, c.number, c.start_date, c.closed_on "
        "FROM cycles c JOIN groups g ON g.id = c.group_id "
        f"WHERE c.status = 'closed'{where} ORDER BY c.group_id, c.number",
        params,
    ).fetchall()
    outcomes = []
    for group_id, name, currency, number, started, closed in cycles:
        payouts = tuple(
            Payout(*row)
            for row in conn.execute(
                "SELECT p.member_id, m.name, p.gender, p.shares, p.savings_minor, p.gross_minor, "
                "p.owed_minor, p.payout_minor FROM payouts p JOIN members m "
                "ON m.group_id = p.group_id AND m.member_id = p.member_id "
                "WHERE p.group_id = ? AND p.cycle_number = ? ORDER BY p.member_id",
                [group_id, number],
            )
        )
        outcomes.append(
            CycleOutcome(
                group_id,
                name,
                currency,
                number,
                date.fromisoformat(started),
                date.fromisoformat(closed),
                payouts,
            )
        )
    return tuple(outcomes)
