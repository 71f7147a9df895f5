"""The programme book of bench/report.py: 10,000 groups of 25 members, a year of weekly
meetings each (shares, social fund, fines, loans, repayments), made by the real services.

Built once under bench/out/ (about 50 minutes on 2 cores): the groups are made in one
process per core, each into its own shard book through `Book.record_meeting` (every rule,
every projection, the report figures included), then the shards are copied into one book.
The copy bypasses the journal's triggers (they check one entry at a time that it continues
its group's chain, which the shards already did) and puts them back exactly as the
migrations made them, so `vsla check` passes on the result.

    .venv/bin/python bench/report_book.py --groups 10000
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
sys.path.insert(0, str(ROOT))


def copied() -> tuple[str, ...]:
    """The tables a shard holds of its groups: the chain, its balances and every projection."""
    from vsla.book.projections import PROJECTION_TABLES

    return ("journal", "postings", "balances", *PROJECTION_TABLES)


def ussd_bench() -> ModuleType:
    """bench/ussd.py, for its groups (members, constitutions, meeting plans)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from sync import builder  # bench/sync.py loads bench/ussd.py the same way

    module: ModuleType = builder()
    return module


def build_shard(path: Path, first: int, last: int) -> None:
    """Groups first..last-1 into the book at `path`, ten groups a transaction."""
    from datetime import timedelta

    from vsla.book.service import Book
    from vsla.store import write_transaction

    bench = ussd_bench()
    book = Book.open(path)
    started = time.perf_counter()
    for start in range(first, last, 10):
        with write_transaction(book.db):
            for index in range(start, min(last, start + 10)):
                rng = bench.random.Random(index)
                country = bench.COUNTRIES[index % len(bench.COUNTRIES)]
                group = f"g{index:05d}"
                members = bench.members_of(index, country, rng)
                book.create_group(
                    group_id=group,
                    name=f"Group {index} {rng.choice(country.names[2])}",
                    constitution=bench.constitution_of(country),
                    members=members,
                    cycle_start=bench.START,
                    language=country.languages[0],
                )
                state = book.state(group)
                for week in range(bench.MEETINGS):
                    day = bench.START + timedelta(weeks=week)
                    outcome = book.record_meeting(group, bench.plan_of(state, day, week, rng))
                    assert outcome.state_after is not None
                    state = outcome.state_after
        done = min(last, start + 10) - first
        if done % 250 == 0:
            elapsed = time.perf_counter() - started
            print(f"  shard {path.name}: {done:,}/{last - first:,} groups, {elapsed:,.0f} s",
                  flush=True)  # fmt: skip
    book.close()


def merge(shards: list[Path], path: Path) -> None:
    """The other shards' rows appended to the first shard, which becomes the book at `path`.

    In place and without a rollback journal or WAL: the programme book is 25 GB, and a
    copy through a WAL needs twice that again on the disk. A merge that fails leaves a
    shard to rebuild, never a half book at `path` (the rename comes last).
    """
    first = shards[0]
    conn = sqlite3.connect(first, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    ).fetchall()
    conn.execute("BEGIN")
    for name, _sql in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    for number, shard in enumerate(shards[1:]):
        conn.execute(f"ATTACH DATABASE ? AS shard{number}", [str(shard)])
        for table in copied():
            conn.execute(f"INSERT INTO main.{table} SELECT * FROM shard{number}.{table}")
    for _name, sql in triggers:
        conn.execute(sql)
    conn.execute("COMMIT")
    for number in range(len(shards) - 1):
        conn.execute(f"DETACH DATABASE shard{number}")
    conn.execute("PRAGMA journal_mode = WAL")  # as every book is
    conn.close()
    first.rename(path)


def build(groups: int, jobs: int) -> tuple[Path, float]:
    """The book of `groups` groups under bench/out/ (built once); its path and build seconds."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"report-{groups}.sqlite"
    seconds_file = path.with_suffix(".seconds")
    if path.exists():
        return path, float(seconds_file.read_text()) if seconds_file.exists() else 0.0
    started = time.perf_counter()
    bounds = [groups * k // jobs for k in range(jobs + 1)]
    shards = [OUT / f"report-{groups}.shard{k}.sqlite" for k in range(jobs)]
    processes = []
    for k, shard in enumerate(shards):
        for leftover in (shard, Path(f"{shard}-wal"), Path(f"{shard}-shm")):
            leftover.unlink(missing_ok=True)
        command = [sys.executable, __file__, "--shard", str(shard),
                   "--first", str(bounds[k]), "--last", str(bounds[k + 1])]  # fmt: skip
        processes.append(subprocess.Popen(command, cwd=ROOT))
    if any(p.wait() != 0 for p in processes):
        raise SystemExit("a shard failed")
    print(f"merging {len(shards)} shards into {path.name}", flush=True)
    merge(shards, path)
    for shard in shards[1:]:
        for leftover in (shard, Path(f"{shard}-wal"), Path(f"{shard}-shm")):
            leftover.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    seconds_file.write_text(f"{seconds:.0f}")
    return path, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--shard", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--first", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--last", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.shard:
        build_shard(args.shard, args.first, args.last)
        return
    path, seconds = build(args.groups, args.jobs)
    print(f"{path.relative_to(ROOT)}: built in {seconds:,.0f} s")


if __name__ == "__main__":
    main()
