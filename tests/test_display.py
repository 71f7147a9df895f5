"""Money shown the local way: the grouping and decimal marks of each language."""

from __future__ import annotations

from fractions import Fraction

import pytest

from vsla.display import money, share_value


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


def test_a_share_value_keeps_its_digits_and_uses_the_local_decimal_mark() -> None:
    assert share_value(Fraction(540_000, 900), "GHS", "en", "GH") == "6.00"
    assert share_value(Fraction(870_700, 425), "UGX", "en", "UG") == "2,048.7058"
    assert share_value(Fraction(136_782_500, 2257), "CDF", "ln", "CD") == "606,036774"
