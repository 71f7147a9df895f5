"""Sync benchmark: a year of meetings of 500 groups pushed to a hub over HTTP, against raw
SQLite inserts of the same rows in the same run.

Run on demand (not part of the tests):

    .venv/bin/python bench/sync.py            # 500 groups (the device's book: built once)
    .venv/bin/python bench/sync.py --quick    # 50 groups

1. The device's book, built once under bench/out/ by bench/ussd.py's builder: groups of 25
   members with 52 weekly meetings each (shares, social fund, fines, loans, repayments).
2. A hub (`ussd.app.create_hub`, the sync routes) under uvicorn in its own process on
   127.0.0.1, over an empty book with one device. Every group is pushed by `vsla sync`'s
   own loop (`vsla.cli.sync.push_group`: batches of whole meetings up to 500 entries, one
   kept-alive connection, the next batch read while the hub stores the last), each
   acknowledged batch marked on the device.
3. The same rows (journal entries and postings, as the hub stores them) inserted raw, in
   batches of the same size, one transaction each, WAL and synchronous=FULL, three times:
   - into the hub's own tables, as a new hub book has them (keys, indexes, the
     append-only and chain triggers, balances kept by trigger), each entry then its
     postings: what SQLite alone takes to store these rows as the hub must;
   - into the same tables with their keys and indexes only, by `executemany`;
   - by `executemany` into bare tables (no key, index or trigger): the disk's and
     SQLite's limit, for scale.

Prints entries/s ingested by the hub (end to end: HTTP, JSON, every check, the chain, the
append with its triggers and projections, the acknowledgement marked on the device) next
to each raw figure, with the ratios. Target: at least 25% of the raw inserts into the
hub's own tables with their triggers.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger.wire import from_wire  # noqa: E402
from vsla.book.service import Book  # noqa: E402
from vsla.book.sync import SyncDevice, SyncHub  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
BATCH = 500
RATIO_TARGET = 0.25
TOKEN_PATH = "bench-sync-path-token-0123"
Rows = list[tuple[Any, ...]]


def builder() -> Any:
    """bench/ussd.py, for its book builder."""
    spec = importlib.util.spec_from_file_location("bench_ussd", Path(__file__).with_name("ussd.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_ussd"] = module
    spec.loader.exec_module(module)
    return module


def device_book(groups: int) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"sync-{groups}.sqlite"
    if not path.exists():
        print(f"building {path.relative_to(ROOT)}: {groups:,} groups (once)", flush=True)
        seconds = builder().build_book(path, groups, 10)
        print(f"built in {seconds:,.0f} s", flush=True)
    return path


def fresh_device(source: Path, work: Path) -> Path:
    """A copy of the device's book with nothing acknowledged, so each run pushes it all."""
    copy = work / "device.sqlite"
    src = sqlite3.connect(source)
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    book = Book.open(copy)
    book.db.execute("DELETE FROM sync_acks")
    book.close()
    return copy


def serve(db: Path, port: int) -> None:
    import uvicorn

    from ussd.app import create_hub, freeze_start_up
    from ussd.settings import HubSettings

    settings = HubSettings.model_validate(
        {"path_token": TOKEN_PATH, "pin_key": TOKEN_PATH, "service_codes": ["*1#"]}
    )
    app = create_hub(settings, db)
    freeze_start_up()  # as `vsla hub serve` does
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def start_hub(db: Path) -> tuple[subprocess.Popen[bytes], int]:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    command = [sys.executable, __file__, "--serve", str(db), "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the hub did not start") from None
            time.sleep(0.05)


def push_all(device_path: Path, port: int, token: str) -> tuple[int, float]:
    """Every group pushed by `vsla sync`'s own loop; (entries acknowledged, seconds)."""
    from vsla.cli.hublink import HubLink
    from vsla.cli.sync import push_group

    book = Book.open(device_path)
    device = SyncDevice(book)
    link = HubLink(f"http://127.0.0.1:{port}", token)
    sent = 0

    def taken(count: int, _answer: dict[str, Any]) -> None:
        nonlocal sent
        sent += count

    start = time.perf_counter()
    for group_id in sorted(device.groups()):
        refusal = push_group(link, device, group_id, taken, BATCH)
        if refusal is not None:
            raise RuntimeError(f"{group_id}: {refusal}")
    seconds = time.perf_counter() - start
    link.close()
    book.close()
    return sent, seconds


def raw_rows(device_path: Path) -> list[tuple[Rows, Rows]]:
    """The hub's rows of every batch: (journal rows, posting rows), as the push sent them."""
    book = Book.open(device_path)
    device = SyncDevice(book)
    book.db.execute("DELETE FROM sync_acks")
    batches = []
    for group_id in sorted(device.groups()):
        every = list(book.journal.entries(group_id))
        for start in range(0, len(every), BATCH):
            rows, postings = [], []
            for entry in every[start : start + BATCH]:
                wire = from_wire(json.loads(json.dumps(_wire(entry))))
                r = wire.record
                is_tx = hasattr(r, "postings")
                rows.append(
                    (r.id, r.group_id, wire.seq, "tx" if is_tx else "event", r.date.isoformat(),
                     r.kind, r.memo, r.member_id, r.meeting_number,
                     getattr(r, "reverses", None), r.payload, wire.prev_hash, wire.hash)
                )  # fmt: skip
                for i, p in enumerate(getattr(r, "postings", ())):
                    postings.append((r.id, i, r.group_id, p.account, p.amount_minor))
            batches.append((rows, postings))
    book.close()
    return batches


def _wire(entry: Any) -> dict[str, Any]:
    from ledger.wire import to_wire

    return to_wire(entry)


def insert_bare(work: Path, batches: list[tuple[Rows, Rows]]) -> float:
    """The rows into tables with no key, index or trigger: what the disk and SQLite take."""
    bare = sqlite3.connect(work / "bare.sqlite", isolation_level=None)
    bare.execute("PRAGMA journal_mode = WAL")
    bare.execute("PRAGMA synchronous = FULL")
    bare.execute(
        "CREATE TABLE journal (id, group_id, seq, record_type, date, kind, memo, "
        "member_id, meeting_number, reverses, payload, prev_hash, hash)"
    )
    bare.execute("CREATE TABLE postings (entry_id, idx, group_id, account, amount_minor)")
    start = time.perf_counter()
    for rows, postings in batches:
        bare.execute("BEGIN")
        bare.executemany(f"INSERT INTO journal VALUES ({', '.join('?' * 13)})", rows)
        bare.executemany("INSERT INTO postings VALUES (?, ?, ?, ?, ?)", postings)
        bare.execute("COMMIT")
    seconds = time.perf_counter() - start
    bare.close()
    return seconds


def insert_schema(work: Path, batches: list[tuple[Rows, Rows]], *, triggers: bool) -> float:
    """The rows into the hub's own journal and postings tables, as a new hub book has them:
    keys and indexes, and with `triggers` the append-only and chain triggers and balances
    kept by trigger, each entry then its postings (a posting may only follow its own
    entry); without, with `executemany`. A transaction a batch. The trigger that asks the
    projections for an open meeting is always dropped: raw inserts make no meetings."""
    path = work / f"schema-{triggers}.sqlite"
    Book.open(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    kept = () if not triggers else ("journal_only_into_open_meeting",)
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' "
        "AND tbl_name IN ('journal', 'postings')"
    ).fetchall():
        if not triggers or name in kept:
            conn.execute(f"DROP TRIGGER {name}")
    insert_entry = (
        "INSERT INTO journal (id, group_id, seq, record_type, date, kind, memo, member_id, "
        f"meeting_number, reverses, payload, prev_hash, hash) VALUES ({', '.join('?' * 13)})"
    )
    insert_posting = (
        "INSERT INTO postings (entry_id, idx, group_id, account, amount_minor) "
        "VALUES (?, ?, ?, ?, ?)"
    )
    of_entry: list[list[Rows]] = []
    for rows, postings in batches:
        by_entry: dict[str, Rows] = {}
        for posting in postings:
            by_entry.setdefault(posting[0], []).append(posting)
        of_entry.append([by_entry.get(row[0], []) for row in rows])
    start = time.perf_counter()
    for (rows, postings), postings_of in zip(batches, of_entry, strict=True):
        conn.execute("BEGIN")
        if triggers:
            for row, own in zip(rows, postings_of, strict=True):
                conn.execute(insert_entry, row)
                if own:
                    conn.executemany(insert_posting, own)
        else:
            conn.executemany(insert_entry, rows)
            conn.executemany(insert_posting, postings)
        conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="50 groups")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    groups = 50 if args.quick else 500
    source = device_book(groups)
    with tempfile.TemporaryDirectory(dir=OUT) as folder:
        work = Path(folder)
        device = fresh_device(source, work)
        hub_db = work / "hub.sqlite"
        hub_book = Book.open(hub_db)
        token = SyncHub(hub_book).add_device("bench-phone", datetime.now(UTC))
        hub_book.close()
        process, port = start_hub(hub_db)
        try:
            sent, hub_seconds = push_all(device, port, token)
        finally:
            process.terminate()
            process.wait(timeout=30)
        batches = raw_rows(device)
        entries = sum(len(rows) for rows, _ in batches)
        assert entries == sent, (entries, sent)
        bare_seconds = insert_bare(work, batches)
        keys_seconds = insert_schema(work, batches, triggers=False)
        schema_seconds = insert_schema(work, batches, triggers=True)
    hub_rate, schema_rate = sent / hub_seconds, entries / schema_seconds
    print(f"machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    print(f"device book: {groups:,} groups, {sent:,} entries, pushed in batches of {BATCH}")
    line = "{:<46}{:>10,} in {:6.1f} s {:>9,.0f}/s  hub = {:6.1%}"
    print(line.format("hub over HTTP (vsla sync's loop)", sent, hub_seconds, hub_rate, 1.0))
    for name, seconds in (
        ("raw, the hub's tables with their triggers", schema_seconds),
        ("raw, the hub's tables, keys and indexes only", keys_seconds),
        ("raw executemany, bare tables", bare_seconds),
    ):
        rate = entries / seconds
        print(line.format(name, entries, seconds, rate, hub_rate / rate))
    ratio = hub_rate / schema_rate
    verdict = "ok" if ratio >= RATIO_TARGET else "MISSED"
    target = f"target >= {RATIO_TARGET:.0%}: {verdict}"
    print(f"hub / raw inserts into the hub's tables with their triggers: {ratio:.1%}  {target}")


if __name__ == "__main__":
    main()
