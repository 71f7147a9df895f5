"""SMS receipts after a meeting, queued in the outbox in the meeting's own SQLite transaction.
Nothing sends them yet: the outbox rows stay `pending` until the hub's sender exists. Minimal
by design: phones are shared and watched, so a receipt says what was recorded today and no
more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils

from ledger import N_, new_id
from vsla.display import money
from vsla.domain.planner import MeetingOutcome
from vsla.domain.state import GroupState, MemberState
from vsla.i18n import tr
from vsla.sms.gsm import to_gsm7

SMS_LIMIT = 160

IdSource = Callable[[], str]
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The default clock: now, in UTC."""
    return datetime.now(UTC)


def sms_money(amount_minor: int, code: str, language: str) -> str:
    """An amount written the way the app writes it in `language` (`vsla.display.money`: exact,
    from integer minor units), in GSM-7: "UGX 8,000", "1 234,50 CDF"."""
    return to_gsm7(money(amount_minor, code, language))


def receipt_text(state: GroupState, outcome: MeetingOutcome, member: MemberState) -> str:
    line = outcome.lines[member.member_id]
    language = member.language or state.language
    code = state.currency.code
    parts = [
        tr(
            N_("{group} {date}:"),
            language,
            group=state.name[:30],
            date=outcome.state_after.last_meeting.date.isoformat()
            if outcome.state_after and outcome.state_after.last_meeting
            else "",
        ),
        tr(
            N_("shares {bought}, total {total} ({savings})."),
            language,
            bought=line.shares_bought,
            total=line.total_shares,
            savings=sms_money(line.savings_minor, code, language),
        ),
    ]
    for amount_minor, message in (
        (line.repaid_minor, N_("repaid {amount}.")),
        (line.loan_taken_minor, N_("new loan {amount}.")),
        (line.loan_owed_minor, N_("loan owed {amount}.")),
        (line.fines_owed_minor, N_("fines owed {amount}.")),
    ):
        if amount_minor:
            parts.append(tr(message, language, amount=sms_money(amount_minor, code, language)))
    text = to_gsm7(" ".join(parts))
    return text if len(text) <= SMS_LIMIT else text[: SMS_LIMIT - 3] + "..."


def queue_receipts(
    db: sqlite_utils.Database,
    state: GroupState,
    outcome: MeetingOutcome,
    *,
    ids: IdSource = new_id,
    clock: Clock = utc_now,
) -> int:
    """One receipt per member with a phone who had something recorded; returns how many.

    Each row's id comes from `ids` and its `created_at` from `clock` (an aware datetime,
    stored in UTC to the second): pass the book's, so that ids and times are the book's own.
    """
    now = clock().astimezone(UTC).isoformat(timespec="seconds")
    rows = []
    opted_out = {
        str(r[0])
        for r in db.execute(
            "SELECT member_id FROM members WHERE group_id = ? AND sms_opt_out = 1", [state.group_id]
        )
    }
    for member_id, line in sorted(outcome.lines.items()):
        member = state.members.get(member_id)
        if member is None or not member.phone or member_id in opted_out:
            continue
        if not (
            line.shares_bought
            or line.repaid_minor
            or line.loan_taken_minor
            or line.fines_minor
            or line.social_fund_paid_minor
        ):
            continue
        rows.append(
            (
                ids(),
                state.group_id,
                member_id,
                member.phone,
                receipt_text(state, outcome, member),
                "pending",
                now,
            )
        )
    db.conn.executemany(
        "INSERT INTO outbox (id, group_id, member_id, recipient, message, status, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)
