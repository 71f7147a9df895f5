"""Translations: English message ids, catalogues in French, Swahili and Lingala (`vsla/locale`).

Messages are marked with `N_` where they are written (in `ledger` and `vsla`) and translated
where they are shown (CLI, app, SMS, USSD), into the language of the person reading.
Catalogues are gettext .po files read with Babel, so translators use the usual tools.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

from ledger import Money, Problem

LANGUAGES = ("en", "fr", "sw", "ln")
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "sw": "Kiswahili", "ln": "Lingála"}
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


@lru_cache(maxsize=8)
def catalogue(language: str) -> dict[str, str]:
    path = LOCALE_DIR / f"{language}.po"
    if language == "en" or not path.exists():
        return {}
    with path.open("rb") as handle:
        parsed = read_po(handle, locale=language)
    return {
        str(message.id): str(message.string)
        for message in parsed
        if message.id and message.string and not message.fuzzy
    }


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


def render_problem(problem: Problem, language: str | None = None) -> str:
    """The problem in `language`, with amounts shown the local way (Babel)."""
    from vsla.display import money

    language = language or default_language()
    params = {
        key: money(value.amount_minor, value.currency.code, language)
        if isinstance(value, Money)
        else value
        for key, value in problem.params.items()
    }
    return tr(problem.message, language, **params)
