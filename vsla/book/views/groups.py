"""The group list, a group at a glance, its next meeting, its last backup."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """One line of the group list."""

    group_id: str
    name: str
    currency: str
    exponent: int
    country: str
    language: str
    cycle: int
    cycle_start: date
    cycle_status: str  # open | closed
    members: int  # active members
    meetings_this_cycle: int
    meetings: int  # in all cycles; the number of the last meeting
    last_meeting_on: date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group_id,
            "name": self.name,
            "currency": self.currency,
            "exponent": self.exponent,
            "country": self.country,
            "language": self.language,
            "cycle": self.cycle,
            "cycle_start": self.cycle_start.isoformat(),
            "cycle_status": self.cycle_status,
            "members": self.members,
            "meetings_this_cycle": self.meetings_this_cycle,
            "meetings": self.meetings,
            "last_meeting": None
            if self.last_meeting_on is None
            else self.last_meeting_on.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class GroupOverview:
    """Where a group stands: the group's home screen."""

    group_id: str
    name: str
    currency: str
    country: str
    cycle: int
    cycle_start: date
    cycle_status: str
    members: int
    meetings_this_cycle: int
    last_meeting: int | None  # its number in the book, which counts every cycle's meetings
    last_meeting_on: date | None
    loan_fund_cash_minor: int
    social_fund_cash_minor: int
    loans_open: int
    loans_late: int
    loans_owed_minor: int
    meeting_in_progress: bool  # a draft kept on this device


@dataclass(frozen=True, slots=True)
class NextMeeting:
    """The date a new meeting is held on, and whether it adds to the reopened last one."""

    on: date
    reopened: bool


@dataclass(frozen=True, slots=True)
class BackupMark:
    """The newest backup of the book: where, and when (UTC)."""

    path: str
    made_at: str  # ISO 8601, UTC
    folder: str


@dataclass(frozen=True, slots=True)
class SyncMark:
    """How far the hub has this group from this device: when it last acknowledged a push
    (UTC; None: never), and how many of the group's entries wait to be sent."""

    last_sync_at: str | None
    waiting: int
