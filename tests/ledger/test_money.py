"""Typed amounts: one accepted form, everything else refused with a reason."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger import LedgerError, currency, format_fraction, format_minor, parse_amount, parse_count
from ledger.money import CURRENCY_EXPONENTS, apply_rate_bp, round_half_up

UGX, CDF, GHS, KWD = currency("UGX"), currency("CDF"), currency("GHS"), currency("KWD")


def test_iso_exponents_of_the_currencies_our_groups_use() -> None:
    assert {c: CURRENCY_EXPONENTS[c] for c in ("UGX", "RWF", "XOF", "XAF")} == dict.fromkeys(
        ("UGX", "RWF", "XOF", "XAF"), 0
    )
    assert {c: CURRENCY_EXPONENTS[c] for c in ("CDF", "KES", "GHS", "TZS")} == dict.fromkeys(
        ("CDF", "KES", "GHS", "TZS"), 2
    )
    assert CURRENCY_EXPONENTS["KWD"] == 3


@pytest.mark.parametrize(
    ("text", "cur", "minor"),
    [
        ("2000", UGX, 2000),
        (2000, UGX, 2000),
        ("5.50", GHS, 550),
        ("5.5", GHS, 550),
        ("5", GHS, 500),
        ("0.05", GHS, 5),
        (" 12 ", UGX, 12),
        ("1.234", KWD, 1234),
        ("1000000000000", UGX, 10**12),
    ],
)
def test_accepted_amounts(text: object, cur: object, minor: int) -> None:
    assert parse_amount(text, cur) == minor  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "cur", "code"),
    [
        (5.5, GHS, "amount.float"),
        (True, UGX, "amount.float"),
        ("1.000", UGX, "amount.no_decimals"),
        ("1.000", CDF, "amount.too_many_decimals"),
        ("5.505", GHS, "amount.too_many_decimals"),
        ("1,000", UGX, "amount.malformed"),
        ("1 000", UGX, "amount.malformed"),
        ("1_000", UGX, "amount.malformed"),
        ("1e3", UGX, "amount.malformed"),
        ("NaN", UGX, "amount.malformed"),
        ("Infinity", GHS, "amount.malformed"),
        ("+5", UGX, "amount.sign"),
        ("-5", UGX, "amount.negative"),
        ("010", UGX, "amount.leading_zero"),
        ("١٢٣", UGX, "amount.not_ascii"),
        ("１２３", UGX, "amount.not_ascii"),
        ("12\u200b3", UGX, "amount.not_ascii"),
        ("12\x1b[31m", UGX, "amount.not_ascii"),
        ("", UGX, "amount.empty"),
        ("5.", GHS, "amount.malformed"),
        (".5", GHS, "amount.malformed"),
        ("9" * 40, UGX, "amount.too_large"),
        ("1000000000000001", UGX, "amount.too_large"),
        (None, UGX, "amount.type"),
    ],
)
def test_refused_amounts_say_why(text: object, cur: object, code: str) -> None:
    with pytest.raises(LedgerError) as caught:
        parse_amount(text, cur)  # type: ignore[arg-type]
    assert caught.value.problem.code == code
    assert str(caught.value)  # a message a person can read


def test_negative_and_zero_only_when_asked() -> None:
    assert parse_amount("-5.25", GHS, allow_negative=True) == -525
    with pytest.raises(LedgerError, match="more than zero"):
        parse_amount("0", UGX, allow_zero=False)


def test_unknown_currency() -> None:
    with pytest.raises(LedgerError, match="ISO 4217"):
        currency("XYZ")


@given(st.integers(min_value=-(10**15), max_value=10**15), st.sampled_from([UGX, GHS, KWD]))
def test_format_then_parse_is_identity(minor: int, cur: object) -> None:
    text = format_minor(minor, cur)  # type: ignore[arg-type]
    assert parse_amount(text, cur, allow_negative=True) == minor  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "count"), [("0", 0), ("5", 5), (3, 3), (" 4", 4)])
def test_counts(text: object, count: int) -> None:
    assert parse_count(text) == count


@pytest.mark.parametrize("text", ["2.5", 2.0, "-1", "+1", "05", "٣", "", "1e2", "abc"])
def test_bad_counts(text: object) -> None:
    with pytest.raises(LedgerError):
        parse_count(text)


def test_value_per_share_text_is_truncated_not_rounded() -> None:
    assert format_fraction(Fraction(540000, 900), GHS) == "6.00"
    assert format_fraction(Fraction(870700, 425), UGX) == "2048.7058"
    assert format_fraction(Fraction(2000), UGX) == "2000"


def test_half_up_rounding_of_charges() -> None:
    assert round_half_up(5, 2) == 3
    assert round_half_up(-5, 2) == -3
    assert round_half_up(4, 3) == 1
    assert apply_rate_bp(37_000, 1000) == 3_700
    assert apply_rate_bp(30_000, 1000, 3) == 9_000
    assert apply_rate_bp(12_345, 1000) == 1_235  # 1234.5 rounds up
