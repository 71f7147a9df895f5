"""Keeping the catalogues in step with the code: `python -m vsla.i18n.pofiles`.

Extracts every message marked with N_ (or _) from the packages, and merges them into
vsla/locale/{fr,sw,ln}.po: new messages arrive untranslated, translations of existing ones are
kept, messages no longer used are dropped. The tests fail while anything is untranslated.
"""

from __future__ import annotations

import sys

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from vsla.i18n import LANGUAGES, LOCALE_DIR

ROOT = LOCALE_DIR.parent.parent
PACKAGES = ("ledger", "vsla", "tui", "ussd")
KEYWORDS = {"N_": None, "_": None}


def extract() -> Catalog:
    template = Catalog(project="vsla-books", fuzzy=False)
    for package in PACKAGES:
        directory = ROOT / package
        if not directory.is_dir():
            continue
        for filename, lineno, message, comments, context in extract_from_dir(
            directory,
            # The hub's staff pages are Jinja2 templates: `_("...")` in them is a message.
            method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")],
            keywords=KEYWORDS,
        ):
            template.add(
                message,
                locations=[(f"{package}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return template


def update(language: str, template: Catalog) -> tuple[int, int]:
    """Merge `template` into the language's catalogue; (messages, untranslated)."""
    path = LOCALE_DIR / f"{language}.po"
    if path.exists():
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=language)
    else:
        catalogue = Catalog(locale=language, project="vsla-books")
    catalogue.update(template, no_fuzzy_matching=True)
    catalogue.obsolete.clear()
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=100, omit_header=False, sort_output=False)
    compile_mo(language)
    missing = sum(1 for m in catalogue if m.id and not m.string)
    return len([m for m in catalogue if m.id]), missing


def compiled(language: str) -> bytes:
    """The .mo the app loads, compiled from the language's .po."""
    import io

    with (LOCALE_DIR / f"{language}.po").open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    return buffer.getvalue()


def compile_mo(language: str) -> None:
    (LOCALE_DIR / f"{language}.mo").write_bytes(compiled(language))


def main() -> int:
    template = extract()
    for language in LANGUAGES:
        if language == "en":
            continue
        total, missing = update(language, template)
        print(f"{language}: {total} messages, {missing} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
