"""The hub's book is replicated continuously by Litestream (`VSLA_HUB_REPLICA_URL`, here a
file replica) while `vsla hub serve` runs, and a book restored from the replica is whole:
`vsla check` passes and it holds every entry the hub acknowledged."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from vsla.book.service import Book
from vsla.domain.entries import NewLoan, Shares

from ..support import meet, new_group, week
from .conftest import hub_process, vsla

LITESTREAM = str(Path(sys.executable).with_name("litestream"))


def restore(replica: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    subprocess.run(
        [LITESTREAM, "restore", "-o", str(target), replica.as_uri()],
        check=True,
        capture_output=True,
        timeout=60,
    )


def replicating(replica: Path) -> list[str]:
    """The Litestream processes still replicating to `replica` (Linux's /proc)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue  # it ended meanwhile
        if any(w.endswith(b"litestream") for w in words[:1]) and replica.as_uri().encode() in words:
            found.append(cmdline.parent.name)
    return found


def entries(db: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db)
    try:
        return [
            tuple(r) for r in conn.execute("SELECT id, hash FROM journal ORDER BY group_id, seq")
        ]
    finally:
        conn.close()


def test_a_book_restored_from_the_replica_holds_what_the_hub_acknowledged(
    tmp_path: Path,
) -> None:
    phone = tmp_path / "phone.sqlite"
    book = Book.open(phone)
    new_group(book)
    meet(book, week(1), Shares("M01", 5), Shares("M02", 3))
    meet(book, week(2), NewLoan("M01", 6_000, 2))
    book.close()
    replica = tmp_path / "replica"
    restored = tmp_path / "restored.sqlite"
    with hub_process(tmp_path, VSLA_HUB_REPLICA_URL=replica.as_uri()) as hub:
        code, _, err = vsla("sync", "--hub", hub.url, "--token", hub.tokens["phone-a"], db=phone)
        assert code == 0, err
        acknowledged = entries(hub.db)
        deadline = time.monotonic() + 30  # Litestream ships the WAL every second
        while True:
            try:
                restore(replica, restored)
                if entries(restored) == acknowledged:
                    break
            except subprocess.CalledProcessError:
                pass  # no snapshot yet
            assert time.monotonic() < deadline, "the replica never caught up"
            time.sleep(0.5)
    assert not replicating(replica)  # the hub stopped: so did its Litestream
    assert vsla("check", db=restored)[0] == 0
    book = Book.open(restored)
    assert book.journal.balances("umoja")["assets:cash:loan_fund"] == 8_000 - 6_000
    book.close()
