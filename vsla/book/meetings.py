"""Use cases of meetings: the rules on a meeting as it is typed, recording it whole, reopening
the last one. Recording is one SQLite transaction with its SMS receipts."""

from __future__ import annotations

from datetime import date

from ledger import N_, make_event
from vsla.book.base import BookBase, guarded_methods
from vsla.book.errors import MeetingRefused
from vsla.book.loading import entry_lookup
from vsla.domain.entries import MeetingPlan
from vsla.domain.errors import broken
from vsla.domain.planner import MeetingOutcome, plan_meeting
from vsla.sms.receipts import queue_receipts
from vsla.store.connection import write_transaction


@guarded_methods
class MeetingUseCases(BookBase):
    def preview_meeting(self, group_id: str, plan: MeetingPlan) -> MeetingOutcome:
        return plan_meeting(self.state(group_id), plan, ids=self.ids, lookup=entry_lookup(self.db))  # type: ignore[arg-type]

    def record_meeting(self, group_id: str, plan: MeetingPlan) -> MeetingOutcome:
        """Record a whole meeting at once, or nothing: the first broken rule stops it."""
        with write_transaction(self.db):
            state = self.state(group_id)
            outcome = plan_meeting(state, plan, ids=self.ids, lookup=entry_lookup(self.db))  # type: ignore[arg-type]
            if outcome.problems:
                raise MeetingRefused(outcome.problems)
            self.journal.append(outcome.records)
            self.db.execute("DELETE FROM meeting_drafts WHERE group_id = ?", [group_id])
            # The receipts go to the outbox in the same transaction: a meeting is never
            # recorded without them, nor they without it.
            outcome.receipts_queued = queue_receipts(
                self.db, state, outcome, ids=self.ids, clock=self.clock
            )
        self.backed_up()
        return outcome

    def amounts_due(self, group_id: str, on: date) -> dict[str, int]:
        """What each borrower owes on `on` before she repays anything: her loans with the
        service charges that fall due by then (the "=" key of the grid fills this in)."""
        after = self.preview_meeting(group_id, MeetingPlan(date=on)).state_after
        if after is None:
            return {}
        owed = {
            m.member_id: after.member_loan_owed_minor(m.member_id) for m in after.active_members()
        }
        return {member: amount for member, amount in owed.items() if amount}

    def reopen_last_meeting(self, group_id: str, *, reason: str) -> int:
        """Reopen the most recent meeting; the reopening stays in the journal for good."""
        if not reason.strip():
            raise broken("meeting.reopen_reason", N_("say why the meeting is reopened"))
        state = self.state(group_id)
        last = state.last_meeting
        if last is None:
            raise broken("meeting.none", N_("there is no meeting to reopen"))
        if last.status == "open":
            raise broken(
                "meeting.already_open", N_("meeting {number} is already open"), number=last.number
            )
        if last.kind == "shareout" or state.cycle_status != "open":
            raise broken(
                "meeting.shareout_final",
                N_("the share-out closed the cycle; it cannot be reopened"),
            )
        self.journal.append(
            [
                make_event(
                    id=self.ids(),
                    group_id=group_id,
                    date=last.date,
                    kind="meeting_reopened",
                    payload={"reason": reason.strip()},
                    meeting_number=last.number,
                )
            ]
        )
        return last.number
