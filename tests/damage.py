"""Damaging a copy of a book the way a failing card or a power cut can: a page of zeros."""

from __future__ import annotations

import sqlite3
from pathlib import Path

PAGE = 4096


def checkpointed(path: Path) -> None:
    """Everything in the write-ahead log moved into the file, so an edit of the file counts."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def zero_page(path: Path, number: int) -> None:
    checkpointed(path)
    with path.open("r+b") as handle:
        handle.seek((number - 1) * PAGE)
        handle.write(bytes(PAGE))


def zero_a_page_of(path: Path, table: str) -> None:
    """Zero a page in the middle of a table's b-tree, found through SQLite's dbstat."""
    conn = sqlite3.connect(path)
    pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", [table])]
    conn.close()
    zero_page(path, pages[len(pages) // 2])
