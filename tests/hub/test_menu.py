"""The menu as a pure function, with a book that answers what the test says: every screen in
every language with the longest real values fits a USSD screen, and nothing typed breaks it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ussd.menu import Figures, UssdReply, UssdRequest, handle
from vsla.book.access import Caller, Check, Verdict
from vsla.book.errors import RuleBroken
from vsla.i18n import LANGUAGES
from vsla.sms.gsm import is_gsm7

NOW = datetime(2026, 11, 29, 10, tzinfo=UTC)
LONG = "Marie-Claire Mwamba wa Kalala Tshibangu Nsimba"  # a real name can be this long
GROUP = "Umoja wa Mama wa Kolwezi na Likasi Kanina"
# The largest amounts a group of thirty can hold, in francs with centimes.
BIG = 99_999_999_99


def caller(member: str = "M01", *, has_pin: bool = True, language: str = "en") -> Caller:
    return Caller("umoja", GROUP, member, LONG, language, True, has_pin, None)


def figures(**changes: object) -> Figures:
    base = Figures(
        currency="CDF",
        meeting=1234,
        meeting_on=date(2026, 11, 25),
        shares=12345,
        savings_minor=BIG,
        worth_minor=BIG,
        social_fund_paid_minor=BIG,
        loan_owed_minor=BIG,
        loan_due_on=date(2027, 2, 17),
        loan_late=True,
        next_meeting_on=date(2026, 12, 2),
        loan_fund_minor=BIG,
        social_fund_minor=BIG,
        loans_out_minor=BIG,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@dataclass
class FakeBook:
    """A book that says what the test wants, and remembers what the menu asked of it."""

    people: list[Caller] = field(default_factory=lambda: [caller()])
    code: Verdict = field(default_factory=lambda: Verdict(Check.OK))
    pin: Verdict = field(default_factory=lambda: Verdict(Check.OK))
    shown: Figures | None = field(default_factory=figures)
    done: list[tuple[str, int]] = field(default_factory=list)

    def callers(self, phone: str) -> Sequence[Caller]:
        return self.people

    def check_code(self, caller: Caller, code: str, step: int) -> Verdict:
        self.done.append(("code", step))
        return self.code

    def activate(self, caller: Caller, pin: str, step: int) -> None:
        self.done.append(("activate", step))

    def check_pin(self, caller: Caller, pin: str, step: int) -> Verdict:
        self.done.append(("pin", step))
        return self.pin

    def change_pin(self, caller: Caller, pin: str, step: int) -> None:
        self.done.append(("change", step))

    def set_language(self, caller: Caller, language: str, step: int) -> None:
        self.done.append((f"language:{language}", step))

    def figures(self, caller: Caller) -> Figures:
        if self.shown is None:
            raise RuleBroken.of("book.busy", "busy")
        return self.shown


def ask(book: FakeBook, *inputs: str, ahead: int = 0, language: str = "en") -> UssdReply:
    return handle(UssdRequest("S1", "+243970000001", "*384#", inputs, ahead, NOW), book, language)


def fits(reply: UssdReply) -> None:
    assert len(reply.text) <= 160, (len(reply.text), reply.text)
    assert is_gsm7(reply.text), reply.text
    assert reply.text.strip()


PIN = "4821"


def every_screen(language: str) -> list[UssdReply]:
    """Each screen and each message of the menu once, the member speaking `language`."""
    signed = FakeBook(people=[caller(language=language)])
    new = FakeBook(people=[caller(has_pin=False, language=language)])
    many = FakeBook(people=[caller(f"M{n:02d}", language=language) for n in range(1, 6)])
    menu = [PIN]
    replies = [
        ask(FakeBook(people=[]), language=language),  # an unknown number
        ask(many),  # who is calling, five members on one phone
        ask(many, "9"),  # a choice that is not shown
        ask(new),  # language
        ask(new, "2"),  # the code
        ask(FakeBook(people=new.people, code=Verdict(Check.WRONG, 2)), "2", "000000"),
        ask(FakeBook(people=new.people, code=Verdict(Check.VOID)), "2", "000000"),
        ask(new, "2", "123456"),  # a new PIN
        ask(new, "2", "123456", "12"),  # not four digits
        ask(new, "2", "123456", PIN),  # the same again
        ask(new, "2", "123456", PIN, "1111"),  # they differ
        ask(signed),  # the PIN
        ask(signed, PIN, ahead=1),  # typed when dialling
        ask(FakeBook(people=signed.people, pin=Verdict(Check.WRONG, 2)), "1111"),
        ask(FakeBook(people=signed.people, pin=Verdict(Check.LOCKED)), "1111"),
        ask(signed, *menu),  # the main menu
        ask(signed, *menu, "8"),
    ]
    for choice in "123457":
        replies.append(ask(signed, *menu, choice))
    replies += [
        ask(FakeBook(people=signed.people, shown=figures(loan_late=False)), *menu, "2"),
        ask(FakeBook(people=signed.people, shown=figures(loan_owed_minor=None)), *menu, "2"),
        ask(FakeBook(people=signed.people, shown=figures(meeting=None)), *menu, "1"),
        ask(FakeBook(people=signed.people, shown=figures(next_meeting_on=None)), *menu, "4"),
        ask(FakeBook(people=signed.people, shown=None), *menu, "1"),  # cannot be read
        ask(signed, *menu, "6"),  # the current PIN
        ask(signed, *menu, "6", PIN),  # the new one
        ask(signed, *menu, "6", PIN, "1357"),  # again
        ask(signed, *menu, "6", PIN, "1357", "1357"),  # changed
    ]
    return replies


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screen_fits_in_every_language_with_the_longest_values(language: str) -> None:
    for reply in every_screen(language):
        fits(reply)


def test_the_figures_are_shown_whole_never_cut() -> None:
    book = FakeBook(people=[caller(language="fr")])
    savings = ask(book, PIN, "1")
    assert "999 999 99" in savings.text.replace(".", " ").replace(",", " ")
    assert "12345" in savings.text


def test_a_figure_that_cannot_be_read_is_never_shown_as_zero() -> None:
    reply = ask(FakeBook(shown=None), PIN, "1")
    first, navigation = reply.text.splitlines()
    assert "Not available" in first and "0" not in first
    assert navigation == "0 Back 00 Menu"


def test_back_and_home_work_everywhere_after_the_pin() -> None:
    book = FakeBook()
    menu = ask(book, PIN).text
    for path in (("1", "0"), ("2", "00"), ("6", "0"), ("6", PIN, "00"), ("7", "0"), ("0",)):
        assert ask(book, PIN, *path).text == menu, path


def test_each_input_is_acted_on_once_with_its_place_in_the_session() -> None:
    book = FakeBook(people=[caller(has_pin=False)])
    ask(book, "3", "123456", PIN, PIN, "1")
    assert book.done == [("language:sw", 0), ("code", 1), ("activate", 3)]


def test_a_confirmation_that_differs_never_sets_the_pin() -> None:
    book = FakeBook(people=[caller(has_pin=False)])
    reply = ask(book, "1", "123456", PIN, "1111")
    assert ("activate", 3) not in book.done
    assert "differ" in reply.text and reply.secret


tokens = st.one_of(
    st.sampled_from(["", "0", "00", "1", "2", "7", "9", PIN, "1111", "123456", "*", "#"]),
    st.text(max_size=30),
)


@given(
    inputs=st.lists(tokens, max_size=12),
    ahead=st.integers(0, 3),
    people=st.integers(0, 4),
    has_pin=st.booleans(),
    code=st.sampled_from(list(Check)),
    pin=st.sampled_from(list(Check)),
    language=st.sampled_from(LANGUAGES),
)
@settings(max_examples=300, deadline=None)
def test_whatever_is_typed_the_reply_is_a_screen(
    inputs: list[str],
    ahead: int,
    people: int,
    has_pin: bool,
    code: Check,
    pin: Check,
    language: str,
) -> None:
    book = FakeBook(
        people=[caller(f"M{n:02d}", has_pin=has_pin, language=language) for n in range(people)],
        code=Verdict(code, 1),
        pin=Verdict(pin, 1),
    )
    fits(ask(book, *inputs, ahead=min(ahead, len(inputs)), language=language))
