"""Flushing the outbox through the real Africa's Talking sender to a fake API on 127.0.0.1:
what is sent, what is retried (and when), what fails for good, what is never sent; the
delivery reports; and what it all cost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.sms.conftest import TIMEOUT_S
from tests.sms.fake_at import FakeAfricasTalking, Reply
from tests.support import meet, new_group, week
from vsla.book.errors import BookError
from vsla.book.service import Book
from vsla.book.sms import (
    Flushed,
    SmsTally,
    flush_outbox,
    parse_cost,
    record_delivery_report,
    sms_report,
)
from vsla.domain.entries import Shares
from vsla.sms.africastalking import AfricasTalkingSender
from vsla.sms.sending import SendResult

T0 = datetime(2026, 1, 5, 18, 0, tzinfo=UTC)
M01, M02 = "+256700000001", "+256700000002"
ROW = (
    "member_id, status, attempts, provider_message_id, provider_status, cost, sent_at, "
    "next_attempt_at, last_error"
)


def rows(book: Book) -> dict[str, tuple[Any, ...]]:
    found = book.db.execute(f"SELECT {ROW} FROM outbox ORDER BY member_id").fetchall()
    return {str(r[0]): tuple(r[1:]) for r in found}


def receipts(book: Book, *members: str) -> None:
    """The umoja group (members with phones) and a meeting where `members` buy a share."""
    new_group(book)
    meet(book, week(1), *(Shares(m, 1) for m in members))


def test_due_receipts_are_sent_oldest_first_with_the_providers_answer(
    book: Book, sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    receipts(book, "M02", "M01")
    report = flush_outbox(book, sender, now=T0)
    assert (report.count(Flushed.SENT), report.left, report.stopped) == (2, 0, False)
    assert [r.form["to"] for r in fake_at.requests] == [M01, M02]  # queued in member order
    assert fake_at.requests[0].form["message"] == (
        "Umoja Women's Group 2026-01-05: shares 1 (UGX 1,000)."
    )
    sent_at = "2026-01-05T18:00:00+00:00"
    assert rows(book) == {
        "M01": ("sent", 1, "ATXid_0001", "Success", "UGX 0.8000", sent_at, None, None),
        "M02": ("sent", 1, "ATXid_0002", "Success", "UGX 0.8000", sent_at, None, None),
    }


def test_nothing_is_sent_before_it_is_due_and_the_limit_holds(
    book: Book, sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    receipts(book, "M01", "M02", "M03")
    book.db.execute(
        "UPDATE outbox SET next_attempt_at = ? WHERE member_id = 'M01'",
        ["2026-01-05T18:00:01+00:00"],
    )
    report = flush_outbox(book, sender, now=T0, limit=1)
    assert [(m.member_id, m.outcome) for m in report.messages] == [("M02", Flushed.SENT)]
    assert report.left == 2
    flush_outbox(book, sender, now=T0 + timedelta(seconds=1))
    assert [r.form["to"] for r in fake_at.requests] == [M02, M01, "+256700000003"]


@pytest.mark.parametrize(
    ("code", "status"), [(403, "InvalidPhoneNumber"), (406, "UserInBlacklist")]
)
def test_a_refusal_inside_a_201_fails_the_message_for_good(
    book: Book, sender: AfricasTalkingSender, fake_at: FakeAfricasTalking, code: int, status: str
) -> None:
    receipts(book, "M01", "M02")
    fake_at.answer(Reply(recipient=(code, status)))
    report = flush_outbox(book, sender, now=T0)
    assert [(m.member_id, m.outcome, m.status) for m in report.messages] == [
        ("M01", Flushed.FAILED, status),
        ("M02", Flushed.SENT, "Success"),
    ]
    error = f"{status}: statusCode {code}"
    assert rows(book)["M01"] == ("failed", 1, None, status, None, None, None, error)
    flush_outbox(book, sender, now=T0 + timedelta(days=1))
    assert len(fake_at.requests) == 2  # never tried again


def test_a_timeout_is_retried_later_and_the_message_is_sent_once(
    book: Book, sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    """The first answer comes after the sender stopped waiting; five minutes later the
    retry goes through. The provider took the message once (the slow answer was an
    error), and the row keeps the second request's id."""
    receipts(book, "M01")
    fake_at.answer(Reply(http=503, text="busy", content_type="text/plain", delay=TIMEOUT_S * 3))
    first = flush_outbox(book, sender, now=T0)
    assert [(m.outcome, m.status, m.attempts) for m in first.messages] == [
        (Flushed.RETRY, "timeout", 1)
    ]
    status, attempts, *_, next_at, error = rows(book)["M01"]
    assert (status, attempts, next_at) == ("pending", 1, "2026-01-05T18:05:00+00:00")
    assert error == "timeout: no answer in time; it may have been sent"
    assert flush_outbox(book, sender, now=T0 + timedelta(minutes=4, seconds=59)).messages == ()
    assert len(fake_at.requests) == 1
    second = flush_outbox(book, sender, now=T0 + timedelta(minutes=5))
    assert [(m.outcome, m.attempts) for m in second.messages] == [(Flushed.SENT, 2)]
    assert (len(fake_at.requests), fake_at.successes(M01)) == (2, 1)
    assert rows(book)["M01"][:3] == ("sent", 2, "ATXid_0002")


def test_a_slow_success_can_reach_the_phone_twice_as_documented(
    book: Book, sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    """The limit of the design, shown: the provider took the message but its answer came
    too late; there is no idempotency key, so the retry sends it again."""
    receipts(book, "M01")
    fake_at.answer(Reply(delay=TIMEOUT_S * 3))
    flush_outbox(book, sender, now=T0)
    flush_outbox(book, sender, now=T0 + timedelta(minutes=5))
    assert fake_at.successes(M01) == 2
    assert rows(book)["M01"][:3] == ("sent", 2, "ATXid_0002")


def test_server_errors_are_retried_with_a_growing_wait_up_to_the_cap(
    book: Book, sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    receipts(book, "M01")
    fake_at.answer(*[Reply(http=500, text="Internal Server Error")] * 3)
    waits = []
    now = T0
    for _ in range(3):
        report = flush_outbox(book, sender, now=now, max_attempts=3)
        (flushed,) = report.messages
        next_at = rows(book)["M01"][6]
        waits.append((flushed.outcome, flushed.attempts, next_at))
        now = datetime.fromisoformat(next_at) if next_at else now
    # 5 minutes after the first failure, 10 after the second; the third is the last
    assert waits == [
        (Flushed.RETRY, 1, "2026-01-05T18:05:00+00:00"),
        (Flushed.RETRY, 2, "2026-01-05T18:15:00+00:00"),
        (Flushed.FAILED, 3, None),
    ]
    assert rows(book)["M01"][0] == "failed"
    assert rows(book)["M01"][-1] == "http error: Internal Server Error"
    assert flush_outbox(book, sender, now=T0 + timedelta(days=1)).messages == ()
    assert len(fake_at.requests) == 3


def test_a_second_flush_sends_nothing_twice(
    book: Book, sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    receipts(book, "M01", "M02")
    flush_outbox(book, sender, now=T0)
    again = flush_outbox(book, sender, now=T0)
    later = flush_outbox(book, sender, now=T0 + timedelta(days=30))
    assert (again.messages, later.messages, later.left) == ((), (), 0)
    assert [r.form["to"] for r in fake_at.requests] == [M01, M02]


def test_a_member_who_opted_out_or_changed_phone_gets_nothing(
    book: Book, sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    """Both queued before the change, and checked again when sending."""
    receipts(book, "M01", "M02")
    book.update_member("umoja", "M01", on=week(1), sms_opt_out=True)
    book.update_member("umoja", "M02", on=week(1), phone="+256700000099")
    report = flush_outbox(book, sender, now=T0)
    assert [(m.member_id, m.outcome, m.status) for m in report.messages] == [
        ("M01", Flushed.FAILED, "opted out"),
        ("M02", Flushed.FAILED, "the member's phone changed"),
    ]
    assert fake_at.requests == []
    assert {m: (r[0], r[1], r[-1]) for m, r in rows(book).items()} == {
        "M01": ("failed", 0, "opted out"),
        "M02": ("failed", 0, "the member's phone changed"),
    }


def test_balances_she_no_longer_agrees_to_are_not_sent(
    book: Book, sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    """M01's receipt was written with her balances; she withdrew before it was sent. M02
    never agreed, and changed nothing: hers goes."""
    new_group(book)
    book.update_member("umoja", "M01", on=week(1), sms_balances=True)
    meet(book, week(1), Shares("M01", 1), Shares("M02", 1))
    book.update_member("umoja", "M01", on=week(1), sms_balances=False)
    report = flush_outbox(book, sender, now=T0)
    assert [(m.member_id, m.outcome, m.status) for m in report.messages] == [
        ("M01", Flushed.FAILED, "she withdrew her agreement to balances"),
        ("M02", Flushed.SENT, "Success"),
    ]
    assert [r.form["to"] for r in fake_at.requests] == [M02]


def test_the_flush_stops_when_the_provider_cannot_be_reached(
    book: Book, sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    receipts(book, "M01", "M02", "M03", "M04", "M05")
    fake_at.answer(*[Reply(http=502, text="Bad Gateway")] * 3)
    report = flush_outbox(book, sender, now=T0)
    assert (len(report.messages), report.count(Flushed.RETRY), report.stopped) == (3, 3, True)
    assert report.left == 5
    assert len(fake_at.requests) == 3
    untouched = {m: (r[1], r[6]) for m, r in rows(book).items() if m in ("M04", "M05")}
    assert untouched == {"M04": (0, None), "M05": (0, None)}  # no attempt counted


class FlushMeanwhile:
    """A sender that, while it sends its first message, lets a second flush run on another
    connection to the same book: a second hub process, or cron starting the next flush."""

    def __init__(self, inner: AfricasTalkingSender, path: Path) -> None:
        self.inner, self.path = inner, path
        self.other: list[Flushed] = []

    def send(self, recipient: str, message: str) -> SendResult:
        if not self.other:
            other = Book.open(self.path, timeout_ms=100)
            try:
                report = flush_outbox(other, self.inner, now=T0)
                self.other = [m.outcome for m in report.messages]
            finally:
                other.close()
        return self.inner.send(recipient, message)


def test_two_flushes_at_once_send_each_receipt_once(
    tmp_path: Path, sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    """The second flush can write while the first waits for the provider (no lock is held
    during a send), skips the receipt the first has claimed, and sends the other; the first
    then finds that one done."""
    book = Book.open(tmp_path / "hub.sqlite")
    receipts(book, "M01", "M02")
    meanwhile = FlushMeanwhile(sender, tmp_path / "hub.sqlite")
    report = flush_outbox(book, meanwhile, now=T0)
    assert meanwhile.other == [Flushed.SENT]
    assert [m.member_id for m in report.messages] == ["M01"]
    assert sorted(r.form["to"] for r in fake_at.requests) == [M01, M02]
    assert {m: r[0] for m, r in rows(book).items()} == {"M01": "sent", "M02": "sent"}
    book.close()


class Died(Exception):
    """The process dying: nothing after it runs."""


class DiesAfterTheProviderAnswers:
    def __init__(self, inner: AfricasTalkingSender) -> None:
        self.inner = inner

    def send(self, recipient: str, message: str) -> SendResult:
        self.inner.send(recipient, message)  # the provider takes the message…
        raise Died  # …and the answer is never written down


def test_a_crash_mid_send_is_sent_again_after_the_claim_runs_out(
    book: Book, sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    """The window the design cannot close: the receipt reaches the phone twice."""
    receipts(book, "M01")
    with pytest.raises(Died):
        flush_outbox(book, DiesAfterTheProviderAnswers(sender), now=T0)
    status, attempts, *_, next_at, _error = rows(book)["M01"]
    assert (status, attempts, next_at) == ("pending", 1, "2026-01-05T18:10:00+00:00")
    assert flush_outbox(book, sender, now=T0 + timedelta(minutes=9)).messages == ()
    flush_outbox(book, sender, now=T0 + timedelta(minutes=10))
    assert rows(book)["M01"][:3] == ("sent", 2, "ATXid_0002")
    assert fake_at.successes(M01) == 2


def test_a_receipt_that_keeps_killing_the_flush_stops_at_the_cap(
    book: Book, sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    receipts(book, "M01")
    for minutes in (0, 10):
        with pytest.raises(Died):
            flush_outbox(
                book, DiesAfterTheProviderAnswers(sender), now=T0 + timedelta(minutes=minutes)
            )
    report = flush_outbox(book, sender, now=T0 + timedelta(minutes=20), max_attempts=2)
    assert [(m.outcome, m.status) for m in report.messages] == [
        (Flushed.FAILED, "attempts used up")
    ]
    assert len(fake_at.requests) == 2


def provider_status_updates(book: Book) -> list[str]:
    return [str(r[0]) for r in book.db.execute("SELECT status FROM temp.seen")]


def count_updates(book: Book) -> None:
    book.db.execute("CREATE TEMP TABLE seen (status TEXT)")
    book.db.execute(
        "CREATE TEMP TRIGGER seen_update AFTER UPDATE OF provider_status ON main.outbox "
        "BEGIN INSERT INTO seen VALUES (NEW.provider_status); END"
    )


def test_each_delivery_report_is_kept_once_and_a_late_one_changes_nothing(
    book: Book, sender: AfricasTalkingSender
) -> None:
    receipts(book, "M01")
    flush_outbox(book, sender, now=T0)
    count_updates(book)
    later = T0 + timedelta(minutes=1)
    results = [
        record_delivery_report(book, "ATXid_0001", "Buffered", None, now=later),
        record_delivery_report(book, "ATXid_0001", "Buffered", None, now=later),  # again
        record_delivery_report(book, "ATXid_0001", "Success", None, now=later),
        record_delivery_report(book, "ATXid_0001", "Sent", None, now=later),  # late
        record_delivery_report(book, "ATXid_0999", "Failed", "UserInBlacklist", now=later),
    ]
    assert results == [True, False, True, True, True]
    assert provider_status_updates(book) == ["Buffered", "Success"]
    assert rows(book)["M01"][3] == "Success"
    kept = book.db.execute("SELECT * FROM sms_reports ORDER BY message_id, status").fetchall()
    at = "2026-01-05T18:01:00+00:00"
    assert [tuple(r) for r in kept] == [
        ("ATXid_0001", "Buffered", None, at),
        ("ATXid_0001", "Sent", None, at),
        ("ATXid_0001", "Success", None, at),
        ("ATXid_0999", "Failed", "UserInBlacklist", at),
    ]


def test_a_report_that_comes_before_the_row_knows_its_id_is_shown(
    book: Book, sender: AfricasTalkingSender
) -> None:
    """The provider can report faster than the flush writes its answer down."""
    receipts(book, "M01")
    assert record_delivery_report(book, "ATXid_0001", "Failed", "AbsentSubscriber", now=T0)
    flush_outbox(book, sender, now=T0)
    assert rows(book)["M01"][:4] == ("sent", 1, "ATXid_0001", "Failed")


def test_a_report_needs_an_id_and_a_status(book: Book) -> None:
    with pytest.raises(BookError):
        record_delivery_report(book, " ", "Success", None, now=T0)


def test_the_report_counts_per_group_and_cycle_and_sums_costs_exactly(
    book: Book, sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    """0.1000 + 0.2000 is 0.3000 here; in floating point it would be 0.30000000000000004."""
    receipts(book, "M01", "M02", "M03", "M04")
    fake_at.answer(
        Reply(cost="UGX 0.1000"),
        Reply(cost="UGX 0.2000"),
        Reply(recipient=(406, "UserInBlacklist")),
        Reply(cost="KES 1.0500"),
    )
    flush_outbox(book, sender, now=T0, limit=3)  # M04's receipt waits
    new_group(book, "other")
    meet(book, week(1), Shares("M01", 1), group="other")
    flush_outbox(book, sender, now=T0, limit=1)  # umoja M04 (KES), other M01 still waiting
    record_delivery_report(book, "ATXid_0001", "Success", None, now=T0)
    record_delivery_report(book, "ATXid_0002", "Failed", "AbsentSubscriber", now=T0)
    book.db.execute(  # a receipt queued before receipts named their meeting
        "INSERT INTO outbox (id, group_id, member_id, recipient, message, status, created_at) "
        "VALUES ('old', 'umoja', 'M05', '+256700000005', 'x', 'failed', '2025-12-01')"
    )
    assert sms_report(book) == (
        SmsTally("other", 1, sent=0, delivered=0, undelivered=0, failed=0, pending=1, cost=()),
        SmsTally("umoja", None, sent=0, delivered=0, undelivered=0, failed=1, pending=0, cost=()),
        SmsTally(
            "umoja",
            1,
            sent=3,
            delivered=1,
            undelivered=1,
            failed=1,
            pending=0,
            cost=(("KES", "1.0500"), ("UGX", "0.3000")),
        ),
    )
    assert sms_report(book.reader, "other")[0].to_json() == {
        "group": "other",
        "cycle": 1,
        "sent": 0,
        "delivered": 0,
        "undelivered": 0,
        "failed": 0,
        "pending": 1,
        "cost": {},
    }
    with pytest.raises(BookError):
        sms_report(book, "nowhere")


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("UGX 0.8000", ("UGX", "0.8000")),
        ("KES 12.5", ("KES", "12.5")),
        ("0", None),  # what a failed recipient costs
        ("", None),
        (None, None),
        ("KES lots", None),
        ("KES NaN", None),
    ],
)
def test_provider_costs_are_read_as_decimals(
    text: str | None, parsed: tuple[str, str] | None
) -> None:
    found = parse_cost(text)
    assert (None if found is None else (found[0], str(found[1]))) == parsed
