"""SMS receipts leaving the outbox (on the hub): sending what is due, the provider's delivery
reports, and what it all cost.

- `flush_outbox` sends the pending receipts that are due, oldest first, through any
  `vsla.sms.sending.Sender`. No transaction is open during a provider's call (seconds, on a
  bad day): each row is claimed in one short transaction (its attempt counted, its next try
  pushed `CLAIM` ahead, so that a second flush running meanwhile leaves it alone) and
  updated in another right after the provider answered.
- Exactly once is not possible: the provider's API has no idempotency key. If the process
  dies after the provider took a message and before that second transaction commits (a
  window of one local UPDATE), the row is still pending and is sent again once its claim has
  run out. A read timeout is the same case seen from outside (the provider may have sent
  it): it is retried, and `last_error` says so. Two receipts for one meeting is the price;
  none at all would be worse.
- A receipt goes only where it was meant to: at sending time, not to a member who has since
  opted out or withdrawn her agreement to balances, nor to a number that is no longer hers
  (the row is marked `failed`, with why, and stays visible in the report).
- `record_delivery_report` keeps each report once: providers retry a report until it is
  answered, so duplicates are normal.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ledger import N_
from vsla.book.reader import Reader
from vsla.domain.errors import broken
from vsla.sms.sending import Delivery, Sender, SendResult
from vsla.store.connection import write_transaction
from vsla.store.errors import guarded

if TYPE_CHECKING:
    from vsla.book.service import Book

MAX_ATTEMPTS = 5
BACKOFF = timedelta(minutes=5)  # after the nth failed try, wait BACKOFF × 2**(n-1)
BACKOFF_CAP = timedelta(hours=12)
CLAIM = timedelta(minutes=10)  # a claimed row nobody answered for (a crash) waits this long
HALT_AFTER = 3  # requests in a row without an answer: the provider is down, stop for now
FLUSH_LIMIT = 100
# Delivery reports that can still change; any other status is where a message ended.
REPORTS_IN_TRANSIT = frozenset({"Sent", "Submitted", "Buffered"})
DELIVERED = "Success"  # Africa's Talking's delivery report for "reached the phone"
OPTED_OUT = "opted out"
NOT_HER_PHONE = "the member's phone changed"
ATTEMPTS_USED = "attempts used up"
BALANCES_WITHDRAWN = "she withdrew her agreement to balances"


class Flushed(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class FlushedMessage:
    """One outbox row this flush dealt with: what became of it, and the provider's word or
    the reason."""

    outbox_id: str
    group_id: str
    member_id: str | None
    outcome: Flushed
    status: str
    attempts: int
    answered: bool = True  # False: the provider (or the network) gave no answer at all


@dataclass(frozen=True, slots=True)
class FlushReport:
    """What a flush did. `left`: receipts still pending afterwards (due later, retries
    included); `stopped`: the provider could not be reached, the rest waits for the next
    flush."""

    messages: tuple[FlushedMessage, ...]
    left: int
    stopped: bool = False

    def count(self, outcome: Flushed) -> int:
        return sum(1 for m in self.messages if m.outcome is outcome)

    @property
    def unreachable(self) -> bool:
        """The provider could not be reached: the flush stopped for it, or nothing it tried
        got an answer."""
        tried = [m for m in self.messages if m.attempts]
        return self.stopped or (bool(tried) and not any(m.answered for m in tried))

    def to_json(self) -> dict[str, Any]:
        return {
            "sent": self.count(Flushed.SENT),
            "retry": self.count(Flushed.RETRY),
            "failed": self.count(Flushed.FAILED),
            "left": self.left,
            "stopped": self.stopped,
            "unreachable": self.unreachable,
            "messages": [
                {
                    "id": m.outbox_id,
                    "group": m.group_id,
                    "member": m.member_id,
                    "outcome": str(m.outcome),
                    "status": m.status,
                    "attempts": m.attempts,
                    "answered": m.answered,
                }
                for m in self.messages
            ],
        }


@dataclass(frozen=True, slots=True)
class _Due:
    outbox_id: str
    group_id: str
    member_id: str | None
    recipient: str
    message: str
    attempts: int
    opted_out: bool
    phone: str | None
    balances_withdrawn: bool

    def reason_not_to_send(self) -> str | None:
        if self.member_id is None:
            return None  # not a member's receipt
        if self.opted_out:
            return OPTED_OUT
        if self.phone != self.recipient:
            return NOT_HER_PHONE
        if self.balances_withdrawn:
            return BALANCES_WITHDRAWN
        return None


def stamp(moment: datetime) -> str:
    """A time as the outbox keeps it: UTC, to the second (text that sorts by time)."""
    if moment.tzinfo is None:
        raise ValueError("give an aware datetime (with its time zone)")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@guarded
def flush_outbox(
    book: Book,
    sender: Sender,
    *,
    now: datetime,
    limit: int = FLUSH_LIMIT,
    max_attempts: int = MAX_ATTEMPTS,
    backoff: timedelta = BACKOFF,
    halt_after: int = HALT_AFTER,
) -> FlushReport:
    """Send up to `limit` pending receipts that are due at `now` (NULL `next_attempt_at`: at
    once), oldest first. Each is then `sent` (with the provider's id, status and cost),
    `failed` (refused for good, its attempts used up, or not to be sent any more), or
    scheduled again after an exponential back-off."""
    if limit < 1 or max_attempts < 1:
        raise broken("sms.flush_limit", N_("the limit and the attempts must be at least 1"))
    done: list[FlushedMessage] = []
    unanswered = 0
    for row in _due(book, stamp(now), limit):
        # Attempts used up without an answer written down: the process died mid-send.
        reason = ATTEMPTS_USED if row.attempts >= max_attempts else row.reason_not_to_send()
        if reason is not None:
            done.append(_close_unsent(book, row, reason))
            continue
        if not _claim(book, row, now):
            continue  # another flush took it meanwhile
        result = sender.send(row.recipient, row.message)  # no transaction open meanwhile
        done.append(_record(book, row, result, now, max_attempts=max_attempts, backoff=backoff))
        unanswered = unanswered + 1 if result.unanswered else 0
        if unanswered >= halt_after:
            return FlushReport(tuple(done), _pending(book), stopped=True)
    return FlushReport(tuple(done), _pending(book))


def _due(book: Book, now: str, limit: int) -> list[_Due]:
    rows = book.db.execute(_DUE, [now, limit]).fetchall()
    return [
        _Due(
            str(r[0]),
            str(r[1]),
            r[2],
            str(r[3]),
            str(r[4]),
            int(r[5]),
            bool(r[6]),
            r[7],
            bool(r[8]),
        )
        for r in rows
    ]


# The outbox does not record whether a receipt holds balances. A member who said "no more
# balances" after her receipt was queued (a `member_updated` entry after the meeting's last
# one) gets none of that meeting: perhaps one too few, never one she refused. Only entries
# after the meeting are read (the journal's (group, seq) index).
_DUE = """
SELECT o.id, o.group_id, o.member_id, o.recipient, o.message, o.attempts,
  COALESCE(m.sms_opt_out, 0), m.phone,
  COALESCE(m.sms_balances, 0) = 0 AND o.meeting_number IS NOT NULL AND EXISTS (
    SELECT 1 FROM journal j
    WHERE j.group_id = o.group_id AND j.member_id = o.member_id AND j.kind = 'member_updated'
      AND json_extract(j.payload, '$.sms_balances') = 0
      AND j.seq > (SELECT MAX(k.seq) FROM journal k
                   WHERE k.group_id = o.group_id AND k.meeting_number = o.meeting_number))
FROM outbox o
LEFT JOIN members m ON m.group_id = o.group_id AND m.member_id = o.member_id
WHERE o.status = 'pending' AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)
ORDER BY o.created_at, o.id LIMIT ?
"""


def _claim(book: Book, row: _Due, now: datetime) -> bool:
    """Count the attempt and hold the row for `CLAIM`, in a transaction of its own; False
    when another flush claimed or finished it first."""
    with write_transaction(book.db):
        cursor = book.db.execute(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ? "
            "WHERE id = ? AND status = 'pending' AND attempts = ?",
            [stamp(now + CLAIM), row.outbox_id, row.attempts],
        )
    return cursor.rowcount == 1


def _record(
    book: Book,
    row: _Due,
    result: SendResult,
    now: datetime,
    *,
    max_attempts: int,
    backoff: timedelta,
) -> FlushedMessage:
    attempts = row.attempts + 1
    if result.delivery is Delivery.ACCEPTED:
        _mark_sent(book, row.outbox_id, result, now)
        outcome = Flushed.SENT
    elif result.delivery is Delivery.REFUSED or attempts >= max_attempts:
        _update(
            book,
            "status = 'failed', next_attempt_at = NULL, last_error = ?, provider_status = ?",
            [result.error, result.status],
            row.outbox_id,
        )
        outcome = Flushed.FAILED
    else:
        wait = min(backoff * 2 ** (attempts - 1), BACKOFF_CAP)
        _update(
            book,
            "next_attempt_at = ?, last_error = ?",
            [stamp(now + wait), result.error],
            row.outbox_id,
        )
        outcome = Flushed.RETRY
    return FlushedMessage(
        row.outbox_id,
        row.group_id,
        row.member_id,
        outcome,
        result.status,
        attempts,
        answered=not result.unanswered,
    )


def _mark_sent(book: Book, outbox_id: str, result: SendResult, now: datetime) -> None:
    # A delivery report may have come in before this row knew its message id: the latest
    # one kept, if any, is the status to show.
    _update(
        book,
        "status = 'sent', next_attempt_at = NULL, last_error = NULL, sent_at = ?, "
        "provider_message_id = ?, cost = ?, provider_status = COALESCE(("
        "SELECT status FROM sms_reports WHERE message_id = ? "
        f"ORDER BY status IN ({_IN_TRANSIT_SQL}), received_at DESC LIMIT 1), ?)",
        [stamp(now), result.message_id, result.cost, result.message_id, result.status],
        outbox_id,
    )


_IN_TRANSIT_SQL = ", ".join(f"'{status}'" for status in sorted(REPORTS_IN_TRANSIT))


def _close_unsent(book: Book, row: _Due, reason: str) -> FlushedMessage:
    _update(
        book, "status = 'failed', next_attempt_at = NULL, last_error = ?", [reason], row.outbox_id
    )
    return FlushedMessage(
        row.outbox_id, row.group_id, row.member_id, Flushed.FAILED, reason, row.attempts
    )


def _update(book: Book, assignments: str, values: list[Any], outbox_id: str) -> None:
    with write_transaction(book.db):
        book.db.execute(
            f"UPDATE outbox SET {assignments} WHERE id = ? AND status = 'pending'",
            [*values, outbox_id],
        )


def _pending(book: Book) -> int:
    return int(
        book.db.execute("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetchone()[0]
    )


@guarded
def record_delivery_report(
    book: Book, message_id: str, status: str, failure_reason: str | None, *, now: datetime
) -> bool:
    """Keep a provider's delivery report, once: False when the same report (message id and
    status) was already kept. The outbox row sent with that id shows the status, unless it
    already shows where the message ended (a late "Sent" after "Success" changes nothing).
    A report for an id no row has is kept all the same, and changes nothing."""
    if not message_id.strip() or not status.strip():
        raise broken(
            "sms.report_incomplete", N_("a delivery report needs a message id and a status")
        )
    with write_transaction(book.db):
        kept = book.db.execute(
            "INSERT INTO sms_reports (message_id, status, failure_reason, received_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [message_id, status, failure_reason or None, stamp(now)],
        ).rowcount
        if kept and not (status in REPORTS_IN_TRANSIT and _ended(book, message_id)):
            book.db.execute(
                "UPDATE outbox SET provider_status = ? WHERE provider_message_id = ?",
                [status, message_id],
            )
    return bool(kept)


def _ended(book: Book, message_id: str) -> bool:
    return (
        book.db.execute(
            f"SELECT 1 FROM sms_reports WHERE message_id = ? AND status NOT IN ({_IN_TRANSIT_SQL})",
            [message_id],
        ).fetchone()
        is not None
    )


@dataclass(frozen=True, slots=True)
class SmsTally:
    """The receipts of one group's cycle. `delivered` and `undelivered` are the sent ones
    whose delivery report said where they ended; `cost` is summed per currency exactly as
    the provider wrote it ("UGX 0.8000" twice: ("UGX", "1.6000"))."""

    group_id: str
    cycle: int | None
    sent: int
    delivered: int
    undelivered: int
    failed: int
    pending: int
    cost: tuple[tuple[str, str], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group_id,
            "cycle": self.cycle,
            "sent": self.sent,
            "delivered": self.delivered,
            "undelivered": self.undelivered,
            "failed": self.failed,
            "pending": self.pending,
            "cost": dict(self.cost),
        }


@guarded
def sms_report(source: Book | Reader, group: str | None = None) -> tuple[SmsTally, ...]:
    """The outbox per group and cycle (a receipt queued before receipts named their meeting
    has no cycle: None), in one read."""
    reader = source if isinstance(source, Reader) else source.reader
    with reader.reading():
        known = reader.conn.execute("SELECT 1 FROM groups WHERE id = ?", [group]).fetchone()
        if group is not None and known is None:
            raise broken(
                "group.unknown", N_('there is no group "{group}" in this book'), group=group
            )
        rows = reader.conn.execute(_REPORT, [group, group]).fetchall()
    tallies: dict[tuple[str, int | None], _Tally] = defaultdict(_Tally)
    for group_id, cycle, status, report, cost in rows:
        tallies[(str(group_id), cycle)].add(str(status), report, cost)
    return tuple(
        tallies[key].result(*key)
        for key in sorted(tallies, key=lambda k: (k[0], -1 if k[1] is None else k[1]))
    )


_REPORT = f"""
SELECT o.group_id, mt.cycle_number, o.status,
  (SELECT CASE WHEN COUNT(*) = 0 THEN NULL
     WHEN MAX(r.status = '{DELIVERED}') = 1 THEN 'delivered' ELSE 'undelivered' END
   FROM sms_reports r
   WHERE r.message_id = o.provider_message_id AND r.status NOT IN ({_IN_TRANSIT_SQL})),
  o.cost
FROM outbox o
LEFT JOIN meetings mt ON mt.group_id = o.group_id AND mt.number = o.meeting_number
WHERE ? IS NULL OR o.group_id = ?
"""


class _Tally:
    def __init__(self) -> None:
        self.counts: dict[str, int] = defaultdict(int)
        self.cost: dict[str, Decimal] = defaultdict(Decimal)

    def add(self, status: str, report: str | None, cost: str | None) -> None:
        self.counts[status] += 1
        if status == "sent" and report is not None:
            self.counts[report] += 1
        parsed = parse_cost(cost)
        if parsed is not None:
            self.cost[parsed[0]] += parsed[1]

    def result(self, group_id: str, cycle: int | None) -> SmsTally:
        c = self.counts
        return SmsTally(
            group_id,
            cycle,
            sent=c["sent"],
            delivered=c["delivered"],
            undelivered=c["undelivered"],
            failed=c["failed"],
            pending=c["pending"],
            cost=tuple((code, str(total)) for code, total in sorted(self.cost.items())),
        )


def parse_cost(cost: str | None) -> tuple[str, Decimal] | None:
    """Africa's Talking's "KES 0.8000" as ("KES", Decimal("0.8000")); None for a cost of
    nothing ("0", empty) or one that cannot be read."""
    parts = (cost or "").split()
    if len(parts) != 2 or not (len(parts[0]) == 3 and parts[0].isalpha()):
        return None
    try:
        amount = Decimal(parts[1])
    except InvalidOperation:
        return None
    return (parts[0].upper(), amount) if amount.is_finite() else None


@dataclass(frozen=True, slots=True)
class SmsChoices:
    """What a member said about SMS receipts: none at all (`opted_out`), or with her
    balances (`balances`)."""

    opted_out: bool
    balances: bool


@guarded
def member_sms_choices(reader: Reader, group_id: str, member_id: str) -> SmsChoices:
    with reader.reading():
        row = reader.conn.execute(
            "SELECT sms_opt_out, sms_balances FROM members WHERE group_id = ? AND member_id = ?",
            [group_id, member_id],
        ).fetchone()
    if row is None:
        raise broken(
            "member.unknown", N_("{member} is not a member of the group"), member=member_id
        )
    return SmsChoices(opted_out=bool(row[0]), balances=bool(row[1]))
