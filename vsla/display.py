"""Money and dates shown the local way (Babel): 1 234 500 FC in Bukavu, USh 12,000 in Kampala.

Display only: what is stored and computed stays integer minor units.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal

from ledger import currency, format_fraction

# Congolese francs and Tanzanian shillings change hands in whole units (domain.md): showing
# ",00" on every amount would only add noise for people reading a small screen.
WHOLE_UNIT_CURRENCIES = frozenset({"CDF", "TZS"})


@lru_cache(maxsize=64)
def locale_for(language: str, country: str | None = None) -> Locale:
    for tag in (f"{language}_{country}" if country else None, language, "en"):
        if tag is None:
            continue
        try:
            return Locale.parse(tag)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


def money(amount_minor: int, code: str, language: str = "en", country: str | None = None) -> str:
    cur = currency(code)
    value = Decimal(amount_minor).scaleb(-cur.exponent)
    loc = locale_for(language, country)
    if code in WHOLE_UNIT_CURRENCIES and amount_minor % cur.unit_minor == 0:
        pattern = loc.currency_formats["standard"].pattern.split(";")[0]
        whole = pattern.replace(".00", "").replace(".0", "")
        text = format_currency(value, code, format=whole, locale=loc, currency_digits=False)
    else:
        text = format_currency(value, code, locale=loc)
    # English CLDR glues an ISO code to the number ("UGX6,000"); people read "UGX 6,000".
    if text.startswith(code) and len(text) > len(code) and not text[len(code)].isspace():
        text = f"{code} {text[len(code) :]}"
    return text


def number(value: int, language: str = "en", country: str | None = None) -> str:
    return format_decimal(value, locale=locale_for(language, country))


def share_value(
    value_minor: Fraction, code: str, language: str = "en", country: str | None = None
) -> str:
    """The exact value of a share (a fraction of minor units), truncated like
    `ledger.format_fraction` but written with the local decimal mark: 606,036774 in
    Kinshasa, where 606.036774 would read as six hundred million."""
    cur = currency(code)
    plain = format_fraction(value_minor, cur)
    decimals = len(plain.partition(".")[2])
    pattern = "#,##0" + (
        "." + "0" * cur.exponent + "#" * (decimals - cur.exponent) if decimals else ""
    )
    # The text has no more digits than the pattern keeps, so nothing is rounded here.
    return format_decimal(Decimal(plain), format=pattern, locale=locale_for(language, country))
