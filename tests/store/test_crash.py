"""A writer killed with SIGKILL in the middle of an import leaves a book that is either
without the group or with all of it, and that passes every check."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vsla.book.check import check_book
from vsla.book.service import Book

from ..conftest import EXAMPLES


# The import itself takes about 60 ms here: these delays land before, in and after it.
@pytest.mark.parametrize("delay_s", [0.0, 0.01, 0.02, 0.04, 0.08, 0.5])
def test_a_killed_import_is_all_or_nothing(tmp_path: Path, delay_s: float) -> None:
    db = tmp_path / "book.sqlite"
    Book.open(db).close()
    script = (
        "import sys; from pathlib import Path; from vsla.book.service import Book; "
        "from vsla.bookfile.reader import import_book; book = Book.open(sys.argv[1]); "
        "print('ready', flush=True); import_book(book, Path(sys.argv[2]))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(db), str(EXAMPLES / "share-out-ghs.toml")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    time.sleep(delay_s)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    book = Book.open(db)
    try:
        groups = [r[0] for r in book.db.execute("SELECT id FROM groups")]
        entries = book.db.execute("SELECT COUNT(*) FROM journal").fetchone()[0]
        if groups:
            assert groups == ["ama"]
            assert book.db.execute("SELECT COUNT(*) FROM meetings").fetchone()[0] == 9
        else:
            assert entries == 0
        assert check_book(book.db) == []
    finally:
        book.close()
