"""Money shown the local way: the grouping and decimal marks of each language; and typed back
the same way, refusing only what could mean two amounts."""

from __future__ import annotations

from fractions import Fraction

import pytest

from ledger import LedgerError
from vsla.display import amount, money, parse_money, share_value, typed
from vsla.i18n import render_problem


@pytest.mark.parametrize(
    ("amount_minor", "code", "language", "country", "shown"),
    [
        (123_456_700, "CDF", "fr", "CD", "1\u202f234\u202f567\xa0FC"),
        (123_456_750, "CDF", "fr", "CD", "1\u202f234\u202f567,50\xa0FC"),
        (12_000, "UGX", "en", "UG", "USh12,000"),
        (12_000, "UGX", "en", None, "UGX 12,000"),
        (27_000, "GHS", "en", "GH", "GH₵270.00"),
        (500_000, "CDF", "ln", "CD", "5.000\xa0FC"),
    ],
)
def test_money(
    amount_minor: int, code: str, language: str, country: str | None, shown: str
) -> None:
    assert money(amount_minor, code, language, country) == shown


@pytest.mark.parametrize(
    ("language", "country", "positive", "negative"),
    [
        # the ISO code keeps its space after the sign, as in the positive amount
        ("en", "CD", "CDF 7,217", "-CDF 7,217"),
        ("en", None, "CDF 7,217", "-CDF 7,217"),
        ("fr", "CD", "7\u202f217\xa0FC", "-7\u202f217\xa0FC"),
        ("ln", "CD", "7.217\xa0FC", "-7.217\xa0FC"),
        ("sw", "CD", "FC\xa07.217", "-FC\xa07.217"),
    ],
)
def test_a_negative_amount_is_the_positive_one_with_the_locales_sign(
    language: str, country: str | None, positive: str, negative: str
) -> None:
    assert money(721_700, "CDF", language, country) == positive
    assert money(-721_700, "CDF", language, country) == negative


def test_an_amount_in_a_cell_has_the_locales_sign_and_marks() -> None:
    assert amount(-123_450, "CDF", "ln", "CD") == "-1.234,50"
    assert amount(-1_234, "UGX", "en", "UG") == "-1,234"


def test_a_share_value_keeps_two_digits_more_than_people_read_truncated() -> None:
    assert share_value(Fraction(540_000, 900), "GHS", "en", "GH") == "6.00"
    # 612.3499 pesewas, GHS 6.123499: two decimals more than the cedi's two, cut (not 6.1235)
    assert share_value(Fraction(6_123_499, 10_000), "GHS", "en", "GH") == "6.1234"
    assert share_value(Fraction(870_700, 425), "UGX", "en", "UG") == "2,048.7"  # 2048.70588…
    # CDF is read in whole francs: 60,603.6774… francs is 60.603,67 in Lingala, not …,68
    assert share_value(Fraction(136_782_500, 2257), "CDF", "ln", "CD") == "606,03"
    assert share_value(Fraction(60_245_077, 1000), "CDF", "ln", "CD") == "602,45"
    assert share_value(Fraction(1_999_999, 1), "CDF", "fr", "CD") == "19\u202f999,99"


@pytest.mark.parametrize(
    ("text", "code", "language", "country", "minor"),
    [
        # what the screen shows, typed back (458.605 FC is how Lingala writes it)
        ("458.605", "CDF", "ln", "CD", 458_605_00),
        ("458605", "CDF", "ln", "CD", 458_605_00),
        ("12,50", "CDF", "ln", "CD", 12_50),
        ("1.234.567,5", "CDF", "ln", "CD", 1_234_567_50),
        ("25,000", "UGX", "en", "UG", 25_000),
        ("1,000,000", "UGX", "en", "UG", 1_000_000),
        ("12.50", "GHS", "en", "GH", 12_50),
        ("0.05", "GHS", "en", "GH", 5),
        # French groups with U+202F; any space stands for it
        ("25 000", "CDF", "fr", "CD", 25_000_00),
        ("25\u202f000,50", "CDF", "fr", "CD", 25_000_50),
        ("25\xa0000", "CDF", "fr", "CD", 25_000_00),
        # Swahili writes numbers as Congo or Uganda does
        ("25.000", "CDF", "sw", "CD", 25_000_00),
        ("25,000", "UGX", "sw", "UG", 25_000),
        ("0", "UGX", "en", "UG", 0),
    ],
)
def test_money_is_typed_as_the_screen_shows_it(
    text: str, code: str, language: str, country: str | None, minor: int
) -> None:
    assert parse_money(text, code, language, country) == minor


@pytest.mark.parametrize(
    ("text", "code", "language", "country", "message"),
    [
        # "." between thousands in Lingala: 12.50 could be a mistyped 12,50 or 1.250
        (
            "12.50",
            "CDF",
            "ln",
            "CD",
            '"12.50" is not clear: here "." separates thousands (25.000 or 25000) and "," '
            "comes before the cents (12,50)",
        ),
        (
            "1.000",
            "UGX",
            "en",
            "UG",
            '"1.000" is not clear: here "," separates thousands (25,000 or 25000); '
            "UGX has no cents",
        ),
        (
            "1,000",
            "CDF",
            "fr",
            "CD",
            '"1,000" is not clear: here a space separates thousands (25 000 or 25000) and "," '
            "comes before the cents (12,50)",
        ),
        (
            "1.000",
            "CDF",
            "en",
            "CD",
            '"1.000" is not clear: here "," separates thousands (25,000 or 25000) and "." '
            "comes before the cents (12.50)",
        ),
        (
            "25,00",
            "UGX",
            "en",
            "UG",
            '"25,00" is not clear: here "," separates thousands (25,000 or 25000); '
            "UGX has no cents",
        ),
        ("1.2.3", "CDF", "ln", "CD", '"1.2.3" is not clear'),
        ("1,000.50", "CDF", "ln", "CD", '"1,000.50" is not clear'),
        ("20x000", "UGX", "en", "UG", '"20x000" is not an amount: type it with the digits 0-9'),
        ("-500", "UGX", "en", "UG", '"-500": the amount must not be negative'),
        ("0500", "UGX", "en", "UG", '"0500": remove the leading zero'),
        ("", "UGX", "en", "UG", "the amount is empty"),
        ("9" * 19, "UGX", "en", "UG", "is far too large to be an amount"),
    ],
)
def test_what_could_mean_two_amounts_is_refused_with_how_to_type_it(
    text: str, code: str, language: str, country: str | None, message: str
) -> None:
    with pytest.raises(LedgerError) as refused:
        parse_money(text, code, language, country)
    assert message in render_problem(refused.value.problem, "en")


def test_what_is_shown_or_typed_is_read_back_exactly_in_every_language() -> None:
    for language, country in (("en", "UG"), ("fr", "CD"), ("sw", "CD"), ("ln", "CD")):
        for code in ("CDF", "UGX", "GHS"):
            for minor in (0, 5, 1_234_50, 45_860_500, 999_999_999_99):
                shown = amount(minor, code, language, country)
                assert parse_money(shown, code, language, country) == minor
                assert (
                    parse_money(typed(minor, code, language, country), code, language, country)
                    == minor
                )
