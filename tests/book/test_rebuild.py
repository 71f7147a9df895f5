"""A device can be rebuilt from the hub: every demo group's journal, and nothing else, appended
to an empty book gives the same book, table by table, row by row, column by column."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vsla.book.service import Book
from vsla.store import Journal, open_database

# Every table the journal makes (the chain itself and what is projected from it). The device's
# own tables (outbox, drafts, settings, the hub's access and USSD tables) are not in the
# journal and are never synced.
REBUILT = (
    "groups",
    "cycles",
    "members",
    "roles",
    "meetings",
    "attendance",
    "loans",
    "meeting_figures",
    "payouts",
    "balances",
    "postings",
    "journal",
)
DEVICE_ONLY = (
    "outbox",
    "meeting_drafts",
    "settings",
    # the hub's: members' PINs and activation codes, USSD sessions, SMS delivery reports
    "member_access",
    "activation_codes",
    "ussd_sessions",
    "ussd_effects",
    "ussd_events",
    "sms_reports",
    # sync: the hub's devices, writers and quarantine; a device's acknowledged heads
    "devices",
    "group_writers",
    "quarantine",
    "pushes",
    "sync_acks",
    # the hub's staff accounts for its web pages, their log-ins and audit log
    "staff",
    "staff_logins",
    "staff_log",
)
GROUP_COLUMN = {"groups": "id"}  # every other table names its group in group_id

Row = tuple[object, ...]


def tables(db_path: Path) -> set[str]:
    db = open_database(db_path, read_only=True)
    try:
        return {
            str(name)
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
    finally:
        db.close()


def rows(db_path: Path, table: str, group_id: str) -> tuple[list[str], list[Row]]:
    """Every column of every row of `table` for one group, in a stable order."""
    db = open_database(db_path, read_only=True)
    try:
        columns = [str(c[1]) for c in db.execute(f"PRAGMA table_info({table})")]
        order = ", ".join(f'"{c}"' for c in columns)
        found = db.execute(
            f'SELECT * FROM "{table}" WHERE "{GROUP_COLUMN.get(table, "group_id")}" = ? '
            f"ORDER BY {order}",
            [group_id],
        ).fetchall()
        return columns, [tuple(r) for r in found]
    finally:
        db.close()


def group_ids(db_path: Path) -> list[str]:
    db = open_database(db_path, read_only=True)
    try:
        return [str(r[0]) for r in db.execute("SELECT id FROM groups ORDER BY id")]
    finally:
        db.close()


@pytest.fixture(scope="module")
def rebuilt(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh book holding nothing but the demo groups' journals, appended group by group."""
    path = tmp_path_factory.mktemp("rebuilt") / "rebuilt.sqlite"
    demo = open_database(demo_db, read_only=True)
    book = Book.open(path)
    try:
        for group_id in group_ids(demo_db):
            book.journal.append(list(Journal(demo).records(group_id)))
    finally:
        book.close()
        demo.close()
    yield path


def test_the_compared_tables_are_every_table_but_the_devices_own(demo_db: Path) -> None:
    """A table added to the schema must be compared below or named as device-only here."""
    assert tables(demo_db) == set(REBUILT) | set(DEVICE_ONLY)


def test_the_demo_book_has_groups_with_history(demo_db: Path) -> None:
    """The comparison means something only if there is something to compare."""
    groups = group_ids(demo_db)
    assert len(groups) == 4  # the README: four groups in Kolwezi, Bukavu and Mubende
    for group_id in groups:
        for table in ("meetings", "attendance", "loans", "postings", "journal"):
            assert rows(demo_db, table, group_id)[1], f"{group_id} has no {table}"


@pytest.mark.parametrize("table", REBUILT)
def test_every_group_rebuilt_from_its_journal_alone_is_identical(
    demo_db: Path, rebuilt: Path, table: str
) -> None:
    assert group_ids(rebuilt) == group_ids(demo_db)
    for group_id in group_ids(demo_db):
        columns, expected = rows(demo_db, table, group_id)
        rebuilt_columns, found = rows(rebuilt, table, group_id)
        assert rebuilt_columns == columns
        assert found == expected, f"table {table}, group {group_id}"
