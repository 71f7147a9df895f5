"""Members' figures, worked out for a whole group at once and kept while the group's journal
does not grow.

A balance screen needs the group's state and a share-out preview (milliseconds of work); the
members of one group call after the same meeting, and nothing in a group changes without a
new journal entry. So the figures of every member of a group are kept under (group, number
of journal entries, day): a new entry or a new day is a new key, and nothing stale can be
shown. Bounded: the groups least recently asked for go first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date, timedelta

from ussd.menu import Figures
from vsla.book.reader import Reader, statement_of

Key = tuple[str, int, date]
GROUPS_KEPT = 20_000  # about 10 kB a group of 25: 200 MB at most


class NotKept(Exception):
    """The group's figures are not kept and were not to be worked out here (the event loop,
    where milliseconds of work would hold up every other request)."""


class FiguresCache:
    def __init__(self, groups: int = GROUPS_KEPT) -> None:
        self.groups = groups
        self._kept: OrderedDict[Key, dict[str, Figures]] = OrderedDict()
        self._lock = threading.Lock()
        self.misses = 0

    def figures(
        self, reader: Reader, group_id: str, member_id: str, today: date, *, work_out: bool = True
    ) -> Figures:
        """Her figures as the book says now; raises as `Reader.statement` does for a member
        the group does not have, and `NotKept` when they must be worked out but not
        `work_out`."""
        with reader.reading():  # the version and the figures from one snapshot
            key = (group_id, reader.version(group_id), today)
            with self._lock:
                found = self._kept.get(key)
                if found is not None:
                    self._kept.move_to_end(key)
            if found is None:
                if not work_out:
                    raise NotKept(group_id)
                found = group_figures(reader, group_id, today)
                self._keep(key, found)
            if member_id not in found:
                reader.statement(group_id, member_id, today)  # raises: no such member
        return found[member_id]

    def _keep(self, key: Key, found: dict[str, Figures]) -> None:
        with self._lock:
            self.misses += 1
            self._kept[key] = found
            while len(self._kept) > self.groups:
                self._kept.popitem(last=False)


def group_figures(reader: Reader, group_id: str, today: date) -> dict[str, Figures]:
    """Every member's figures, from one snapshot of the book."""
    with reader.reading():
        state = reader.state(group_id)
        preview = reader.shareout_preview(group_id, today)
    worth = {line.member_id: line.gross_minor for line in preview.lines}
    last = state.last_meeting
    last_on = None if last is None else last.date
    next_on = next_meeting(last_on, state.constitution.meeting_interval_days, today)
    loans_out_minor = sum(state.loan_owed_minor(loan) for loan in state.open_loans())
    found = {}
    for member_id in state.members:
        statement = statement_of(state, member_id, today)
        loan = statement.loan
        found[member_id] = Figures(
            currency=statement.currency,
            meeting=None if last is None else last.number,
            meeting_on=last_on,
            shares=statement.shares,
            savings_minor=statement.savings_minor,
            worth_minor=worth.get(member_id) if state.cycle_status == "open" else None,
            social_fund_paid_minor=statement.social_fund_paid_minor,
            loan_owed_minor=None if loan is None else loan.owed_minor,
            loan_due_on=None if loan is None else loan.due_on,
            loan_late=bool(loan and loan.late),
            next_meeting_on=next_on,
            loan_fund_minor=state.loan_fund_cash_minor,
            social_fund_minor=state.social_fund_cash_minor,
            loans_out_minor=loans_out_minor,
        )
    return found


def next_meeting(last: date | None, interval_days: int, today: date) -> date | None:
    """The group's next meeting on its rhythm: the first one from today on."""
    if last is None:
        return None
    step = timedelta(days=interval_days)
    upcoming = last + step
    while upcoming < today:
        upcoming += step
    return upcoming
