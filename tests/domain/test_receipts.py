"""SMS receipts are queued in the outbox with the meeting, in the same SQLite transaction,
only for members with a phone, in GSM-7 and within one SMS."""

from __future__ import annotations

from vsla.book.service import Book
from vsla.domain.entries import NewLoan, Shares
from vsla.sms.gsm import is_gsm7, to_gsm7

from ..support import meet, new_group, refused, week


def outbox(book: Book) -> list[tuple[str, str, str]]:
    return [
        tuple(r)
        for r in book.db.execute(
            "SELECT member_id, recipient, message FROM outbox ORDER BY member_id"
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
    latest = [msg for m, _, msg in rows if m == "M01"][-1]
    assert "shares 1, total 6" in latest
    assert "new loan UGX 8,000" in latest
    assert all(is_gsm7(msg) and len(msg) <= 160 for _, _, msg in rows)


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
