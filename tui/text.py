"""What the app says, in the facilitator's language: translated messages, money shown the local
way, and the engine's problems made readable (amounts in them are minor units)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text

from ledger import N_, Currency, Money, Problem, Term
from vsla.display import amount, how_to_type, money, parse_money, typed
from vsla.domain.words import ATTENDANCE_NAMES, BOWL_NAMES, ROLE_NAMES, WHEN_NAMES
from vsla.i18n import LANGUAGES, tr

if TYPE_CHECKING:
    from vsla.book.session import BookSession

# One app per process, one language at a time: binding it here keeps every widget's call short.
_state = {"language": "en", "country": ""}

# Older problems may still name a bowl, a role or an attendance by its code.
WORD_PARAMS = {**BOWL_NAMES, **WHEN_NAMES, **ATTENDANCE_NAMES, **ROLE_NAMES}


READ_ONLY = N_(
    "This book is read-only (the file cannot be written): you can look, but no meeting can "
    "start and nothing can be recorded"
)


def backup_line(session: BookSession) -> str:
    """When this book was last backed up, in local time, and where the copies are."""
    last = session.last_backup()
    if last is None:
        return t(N_("No backup yet: one is made after every closed meeting"))
    made_at = datetime.fromisoformat(last.made_at)
    return t(
        N_("Last backup: {when} in {folder}"),
        when=made_at.astimezone().strftime("%Y-%m-%d %H:%M"),
        folder=last.folder,
    )


def sync_line(session: BookSession, group_id: str) -> str | None:
    """When the hub last took this group from this device, and what waits (None when the
    device does not sync)."""
    mark = session.reader.sync_mark(group_id)
    if mark is None:
        return None
    if mark.last_sync_at is None:
        return t(N_("Never synced: {count} entries wait for `vsla sync`"), count=mark.waiting)
    return t(
        N_("Last sync: {when} · {count} entries waiting"),
        when=datetime.fromisoformat(mark.last_sync_at).astimezone().strftime("%Y-%m-%d %H:%M"),
        count=mark.waiting,
    )


def set_language(language: str) -> None:
    _state["language"] = language if language in LANGUAGES else "en"


def language() -> str:
    return _state["language"]


def t(message: str, **params: Any) -> str:
    """`message` (an N_ msgid) in the current language, placeholders filled."""
    return tr(message, _state["language"], **params)


def show_money(amount_minor: int, code: str, country: str | None = None) -> str:
    """An amount with its currency, the local way (1 234 FC, USh 12,000)."""
    return money(amount_minor, code, _state["language"], country)


def show_amount(amount_minor: int, cur: Currency, country: str | None = None) -> str:
    """An amount without the currency sign, for narrow grid cells under a titled column:
    grouped the local way (36,100 in Kampala, 36 100 in Kinshasa), cents only when there are."""
    return amount(amount_minor, cur.code, _state["language"], country)


def right(text: str) -> Text:
    """A table cell aligned right, so that amounts and counts line up by their units."""
    return Text(text, justify="right")


def typed_amount(amount_minor: int, cur: Currency, country: str | None = None) -> str:
    """An amount as the facilitator would type it (no grouping), so it parses back exactly."""
    return typed(amount_minor, cur.code, _state["language"], country)


def parse_typed(
    text: str, cur: Currency, country: str | None = None, *, allow_zero: bool = True
) -> int:
    """A typed amount in minor units, read the way the current language writes numbers;
    BookError (with a `problem_text` to show) when it is refused."""
    return parse_money(text, cur.code, _state["language"], country, allow_zero=allow_zero)


def typing_help(code: str, country: str | None = None) -> str:
    """How amounts are typed in this language and currency: the rule `parse_typed` applies."""
    return problem_text(how_to_type(code, _state["language"], country), country)


def problem_text(problem: Problem, country: str | None = None) -> str:
    """An engine problem in the current language: its amounts shown as money the local way, the
    words it names (bowls, roles, attendance) translated."""
    params: dict[str, Any] = dict(problem.params)
    for key, value in problem.params.items():
        if isinstance(value, Money):
            params[key] = show_money(value.amount_minor, value.currency.code, country)
        elif isinstance(value, Term):
            params[key] = t(value)
        elif isinstance(value, str) and value in WORD_PARAMS:
            params[key] = t(WORD_PARAMS[value])
    return tr(problem.message, _state["language"], **params)
