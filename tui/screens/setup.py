"""Setting up a new group: its name and its constitution (domain.md), each value checked as it
is typed. Members and roles come next, on the members screen."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from ledger import N_, Currency, currency, parse_count
from tui.screens.base import BookScreen
from tui.text import language, problem_text, t
from tui.widgets.field import Field, focus_after
from tui.widgets.footer import KeysFooter
from vsla.book.errors import BookError
from vsla.book.session import BookSession
from vsla.display import parse_money
from vsla.domain.constitution import Constitution, ServiceCharge
from vsla.domain.people import CURRENCY_COUNTRY, check_group_id, check_language, check_name

RATE_RE = re.compile(r"(\d{1,3})(?:[.,](\d{1,2}))?")
FINE_RE = re.compile(r"([A-Za-z0-9_]{1,30})=(\S+)")
# Between fines: spaces, ";", or a comma before the next name ("late=200, absent=500"); a
# comma between digits belongs to the amount (the decimal mark of French and Lingala).
FINE_SEPARATOR = re.compile(r"\s+|;|,(?=\s*[A-Za-z_])")


def rate_bp(text: str) -> int:
    """A monthly rate typed in percent ("10", "2.5", "2,5") as basis points: at most two
    decimals, so either mark is read the same way (a rate has no thousands to group)."""
    match = RATE_RE.fullmatch(text.strip())
    if match is None:
        raise ValueError(text)
    whole, part = match.group(1), (match.group(2) or "").ljust(2, "0")
    return int(whole) * 100 + int(part)


def parse_fines(text: str, cur: Currency, country: str | None = None) -> dict[str, int]:
    """`late=200 absent=500` → {"late": 20000, "absent": 50000} (in minor units); amounts
    typed the way the current language writes them."""
    fines: dict[str, int] = {}
    for part in FINE_SEPARATOR.split(text):
        if not part.strip():
            continue
        match = FINE_RE.fullmatch(part.strip())
        if match is None:
            raise ValueError(part.strip())
        fines[match.group(1).lower()] = parse_money(
            match.group(2).rstrip(","), cur.code, language(), country, allow_zero=False
        )
    return fines


class SetupScreen(BookScreen):
    HELP = N_(
        "Fill in the group's constitution as the members agreed it; each line says at once "
        "what is wrong. Amounts are in the group's currency. Fines: name=amount separated by "
        "spaces (late=200 absent=500). Ctrl+S creates the group; then add the members."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back")),
        Binding("ctrl+s", "create", N_("Create group")),
    ]

    def __init__(self, session: BookSession, today: date) -> None:
        super().__init__(session)
        self.today = today

    def compose(self) -> ComposeResult:
        yield Static(t(N_("New group")), classes="title")
        with VerticalScroll(id="setup"):
            for key, label, value, check in self._fields():
                yield Field(key, t(label), value=value, check=check)
            yield Static("", id="setup-problem", classes="problem")
        yield KeysFooter()

    def _fields(self) -> list[tuple[str, str, str, Callable[[str], str | None]]]:
        return [
            ("group_id", N_("Short name (letters, -)"), "", self._check(check_group_id)),
            ("name", N_("Group name"), "", self._check(lambda s: check_name(s, what="group name"))),
            (
                "currency",
                N_("Currency (CDF, UGX …)"),
                "CDF",
                self._check(lambda s: currency(s.strip().upper())),
            ),
            ("country", N_("Country (CD, UG …)"), "", self._country),
            ("language", N_("Language: en, fr, sw, ln"), "fr", self._check(check_language)),
            ("cycle_start", N_("Cycle starts (YYYY-MM-DD)"), self.today.isoformat(), self._date),
            ("share_value", N_("Value of a share"), "", self._amount(positive=True)),
            ("shares_min", N_("Fewest shares a meeting"), "1", self._count),
            ("shares_max", N_("Most shares a meeting"), "5", self._count),
            ("social_fund", N_("Social fund a meeting"), "0", self._amount(positive=False)),
            ("interval", N_("Days between meetings"), "7", self._count),
            ("loan_multiple", N_("Loan up to × savings"), "3", self._count),
            ("term_max", N_("Longest loan (months)"), "3", self._count),
            ("method", N_("Service charge method"), "declining", self._method),
            ("rate", N_("Service charge % a month"), "10", self._rate),
            ("fines", N_("Fines (late=200 absent=500)"), "", self._fines),
            (
                "rounding",
                N_("Round payouts down to"),
                "",
                self._amount(positive=True, empty_ok=True),
            ),
        ]

    # -- checks ----------------------------------------------------------------------------

    @staticmethod
    def _check(check: Callable[[str], Any]) -> Callable[[str], str | None]:
        def checked(text: str) -> str | None:
            try:
                check(text)
            except BookError as error:
                return problem_text(error.problem)
            return None

        return checked

    def _currency(self) -> Currency | None:
        try:
            return currency(self.value("currency").strip().upper())
        except BookError:
            return None

    def _amount(self, *, positive: bool, empty_ok: bool = False) -> Callable[[str], str | None]:
        def checked(text: str) -> str | None:
            cur = self._currency()
            if cur is None or (empty_ok and not text.strip()):
                return None
            try:
                self._money(text, cur, allow_zero=not positive)
            except BookError as error:
                return problem_text(error.problem)
            return None

        return checked

    def _typed_country(self) -> str | None:
        """The group's country as the app will show its money: typed, or its currency's."""
        country = self.value("country").strip().upper()
        if re.fullmatch(r"[A-Z]{2}", country):
            return country
        cur = self._currency()
        return CURRENCY_COUNTRY.get(cur.code) if cur is not None else None

    def _money(self, text: str, cur: Currency, *, allow_zero: bool = True) -> int:
        """An amount read the way the language and the group's country write numbers."""
        return parse_money(text, cur.code, language(), self._typed_country(), allow_zero=allow_zero)

    def _count(self, text: str) -> str | None:
        try:
            parse_count(text)
        except BookError as error:
            return problem_text(error.problem)
        return None

    def _country(self, text: str) -> str | None:
        if not text.strip() or re.fullmatch(r"[A-Za-z]{2}", text.strip()):
            return None
        return t(N_("two letters, like CD or UG"))

    def _date(self, text: str) -> str | None:
        try:
            date.fromisoformat(text.strip())
        except ValueError:
            return t(N_('"{value}" is not a date: write it as YYYY-MM-DD'), value=text)
        return None

    def _method(self, text: str) -> str | None:
        if text.strip() in {m.value for m in ServiceCharge}:
            return None
        return t(N_("write declining, upfront or none"))

    def _rate(self, text: str) -> str | None:
        try:
            rate_bp(text)
        except ValueError:
            return t(N_('"{value}": write the rate in percent, like 10 or 2.5'), value=text)
        return None

    def _fines(self, text: str) -> str | None:
        cur = self._currency()
        if cur is None:
            return None
        try:
            parse_fines(text, cur, self._typed_country())
        except BookError as error:
            return problem_text(error.problem)
        except ValueError as error:
            return t(N_('"{value}": write each fine as name=amount'), value=str(error))
        return None

    # -- making the group ------------------------------------------------------------------

    def value(self, key: str) -> str:
        return self.query_one(f"#field-{key}", Field).value

    def on_mount(self) -> None:
        self.typed = self._values()
        self.query(Field).first().input.focus()

    def _values(self) -> dict[str, str]:
        return {f.key: f.value for f in self.query(Field)}

    def on_field_submitted(self, event: Field.Submitted) -> None:
        event.stop()
        if not focus_after(list(self.query(Field)), event.field):
            self.action_create()

    def constitution(self) -> Constitution:
        cur = self._currency()
        assert cur is not None
        rounding = self.value("rounding").strip()
        return Constitution(
            currency=cur.code,
            share_value_minor=self._money(self.value("share_value"), cur),
            shares_min=parse_count(self.value("shares_min")),
            shares_max=parse_count(self.value("shares_max")),
            social_fund_minor=self._money(self.value("social_fund"), cur),
            meeting_interval_days=parse_count(self.value("interval")),
            loan_multiple=parse_count(self.value("loan_multiple")),
            loan_term_max_months=parse_count(self.value("term_max")),
            service_charge=ServiceCharge(self.value("method").strip()),
            service_charge_rate_bp=rate_bp(self.value("rate")),
            fines_minor=parse_fines(self.value("fines"), cur, self._typed_country()),
            payout_rounding_minor=self._money(rounding, cur) if rounding else 1,
        )

    def action_create(self) -> None:
        refused = [f for f in self.query(Field) if f.validate_now() is not None]
        if not self.value("share_value").strip():
            refused.insert(0, self.query_one("#field-share_value", Field))
        problem = self.query_one("#setup-problem", Static)
        if refused:
            refused[0].input.focus()
            problem.update(t(N_("Put right the values marked in red first")))
            return
        try:
            constitution = self.constitution()
        except ValueError as error:  # the constitution's own checks (pydantic), e.g. min > max
            errors = getattr(error, "errors", None)
            detail = str(errors()[0].get("msg", "")) if callable(errors) else str(error)
            problem.update(t(N_("the constitution is not valid: {detail}"), detail=detail))
            return
        group_id = self.value("group_id").strip()
        try:
            self.book.create_group(
                group_id=group_id,
                name=self.value("name").strip(),
                constitution=constitution,
                members=[],
                cycle_start=date.fromisoformat(self.value("cycle_start").strip()),
                language=self.value("language").strip(),
                country=self.value("country").strip().upper()
                or CURRENCY_COUNTRY.get(constitution.currency),
            )
        except BookError as error:
            problem.update(problem_text(error.problem))
            return
        from tui.screens.home import GroupHomeScreen
        from tui.screens.members import MembersScreen

        self.notify(t(N_("Group created: now add its members (a)")))
        self.app.switch_screen(GroupHomeScreen(self.session, group_id, self.today))
        self.app.push_screen(MembersScreen(self.session, group_id, self.today))

    def action_back(self) -> None:
        from tui.screens.confirm import leave_unsaved

        leave_unsaved(self, self._values() != self.typed, self.app.pop_screen)
