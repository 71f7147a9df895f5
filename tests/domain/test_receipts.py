"""SMS receipts are queued in the outbox with the meeting, in the same SQLite transaction,
only for members with a phone who paid or received money, once per member and meeting, in
GSM-7 and within one SMS; they say what changed hands today, and balances only to a member
who agreed; amounts are written exactly, the way the app writes them; ids and times are the
ones the caller gives."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from ledger import new_id
from vsla.book.service import Book
from vsla.domain.entries import Fine, NewLoan, Shares
from vsla.domain.people import Member
from vsla.sms.gsm import is_gsm7, to_gsm7
from vsla.sms.receipts import sms_money

from ..support import constitution, meet, new_group, refused, week


def outbox(book: Book) -> list[tuple[str, str, str]]:
    return [
        tuple(r)
        for r in book.db.execute(
            "SELECT member_id, recipient, message FROM outbox ORDER BY member_id, id"
        )
    ]


def test_a_meeting_queues_one_receipt_per_member_with_a_phone(book: Book) -> None:
    new_group(book)  # UGX members all have phones
    meet(book, week(1), Shares("M01", 5), Shares("M02", 2))
    meet(book, week(2), Shares("M01", 1), NewLoan("M01", 8_000, 2))
    rows = outbox(book)
    assert [(m, r) for m, r, _ in rows] == [
        ("M01", "+256700000001"),
        ("M01", "+256700000001"),
        ("M02", "+256700000002"),
    ]
    # M01: 5 shares of UGX 1,000 at meeting 1; 1 more at meeting 2, and she borrows 8,000
    # (at most 3 × 6,000 = 18,000). Nobody agreed to balances: no total, nothing owed.
    assert [msg for m, _, msg in rows] == [
        "Umoja Women's Group 2026-01-05: shares 5 (UGX 5,000).",
        "Umoja Women's Group 2026-01-12: shares 1 (UGX 1,000). new loan UGX 8,000.",
        "Umoja Women's Group 2026-01-05: shares 2 (UGX 2,000).",
    ]
    assert all(is_gsm7(msg) and len(msg) <= 160 for _, _, msg in rows)


def ama_susu(book: Book) -> None:
    book.create_group(
        group_id="ama",
        name="Ama Susu",
        constitution=constitution("GHS", share_value_minor=500, fines_minor={"late": 250}),
        members=[
            Member("M01", "Ama Mensah", "F", phone="+233241234567"),
            Member("M02", "Abena Owusu", "F", phone="+233241234568"),
        ],
        cycle_start=week(1),
    )


def test_amounts_with_cents_are_written_exactly(book: Book) -> None:
    """GHS has two decimals: a share of GHS 5.00 (500 pesewas) × 3 = GHS 15.00; a late fine
    of GHS 2.50 paid at once by M02, recorded as owed by M01 (a debt, not a payment: her
    receipt says nothing of it, since she did not agree to balances)."""
    ama_susu(book)
    meet(
        book,
        week(1),
        Shares("M01", 3),
        Fine("M01", "late", paid=False),
        Shares("M02", 1),
        Fine("M02", "late", paid=True),
        group="ama",
    )
    assert [msg for _, _, msg in outbox(book)] == [
        "Ama Susu 2026-01-05: shares 3 (GHS 15.00).",
        "Ama Susu 2026-01-05: shares 1 (GHS 5.00). fine paid GHS 2.50.",
    ]


def test_balances_only_for_a_member_who_agreed(book: Book) -> None:
    """M01 agreed at a meeting to receive her balances: savings, loan and fines owed after
    the meeting; M02 did not, and her receipt holds only what changed hands today."""
    ama_susu(book)
    book.update_member("ama", "M01", on=week(1), sms_balances=True)
    meet(book, week(1), Shares("M01", 3), Shares("M02", 2), group="ama")
    meet(
        book,
        week(2),
        Shares("M01", 1),
        Fine("M01", "late", paid=False),
        NewLoan("M01", 2_000, 1),
        Shares("M02", 1),
        NewLoan("M02", 1_000, 1),
        group="ama",
    )
    assert [msg for _, _, msg in outbox(book)] == [
        # 3 shares of GHS 5.00 = 15.00 saved
        "Ama Susu 2026-01-05: shares 3 (GHS 15.00). savings GHS 15.00 (3 shares).",
        # 4 shares = 20.00 saved; a loan of 20.00 (at most 3 × 20.00 = 60.00), owed whole;
        # the late fine of 2.50 owed
        "Ama Susu 2026-01-12: shares 1 (GHS 5.00). new loan GHS 20.00. savings GHS 20.00 "
        "(4 shares). loan owed GHS 20.00. fines owed GHS 2.50.",
        "Ama Susu 2026-01-05: shares 2 (GHS 10.00).",
        "Ama Susu 2026-01-12: shares 1 (GHS 5.00). new loan GHS 10.00.",
    ]


def test_one_receipt_per_member_and_meeting_even_when_it_is_reopened(book: Book) -> None:
    """Meeting 1 reopened and closed again with more for M01 and a first payment from M02:
    M01 keeps her one receipt of meeting 1 (the key refuses a second), M02 gets hers."""
    new_group(book)
    first = meet(book, week(1), Shares("M01", 2))
    assert first.receipts_queued == 1
    book.reopen_last_meeting("umoja", reason="M02's shares were forgotten")
    again = meet(book, week(1), Shares("M01", 1), Shares("M02", 3))
    assert (first.number, again.number) == (1, 1)
    assert again.receipts_queued == 1
    rows = book.db.execute(
        "SELECT member_id, meeting_number, message FROM outbox ORDER BY member_id"
    ).fetchall()
    assert [tuple(r) for r in rows] == [
        ("M01", 1, "Umoja Women's Group 2026-01-05: shares 2 (UGX 2,000)."),
        ("M02", 1, "Umoja Women's Group 2026-01-05: shares 3 (UGX 3,000)."),
    ]


@pytest.mark.parametrize(
    ("amount_minor", "code", "language", "text"),
    [
        (8_000, "UGX", "en", "UGX 8,000"),  # no decimals
        (27_050, "GHS", "en", "GHS 270.50"),  # 27,050 pesewas
        (27_050, "GHS", "fr", "270,50 GHS"),  # French: decimal comma, code after
        (123_450, "CDF", "fr", "1 234,50 CDF"),  # French grouping: a (narrow) space
        (123_400, "CDF", "fr", "1 234 CDF"),  # francs change hands whole: no ",00"
        (123_456, "CDF", "ln", "1.234,56 FC"),  # Lingala (Congo): dot groups, comma decimals
        (150_050, "KES", "sw", "Ksh 1,500.50"),
        # 2**53 + 1 pesewas: a float would lose the last pesewa; integers do not
        (9_007_199_254_740_993, "GHS", "en", "GHS 90,071,992,547,409.93"),
    ],
)
def test_receipt_money(amount_minor: int, code: str, language: str, text: str) -> None:
    assert sms_money(amount_minor, code, language) == text


def test_receipts_take_their_time_from_the_book(tmp_path: Path) -> None:
    """Not the receipt's own clock: the book's, a fixed one in Kampala (UTC+3) at 21:30:15,
    stored as 18:30:15 UTC, to the second."""
    kampala = timezone(timedelta(hours=3))

    def clock() -> datetime:
        return datetime(2026, 1, 5, 21, 30, 15, 999_999, tzinfo=kampala)

    book = Book.open(tmp_path / "clocked.sqlite", clock=clock)
    new_group(book)
    meet(book, week(1), Shares("M01", 5), Shares("M02", 2))
    rows = book.db.execute("SELECT member_id, created_at FROM outbox ORDER BY member_id").fetchall()
    assert rows == [("M01", "2026-01-05T18:30:15+00:00"), ("M02", "2026-01-05T18:30:15+00:00")]
    book.close()


@pytest.fixture
def counted_book(tmp_path: Path) -> Iterator[tuple[Book, list[str]]]:
    """A book whose id source remembers every id it made."""
    made: list[str] = []

    def ids() -> str:
        made.append(new_id())
        return made[-1]

    opened = Book.open(tmp_path / "book.sqlite", ids=ids)
    yield opened, made
    opened.close()


def test_a_book_queues_receipts_with_its_own_ids(counted_book: tuple[Book, list[str]]) -> None:
    book, made = counted_book
    new_group(book)
    meet(book, week(1), Shares("M01", 5))
    outbox_ids = [str(r[0]) for r in book.db.execute("SELECT id FROM outbox")]
    assert len(outbox_ids) == 1
    assert outbox_ids[0] in made


def test_nothing_is_queued_when_the_meeting_is_refused(book: Book) -> None:
    new_group(book)
    refused(book, week(1), Shares("M01", 9))
    assert outbox(book) == []


def test_members_without_a_phone_or_who_opted_out_get_no_sms(book: Book) -> None:
    new_group(book, currency="CDF", share_value_minor=100_000)  # no phones in CDF groups
    meet(book, week(1), Shares("M01", 1))
    assert outbox(book) == []
    new_group(book, "other")
    book.update_member("other", "M01", on=week(1), sms_opt_out=True)
    meet(book, week(1), Shares("M01", 1), Shares("M02", 1), group="other")
    assert [m for m, _, _ in outbox(book)] == ["M02"]


def test_french_and_lingala_letters_become_gsm() -> None:
    assert to_gsm7("Société d'épargne: ɛlɔkɔ, garçon, œuvre, fête") == (
        "Société d'épargne: eloko, garcon, oeuvre, fete"
    )
    assert is_gsm7(to_gsm7("Mwâsi ya mbóngo ✓"))
