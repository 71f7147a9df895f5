"""The read side, on a notebook small enough to check by hand.

Group "umoja" (tests/support.py): UGX, a share is 1,000, loans up to 3× savings for at most
3 months at 10% a month on the declining balance; fines: late 500, absent 1,000.

Meeting 1 (week 1): M01 buys 5 shares, M02 4, M04 1, M05 2; M03 is absent and owes the
  absence fine (1,000, not paid). Cash in: 5,000 + 4,000 + 1,000 + 2,000 = 12,000.
Meeting 2 (week 2): M02 buys 3 shares (3,000); M04 pays a late fine (500); M01 borrows
  10,000 for 3 months. Cash: 12,000 + 3,000 + 500 − 10,000 = 5,500.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from vsla.book.reader import Reader
from vsla.book.service import Book
from vsla.book.views.meetings import Bowls
from vsla.domain.entries import Fine, NewLoan, Shares
from vsla.domain.errors import RuleBroken

from ..support import meet, new_group, week

DUE = week(2) + timedelta(days=3 * 28)  # a loan month is 28 days


@pytest.fixture
def notebook(tmp_path: Path) -> Path:
    path = tmp_path / "book.sqlite"
    book = Book.open(path)
    new_group(book)
    meet(
        book,
        week(1),
        Shares("M01", 5),
        Shares("M02", 4),
        Shares("M04", 1),
        Shares("M05", 2),
        Fine("M03", "absent", paid=False),
        attendance={"M03": "absent"},
    )
    meet(book, week(2), Shares("M02", 3), Fine("M04", "late"), NewLoan("M01", 10_000, 3))
    book.close()
    return path


@pytest.fixture
def reader(notebook: Path) -> Reader:
    return Reader.open(notebook)


def test_the_group_list(reader: Reader) -> None:
    (group,) = reader.groups()
    assert (group.group_id, group.currency, group.exponent) == ("umoja", "UGX", 0)
    assert (group.members, group.meetings_this_cycle, group.meetings) == (5, 2, 2)
    assert group.last_meeting_on == week(2)
    assert group.to_json()["last_meeting"] == week(2).isoformat()
    with pytest.raises(RuleBroken, match="no group"):
        reader.group("nowhere")


def test_a_statement(reader: Reader) -> None:
    m01 = reader.statement("umoja", "M01", week(2))
    assert (m01.shares, m01.savings_minor, m01.fines_owed_minor) == (5, 5_000, 0)
    assert m01.loan is not None
    assert (m01.loan.principal_minor, m01.loan.charges_owed_minor) == (10_000, 0)
    assert (m01.loan.due_on, m01.loan.late) == (DUE, False)
    assert reader.statement("umoja", "M01", DUE + timedelta(days=1)).loan.late  # type: ignore[union-attr]
    m03 = reader.statement("umoja", "M03", week(2))
    assert (m03.shares, m03.fines_owed_minor, m03.loan) == (0, 1_000, None)
    with pytest.raises(RuleBroken, match="not a member"):
        reader.statement("umoja", "M42", week(2))


def test_the_members(reader: Reader) -> None:
    members = {m.member_id: m for m in reader.members("umoja").members}
    assert [members[m].shares for m in ("M01", "M02", "M03", "M04", "M05")] == [5, 7, 0, 1, 2]
    assert members["M01"].owed_minor == 10_000
    assert members["M03"].owed_minor == 1_000
    assert members["M03"].gender == "M"


def test_a_meeting_shows_owed_fines_and_attendance(reader: Reader) -> None:
    first = reader.meeting("umoja", 1)
    assert first.expected_closing == Bowls(12_000, 0)
    assert dict(first.attendance)["M03"] == "absent"
    fines = [e for e in first.entries if e.kind == "fine"]
    assert [(e.member_id, e.amount_minor, e.paid) for e in fines] == [("M03", 1_000, False)]
    assert first.shares_bought(1_000) == {"M01": 5, "M02": 4, "M04": 1, "M05": 2}
    last = reader.meeting("umoja")
    assert (last.number, last.expected_closing) == (2, Bowls(5_500, 0))
    late = [e for e in last.entries if e.kind == "fine"]
    assert [(e.member_id, e.amount_minor, e.paid) for e in late] == [("M04", 500, True)]


def test_the_loans_on_a_day(reader: Reader) -> None:
    today = reader.loans("umoja", week(2))
    (loan,) = today.loans
    assert (loan.member_id, loan.principal_minor, loan.owed_minor, loan.due_on) == (
        "M01",
        10_000,
        10_000,
        DUE,
    )
    assert not loan.late and not loan.due_soon
    assert reader.loans("umoja", DUE - timedelta(days=7)).loans[0].due_soon
    after = reader.loans("umoja", DUE + timedelta(days=1))
    assert after.loans[0].late and after.late_owed_minor == 10_000
    assert after.at_risk_percent == 100


def test_the_next_meeting_date(reader: Reader) -> None:
    held_today = reader.next_meeting("umoja", week(2))
    assert (held_today.on, held_today.reopened) == (week(3), False)
    later = week(2) + timedelta(days=10)
    assert reader.next_meeting("umoja", later).on == later


def test_usual_shares_are_those_bought_at_the_last_meeting_of_this_cycle(
    notebook: Path, reader: Reader
) -> None:
    assert reader.usual_shares("umoja") == {"M02": 3}  # only M02 bought at meeting 2
    book = Book.open(notebook)
    meet(book, week(3), Shares("M01", 2), Shares("M05", 4))
    book.close()
    assert reader.usual_shares("umoja") == {"M01": 2, "M05": 4}


def test_the_cycle_series(reader: Reader) -> None:
    points = [
        (p.number, p.savings_minor, p.loans_outstanding_minor, p.loan_fund_cash_minor)
        for p in reader.cycle_series("umoja")
    ]
    assert points == [(1, 12_000, 0, 12_000), (2, 15_000, 10_000, 5_500)]


def test_reads_inside_one_snapshot_do_not_see_a_meeting_committed_meanwhile(
    notebook: Path, reader: Reader
) -> None:
    writer = Book.open(notebook)
    with reader.reading():
        before = reader.groups()
        meet(writer, week(3), Shares("M05", 1))  # another program commits a meeting
        assert reader.groups() == before
        assert reader.meeting("umoja").number == 2
    assert reader.groups()[0].meetings == 3
    writer.close()


def test_a_read_only_reader_cannot_write(notebook: Path) -> None:
    reader = Reader.open(notebook, read_only=True)
    assert reader.groups()[0].meetings == 2
    with pytest.raises(sqlite3.OperationalError, match=r"readonly"):
        reader.conn.execute("DELETE FROM settings")
