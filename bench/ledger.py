"""Ledger benchmark: append throughput against raw SQLite, and balance lookups as data grows.

Run on demand (not part of the tests):

    .venv/bin/python bench/ledger.py            # full run, up to 10^7 postings (a few minutes)
    .venv/bin/python bench/ledger.py --quick    # up to 10^6 postings

1. Append: N pre-built transactions appended with `Journal.append` in batches (one SQLite
   transaction per batch, WAL + synchronous=FULL, on disk), against `executemany` of exactly
   the same rows into (a) the same schema with its triggers and (b) bare tables with no
   triggers or indexes, the physical limit. Target: >= 40% of raw.
2. Single-entry commits: one transaction per commit, as a meeting save would do.
3. Member balance lookup at 10^3, 10^5 and 10^7 postings in the database (many groups, as on
   a hub). Target: under 1 ms, and flat within 2x from smallest to largest.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ledger import GENESIS_HASH, Transaction, link, make_transaction, new_id
from vsla.domain import accounts as acc
from vsla.store import Journal, open_database
from vsla.store.journal import _INSERT_ENTRY, _INSERT_POSTING, _entry_row

OUT = Path(__file__).resolve().parent / "out"
MEMBERS = [f"M{n:02d}" for n in range(1, 26)]


def transactions(group: str, count: int, rng: random.Random) -> list[Transaction]:
    day = date(2025, 1, 6)
    result = []
    for i in range(count):
        member = rng.choice(MEMBERS)
        amount = rng.randrange(1, 100) * 1000
        if i % 40 == 0:
            day += timedelta(days=7)
        result.append(
            make_transaction(
                id=new_id(),
                group_id=group,
                date=day,
                kind="shares",
                member_id=member,
                postings=[(acc.LOAN_FUND_CASH, amount), (acc.savings(member), -amount)],
                payload={"shares": amount // 1000},
            )
        )
    return result


def rows_of(txs: list[Transaction]) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    entries, postings = [], []
    prev = GENESIS_HASH
    for seq, tx in enumerate(txs, start=1):
        chained = link(tx, seq, prev)
        prev = chained.hash
        entries.append(_entry_row(chained))
        postings += [
            (tx.id, i, tx.group_id, p.account, p.amount_minor) for i, p in enumerate(tx.postings)
        ]
    return entries, postings


def insert_interleaved(
    conn: sqlite3.Connection, entries: list[tuple[object, ...]], postings: list[tuple[object, ...]]
) -> None:
    by_entry: dict[object, list[tuple[object, ...]]] = {}
    for row in postings:
        by_entry.setdefault(row[0], []).append(row)
    for entry in entries:
        conn.execute(_INSERT_ENTRY, entry)
        conn.executemany(_INSERT_POSTING, by_entry.get(entry[0], []))


def append_ours(directory: Path, txs: list[Transaction], batch: int) -> float:
    journal = Journal(open_database(directory / "ours.sqlite"))
    start = time.perf_counter()
    for i in range(0, len(txs), batch):
        journal.append(txs[i : i + batch])
    elapsed = time.perf_counter() - start
    journal.db.close()
    return elapsed


def append_raw_schema(
    directory: Path,
    entries: list[tuple[object, ...]],
    postings: list[tuple[object, ...]],
    batch: int,
) -> float:
    """The same rows into the same schema (triggers included): each entry then its postings,
    as the triggers require."""
    conn = open_database(directory / "raw.sqlite").conn
    start = time.perf_counter()
    for i in range(0, len(entries), batch):
        conn.execute("BEGIN IMMEDIATE")
        insert_interleaved(conn, entries[i : i + batch], postings[2 * i : 2 * (i + batch)])
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def append_raw_bare(
    directory: Path,
    entries: list[tuple[object, ...]],
    postings: list[tuple[object, ...]],
    batch: int,
) -> float:
    """The same rows by executemany into tables with no trigger, index or constraint."""
    bare = sqlite3.connect(directory / "bare.sqlite", isolation_level=None)
    bare.execute("PRAGMA journal_mode = WAL")
    bare.execute("PRAGMA synchronous = FULL")
    bare.execute(
        "CREATE TABLE journal (id, group_id, seq, record_type, date, kind, memo, "
        "member_id, meeting_number, reverses, payload, prev_hash, hash)"
    )
    bare.execute("CREATE TABLE postings (entry_id, idx, group_id, account, amount_minor)")
    start = time.perf_counter()
    for i in range(0, len(entries), batch):
        bare.execute("BEGIN")
        bare.executemany(_INSERT_ENTRY, entries[i : i + batch])
        bare.executemany(_INSERT_POSTING, postings[2 * i : 2 * (i + batch)])
        bare.execute("COMMIT")
    elapsed = time.perf_counter() - start
    bare.close()
    return elapsed


def bench_append(count: int, batch: int, repeats: int = 3) -> None:
    """Each way, `repeats` times, interleaved; the best run of each (the least disturbed by
    the rest of the machine) is compared."""
    txs = transactions("umoja", count, random.Random(1))
    entries, postings = rows_of(txs)
    n_postings = len(postings)
    best = {"ours": float("inf"), "schema": float("inf"), "bare": float("inf")}
    for _ in range(repeats):
        for name in ("ours", "schema", "bare"):
            with tempfile.TemporaryDirectory() as tmp:
                directory = Path(tmp)
                if name == "ours":
                    seconds = append_ours(directory, txs, batch)
                elif name == "schema":
                    seconds = append_raw_schema(directory, entries, postings, batch)
                else:
                    seconds = append_raw_bare(directory, entries, postings, batch)
            best[name] = min(best[name], seconds)
    print(
        f"append: {count} transactions ({n_postings} postings), batches of {batch}, "
        f"best of {repeats}"
    )
    for label, name in (
        ("Journal.append", "ours"),
        ("raw SQL, same schema+triggers", "schema"),
        ("raw executemany, bare tables", "bare"),
    ):
        seconds = best[name]
        print(
            f"  {label:<32} {count / seconds:>10,.0f} tx/s {n_postings / seconds:>11,.0f} "
            f"postings/s"
        )
    print(
        f"  ratio to raw, same schema: {best['schema'] / best['ours']:.0%}   "
        f"ratio to raw, bare tables: {best['bare'] / best['ours']:.0%}   (target >= 40%)"
    )


def bench_single_commits(count: int) -> None:
    rng = random.Random(2)
    txs = transactions("umoja", count, rng)
    with tempfile.TemporaryDirectory() as tmp:
        journal = Journal(open_database(Path(tmp) / "one.sqlite"))
        times = []
        for tx in txs:
            start = time.perf_counter()
            journal.append([tx])
            times.append(time.perf_counter() - start)
        journal.db.close()
    print(
        f"single-entry commits (synchronous=FULL): median {statistics.median(times) * 1000:.2f}"
        f" ms, p99 {sorted(times)[int(len(times) * 0.99)] * 1000:.2f} ms"
    )


def database_with(postings_target: int) -> Path:
    """A database holding about `postings_target` postings in groups of 20,000 postings,
    built once (raw inserts of valid chained rows, through the real schema and triggers) and
    kept under bench/out/."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"lookup-{postings_target}.sqlite"
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = open_database(partial)
    conn = db.conn
    per_group = min(10_000, postings_target // 2)
    groups = max(1, postings_target // (2 * per_group))
    rng = random.Random(3)
    started = time.perf_counter()
    for g in range(groups):
        entries, postings = rows_of(transactions(f"g{g:05d}", per_group, rng))
        conn.execute("BEGIN IMMEDIATE")
        insert_interleaved(conn, entries, postings)
        conn.execute("COMMIT")
        if g % 50 == 49:
            print(
                f"    building {postings_target:,} postings: group {g + 1}/{groups} "
                f"({time.perf_counter() - started:.0f} s)",
                flush=True,
            )
    db.close()
    partial.rename(path)
    return path


def bench_lookups(sizes: list[int]) -> None:
    print("member balance lookup (Journal.balance, 20,000 random members of random groups):")
    medians = []
    for size in sizes:
        path = database_with(size)
        journal = Journal(open_database(path))
        total = journal.db.execute("SELECT COUNT(*) FROM postings").fetchone()[0]
        groups = [r[0] for r in journal.db.execute("SELECT DISTINCT group_id FROM journal")]
        rng = random.Random(4)
        keys = [(rng.choice(groups), acc.savings(rng.choice(MEMBERS))) for _ in range(20_000)]
        for group, account in keys[:1000]:  # warm the page cache, as a running hub is
            journal.balance(group, account)
        times = []
        for group, account in keys:
            start = time.perf_counter()
            journal.balance(group, account)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        medians.append(median)
        p99 = sorted(times)[int(len(times) * 0.99)]
        print(f"  {total:>12,} postings: median {median * 1e6:7.1f} µs, p99 {p99 * 1e6:7.1f} µs")
        journal.db.close()
    print(
        f"  largest / smallest median: {medians[-1] / medians[0]:.2f}x  (target: within 2x, "
        f"under 1 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="stop at 10^6 postings")
    parser.add_argument("--append", type=int, default=50_000, help="transactions to append")
    args = parser.parse_args()
    bench_append(args.append, 1000)
    bench_single_commits(500)
    bench_lookups([10**3, 10**5, 10**6] if args.quick else [10**3, 10**5, 10**7])


if __name__ == "__main__":
    main()
