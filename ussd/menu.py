"""The member's menu: a pure function of (the request, what the book says) → the reply.

No HTTP here: an adapter turns an aggregator's request into a `UssdRequest` (every input of
the session so far) and the reply into its format. The session is replayed from its first
input at every hop, so a hop repeated by the gateway gives the same screen, and an input is
acted on once: every effect (a PIN checked, a PIN set) goes through the book keyed by the
session and the input's place in it (`step`), and the book records it once.

The paths are a public contract (people learn them by heart; the numbers are the same in
every language): first session: language, activation code, new PIN, the same PIN again, the
main menu; later sessions: the PIN, the main menu. `0` goes back and `00` to the main menu,
everywhere. A PIN or a code is never taken from what was typed when dialling (it stays in the
phone's call log), never echoed, and never logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from ussd import texts as x
from vsla.book.access import Caller, Check, Verdict, is_pin
from vsla.book.errors import BookError
from vsla.sms.gsm import to_gsm7


@dataclass(frozen=True, slots=True)
class UssdRequest:
    session_id: str
    phone: str  # E.164
    service_code: str
    inputs: tuple[str, ...]  # every input of the session so far, in order
    dialled_ahead: int  # how many of them came with the dialled code
    now: datetime


@dataclass(frozen=True, slots=True)
class UssdReply:
    text: str
    ends: bool  # END: the session is over; else CON: an answer is awaited
    secret: bool = False  # the screen asks for a PIN or a code: its answer is never kept
    language: str = "en"


@dataclass(frozen=True, slots=True)
class Figures:
    """A member's figures as of the group's last meeting (`meeting` is None before any)."""

    currency: str
    meeting: int | None
    meeting_on: date | None
    shares: int
    savings_minor: int
    worth_minor: int | None  # her payout were the cycle shared out today; None: cannot say
    social_fund_paid_minor: int
    loan_owed_minor: int | None  # None: no loan
    loan_due_on: date | None
    loan_late: bool
    next_meeting_on: date | None
    loan_fund_minor: int
    social_fund_minor: int
    loans_out_minor: int


class MenuBook(Protocol):
    """What the menu needs of the book. `step` is the input's place in the session: the
    book acts on each (session, step) once, however often the gateway repeats a hop."""

    def callers(self, phone: str) -> Sequence[Caller]: ...
    def check_code(self, caller: Caller, code: str, step: int) -> Verdict: ...
    def activate(self, caller: Caller, pin: str, step: int) -> None: ...
    def check_pin(self, caller: Caller, pin: str, step: int) -> Verdict: ...
    def change_pin(self, caller: Caller, pin: str, step: int) -> None: ...
    def set_language(self, caller: Caller, language: str, step: int) -> None: ...
    def figures(self, caller: Caller) -> Figures: ...


class Screen(StrEnum):
    WHO = "who"
    FIRST_LANGUAGE = "first_language"
    CODE = "code"
    NEW_PIN = "new_pin"
    CONFIRM_PIN = "confirm_pin"
    PIN = "pin"
    MAIN = "main"
    SAVINGS = "savings"
    LOAN = "loan"
    SOCIAL = "social"
    NEXT = "next"
    GROUP = "group"
    OLD_PIN = "old_pin"
    CHANGE_NEW = "change_new"
    CHANGE_CONFIRM = "change_confirm"
    LANGUAGE = "language"


SECRET = frozenset(
    {
        Screen.CODE,
        Screen.NEW_PIN,
        Screen.CONFIRM_PIN,
        Screen.PIN,
        Screen.OLD_PIN,
        Screen.CHANGE_NEW,
        Screen.CHANGE_CONFIRM,
    }
)
INFO = {"1": Screen.SAVINGS, "2": Screen.LOAN, "3": Screen.SOCIAL, "4": Screen.NEXT}
SIGNED_IN = frozenset(
    {
        Screen.MAIN,
        Screen.SAVINGS,
        Screen.LOAN,
        Screen.SOCIAL,
        Screen.NEXT,
        Screen.GROUP,
        Screen.OLD_PIN,
        Screen.CHANGE_NEW,
        Screen.CHANGE_CONFIRM,
        Screen.LANGUAGE,
    }
)


def handle(request: UssdRequest, book: MenuBook, default_language: str = "en") -> UssdReply:
    """The screen to show after every input of the session, and nothing done twice."""
    callers = tuple(book.callers(request.phone))
    if not callers:
        # The same for a number never registered and one whose member has left.
        return UssdReply(x.say(x.UNKNOWN_NUMBER, default_language), ends=True)
    session = _Session(request, book, callers)
    for step, token in enumerate(request.inputs):
        if session.ended is not None:
            break
        session.feed(step, token.strip())
    return session.reply()


@dataclass
class _Session:
    request: UssdRequest
    book: MenuBook
    callers: tuple[Caller, ...]
    caller: Caller | None = None
    language: str = "en"
    screen: Screen = Screen.WHO
    draft: str | None = None  # a new PIN waiting for its confirmation
    notice: list[str] = field(default_factory=list)  # said above the next screen
    ended: str | None = None

    def __post_init__(self) -> None:
        self.language = self.callers[0].language
        if len(self.callers) == 1:
            self._choose(self.callers[0])

    # -- inputs ---------------------------------------------------------------------------

    def feed(self, step: int, token: str) -> None:
        self.notice = []
        if token == x.HOME and self.screen in SIGNED_IN:
            self.screen = Screen.MAIN
            return
        if token == x.BACK:
            self._back()
            return
        if self.screen in SECRET and step < self.request.dialled_ahead:
            self.notice.append(x.say(x.NOT_DIALLED, self.language))
            return
        getattr(self, f"_on_{self.screen.value}")(step, token)

    def _back(self) -> None:
        if self.screen in SIGNED_IN:
            self.screen = Screen.MAIN
        elif self.screen is Screen.CODE:
            self.screen = Screen.FIRST_LANGUAGE
        elif self.screen is Screen.CONFIRM_PIN:
            self.screen, self.draft = Screen.NEW_PIN, None
        elif self.screen in (Screen.FIRST_LANGUAGE, Screen.PIN) and len(self.callers) > 1:
            self.screen, self.caller = Screen.WHO, None

    def _on_who(self, step: int, token: str) -> None:
        chosen = int(token) if token.isascii() and token.isdigit() and len(token) < 3 else 0
        if 0 < chosen <= len(self.callers):
            self._choose(self.callers[chosen - 1])
        else:
            self.notice.append(x.say(x.CHOOSE, self.language))

    def _choose(self, caller: Caller) -> None:
        self.caller, self.language = caller, caller.language
        if caller.locked_until is not None:
            self.ended = x.say(x.LOCKED, self.language)
        else:
            self.screen = Screen.PIN if caller.has_pin else Screen.FIRST_LANGUAGE

    def _on_first_language(self, step: int, token: str) -> None:
        if self._set_language(step, token):
            self.screen = Screen.CODE

    def _on_language(self, step: int, token: str) -> None:
        if self._set_language(step, token):
            self.screen = Screen.MAIN

    def _set_language(self, step: int, token: str) -> bool:
        chosen = next((code for key, code, _name in x.LANGUAGE_CHOICES if key == token), None)
        if chosen is None:
            self.notice.append(x.say(x.CHOOSE, self.language))
            return False
        self.book.set_language(self._caller(), chosen, step)
        self.language = chosen
        return True

    def _on_code(self, step: int, token: str) -> None:
        verdict = self.book.check_code(self._caller(), token, step)
        if verdict.check is Check.OK:
            self.screen = Screen.NEW_PIN
        elif verdict.check is Check.WRONG:
            self.notice.append(x.say(x.CODE_WRONG, self.language, tries=verdict.tries_left))
        else:
            self.ended = x.say(x.CODE_VOID, self.language)

    def _on_new_pin(self, step: int, token: str) -> None:
        self._new_pin(token, Screen.CONFIRM_PIN)

    def _on_change_new(self, step: int, token: str) -> None:
        self._new_pin(token, Screen.CHANGE_CONFIRM)

    def _new_pin(self, token: str, confirm: Screen) -> None:
        if is_pin(token):
            self.draft, self.screen = token, confirm
        else:
            self.notice.append(x.say(x.PIN_DIGITS, self.language))

    def _on_confirm_pin(self, step: int, token: str) -> None:
        if self._confirmed(token, Screen.NEW_PIN):
            self.book.activate(self._caller(), token, step)
            self.screen = Screen.MAIN

    def _on_change_confirm(self, step: int, token: str) -> None:
        if self._confirmed(token, Screen.CHANGE_NEW):
            self.book.change_pin(self._caller(), token, step)
            self.screen = Screen.MAIN
            self.notice.append(x.say(x.PIN_CHANGED, self.language))

    def _confirmed(self, token: str, again: Screen) -> bool:
        if token == self.draft:
            self.draft = None
            return True
        # A confirmation that differs never sets the PIN: choose it again.
        self.draft, self.screen = None, again
        self.notice.append(x.say(x.PINS_DIFFER, self.language))
        return False

    def _on_pin(self, step: int, token: str) -> None:
        if self._pin_ok(step, token):
            self.screen = Screen.MAIN

    def _on_old_pin(self, step: int, token: str) -> None:
        if self._pin_ok(step, token):
            self.screen = Screen.CHANGE_NEW

    def _pin_ok(self, step: int, token: str) -> bool:
        if not is_pin(token):
            self.notice.append(x.say(x.PIN_DIGITS, self.language))
            return False
        verdict = self.book.check_pin(self._caller(), token, step)
        if verdict.check is Check.OK:
            return True
        if verdict.check is Check.WRONG:
            self.notice.append(x.say(x.PIN_WRONG, self.language, tries=verdict.tries_left))
        else:
            self.ended = x.say(x.LOCKED, self.language)
        return False

    def _on_main(self, step: int, token: str) -> None:
        if token in INFO:
            self.screen = INFO[token]
        elif token == "5":
            self.screen = Screen.GROUP
        elif token == "6":
            self.screen = Screen.OLD_PIN
        elif token == "7":
            self.screen = Screen.LANGUAGE
        else:
            self.notice.append(x.say(x.CHOOSE, self.language))

    def _on_info(self, step: int, token: str) -> None:
        self.notice.append(x.say(x.CHOOSE, self.language))

    _on_savings = _on_loan = _on_social = _on_next = _on_group = _on_info

    def _caller(self) -> Caller:
        assert self.caller is not None  # every screen past WHO has one
        return self.caller

    # -- the screen -------------------------------------------------------------------------

    def reply(self) -> UssdReply:
        if self.ended is not None:
            return UssdReply(self.ended, ends=True, language=self.language)
        lines = self.notice + self._screen_lines()
        optional = frozenset(range(len(self.notice)))
        return UssdReply(
            x.fit(lines, optional),
            ends=False,
            secret=self.screen in SECRET,
            language=self.language,
        )

    def _screen_lines(self) -> list[str]:
        say, lang = x.say, self.language
        if self.screen is Screen.WHO:
            return [say(x.WHO, lang), *_who_lines(self.callers, x.SCREEN_LIMIT - 40)]
        if self.screen in (Screen.FIRST_LANGUAGE, Screen.LANGUAGE):
            return [say(x.LANGUAGE, lang)] + [f"{k} {name}" for k, _c, name in x.LANGUAGE_CHOICES]
        simple = {
            Screen.CODE: x.CODE,
            Screen.NEW_PIN: x.NEW_PIN,
            Screen.CHANGE_NEW: x.NEW_PIN,
            Screen.CONFIRM_PIN: x.CONFIRM_PIN,
            Screen.CHANGE_CONFIRM: x.CONFIRM_PIN,
            Screen.PIN: x.PIN,
            Screen.OLD_PIN: x.OLD_PIN,
        }
        if self.screen in simple:
            return [say(simple[self.screen], lang)]
        if self.screen is Screen.MAIN:
            return [f"{n} {say(label, lang)}" for n, label in enumerate(x.MAIN, start=1)]
        return [*self._figures_lines(), say(x.NAVIGATE, lang)]

    def _figures_lines(self) -> list[str]:
        say, lang = x.say, self.language
        try:
            f = self.book.figures(self._caller())
        except BookError:
            # A figure that cannot be read is never shown as 0.
            return [say(x.NOT_AVAILABLE, lang)]

        def money(amount_minor: int) -> str:
            return x.amount(amount_minor, f.currency, lang)

        head = (
            [say(x.NO_MEETING, lang)]
            if f.meeting is None or f.meeting_on is None
            else [say(x.AS_OF, lang, number=f.meeting, date=x.day(f.meeting_on))]
        )
        if self.screen is Screen.SAVINGS:
            lines = [
                say(x.SHARES, lang, shares=f.shares),
                say(x.SAVED, lang, amount=money(f.savings_minor)),
            ]
            if f.worth_minor is not None:
                lines.append(say(x.WORTH, lang, amount=money(f.worth_minor)))
            return head + lines
        if self.screen is Screen.LOAN:
            if f.loan_owed_minor is None or f.loan_due_on is None:
                return [*head, say(x.NO_LOAN, lang)]
            return [
                *head,
                say(x.LOAN_OWED, lang, amount=money(f.loan_owed_minor)),
                say(x.LOAN_DUE, lang, date=x.day(f.loan_due_on)),
                say(x.LOAN_LATE if f.loan_late else x.LOAN_ON_TIME, lang),
            ]
        if self.screen is Screen.SOCIAL:
            return [*head, say(x.SOCIAL_PAID, lang, amount=money(f.social_fund_paid_minor))]
        if self.screen is Screen.NEXT:
            if f.next_meeting_on is None:
                return [say(x.NEXT_UNKNOWN, lang)]
            return [say(x.NEXT_MEETING, lang, date=x.day(f.next_meeting_on))]
        return [
            *head,
            say(
                x.BOX,
                lang,
                loan_fund=money(f.loan_fund_minor),
                social_fund=money(f.social_fund_minor),
            ),
            say(x.LOANS_OUT, lang, amount=money(f.loans_out_minor)),
        ]


def _who_lines(callers: tuple[Caller, ...], room: int) -> list[str]:
    """One line per member sharing the phone, as long as the screen allows: her number in
    the group always, then her name, then the group's (when there are several groups)."""
    several_groups = len({c.group_id for c in callers}) > 1
    for name_width, group_width in ((16, 12), (12, 8), (8, 0), (0, 0)):
        lines = []
        for n, c in enumerate(callers, start=1):
            line = f"{n} {c.member_id}"
            if name_width:
                line += f" {_short(c.name, name_width)}"
            if group_width and several_groups:
                line += f" ({_short(c.group_name, group_width)})"
            lines.append(line)
        if len("\n".join(lines)) <= room:
            break
    return lines


def _short(name: str, width: int = 16) -> str:
    """A name as a short menu line shows it: whole words while they fit, initials after."""
    words = to_gsm7(name).split()
    shown = ""
    for word in words:
        candidate = f"{shown} {word}".strip()
        if len(candidate) > width:
            shown = f"{shown} {word[0]}.".strip() if shown else word[:width]
            break
        shown = candidate
    return shown
