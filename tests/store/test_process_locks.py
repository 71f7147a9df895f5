"""A process that opens the book again keeps the SQLite locks of its open connections.

Closing any file descriptor of a file drops every POSIX lock the process holds on it. Were
a new connection to look at the file with a plain open() and close(), the hub's other
threads would lose their locks, and another program closing the book would take itself for
the last user: it would checkpoint and delete the write-ahead log under them, and they would
go on reading the old one (what the hub did with a group handed to another device)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from vsla.store.connection import as_database, connect


def write_elsewhere(path: Path, value: str) -> None:
    """Another program: opens the book, writes a setting, closes (the last user, it thinks)."""
    script = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "c.execute(\"INSERT OR REPLACE INTO settings (key, value) VALUES ('k', ?)\", "
        "(sys.argv[2],)); c.commit(); c.close()"
    )
    subprocess.run([sys.executable, "-c", script, str(path), value], check=True, timeout=30)


def test_a_second_connection_does_not_cost_the_first_its_locks(tmp_path: Path) -> None:
    path = tmp_path / "book.sqlite"
    first, _ = connect(path, create=True)
    as_database(first, migrate=True)
    write_elsewhere(path, "one")
    assert first.execute("SELECT value FROM settings").fetchall() == [("one",)]
    second, _ = connect(path)  # another thread of the hub opens its own
    write_elsewhere(path, "two")
    assert first.execute("SELECT value FROM settings").fetchall() == [("two",)]
    assert second.execute("SELECT value FROM settings").fetchall() == [("two",)]
    assert Path(f"{path}-wal").exists()  # never deleted while this process has it open
    second.close()
    first.close()
