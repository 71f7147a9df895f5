"""The book as the menu sees it, for one request: members' access, the session's record of
what was done, and the read side for the figures. Every effect is done once per input of a
session, whatever the gateway repeats."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from ussd.figures import FiguresCache
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
        cache: FiguresCache | None = None,
        *,
        inline: bool = False,
    ) -> None:
        self.access, self.log, self.reader = access, log, reader
        self.session_id, self.now = session_id, now
        self.cache = FiguresCache() if cache is None else cache
        self.inline = inline  # on the event loop: figures not kept raise NotKept

    def callers(self, phone: str) -> Sequence[Caller]:
        """Who may be calling, as at the session's start (every hop replays the session from
        there): one who set her first PIN in this session had none when it began."""
        found = self.access.callers(phone, self.now)
        activated = set(self.log.outcomes(self.session_id, "activate"))
        if not activated:
            return found
        return [replace(c, has_pin=False) if _who(c) in activated else c for c in found]

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
            return _who(caller)

        self._once(step, "activate", act)

    def change_pin(self, caller: Caller, pin: str, step: int) -> None:
        def act() -> str:
            self.access.change_pin(caller.group_id, caller.member_id, pin, self.now)
            return "done"

        self._once(step, "change_pin", act)

    def set_language(self, caller: Caller, language: str, step: int) -> None:
        def act() -> str:
            self.access.set_language(caller.group_id, caller.member_id, language)
            return language

        self._once(step, "language", act)

    def figures(self, caller: Caller) -> Figures:
        today = self.now.date()
        return self.cache.figures(
            self.reader, caller.group_id, caller.member_id, today, work_out=not self.inline
        )

    def _once(self, step: int, kind: str, act: Callable[[], str]) -> str:
        return self.log.once(self.session_id, step, kind, act)

    def _verdict(self, step: int, kind: str, check: Callable[[], Verdict]) -> Verdict:
        def act() -> str:
            verdict = check()
            return f"{verdict.check.value}:{verdict.tries_left}"

        outcome, tries = self._once(step, kind, act).split(":")
        return Verdict(Check(outcome), int(tries))


def _who(caller: Caller) -> str:
    return f"{caller.group_id}\x1f{caller.member_id}"
