"""Money and dates shown the local way (Babel): 1 234 500 FC in Bukavu, USh 12,000 in Kampala;
and money typed back the same way (`parse_money`), so what the screen shows can be typed.

Display only: what is stored and computed stays integer minor units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ledger import (
    MAX_AMOUNT_MINOR,
    N_,
    Currency,
    LedgerError,
    Problem,
    Term,
    currency,
    format_fraction,
)

# Congolese francs and Tanzanian shillings change hands in whole units (domain.md): showing
# ",00" on every amount would only add noise for people reading a small screen.
WHOLE_UNIT_CURRENCIES = frozenset({"CDF", "TZS"})
# A share's value keeps this many digits beyond those its currency shows: enough to check the
# payouts, few enough to read aloud.
SHARE_VALUE_EXTRA_DIGITS = 2
# Nobody can type U+202F (the narrow no-break space French groups thousands with): any space
# stands for it.
SPACES = frozenset(" \xa0\u202f")
_MAX_DIGITS = 18


if TYPE_CHECKING:
    from babel import Locale

# Babel is imported where an amount is first shown, not here: the app's first screen shows
# none, and a cheap phone pays tens of milliseconds for it.


@lru_cache(maxsize=64)
def locale_for(language: str, country: str | None = None) -> Locale:
    from babel import Locale, UnknownLocaleError

    for tag in (f"{language}_{country}" if country else None, language, "en"):
        if tag is None:
            continue
        try:
            return Locale.parse(tag)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


@dataclass(frozen=True, slots=True)
class Marks:
    """How a language writes numbers: the mark between thousands, before the cents, and the
    minus sign; `grouping` is (first group, later groups), (3, 3) everywhere we work."""

    group: str
    decimal: str
    minus: str
    grouping: tuple[int, int]


@lru_cache(maxsize=64)
def marks(language: str, country: str | None = None) -> Marks:
    loc = locale_for(language, country)
    symbols: Any = loc.number_symbols
    latin = symbols.get("latn", symbols)
    group = str(latin.get("group", ","))
    primary, secondary = loc.decimal_formats[None].grouping
    return Marks(
        group=" " if group in SPACES else group,
        decimal=str(latin.get("decimal", ".")),
        minus=str(latin.get("minusSign", "-")),
        grouping=(int(primary), int(secondary)),
    )


def money(amount_minor: int, code: str, language: str = "en", country: str | None = None) -> str:
    from babel.numbers import format_currency

    cur = currency(code)
    value = Decimal(amount_minor).scaleb(-cur.exponent)
    loc = locale_for(language, country)
    if code in WHOLE_UNIT_CURRENCIES and amount_minor % cur.unit_minor == 0:
        pattern = loc.currency_formats["standard"].pattern.split(";")[0]
        whole = pattern.replace(".00", "").replace(".0", "")
        text = format_currency(value, code, format=whole, locale=loc, currency_digits=False)
    else:
        text = format_currency(value, code, locale=loc)
    # English CLDR glues an ISO code to the number ("UGX6,000"); people read "UGX 6,000", and
    # "-UGX 6,000" when negative: the locale's own sign, the same spacing as a positive amount.
    minus = re.escape(marks(language, country).minus)
    return re.sub(rf"{code}(?=[\d{minus}])", f"{code} ", text, count=1)


def number(value: int, language: str = "en", country: str | None = None) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale_for(language, country))


def amount(amount_minor: int, code: str, language: str = "en", country: str | None = None) -> str:
    """An amount without its currency, for cells under a titled column: grouped the local
    way (36,100 in Kampala, 36.100 in Kinshasa in Lingala), cents only when there are, and
    the locale's minus sign."""
    cur = currency(code)
    whole, part = divmod(abs(amount_minor), cur.unit_minor)
    text = number(whole, language, country)
    if part:
        text += f"{marks(language, country).decimal}{part:0{cur.exponent}d}"
    return f"{marks(language, country).minus}{text}" if amount_minor < 0 else text


def shown_decimals(code: str) -> int:
    """The decimals people read for this currency: none for francs and shillings paid in whole
    units (WHOLE_UNIT_CURRENCIES), ISO 4217's otherwise."""
    return 0 if code in WHOLE_UNIT_CURRENCIES else currency(code).exponent


def share_value(
    value_minor: Fraction, code: str, language: str = "en", country: str | None = None
) -> str:
    """The exact value of a share (a fraction of minor units) with the decimals people read
    for the currency and two more, truncated (never rounded up), written with the local
    decimal mark: 602,45 in Kinshasa, where 602.45 would read as six hundred thousand."""
    from babel.numbers import format_decimal

    cur = currency(code)
    # The same currency with the decimals people read: francs for CDF, not centimes.
    shown = Currency(code, shown_decimals(code))
    in_shown_units = value_minor * shown.unit_minor / cur.unit_minor
    plain = format_fraction(in_shown_units, shown, extra_digits=SHARE_VALUE_EXTRA_DIGITS)
    decimals = len(plain.partition(".")[2])
    pattern = "#,##0" + (
        "." + "0" * shown.exponent + "#" * (decimals - shown.exponent) if decimals else ""
    )
    # The text has no more digits than the pattern keeps, so nothing is rounded here.
    return format_decimal(Decimal(plain), format=pattern, locale=locale_for(language, country))


def typed(amount_minor: int, code: str, language: str = "en", country: str | None = None) -> str:
    """An amount as the facilitator would type it (no grouping, the local decimal mark), so
    that `parse_money` reads it back exactly."""
    cur = currency(code)
    sign = "-" if amount_minor < 0 else ""
    whole, part = divmod(abs(amount_minor), cur.unit_minor)
    if not part:
        return f"{sign}{whole}"
    return f"{sign}{whole}{marks(language, country).decimal}{part:0{cur.exponent}d}"


# -- typed amounts ---------------------------------------------------------------------------

HOW_TO_TYPE = N_(
    "Amounts are typed as the screen shows them, with or without the mark between "
    "thousands: {plain} or {grouped}. Cents, where there are any, come after {decimal}: {cents}."
)
HOW_TO_TYPE_WHOLE = N_(
    "Amounts are typed as the screen shows them, with or without the mark between "
    "thousands: {plain} or {grouped}. {currency} has no cents."
)
NOT_CLEAR = N_(
    '"{value}" is not clear: here {group} separates thousands ({grouped} or {plain}) and '
    "{decimal} comes before the cents ({cents})"
)
NOT_CLEAR_WHOLE = N_(
    '"{value}" is not clear: here {group} separates thousands ({grouped} or {plain}); '
    "{currency} has no cents"
)
NOT_DIGITS = N_('"{value}" is not an amount: type it with the digits 0-9, like {grouped}')


def mark_name(mark: str) -> str:
    """A mark as a message names it: in quotes, or the words "a space"."""
    return Term(N_("a space")) if mark in SPACES else f'"{mark}"'


def typing_examples(code: str, language: str = "en", country: str | None = None) -> dict[str, str]:
    """The examples the help and the refusals give, written the way the screen writes them:
    twenty-five thousand with and without grouping, twelve and a half, the marks' names."""
    cur = currency(code)
    found = marks(language, country)
    cents = f"12{found.decimal}{'5'.ljust(cur.exponent, '0')}" if cur.exponent else ""
    return {
        "plain": "25000",
        "grouped": amount(25_000 * cur.unit_minor, code, language, country).replace("\u202f", " "),
        "cents": cents,
        "group": mark_name(found.group),
        "decimal": mark_name(found.decimal),
        "currency": code,
    }


def how_to_type(code: str, language: str = "en", country: str | None = None) -> Problem:
    """What the help says about typing amounts, from the same marks `parse_money` reads (a
    Problem only as a message with its values: nothing is wrong)."""
    message = HOW_TO_TYPE if currency(code).exponent else HOW_TO_TYPE_WHOLE
    return Problem("amount.how_to_type", message, typing_examples(code, language, country))


def parse_money(
    text: str,
    code: str,
    language: str = "en",
    country: str | None = None,
    *,
    allow_zero: bool = True,
) -> int:
    """A typed amount in minor units, read the way `language` writes numbers.

    Accepted: digits alone (25000), the local mark between thousands where it belongs
    (25,000 in English; 25.000 in Lingala; 25 000 in French), and at most the currency's
    decimals after the local decimal mark (12.50; 12,50). Refused, with an example written
    the local way, is everything else, the other convention's marks included: in Lingala
    "12.50" could be a mistyped 12,50 or 1.250, and money is never guessed.
    """
    cur = currency(code)
    value = text.strip()
    if not value:
        raise LedgerError(Problem("amount.empty", N_("the amount is empty"), {}))
    shown = value[:40]
    found = marks(language, country)
    _refuse_characters(value, shown, found, code, language, country)
    whole, sep, decimals = _split_decimals(value, found)
    if (sep and (not decimals or len(decimals) > cur.exponent)) or not _grouped_ok(whole, found):
        raise _not_clear(shown, code, language, country)
    digits = whole.replace(found.group, "") if found.group != " " else _no_spaces(whole)
    if len(digits) > 1 and digits[0] == "0":
        raise LedgerError.of(
            "amount.leading_zero", N_('"{value}": remove the leading zero'), value=shown
        )
    if len(digits) + len(decimals) > _MAX_DIGITS:
        raise _too_large(shown)
    minor = int(digits) * cur.unit_minor + int(decimals.ljust(cur.exponent, "0") or "0")
    if minor > MAX_AMOUNT_MINOR:
        raise _too_large(shown)
    if minor == 0 and not allow_zero:
        raise LedgerError.of("amount.zero", N_("the amount must be more than zero"), value=shown)
    return minor


def _refuse_characters(
    value: str, shown: str, found: Marks, code: str, language: str, country: str | None
) -> None:
    """Signs, letters and symbols are refused before any mark is read."""
    if value[0] in "-\u2212" or value[0] == found.minus:
        raise LedgerError.of(
            "amount.negative", N_('"{value}": the amount must not be negative'), value=shown
        )
    allowed = set("0123456789.,'") | SPACES | {found.group, found.decimal}
    if any(char not in allowed for char in value):
        raise LedgerError(
            Problem(
                "amount.not_digits",
                NOT_DIGITS,
                {**typing_examples(code, language, country), "value": shown},
            )
        )


def _split_decimals(value: str, found: Marks) -> tuple[str, str, str]:
    """(whole part, decimal mark or "", decimals); more than one decimal mark, or a decimal
    mark before a group mark, is left for `_grouped_ok` to refuse."""
    whole, sep, decimals = value.rpartition(found.decimal)
    if not sep:
        return value, "", ""
    if not decimals.isdigit():
        return value, sep, ""
    return whole, sep, decimals


def _grouped_ok(whole: str, found: Marks) -> bool:
    """Digits alone, or groups of the locale's sizes between the locale's group mark."""
    if whole.isdigit():
        return True
    group = found.group
    parts = re.split("[ \xa0\u202f]", whole) if group == " " else whole.split(group)
    first, *rest = parts
    primary, secondary = found.grouping
    sizes = [secondary] * (len(rest) - 1) + [primary]
    return (
        bool(rest)
        and first.isdigit()
        and 1 <= len(first) <= (secondary if len(rest) > 1 else primary)
        and all(
            part.isdigit() and len(part) == size for part, size in zip(rest, sizes, strict=True)
        )
    )


def _no_spaces(text: str) -> str:
    return "".join(char for char in text if char not in SPACES)


def _not_clear(shown: str, code: str, language: str, country: str | None) -> LedgerError:
    message = NOT_CLEAR if currency(code).exponent else NOT_CLEAR_WHOLE
    params = {**typing_examples(code, language, country), "value": shown}
    return LedgerError(Problem("amount.not_clear", message, params))


def _too_large(shown: str) -> LedgerError:
    return LedgerError.of(
        "amount.too_large", N_('"{value}" is far too large to be an amount'), value=shown
    )
