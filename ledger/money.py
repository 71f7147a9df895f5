"""Money as integers in a currency's minor unit, and the strict parsing of typed amounts.

People type amounts on cheap keyboards in many conventions (`1.000` is one thousand in Kinshasa);
a parser that guesses loses money. So this one accepts exactly one form: ASCII digits, and a
single `.` followed by at most the currency's ISO 4217 decimals. Everything else is refused
with a message that says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ledger.problems import N_, LedgerError

# ISO 4217 minor-unit exponents. Most currencies have 2; listing the exceptions keeps the
# table readable. Codes are the active ISO 4217 list (2025).
_EXPONENT_EXCEPTIONS: dict[str, int] = {
    # no minor unit
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0,
    "XPF": 0,
    # three decimals
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    # four decimals
    "CLF": 4, "UYW": 4,
}  # fmt: skip
_TWO_DECIMAL_CODES = (
    "AED",
    "AFN",
    "ALL",
    "AMD",
    "AOA",
    "ARS",
    "AUD",
    "AWG",
    "AZN",
    "BAM",
    "BBD",
    "BDT",
    "BGN",
    "BMD",
    "BND",
    "BOB",
    "BOV",
    "BRL",
    "BSD",
    "BTN",
    "BWP",
    "BYN",
    "BZD",
    "CAD",
    "CDF",
    "CHE",
    "CHF",
    "CHW",
    "CNY",
    "COP",
    "COU",
    "CRC",
    "CUP",
    "CVE",
    "CZK",
    "DKK",
    "DOP",
    "DZD",
    "EGP",
    "ERN",
    "ETB",
    "EUR",
    "FJD",
    "FKP",
    "GBP",
    "GEL",
    "GHS",
    "GIP",
    "GMD",
    "GTQ",
    "GYD",
    "HKD",
    "HNL",
    "HTG",
    "HUF",
    "IDR",
    "ILS",
    "INR",
    "IRR",
    "JMD",
    "KES",
    "KGS",
    "KHR",
    "KPW",
    "KYD",
    "KZT",
    "LAK",
    "LBP",
    "LKR",
    "LRD",
    "LSL",
    "MAD",
    "MDL",
    "MGA",
    "MKD",
    "MMK",
    "MNT",
    "MOP",
    "MRU",
    "MUR",
    "MVR",
    "MWK",
    "MXN",
    "MXV",
    "MYR",
    "MZN",
    "NAD",
    "NGN",
    "NIO",
    "NOK",
    "NPR",
    "NZD",
    "PAB",
    "PEN",
    "PGK",
    "PHP",
    "PKR",
    "PLN",
    "QAR",
    "RON",
    "RSD",
    "RUB",
    "SAR",
    "SBD",
    "SCR",
    "SDG",
    "SEK",
    "SGD",
    "SHP",
    "SLE",
    "SOS",
    "SRD",
    "SSP",
    "STN",
    "SVC",
    "SYP",
    "SZL",
    "THB",
    "TJS",
    "TMT",
    "TOP",
    "TRY",
    "TTD",
    "TWD",
    "TZS",
    "UAH",
    "USD",
    "USN",
    "UYU",
    "UZS",
    "VED",
    "VES",
    "WST",
    "XCD",
    "XCG",
    "YER",
    "ZAR",
    "ZMW",
    "ZWG",
)
CURRENCY_EXPONENTS: dict[str, int] = {code: 2 for code in _TWO_DECIMAL_CODES}
CURRENCY_EXPONENTS.update(_EXPONENT_EXCEPTIONS)

MAX_AMOUNT_MINOR = 10**15
"""Larger amounts are typing accidents; capping also keeps SQLite's 64-bit SUM safe."""

_MAX_DIGITS = 18
_AMOUNT_RE = re.compile(r"(-?)([0-9]+)(?:\.([0-9]*))?", re.ASCII)


@dataclass(frozen=True, slots=True)
class Currency:
    code: str
    exponent: int

    @property
    def unit_minor(self) -> int:
        """Minor units in one major unit (100 for GHS, 1 for UGX)."""
        unit: int = 10**self.exponent
        return unit


@dataclass(frozen=True, slots=True)
class Money:
    """An amount with its currency, for messages: shown in major units, never as raw minor
    units (20000 minor units of CDF are 200 francs, not 20,000)."""

    amount_minor: int
    currency: Currency

    def __str__(self) -> str:
        return f"{format_minor(self.amount_minor, self.currency)} {self.currency.code}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def currency(code: str) -> Currency:
    """The ISO 4217 currency `code`, or a clear error for an unknown code."""
    if not isinstance(code, str) or code not in CURRENCY_EXPONENTS:
        raise LedgerError.of(
            "currency.unknown", N_("{code} is not an ISO 4217 currency code"), code=str(code)
        )
    return Currency(code, CURRENCY_EXPONENTS[code])


def parse_amount(
    text: object,
    cur: Currency,
    *,
    allow_negative: bool = False,
    allow_zero: bool = True,
) -> int:
    """Parse a typed amount in major units into minor units.

    An `int` (not a bool) is taken as whole major units; a `str` must be ASCII digits with at
    most `cur.exponent` decimals after a single `.`. Floats are refused outright: by the time
    an amount is a float, it may already be wrong.
    """
    if isinstance(text, bool | float):
        raise LedgerError.of(
            "amount.float",
            N_('{value} is a decimal number; write amounts as whole numbers or text like "5.50"'),
            value=repr(text),
        )
    if isinstance(text, int):
        return _checked(text * cur.unit_minor, str(text), cur, allow_negative, allow_zero)
    if not isinstance(text, str):
        raise LedgerError.of("amount.type", N_("{value} is not an amount"), value=repr(text)[:40])
    stripped = text.strip(" \t")
    if not stripped:
        raise LedgerError.of("amount.empty", N_("the amount is empty"))
    shown = stripped[:40]
    if not stripped.isascii() or not stripped.isprintable():
        raise LedgerError.of(
            "amount.not_ascii",
            N_('"{value}" has characters other than the digits 0-9; type the amount again'),
            value=shown.encode("ascii", "backslashreplace").decode(),
        )
    if stripped[0] == "+":
        raise LedgerError.of("amount.sign", N_('"{value}": leave out the + sign'), value=shown)
    if len(stripped) > _MAX_DIGITS + 2:
        raise LedgerError.of(
            "amount.too_large", N_('"{value}" is far too large to be an amount'), value=shown
        )
    match = _AMOUNT_RE.fullmatch(stripped)
    if match is None:
        raise LedgerError.of(
            "amount.malformed",
            N_(
                '"{value}" is not an amount: use digits and at most one "." (no spaces, '
                "commas or exponents)"
            ),
            value=shown,
        )
    sign, whole, decimals = match.group(1), match.group(2), match.group(3)
    if len(whole) > 1 and whole[0] == "0":
        raise LedgerError.of(
            "amount.leading_zero", N_('"{value}": remove the leading zero'), value=shown
        )
    if decimals is not None:
        if cur.exponent == 0:
            raise LedgerError.of(
                "amount.no_decimals",
                N_(
                    '{currency} has no decimals: type the amount without "." or "," '
                    "(for one thousand, type 1000)"
                ),
                currency=cur.code,
            )
        if decimals == "":
            raise LedgerError.of(
                "amount.malformed",
                N_(
                    '"{value}" is not an amount: use digits and at most one "." (no spaces, '
                    "commas or exponents)"
                ),
                value=shown,
            )
        if len(decimals) > cur.exponent:
            raise LedgerError.of(
                "amount.too_many_decimals",
                N_('"{value}" has {count} decimals; {currency} has at most {exponent}'),
                value=shown,
                count=len(decimals),
                currency=cur.code,
                exponent=cur.exponent,
            )
    minor = int(whole) * cur.unit_minor
    if decimals:
        minor += int(decimals.ljust(cur.exponent, "0"))
    if sign:
        minor = -minor
    return _checked(minor, shown, cur, allow_negative, allow_zero)


def _checked(minor: int, shown: str, cur: Currency, allow_negative: bool, allow_zero: bool) -> int:
    if abs(minor) > MAX_AMOUNT_MINOR:
        raise LedgerError.of(
            "amount.too_large", N_('"{value}" is far too large to be an amount'), value=shown
        )
    if minor < 0 and not allow_negative:
        raise LedgerError.of(
            "amount.negative", N_('"{value}": the amount must not be negative'), value=shown
        )
    if minor == 0 and not allow_zero:
        raise LedgerError.of("amount.zero", N_("the amount must be more than zero"), value=shown)
    return minor


def parse_count(text: object, *, maximum: int = 10**6) -> int:
    """Parse a count (shares, months): ASCII digits only, no sign, no leading zero."""
    if isinstance(text, bool | float):
        raise LedgerError.of(
            "count.not_whole", N_("{value} is not a whole number"), value=repr(text)
        )
    if isinstance(text, int):
        value = text
        shown = str(text)
    elif isinstance(text, str):
        shown = text.strip(" \t")[:40]
        if not shown:
            raise LedgerError.of("count.empty", N_("the number is empty"))
        if not shown.isascii() or not shown.isdigit():
            raise LedgerError.of(
                "count.not_whole",
                N_('"{value}" is not a whole number written with the digits 0-9'),
                value=shown.encode("ascii", "backslashreplace").decode(),
            )
        if len(shown) > 1 and shown[0] == "0":
            raise LedgerError.of(
                "count.leading_zero", N_('"{value}": remove the leading zero'), value=shown
            )
        if len(shown) > 9:
            raise LedgerError.of("count.too_large", N_("{value} is too large"), value=shown)
        value = int(shown)
    else:
        raise LedgerError.of(
            "count.not_whole", N_("{value} is not a whole number"), value=repr(text)[:40]
        )
    if value < 0:
        raise LedgerError.of("count.negative", N_("{value} must not be negative"), value=shown)
    if value > maximum:
        raise LedgerError.of("count.too_large", N_("{value} is too large"), value=shown)
    return value


def format_minor(amount_minor: int, cur: Currency) -> str:
    """Plain, locale-free text of an amount in major units (`-1234.50`), for files and JSON."""
    sign = "-" if amount_minor < 0 else ""
    whole, part = divmod(abs(amount_minor), cur.unit_minor)
    if cur.exponent == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{part:0{cur.exponent}d}"


def format_fraction(value_minor: Fraction, cur: Currency, *, extra_digits: int = 4) -> str:
    """A fraction of minor units as major-unit decimal text, truncated (never rounded up).

    At least the currency's decimals are shown, more only when the value needs them, so an
    exact 6 GHS reads "6.00" and 870700/425 UGX reads "2048.7058".
    """
    digits = cur.exponent + extra_digits
    scaled = value_minor * 10**extra_digits
    truncated = (
        scaled.numerator // scaled.denominator
        if scaled >= 0
        else -((-scaled.numerator) // scaled.denominator)
    )
    sign = "-" if truncated < 0 else ""
    whole, part = divmod(abs(truncated), 10**digits)
    text = f"{part:0{digits}d}" if digits else ""
    keep = text.rstrip("0")
    if len(keep) < cur.exponent:
        keep = text[: cur.exponent]
    return f"{sign}{whole}.{keep}" if keep else f"{sign}{whole}"


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest integer, halves away from zero."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    sign = -1 if numerator < 0 else 1
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return sign * quotient


def apply_rate_bp(amount_minor: int, rate_bp: int, periods: int = 1) -> int:
    """amount × rate (basis points) × periods, in whole minor units rounded half up."""
    return round_half_up(amount_minor * rate_bp * periods, 10_000)
