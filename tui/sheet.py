"""The meeting as the facilitator types it: one row per member, cells holding the typed text.

Pure (no Textual, no database): the screen turns a sheet into a `MeetingPlan` on every edit and
keeps it as the draft. Cells keep the text as typed, so a half-typed or refused value survives
a crash exactly as the facilitator left it, and its reason can be shown next to it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ledger import N_, Currency, Problem, parse_count
from vsla.book.errors import BookError
from vsla.display import parse_money
from vsla.domain.entries import (
    Bowls,
    Dropout,
    EntryProblem,
    Fine,
    FinePayment,
    Grant,
    MeetingEntry,
    MeetingPlan,
    NewLoan,
    Repayment,
    Reversal,
    Shares,
    SocialFund,
    WriteOff,
)
from vsla.domain.state import GroupState

DRAFT_VERSION = 1
# The order of the methodology (domain.md): attendance, social fund, shares, repayments, fines,
# new loans. Enter at the foot of a column goes to the top of the next one: one phase each.
COLUMNS = ("attendance", "social_fund", "shares", "repay", "fine", "loan", "term")
AMOUNT_COLUMNS = frozenset({"social_fund", "repay", "loan"})
COUNT_COLUMNS = frozenset({"shares", "term"})
ATTENDANCE = ("present", "excused", "absent", "proxy")
PAYING = frozenset({"present", "proxy"})
# What only a member who is there (or sends a proxy) does; attendance and fines are for all.
PAYING_COLUMNS = frozenset({"social_fund", "shares", "repay", "loan", "term"})
BOWLS = ("loan_fund", "social_fund")
ABSENT_FINE = "absent"

Place = tuple[str | None, str]  # (member or None, column or meeting-level place)


@dataclass(frozen=True, slots=True)
class Defaults:
    """What a present member usually does, so the common case is confirming, not typing."""

    social_fund_text: str  # the contribution as typed ("" when the group has none)
    shares_min: int
    term_max_months: int
    usual_shares: dict[str, int] = field(default_factory=dict)
    fines: tuple[str, ...] = ()

    def shares_of(self, member_id: str) -> int:
        return self.usual_shares.get(member_id) or self.shares_min


@dataclass(slots=True)
class Row:
    member_id: str
    name: str
    attendance: str = "present"
    cells: dict[str, str] = field(default_factory=dict)
    fine_owed: bool = False
    confirmed: set[str] = field(default_factory=set)
    grant: str = ""
    grant_reason: str = ""
    fines_paid: str = ""
    write_off: str = ""  # the group's reason for writing off her loan
    leaves: bool = False  # she drops out today

    def cell(self, column: str) -> str:
        if column == "attendance":
            return self.attendance
        return self.cells.get(column, "")

    def to_json(self) -> dict[str, Any]:
        return {
            "member": self.member_id,
            "attendance": self.attendance,
            "cells": {k: v for k, v in self.cells.items() if v},
            "fine_owed": self.fine_owed,
            "confirmed": sorted(self.confirmed),
            "grant": self.grant,
            "grant_reason": self.grant_reason,
            "fines_paid": self.fines_paid,
            "write_off": self.write_off,
            "leaves": self.leaves,
        }


@dataclass(frozen=True, slots=True)
class CellProblem:
    """A broken rule or a refused value, and the cell (or count) it belongs to."""

    place: Place
    problem: Problem


@dataclass(slots=True)
class Built:
    plan: MeetingPlan
    problems: list[CellProblem]
    places: list[Place]  # places[i]: the cell that made plan.entries[i]

    def place_of(self, found: EntryProblem) -> Place:
        if found.index is not None and 0 <= found.index < len(self.places):
            return self.places[found.index]
        where = found.where
        if where in COLUMNS:
            return (found.member, where)
        if where.startswith(("opening_", "closing_")) or where == "date":
            return (None, where)
        return (found.member, "row") if found.member else (None, "meeting")


@dataclass(slots=True)
class Sheet:
    group_id: str
    date: dt.date
    rows: list[Row]
    defaults: Defaults
    opening: dict[str, str] = field(default_factory=lambda: dict.fromkeys(BOWLS, ""))
    opening_reason: str = ""
    closing: dict[str, str] = field(default_factory=lambda: dict.fromkeys(BOWLS, ""))
    closing_reason: str = ""
    cursor: tuple[int, int] = (0, 0)
    focus: str = "grid"  # where the facilitator was: the grid or one of the counts
    reopened: bool = False
    started_at: str = ""
    # Earlier entries to reverse at this meeting: {"id", "reason", "member", "label"}.
    reversals: list[dict[str, str]] = field(default_factory=list)

    # -- making one ------------------------------------------------------------------------

    @classmethod
    def new(
        cls, state: GroupState, day: dt.date, defaults: Defaults, *, reopened: bool = False
    ) -> Sheet:
        sheet = cls(state.group_id, day, [], defaults, reopened=reopened)
        sheet.rows = [sheet._fresh_row(m.member_id, m.name) for m in state.active_members()]
        return sheet

    def _fresh_row(self, member_id: str, name: str) -> Row:
        row = Row(member_id, name)
        self._prefill(row)
        return row

    def _prefill(self, row: Row) -> None:
        if self.reopened:
            return  # adding to a meeting already held: she bought her shares then
        if self.defaults.social_fund_text:
            row.cells["social_fund"] = self.defaults.social_fund_text
        shares = self.defaults.shares_of(row.member_id)
        if shares:
            row.cells["shares"] = str(shares)

    # -- editing ---------------------------------------------------------------------------

    def set_attendance(self, index: int, status: str) -> None:
        row = self.rows[index]
        if status not in ATTENDANCE or status == row.attendance:
            return
        was_paying = row.attendance in PAYING
        row.attendance = status
        row.confirmed.add("attendance")
        if status in PAYING and not was_paying:
            self._prefill(row)
            if row.cells.get("fine") == ABSENT_FINE:
                row.cells.pop("fine")
                row.fine_owed = False
        elif status not in PAYING:
            for column in PAYING_COLUMNS:
                row.cells.pop(column, None)
                row.confirmed.discard(column)
            if status == "absent" and ABSENT_FINE in self.defaults.fines:
                row.cells["fine"] = ABSENT_FINE
                row.fine_owed = True  # she is not there to pay it
            elif row.cells.get("fine"):
                row.fine_owed = True

    def set_cell(self, index: int, column: str, text: str) -> None:
        row = self.rows[index]
        if column == "attendance":
            self.set_attendance(index, text)
            return
        if text:
            row.cells[column] = text
        else:
            row.cells.pop(column, None)
        if column == "loan" and text and not row.cells.get("term"):
            row.cells["term"] = str(self.defaults.term_max_months)
        elif column == "loan" and not text:
            # No loan, no term: a term left behind would silently go to her next loan.
            row.cells.pop("term", None)
            row.confirmed.discard("term")
        if column == "fine":
            row.fine_owed = bool(text) and row.attendance not in PAYING

    def takes(self, index: int, column: str) -> bool:
        """Whether the member of row `index` can have a value in `column` today: an absent
        or excused member buys no shares and pays nothing in; a proxy pays for her."""
        return column not in PAYING_COLUMNS or self.rows[index].attendance in PAYING

    def next_taking(self, index: int, column: str) -> int | None:
        """The next row after `index` that can take a value in `column`, if any."""
        return next((i for i in range(index + 1, len(self.rows)) if self.takes(i, column)), None)

    def fines_for(self, index: int) -> tuple[str, ...]:
        """The fines a member can be given: the absence fine only when she is absent."""
        absent = self.rows[index].attendance == "absent"
        return tuple(f for f in self.defaults.fines if absent or f != ABSENT_FINE)

    def confirm(self, index: int, column: str) -> None:
        self.rows[index].confirmed.add(column)

    def unconfirmed(self) -> list[tuple[str, str]]:
        """(member, column) of values the app filled in that nobody confirmed one by one."""
        return [
            (row.member_id, column)
            for row in self.rows
            if row.attendance in PAYING
            for column in ("social_fund", "shares")
            if row.cells.get(column, "").strip() and column not in row.confirmed
        ]

    # -- the plan --------------------------------------------------------------------------

    def build(self, cur: Currency, *, language: str = "en", country: str | None = None) -> Built:
        """The plan the engine checks, the cells that made each entry, and refused values;
        amounts are read the way `language` writes numbers (`vsla.display.parse_money`)."""

        def parsed(text: str, place: Place) -> int | None:
            return _parsed(text, cur, place, problems, language, country)

        entries: list[MeetingEntry] = []
        places: list[Place] = []
        problems: list[CellProblem] = []
        attendance: dict[str, str] = {}

        def add(entry: MeetingEntry, place: Place) -> None:
            entries.append(entry)
            places.append(place)

        for reversal in self.reversals:
            member = reversal.get("member") or None
            add(
                Reversal(reversal["id"], reversal["reason"], member),
                (member, "row") if member else (None, "meeting"),
            )

        for row in self.rows:
            m = row.member_id
            if row.attendance != "present":
                attendance[m] = row.attendance
            amounts: dict[str, int] = {}
            for column in ("social_fund", "repay", "loan"):
                value = parsed(row.cells.get(column, ""), (m, column))
                if value:
                    amounts[column] = value
            if "social_fund" in amounts:
                add(SocialFund(m, amounts["social_fund"]), (m, "social_fund"))
            shares_text = row.cells.get("shares", "")
            if shares_text.strip():
                try:
                    add(Shares(m, parse_count(shares_text)), (m, "shares"))
                except BookError as error:
                    problems.append(CellProblem((m, "shares"), error.problem))
            if "repay" in amounts:
                add(Repayment(m, amounts["repay"]), (m, "repay"))
            if row.cells.get("fine"):
                add(Fine(m, row.cells["fine"], paid=not row.fine_owed), (m, "fine"))
            paid = parsed(row.fines_paid, (m, "row"))
            if paid:
                add(FinePayment(m, paid), (m, "row"))
            granted = parsed(row.grant, (m, "row"))
            if granted:
                add(Grant(m, granted, row.grant_reason), (m, "row"))
            if row.write_off.strip():
                add(WriteOff(m, row.write_off), (m, "row"))
            if row.leaves:
                add(Dropout(m), (m, "row"))
            if "loan" in amounts:
                term = self.defaults.term_max_months
                term_text = row.cells.get("term", "")
                try:
                    term = parse_count(term_text) if term_text.strip() else term
                except BookError as error:
                    problems.append(CellProblem((m, "term"), error.problem))
                add(NewLoan(m, amounts["loan"], term), (m, "loan"))
        plan = MeetingPlan(
            date=self.date,
            entries=tuple(entries),
            attendance=attendance,
            opening_counted=self._bowls("opening", self.opening, parsed),
            opening_reason=self.opening_reason,
            closing_counted=self._bowls("closing", self.closing, parsed),
            closing_reason=self.closing_reason,
        )
        return Built(plan, problems, places)

    @staticmethod
    def _bowls(
        when: str, typed: dict[str, str], parsed: Callable[[str, Place], int | None]
    ) -> Bowls | None:
        values = [parsed(typed.get(bowl, ""), (None, f"{when}_{bowl}")) for bowl in BOWLS]
        if any(not typed.get(bowl, "").strip() for bowl in BOWLS) or None in values:
            return None
        return Bowls(values[0] or 0, values[1] or 0)

    def counted(self, when: str) -> bool:
        typed = self.opening if when == "opening" else self.closing
        return all(typed.get(bowl, "").strip() for bowl in BOWLS)

    # -- the draft -------------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": DRAFT_VERSION,
                "group": self.group_id,
                "date": self.date.isoformat(),
                "reopened": self.reopened,
                "started_at": self.started_at,
                "opening": self.opening,
                "opening_reason": self.opening_reason,
                "closing": self.closing,
                "closing_reason": self.closing_reason,
                "cursor": list(self.cursor),
                "focus": self.focus,
                "rows": [row.to_json() for row in self.rows],
                "reversals": self.reversals,
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str, state: GroupState, defaults: Defaults) -> tuple[Sheet, list[str]]:
        """The sheet saved in a draft, fitted to today's members; and who no longer fits
        (members who left since: their typed values cannot be kept)."""
        data = json.loads(text)
        if data.get("version") != DRAFT_VERSION or data.get("group") != state.group_id:
            raise ValueError("not a draft of this group")
        sheet = cls(
            state.group_id,
            dt.date.fromisoformat(data["date"]),
            [],
            defaults,
            opening={b: str(data["opening"].get(b, "")) for b in BOWLS},
            opening_reason=str(data.get("opening_reason", "")),
            closing={b: str(data["closing"].get(b, "")) for b in BOWLS},
            closing_reason=str(data.get("closing_reason", "")),
            reopened=bool(data.get("reopened", False)),
            started_at=str(data.get("started_at", "")),
            focus=str(data.get("focus", "grid")),
            reversals=[
                {str(k): str(v) for k, v in item.items()} for item in data.get("reversals", [])
            ],
        )
        saved = {str(r["member"]): r for r in data["rows"]}
        for member in state.active_members():
            raw = saved.pop(member.member_id, None)
            if raw is None:
                sheet.rows.append(sheet._fresh_row(member.member_id, member.name))
                continue
            sheet.rows.append(
                Row(
                    member.member_id,
                    member.name,
                    attendance=str(raw.get("attendance", "present")),
                    cells={str(k): str(v) for k, v in raw.get("cells", {}).items()},
                    fine_owed=bool(raw.get("fine_owed", False)),
                    confirmed=set(raw.get("confirmed", [])),
                    grant=str(raw.get("grant", "")),
                    grant_reason=str(raw.get("grant_reason", "")),
                    fines_paid=str(raw.get("fines_paid", "")),
                    write_off=str(raw.get("write_off", "")),
                    leaves=bool(raw.get("leaves", False)),
                )
            )
        row, col = (int(v) for v in data.get("cursor", [0, 0]))
        sheet.cursor = (
            min(max(row, 0), max(len(sheet.rows) - 1, 0)),
            min(max(col, 0), len(COLUMNS) - 1),
        )
        return sheet, sorted(saved)


def _parsed(
    text: str,
    cur: Currency,
    place: Place,
    problems: list[CellProblem],
    language: str,
    country: str | None,
) -> int | None:
    if not text.strip():
        return None
    try:
        return parse_money(text, cur.code, language, country)
    except BookError as error:
        problems.append(CellProblem(place, error.problem))
        return None


def missing_counts(sheet: Sheet, *, closing: bool) -> Iterable[CellProblem]:
    """Counts the app asks for before it closes a meeting (the engine allows leaving them out)."""
    if not sheet.reopened and not sheet.counted("opening"):
        yield CellProblem(
            (None, "opening_loan_fund"),
            Problem("count.opening_missing", N_("count both bowls when the box is opened"), {}),
        )
    if closing and not sheet.counted("closing"):
        yield CellProblem(
            (None, "closing_loan_fund"),
            Problem("count.closing_missing", N_("count both bowls before closing the meeting"), {}),
        )
