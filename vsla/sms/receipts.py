"""SMS receipts after a meeting, queued in the outbox in the meeting's own SQLite transaction
and sent after commit (never inside the meeting save). Minimal by design: phones are shared
and watched, so a receipt says what was recorded today and no more."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlite_utils
from babel.numbers import format_decimal

from ledger import N_, Currency, new_id
from vsla.domain.planner import MeetingOutcome
from vsla.domain.state import GroupState, MemberState
from vsla.i18n import tr
from vsla.sms.gsm import to_gsm7

SMS_LIMIT = 160


def sms_money(amount_minor: int, cur: Currency, language: str) -> str:
    whole, part = divmod(amount_minor, cur.unit_minor)
    value = whole if part == 0 else amount_minor / cur.unit_minor
    text = format_decimal(value, locale=language if language != "ln" else "fr")
    return to_gsm7(f"{cur.code} {text}")


def receipt_text(state: GroupState, outcome: MeetingOutcome, member: MemberState) -> str:
    line = outcome.lines[member.member_id]
    language = member.language or state.language
    cur = state.currency
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
            savings=sms_money(line.savings_minor, cur, language),
        ),
    ]
    for amount_minor, message in (
        (line.repaid_minor, N_("repaid {amount}.")),
        (line.loan_taken_minor, N_("new loan {amount}.")),
        (line.loan_owed_minor, N_("loan owed {amount}.")),
        (line.fines_owed_minor, N_("fines owed {amount}.")),
    ):
        if amount_minor:
            parts.append(tr(message, language, amount=sms_money(amount_minor, cur, language)))
    text = to_gsm7(" ".join(parts))
    return text if len(text) <= SMS_LIMIT else text[: SMS_LIMIT - 3] + "..."


def queue_receipts(db: sqlite_utils.Database, state: GroupState, outcome: MeetingOutcome) -> int:
    """One receipt per member with a phone who had something recorded; returns how many."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
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
                new_id(),
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
