"""Use cases of the cycle: the share-out (a preview, or done), starting the next cycle."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from ledger import N_, Record
from vsla.book.base import BookBase, guarded_methods
from vsla.book.errors import MeetingRefused
from vsla.book.groups import amended_constitution, clean_members
from vsla.domain.errors import broken
from vsla.domain.people import Member
from vsla.domain.shareout import ShareoutPreview, plan_shareout
from vsla.store.connection import write_transaction


@guarded_methods
class CycleUseCases(BookBase):
    def shareout(
        self,
        group_id: str,
        *,
        on: date,
        counted_cash_minor: int | None = None,
        reason: str = "",
        commit: bool = False,
    ) -> ShareoutPreview:
        """The share-out as it stands (a preview, read only), or, with `commit`, done."""
        if not commit:
            return plan_shareout(
                self.state(group_id),
                on,
                counted_cash_minor=counted_cash_minor,
                reason=reason,
                ids=self.ids,
            )
        with write_transaction(self.db):
            state = self.state(group_id)
            preview = plan_shareout(
                state, on, counted_cash_minor=counted_cash_minor, reason=reason, ids=self.ids
            )
            if preview.problems:
                raise MeetingRefused(preview.problems)
            self.journal.append(preview.records)
        self.backed_up()
        return preview

    def start_cycle(
        self,
        group_id: str,
        *,
        start: date,
        changes: dict[str, Any] | None = None,
        leaving: Iterable[str] = (),
        joining: Sequence[Member] = (),
    ) -> int:
        state = self.state(group_id)
        if state.cycle_status != "closed":
            raise broken(
                "cycle.still_open",
                N_("cycle {cycle} is not shared out yet"),
                cycle=state.cycle_number,
            )
        if state.last_meeting is not None and start < state.last_meeting.date:
            raise broken(
                "cycle.start_before_last_meeting",
                N_("the new cycle cannot start before the last meeting ({date})"),
                date=state.last_meeting.date.isoformat(),
            )
        constitution = amended_constitution(state.constitution, changes or {})
        if constitution.currency != state.constitution.currency:
            raise broken("constitution.currency_fixed", N_("a group's currency cannot change"))
        events: list[Record] = []
        leaving_ids = set(leaving)
        for member_id in sorted(leaving_ids):
            if member_id not in state.members or state.members[member_id].status != "active":
                raise broken(
                    "member.unknown",
                    N_("{member} is not an active member of the group"),
                    member=member_id,
                )
            events.append(
                self._event(
                    group_id, start, "member_left", {"reason": "cycle_end"}, member=member_id
                )
            )
        staying = [
            (m.member_id, m.phone, m.shared_phone)
            for m in state.active_members()
            if m.member_id not in leaving_ids
        ]
        for member in clean_members(joining, state.country, existing=staying):
            if member.member_id in state.members and (
                state.members[member.member_id].status == "active"
            ):
                raise broken(
                    "member.duplicate_id",
                    N_("member number {member} is used twice"),
                    member=member.member_id,
                )
            events.append(self._member_event(group_id, start, member))
        number = state.cycle_number + 1
        events.append(
            self._event(
                group_id,
                start,
                "cycle_started",
                {
                    "cycle": number,
                    "constitution": constitution.to_json(),
                },
            )
        )
        self.journal.append(events)
        return number
