"""Every message the code can show exists in French, Swahili and Lingala, with the same
placeholders; SMS texts stay in the GSM alphabet and within 160 characters."""

from __future__ import annotations

import ast
import string

import pytest
from babel.messages.pofile import read_po

from vsla.i18n import LANGUAGES, LOCALE_DIR, catalogue
from vsla.i18n.pofiles import PACKAGES, ROOT, extract

TRANSLATED = [language for language in LANGUAGES if language != "en"]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.fixture(scope="module")
def messages() -> list[str]:
    return [str(m.id) for m in extract() if m.id]


def marked_in_code() -> set[str]:
    """Every N_("...") the code holds, as Python itself reads it: also those the catalogue
    extractor cannot see (inside an f-string), which would stay in English for everyone."""
    found: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "N_"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    found.add(node.args[0].value)
    return found


def test_every_marked_message_reaches_the_catalogues(messages: list[str]) -> None:
    assert sorted(marked_in_code() - set(messages)) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language: str, messages: list[str]) -> None:
    translations = catalogue(language)
    missing = [m for m in messages if not translations.get(m)]
    assert missing == [], (
        f"{len(missing)} untranslated in {language}.po; run `python -m vsla.i18n.pofiles` "
        f"and translate them: {missing[:5]}"
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_their_placeholders(language: str, messages: list[str]) -> None:
    translations = catalogue(language)
    wrong = [
        m
        for m in messages
        if m in translations and placeholders(translations[m]) != placeholders(m)
    ]
    assert wrong == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_compiled_catalogue_holds_the_messages_of_its_po_file(language: str) -> None:
    """Compared by messages, not bytes: the .mo header names the Babel that wrote it."""
    with (LOCALE_DIR / f"{language}.po").open("rb") as handle:
        written = read_po(handle, locale=language)
    expected = {str(m.id): str(m.string) for m in written if m.id and m.string and not m.fuzzy}
    assert catalogue(language) == expected, (
        "run `python -m vsla.i18n.pofiles` to compile the catalogues"
    )
