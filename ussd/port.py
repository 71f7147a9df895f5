"""The book as the menu sees it, for one request: members' access, the session's record of
what was done, and the read side for the figures. Every effect is done once per input of a
session, whatever the gateway repeats."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from ussd.menu import Figures
from vsla.book.access import Caller, Check, MemberAccess, Verdict
from vsla.book.reader import Reader
from vsla.book.sessions import SessionLog


class HubBook:
    def __init__(
        self,
        access: MemberAccess,
        log: SessionLog,
        reader: Reader,
        session_id: str,
        now: datetime,
    ) -> None:
        self.access, self.log, self.reader = access, log, reader
        self.session_id, self.now = session_id, now

    def callers(self, phone: str) -> Sequence[Caller]:
        return self.access.callers(phone, self.now)

    def check_code(self, caller: Caller, code: str, step: int) -> Verdict:
        return self._verdict(
            step,
            "code",
            lambda: self.access.check_code(caller.group_id, caller.member_id, code, self.now),
        )

    def check_pin(self, caller: Caller, pin: str, step: int) -> Verdict:
        return self._verdict(
            step,
            "pin",
            lambda: self.access.check_pin(caller.group_id, caller.member_id, pin, self.now),
        )

    def activate(self, caller: Caller, pin: str, step: int) -> None:
        def act() -> str:
            self.access.activate(caller.group_id, caller.member_id, pin, self.now)
            return "done"

        self.log.once(self.session_id, step, "activate", act)

    def change_pin(self, caller: Caller, pin: str, step: int) -> None:
        def act() -> str:
            self.access.change_pin(caller.group_id, caller.member_id, pin, self.now)
            return "done"

        self.log.once(self.session_id, step, "change_pin", act)

    def set_language(self, caller: Caller, language: str, step: int) -> None:
        def act() -> str:
            self.access.set_language(caller.group_id, caller.member_id, language)
            return language

        self.log.once(self.session_id, step, "language", act)

    def figures(self, caller: Caller) -> Figures:
        today = self.now.date()
        with self.reader.reading():  # every figure of a screen from one snapshot
            group, member = caller.group_id, caller.member_id
            statement = self.reader.statement(group, member, today)
            overview = self.reader.overview(group, today)
            state = self.reader.state(group)
            preview = self.reader.shareout_preview(group, today)
        line = next((x for x in preview.lines if x.member_id == member), None)
        loan = statement.loan
        return Figures(
            currency=statement.currency,
            meeting=overview.last_meeting,
            meeting_on=overview.last_meeting_on,
            shares=statement.shares,
            savings_minor=statement.savings_minor,
            worth_minor=None if line is None or state.cycle_status != "open" else line.gross_minor,
            social_fund_paid_minor=statement.social_fund_paid_minor,
            loan_owed_minor=None if loan is None else loan.owed_minor,
            loan_due_on=None if loan is None else loan.due_on,
            loan_late=bool(loan and loan.late),
            next_meeting_on=_next_meeting(
                overview.last_meeting_on, state.constitution.meeting_interval_days, today
            ),
            loan_fund_minor=overview.loan_fund_cash_minor,
            social_fund_minor=overview.social_fund_cash_minor,
            loans_out_minor=overview.loans_owed_minor,
        )

    def _verdict(self, step: int, kind: str, check: Callable[[], Verdict]) -> Verdict:
        def act() -> str:
            verdict = check()
            return f"{verdict.check.value}:{verdict.tries_left}"

        outcome, tries = self.log.once(self.session_id, step, kind, act).split(":")
        return Verdict(Check(outcome), int(tries))


def _next_meeting(last: date | None, interval_days: int, today: date) -> date | None:
    """The group's next meeting on its rhythm: the first one from today on."""
    if last is None:
        return None
    step = timedelta(days=interval_days)
    upcoming = last + step
    while upcoming < today:
        upcoming += step
    return upcoming
