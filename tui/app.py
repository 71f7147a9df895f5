"""Placeholder until the facilitator app lands (issue 4): shows the groups of the book."""

from __future__ import annotations

from pathlib import Path


def run(db_path: Path) -> None:
    from rich.console import Console

    from vsla.book import queries
    from vsla.book.service import Book

    book = Book.open(db_path)
    try:
        Console().print(queries.groups(book.db))
    finally:
        book.close()
