"""The planner works on a copy of the group's state: whatever it does to the copy, the
state it was given stays as it was (the meeting screen and the hub keep using it)."""

from __future__ import annotations

import copy
from dataclasses import fields
from datetime import date

from vsla.book.service import Book
from vsla.domain.entries import NewLoan, Shares
from vsla.domain.state import GroupState, MeetingState

from ..support import meet, new_group, week


def umoja_with_a_loan(book: Book) -> GroupState:
    new_group(book)
    meet(book, week(1), Shares("M01", 5), Shares("M02", 5))
    meet(book, week(2), NewLoan("M01", 10_000, 2))
    return book.state("umoja")


def test_changing_every_part_of_a_copy_leaves_the_original_alone(book: Book) -> None:
    state = umoja_with_a_loan(book)
    before = copy.deepcopy(state)
    changed = state.copy()
    changed.members["M01"].status = "left"
    changed.balances["assets:cash:loan_fund"] = 1
    changed.loans[1].status = "repaid"
    changed.loans[1].periods_charged += 5
    assert changed.last_meeting is not None
    changed.last_meeting.status = "closed-by-test"
    changed.reversed_ids.add("01TEST")
    changed.next_loan_number = 99
    changed.last_meeting = MeetingState(9, date(2030, 1, 1), "regular", "open", 9)
    assert state == before
    assert state.members["M01"].status == "active"
    assert state.loans[1].status == "open"


def test_every_mutable_part_is_copied_not_shared(book: Book) -> None:
    """A field added to GroupState later that holds something mutable must be copied too."""
    state = umoja_with_a_loan(book)
    changed = state.copy()
    immutable = (str, int, date, tuple, frozenset, type(None))
    for f in fields(GroupState):
        mine, theirs = getattr(state, f.name), getattr(changed, f.name)
        frozen = getattr(getattr(mine, "model_config", {}), "get", lambda _k: False)("frozen")
        frozen = frozen or getattr(getattr(mine, "__dataclass_params__", None), "frozen", False)
        if isinstance(mine, immutable) or frozen:
            continue
        assert mine is not theirs, f"GroupState.{f.name} is shared between a state and its copy"
        for key, part in getattr(mine, "items", lambda: [])():
            assert part is not theirs[key] or isinstance(part, immutable), (f.name, key)
