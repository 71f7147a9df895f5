"""SMS receipts after a meeting, queued in the outbox in the meeting's own SQLite transaction
and sent later by the hub (`vsla.book.sms.flush_outbox`).

Minimal by design, because phones are shared and watched: a receipt says what changed hands
today (shares bought and their amount, the social fund, a repayment, a fine paid, a new
loan) and nothing else. Balances (savings, loan owed, fines owed) are added only for a member
who agreed to them at a meeting (`members.sms_balances`). There is never a PIN in it.

One receipt per member and meeting: the outbox's key (group, meeting, member) refuses a
second one. When a meeting is reopened and closed again, a member who already has a receipt
for it gets none for what was added (her next receipt, the USSD menu and the secretary
show it); a member who had nothing recorded the first time gets hers.

A receipt always fits one SMS: 160 characters of the GSM 03.38 basic alphabet. When it
would not, whole parts are left out, the least needed first (see `PARTS`); an amount or a
word is never cut.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import sqlite_utils

from ledger import N_, Record, Transaction, new_id
from vsla.display import money
from vsla.domain import accounts as acc
from vsla.domain.entries import MemberLine
from vsla.domain.planner import MeetingOutcome
from vsla.domain.state import GroupState, MemberState
from vsla.i18n import tr
from vsla.sms.gsm import to_gsm7

SMS_LIMIT = 160
GROUP_NAME_LIMIT = 30  # characters of the group's name a receipt starts with

IdSource = Callable[[], str]
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The default clock: now, in UTC."""
    return datetime.now(UTC)


def sms_money(amount_minor: int, code: str, language: str) -> str:
    """An amount written the way the app writes it in `language` (`vsla.display.money`: exact,
    from integer minor units), in GSM-7: "UGX 8,000", "1 234,50 CDF"."""
    return to_gsm7(money(amount_minor, code, language))


@dataclass(frozen=True, slots=True)
class ReceiptFacts:
    """What one receipt may say, in minor units. The balances are None unless the member
    agreed to receive them."""

    shares_bought: int = 0
    shares_minor: int = 0
    social_fund_minor: int = 0
    repaid_minor: int = 0
    fines_paid_minor: int = 0
    loan_taken_minor: int = 0
    total_shares: int | None = None
    savings_minor: int | None = None
    loan_owed_minor: int | None = None
    fines_owed_minor: int | None = None

    @property
    def paid_or_received(self) -> bool:
        return bool(
            self.shares_bought
            or self.social_fund_minor
            or self.repaid_minor
            or self.fines_paid_minor
            or self.loan_taken_minor
        )


@dataclass(frozen=True, slots=True)
class Part:
    """One sentence of a receipt. `keep`: parts are kept in this order while they fit (0
    first), and the first that does not fit is left out with every part after it; `place`:
    where the sentence stands in the text."""

    keep: int
    place: int
    text: str


# (keep, place, message): a new loan and a repayment are the money a member most needs in
# writing, then her shares; the fine and the social fund (a fixed sum everyone pays) come
# next, and balances, which she can also hear at the meeting or read on USSD, last.
PARTS = {
    "shares": (2, 0, N_("shares {count} ({amount}).")),
    "social_fund": (4, 1, N_("social fund {amount}.")),
    "repaid": (1, 2, N_("repaid {amount}.")),
    "fine_paid": (3, 3, N_("fine paid {amount}.")),
    "new_loan": (0, 4, N_("new loan {amount}.")),
    "savings": (5, 5, N_("savings {amount} ({count} shares).")),
    "loan_owed": (6, 6, N_("loan owed {amount}.")),
    "fines_owed": (7, 7, N_("fines owed {amount}.")),
}


def compose_receipt(
    group_name: str, day: date, facts: ReceiptFacts, code: str, language: str
) -> str:
    """The receipt's text in `language`, GSM-7, at most `SMS_LIMIT` characters."""
    name = short_name(to_gsm7(group_name))
    header = to_gsm7(tr(N_("{group} {date}:"), language, group=name, date=day.isoformat()))
    return fit(header, _parts(facts, code, language))


def short_name(name: str, limit: int = GROUP_NAME_LIMIT) -> str:
    """The name within `limit` characters, cut between words when it has several."""
    name = " ".join(name.split())
    if len(name) <= limit:
        return name
    cut = name[: limit + 1].rsplit(" ", 1)[0] if " " in name[: limit + 1] else ""
    return cut.strip() or name[:limit]


def fit(header: str, parts: Sequence[Part], limit: int = SMS_LIMIT) -> str:
    """`header` and as many whole parts as fit in `limit`, in the order of `Part.keep`."""
    kept: list[Part] = []
    length = len(header)
    for part in sorted(parts, key=lambda p: p.keep):
        if length + 1 + len(part.text) > limit:
            break
        kept.append(part)
        length += 1 + len(part.text)
    return " ".join([header, *(p.text for p in sorted(kept, key=lambda p: p.place))])


def _parts(facts: ReceiptFacts, code: str, language: str) -> list[Part]:
    def part(name: str, amount_minor: int, **more: int) -> Part:
        keep, place, message = PARTS[name]
        amount = sms_money(amount_minor, code, language)
        return Part(keep, place, to_gsm7(tr(message, language, amount=amount, **more)))

    parts = []
    if facts.shares_bought:
        parts.append(part("shares", facts.shares_minor, count=facts.shares_bought))
    for name, amount_minor in (
        ("social_fund", facts.social_fund_minor),
        ("repaid", facts.repaid_minor),
        ("fine_paid", facts.fines_paid_minor),
        ("new_loan", facts.loan_taken_minor),
        ("loan_owed", facts.loan_owed_minor),
        ("fines_owed", facts.fines_owed_minor),
    ):
        if amount_minor:
            parts.append(part(name, amount_minor))
    if facts.savings_minor is not None and facts.total_shares is not None:
        parts.append(part("savings", facts.savings_minor, count=facts.total_shares))
    return parts


def receipt_facts(
    state: GroupState, outcome: MeetingOutcome, member_id: str, *, balances: bool
) -> ReceiptFacts:
    """What the meeting recorded for the member, and her balances after it if she agreed."""
    line = outcome.lines.get(member_id) or MemberLine(member_id)
    today = ReceiptFacts(
        shares_bought=line.shares_bought,
        shares_minor=line.shares_bought * state.constitution.share_value_minor,
        social_fund_minor=line.social_fund_paid_minor,
        repaid_minor=line.repaid_minor,
        fines_paid_minor=fines_paid_minor(outcome, member_id),
        loan_taken_minor=line.loan_taken_minor,
    )
    if not balances:
        return today
    return replace(
        today,
        total_shares=line.total_shares,
        savings_minor=line.savings_minor,
        loan_owed_minor=line.loan_owed_minor,
        fines_owed_minor=line.fines_owed_minor,
    )


def fines_paid_minor(outcome: MeetingOutcome, member_id: str) -> int:
    """Fines the member paid at this meeting: fines paid as they were given, and fines owed
    from before paid now. (The meeting's line adds fines recorded as owed to these, which
    are a debt, not a payment.)"""
    return sum(
        posting.amount_minor
        for record in outcome.records
        if isinstance(record, Transaction)
        and record.member_id == member_id
        and record.reverses is None
        and (record.kind == "fine_payment" or (record.kind == "fine" and record.data.get("paid")))
        for posting in record.postings
        if posting.amount_minor > 0  # the cash side: what she handed over
    )


def meeting_day(outcome: MeetingOutcome) -> date | None:
    after = outcome.state_after
    return None if after is None or after.last_meeting is None else after.last_meeting.date


def receipt_text(
    state: GroupState, outcome: MeetingOutcome, member: MemberState, *, balances: bool = False
) -> str:
    """The receipt for one member of a recorded meeting."""
    day = meeting_day(outcome)
    assert day is not None, "a recorded meeting has a date"
    facts = receipt_facts(state, outcome, member.member_id, balances=balances)
    language = member.language or state.language
    return compose_receipt(state.name, day, facts, state.currency.code, language)


def outcome_of_entries(
    number: int, records: Sequence[Record], state_after: GroupState
) -> MeetingOutcome:
    """A recorded meeting's outcome rebuilt from its journal entries, as far as receipts need
    it: what each member paid or received, and her balances after it (a meeting that reached
    the hub by sync, where the planner's own outcome is not)."""
    out = MeetingOutcome(number, records=list(records), state_after=state_after)
    for record in records:
        if not isinstance(record, Transaction) or record.member_id is None or record.reverses:
            continue
        line = out.lines.setdefault(record.member_id, MemberLine(record.member_id))
        if record.kind == "shares":
            line.shares_bought += int(record.data.get("shares", 0))
        elif record.kind == "social_fund_contribution":
            line.social_fund_paid_minor += record.amount_of(acc.SOCIAL_FUND_CASH)
        elif record.kind == "repayment":
            line.repaid_minor += record.amount_of(acc.LOAN_FUND_CASH)
        elif record.kind == "loan":
            line.loan_taken_minor += int(record.data.get("principal_minor", 0))
    for member_id, line in out.lines.items():
        line.total_shares = state_after.shares(member_id)
        line.savings_minor = state_after.savings_minor(member_id)
        line.loan_owed_minor = state_after.member_loan_owed_minor(member_id)
        line.fines_owed_minor = state_after.fines_owed_minor(member_id)
    return out


def queue_receipts(
    db: sqlite_utils.Database,
    state: GroupState,
    outcome: MeetingOutcome,
    *,
    ids: IdSource = new_id,
    clock: Clock = utc_now,
) -> int:
    """One receipt per member with a phone who paid or received money at the meeting, unless
    she opted out; returns how many were queued (a member who already has a receipt for this
    meeting gets no second one).

    Each row's id comes from `ids` and its `created_at` from `clock` (an aware datetime,
    stored in UTC to the second): pass the book's, so that ids and times are the book's own.
    """
    now = clock().astimezone(UTC).isoformat(timespec="seconds")
    choices = {
        str(member_id): (bool(opted_out), bool(balances))
        for member_id, opted_out, balances in db.execute(
            "SELECT member_id, sms_opt_out, sms_balances FROM members WHERE group_id = ?",
            [state.group_id],
        )
    }
    rows = []
    for member_id in sorted(outcome.lines):
        member = state.members.get(member_id)
        opted_out, balances = choices.get(member_id, (True, False))
        if member is None or not member.phone or opted_out:
            continue
        facts = receipt_facts(state, outcome, member_id, balances=False)
        if not facts.paid_or_received:
            continue
        message = receipt_text(state, outcome, member, balances=balances)
        rows.append((ids(), state.group_id, outcome.number, member_id, member.phone, message, now))
    # The key (group, meeting, member) holds at most one receipt: a meeting recorded again
    # (reopened and closed) queues nothing for a member who already has hers.
    cursor = db.conn.executemany(
        "INSERT INTO outbox (id, group_id, meeting_number, member_id, recipient, message, "
        "status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?) "
        "ON CONFLICT (group_id, meeting_number, member_id) WHERE meeting_number IS NOT NULL "
        "DO NOTHING",
        rows,
    )
    return max(cursor.rowcount, 0)
