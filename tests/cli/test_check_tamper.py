"""`vsla check` against raw edits of a copy of the demo book, one kind of edit per case.

Whoever has the file can change any table with a SQLite shell. Each edit below must be found
(exit 1, naming the table and key, or the entry) or the file refused as not a book (exit 2),
never pass, never end in a traceback; and `check` must leave the file byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vsla.cli import app

from .. import damage

GROUP = "kolwezi-umoja"  # the demo group with two cycles, 47 meetings and open loans


def sql(*statements: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        conn = sqlite3.connect(path)
        try:
            for statement in statements:
                conn.execute(statement)
            conn.commit()
        finally:
            conn.close()

    return edit


def behind_the_triggers(*statements: str) -> Callable[[Path], None]:
    """An edit the append-only triggers refuse: drop them, edit, put them back as they were,
    as someone who knows SQLite would, so that only the data can give it away."""

    def edit(path: Path) -> None:
        conn = sqlite3.connect(path)
        try:
            triggers = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name IN ('journal', 'postings')"
            ).fetchall()
            for name, _sql in triggers:
                conn.execute(f"DROP TRIGGER {name}")
            for statement in statements:
                conn.execute(statement)
            for _name, create in triggers:
                conn.execute(create)
            conn.commit()
        finally:
            conn.close()

    return edit


def zero_page(number: int) -> Callable[[Path], None]:
    return lambda path: damage.zero_page(path, number)


def zero_page_of(table: str) -> Callable[[Path], None]:
    return lambda path: damage.zero_a_page_of(path, table)


def truncate(fraction: float) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        damage.checkpointed(path)
        size = path.stat().st_size
        with path.open("r+b") as handle:
            handle.truncate(int(size * fraction))

    return edit


def replace_with(content: bytes) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        damage.checkpointed(path)
        path.with_name(path.name + "-wal").unlink(missing_ok=True)
        path.with_name(path.name + "-shm").unlink(missing_ok=True)
        path.write_bytes(content)

    return edit


def another_programs_file(path: Path) -> None:
    replace_with(b"")(path)
    sql("CREATE TABLE notes (text TEXT)")(path)


LAST_ENTRY = f"(SELECT MAX(seq) FROM journal WHERE group_id = '{GROUP}')"
A_SHARE_PURCHASE = (
    f"(SELECT id FROM journal WHERE group_id = '{GROUP}' AND kind = 'shares' ORDER BY seq LIMIT 1)"
)


@dataclass(frozen=True)
class Tamper:
    name: str
    edit: Callable[[Path], None]
    exit_code: int
    says: tuple[str, ...]


CASES = (
    # members
    Tamper(
        "member's gender",
        sql(f"UPDATE members SET gender = 'M' WHERE group_id = '{GROUP}' AND member_id = 'M01'"),
        1,
        ("table members, row member_id=M01: gender",),
    ),
    Tamper(
        "member marked as left",
        sql(f"UPDATE members SET status = 'left' WHERE group_id = '{GROUP}' AND member_id = 'M02'"),
        1,
        ("table members, row member_id=M02: status",),
    ),
    Tamper(
        "member deleted",
        sql(f"DELETE FROM members WHERE group_id = '{GROUP}' AND member_id = 'M04'"),
        1,
        ("table members: the row member_id=M04 is missing",),
    ),
    Tamper(
        "member made up",
        sql(
            "INSERT INTO members (group_id, member_id, name, gender, status, joined_on) "
            f"VALUES ('{GROUP}', 'M99', 'Nobody', 'F', 'active', '2026-01-01')"
        ),
        1,
        ("table members: the row member_id=M99 is not in the journal",),
    ),
    Tamper(
        "member's phone",
        sql(
            f"UPDATE members SET phone = '+243990000000' WHERE group_id = '{GROUP}' "
            "AND member_id = 'M05'"
        ),
        1,
        ("row member_id=M05: phone",),
    ),
    # loans
    Tamper(
        "open loan marked repaid",
        sql(f"UPDATE loans SET status = 'repaid' WHERE group_id = '{GROUP}' AND loan_number = 28"),
        1,
        ("table loans, row loan_number=28: status",),
    ),
    Tamper(
        "loan principal",
        sql(
            f"UPDATE loans SET principal_minor = 1 WHERE group_id = '{GROUP}' AND loan_number = 28"
        ),
        1,
        ("table loans, row loan_number=28: principal_minor",),
    ),
    Tamper(
        "loan due date",
        sql(
            f"UPDATE loans SET due_on = '2030-01-01' WHERE group_id = '{GROUP}' "
            "AND loan_number = 29"
        ),
        1,
        ("table loans, row loan_number=29: due_on",),
    ),
    Tamper(
        "loan charges counted",
        sql(
            f"UPDATE loans SET periods_charged = 9 WHERE group_id = '{GROUP}' AND loan_number = 29"
        ),
        1,
        ("table loans, row loan_number=29: periods_charged",),
    ),
    Tamper(
        "loan deleted",
        sql(f"DELETE FROM loans WHERE group_id = '{GROUP}' AND loan_number = 30"),
        1,
        ("table loans: the row loan_number=30 is missing",),
    ),
    # meetings and attendance
    Tamper(
        "counted cash of a meeting",
        sql(
            "UPDATE meetings SET counted_loan_fund_minor = counted_loan_fund_minor + 100 "
            f"WHERE group_id = '{GROUP}' AND number = 47"
        ),
        1,
        ("table meetings, row number=47: counted_loan_fund_minor",),
    ),
    Tamper(
        "closed meeting reopened in the table",
        sql(f"UPDATE meetings SET status = 'open' WHERE group_id = '{GROUP}' AND number = 47"),
        1,
        ("table meetings, row number=47: status",),
    ),
    Tamper(
        "meeting date",
        sql(f"UPDATE meetings SET date = '2026-02-30' WHERE group_id = '{GROUP}' AND number = 3"),
        1,
        ("table meetings, row number=3: date",),
    ),
    Tamper(
        "last meeting's row deleted",
        sql(f"DELETE FROM meetings WHERE group_id = '{GROUP}' AND number = 47"),
        1,
        ("table meetings: the row number=47 is missing",),
    ),
    Tamper(
        "attendance changed",
        sql(
            f"UPDATE attendance SET status = 'absent' WHERE group_id = '{GROUP}' "
            "AND meeting_number = 10 AND member_id = 'M01'"
        ),
        1,
        ("table attendance, row meeting_number=10 member_id=M01: status",),
    ),
    Tamper(
        "attendance deleted",
        sql(f"DELETE FROM attendance WHERE group_id = '{GROUP}' AND meeting_number = 11"),
        1,
        ("table attendance: the row meeting_number=11 member_id=M01 is missing",),
    ),
    # cycles, roles, the group
    Tamper(
        "constitution's share value",
        sql(
            "UPDATE cycles SET constitution = json_set(constitution, '$.share_value_minor', 1) "
            f"WHERE group_id = '{GROUP}' AND number = 2"
        ),
        1,
        ("table cycles, row number=2: constitution",),
    ),
    Tamper(
        "cycle closed in the table",
        sql(f"UPDATE cycles SET status = 'closed' WHERE group_id = '{GROUP}' AND number = 2"),
        1,
        ("table cycles, row number=2: status",),
    ),
    Tamper(
        "cycle start",
        sql(
            f"UPDATE cycles SET start_date = '2020-01-01' WHERE group_id = '{GROUP}' AND number = 2"
        ),
        1,
        ("table cycles, row number=2: start_date",),
    ),
    Tamper(
        "role given",
        sql(f"INSERT INTO roles (group_id, member_id, role) VALUES ('{GROUP}', 'M09', 'chair')"),
        1,
        ("table roles: the row role=chair member_id=M09 is not in the journal",),
    ),
    Tamper(
        "role taken away",
        sql(f"DELETE FROM roles WHERE group_id = '{GROUP}' AND role = 'box_keeper'"),
        1,
        ("table roles: the row role=box_keeper member_id=M03 is missing",),
    ),
    Tamper(
        "group's currency",
        sql(f"UPDATE groups SET currency = 'USD' WHERE id = '{GROUP}'"),
        1,
        (f"table groups, row id={GROUP}: currency",),
    ),
    Tamper(
        "group deleted from its table",
        sql(f"DELETE FROM groups WHERE id = '{GROUP}'"),
        1,
        (f"table groups: the row id={GROUP} is missing",),
    ),
    Tamper(
        "stored balance",
        sql(
            "UPDATE balances SET balance_minor = balance_minor + 1 "
            f"WHERE group_id = '{GROUP}' AND account = 'assets:cash:loan_fund'"
        ),
        1,
        ("the stored balance of assets:cash:loan_fund",),
    ),
    # the journal, behind the triggers
    Tamper(
        "last entry (the meeting's closing) deleted",
        behind_the_triggers(
            f"DELETE FROM journal WHERE group_id = '{GROUP}' AND seq = {LAST_ENTRY}"
        ),
        1,
        ("meeting 47 was opened but never closed", "table meetings, row number=47: status"),
    ),
    Tamper(
        "last five entries deleted, postings too",
        behind_the_triggers(
            f"DELETE FROM postings WHERE entry_id IN (SELECT id FROM journal WHERE group_id = "
            f"'{GROUP}' AND seq > {LAST_ENTRY} - 5)",
            f"DELETE FROM journal WHERE group_id = '{GROUP}' AND seq > {LAST_ENTRY} - 5",
        ),
        1,
        ("meeting 47 was opened but never closed",),
    ),
    Tamper(
        "last entry deleted, postings left behind",
        behind_the_triggers(
            f"DELETE FROM journal WHERE group_id = '{GROUP}' AND record_type = 'tx' AND seq = "
            f"(SELECT MAX(seq) FROM journal WHERE group_id = '{GROUP}' AND record_type = 'tx')"
        ),
        1,
        ("in the journal but the entry is not",),
    ),
    Tamper(
        "an amount in a posting",
        behind_the_triggers(
            "UPDATE postings SET amount_minor = amount_minor * 2 "
            f"WHERE entry_id = {A_SHARE_PURCHASE}"
        ),
        1,
        ("was altered",),
    ),
    Tamper(
        "an entry's payload",
        behind_the_triggers(
            f"UPDATE journal SET memo = 'edited' WHERE id = {A_SHARE_PURCHASE}",
        ),
        1,
        ("was altered",),
    ),
    # the schema
    Tamper(
        "append-only trigger dropped",
        sql("DROP TRIGGER journal_no_delete"),
        1,
        ("the trigger journal_no_delete is missing",),
    ),
    Tamper(
        "a trigger added",
        sql(
            "CREATE TRIGGER sneaky AFTER INSERT ON postings BEGIN "
            "UPDATE balances SET balance_minor = 0 WHERE account = NEW.account; END"
        ),
        1,
        ("the trigger sneaky was added",),
    ),
    # the file
    Tamper("a zeroed page inside the journal", zero_page_of("journal"), 1, ("damaged",)),
    Tamper("a zeroed page inside the postings", zero_page_of("postings"), 1, ("damaged",)),
    Tamper("the first page zeroed", zero_page(1), 2, ("not a book",)),
    Tamper("cut in half", truncate(0.5), 1, ("damaged",)),
    Tamper("cut to a few bytes", truncate(0.001), 1, ("damaged",)),
    Tamper("emptied (0 bytes)", replace_with(b""), 2, ("empty file, not a book",)),
    Tamper("replaced by text", replace_with(b"members,savings\nM01,5000\n"), 2, ("not a book",)),
    Tamper(
        "an SQLite file of another program",
        another_programs_file,
        2,
        ("not a book of this program",),
    ),
)


def test_there_are_at_least_twenty_five_kinds_of_edit() -> None:
    assert len(CASES) >= 25
    assert len({case.name for case in CASES}) == len(CASES)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_check_finds_each_edit_and_changes_nothing(case: Tamper, demo_copy: Path) -> None:
    case.edit(demo_copy)
    before = digest(demo_copy)
    wal = demo_copy.with_name(demo_copy.name + "-wal")
    wal_before = wal.read_bytes() if wal.exists() else None

    result = CliRunner().invoke(app, ["check", "--db", str(demo_copy)])

    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code == case.exit_code, result.output
    for expected in case.says:
        assert expected in result.output, result.output
    assert digest(demo_copy) == before
    assert (wal.read_bytes() if wal.exists() else None) in (wal_before, b"")


def test_the_untouched_demo_passes(demo_copy: Path) -> None:
    before = digest(demo_copy)
    result = CliRunner().invoke(app, ["check", "--db", str(demo_copy), "--json"])
    assert result.exit_code == 0, result.output
    assert '"ok": true' in result.stdout
    assert digest(demo_copy) == before


def test_json_names_the_table_for_scripts(demo_copy: Path) -> None:
    sql(f"UPDATE loans SET status = 'repaid' WHERE group_id = '{GROUP}' AND loan_number = 28")(
        demo_copy
    )
    result = CliRunner().invoke(app, ["check", "--db", str(demo_copy), "--json"])
    assert result.exit_code == 1
    assert '"code": "projection.differs"' in result.stdout
    assert f'"group": "{GROUP}"' in result.stdout
