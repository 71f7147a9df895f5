"""Translations: English message ids, catalogues in French, Swahili and Lingala (`vsla/locale`).

Messages are marked with `N_` where they are written (in `ledger` and `vsla`) and translated
where they are shown (CLI, app, SMS, USSD), into the language of the person reading.
Catalogues are gettext .po files read with Babel, so translators use the usual tools.
"""

from __future__ import annotations

import gettext
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from ledger import Money, Problem, Term

LANGUAGES = ("en", "fr", "sw", "ln")
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "sw": "Kiswahili", "ln": "Lingála"}
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


@lru_cache(maxsize=8)
def catalogue(language: str) -> dict[str, str]:
    """msgid -> translation, from the compiled .mo (1 ms, against 100 ms to parse the .po at
    every start of the app); `python -m vsla.i18n.pofiles` compiles them and a test checks
    each .mo is its .po compiled."""
    path = LOCALE_DIR / f"{language}.mo"
    if language == "en" or not path.exists():
        return {}
    with path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    # _catalog is where GNUTranslations keeps the messages; "" is the header, not a message.
    messages: dict[str, str] = compiled._catalog  # type: ignore[attr-defined]
    return {str(k): str(v) for k, v in messages.items() if k and v}


def default_language() -> str:
    """The language asked for by VSLA_LANG, then LANG (fr_CD.UTF-8 → fr), else English."""
    for variable in ("VSLA_LANG", "LANGUAGE", "LC_ALL", "LANG"):
        value = os.environ.get(variable, "")
        code = value.split(":")[0].split("_")[0].split(".")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"


def translate(message: str, language: str | None = None) -> str:
    return catalogue(language or default_language()).get(message, message)


def tr(message: str, language: str | None = None, /, **params: Any) -> str:
    """Translate `message` and fill its placeholders."""
    text = translate(message, language)
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return message.format(**params)


def _shown(value: Any, language: str) -> Any:
    from vsla.display import money

    if isinstance(value, Money):
        return money(value.amount_minor, value.currency.code, language)
    if isinstance(value, Term):
        return translate(value, language)
    return value


def render_problem(problem: Problem, language: str | None = None) -> str:
    """The problem in `language`: amounts shown the local way (Babel), words translated."""
    language = language or default_language()
    params = {key: _shown(value, language) for key, value in problem.params.items()}
    return tr(problem.message, language, **params)
