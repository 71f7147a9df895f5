"""Receipts in each language at the longest values a group of the DR Congo really has, in one
SMS of 160 GSM-7 characters, every amount whole: when a receipt would be too long, whole
parts are left out, the least needed first.

The longest real values: a group name of 30 characters (the most a receipt takes of it), a
date, amounts in CDF with centimes: 5 shares for 99,999.99 FC, a social fund payment of
9,999.99, a fine of 99,999.99 and a loan and a repayment of 9,999,999.99 (about US$3,500 at
2,800 FC to the dollar: more than any member of a savings group borrows), savings of
9,999,999.99 in 999 shares. Written by hand, per language, from the catalogues.
"""

from __future__ import annotations

from datetime import date

import pytest

from vsla.sms.gsm import is_gsm7, to_gsm7
from vsla.sms.receipts import SMS_LIMIT, Part, ReceiptFacts, compose_receipt, fit

GROUP = "Mama Tujenge Kisanga Kolwezi B"
DAY = date(2026, 12, 30)
BIG, FINE, SHARES, SOCIAL = 999_999_999, 9_999_999, 9_999_999, 999_999

TODAY = ReceiptFacts(
    shares_bought=5,
    shares_minor=SHARES,
    social_fund_minor=SOCIAL,
    repaid_minor=BIG,
    loan_taken_minor=BIG,
)
EVERYTHING = ReceiptFacts(
    shares_bought=5,
    shares_minor=SHARES,
    social_fund_minor=SOCIAL,
    repaid_minor=BIG,
    fines_paid_minor=FINE,
    loan_taken_minor=BIG,
    total_shares=999,
    savings_minor=BIG,
    loan_owed_minor=BIG,
    fines_owed_minor=FINE,
)
BALANCES = ReceiptFacts(
    shares_bought=5,
    shares_minor=SHARES,
    total_shares=999,
    savings_minor=BIG,
    loan_owed_minor=BIG,
    fines_owed_minor=FINE,
)

# She repays her loan and borrows again, with her shares and the social fund: all of it.
REPAY_AND_BORROW = {
    "en": "Mama Tujenge Kisanga Kolwezi B 2026-12-30: shares 5 (CDF 99,999.99). social fund "
    "CDF 9,999.99. repaid CDF 9,999,999.99. new loan CDF 9,999,999.99.",
    "fr": "Mama Tujenge Kisanga Kolwezi B 2026-12-30 : parts 5 (99 999,99 CDF). solidarité "
    "9 999,99 CDF. remboursé 9 999 999,99 CDF. nouveau pret 9 999 999,99 CDF.",
    "sw": "Mama Tujenge Kisanga Kolwezi B 2026-12-30: hisa 5 (CDF 99,999.99). mfuko wa jamii "
    "CDF 9,999.99. marejesho CDF 9,999,999.99. mkopo mpya CDF 9,999,999.99.",
    "ln": "Mama Tujenge Kisanga Kolwezi B 2026-12-30: biteni 5 (99.999,99 FC). caisse "
    "lisalisi 9.999,99 FC. ozongisi 9.999.999,99 FC. odefi 9.999.999,99 FC.",
}
# Everything at once, and she agreed to balances: the fine stays, the social fund and the
# balances are left out whole.
EVERYTHING_AT_ONCE = {
    "en": "Mama Tujenge Kisanga Kolwezi B 2026-12-30: shares 5 (CDF 99,999.99). repaid CDF "
    "9,999,999.99. fine paid CDF 99,999.99. new loan CDF 9,999,999.99.",
    "fr": "Mama Tujenge Kisanga Kolwezi B 2026-12-30 : parts 5 (99 999,99 CDF). remboursé "
    "9 999 999,99 CDF. amende payée 99 999,99 CDF. nouveau pret 9 999 999,99 CDF.",
    "sw": "Mama Tujenge Kisanga Kolwezi B 2026-12-30: hisa 5 (CDF 99,999.99). marejesho CDF "
    "9,999,999.99. faini iliyolipwa CDF 99,999.99. mkopo mpya CDF 9,999,999.99.",
    "ln": "Mama Tujenge Kisanga Kolwezi B 2026-12-30: biteni 5 (99.999,99 FC). ozongisi "
    "9.999.999,99 FC. etumbu efutami 99.999,99 FC. odefi 9.999.999,99 FC.",
}
# Shares, and the balances she agreed to: French needs all 160 characters; Swahili and
# English leave out the fines owed (the last part kept).
SHARES_AND_BALANCES = {
    "en": "Mama Tujenge Kisanga Kolwezi B 2026-12-30: shares 5 (CDF 99,999.99). savings CDF "
    "9,999,999.99 (999 shares). loan owed CDF 9,999,999.99.",
    "fr": "Mama Tujenge Kisanga Kolwezi B 2026-12-30 : parts 5 (99 999,99 CDF). épargne "
    "9 999 999,99 CDF (999 parts). pret du 9 999 999,99 CDF. amendes dues 99 999,99 CDF.",
    "sw": "Mama Tujenge Kisanga Kolwezi B 2026-12-30: hisa 5 (CDF 99,999.99). akiba CDF "
    "9,999,999.99 (hisa 999). deni la mkopo CDF 9,999,999.99.",
    "ln": "Mama Tujenge Kisanga Kolwezi B 2026-12-30: biteni 5 (99.999,99 FC). épargne "
    "9.999.999,99 FC (biteni 999). nyongo 9.999.999,99 FC. bitumbu etikali 99.999,99 FC.",
}


def one_sms(text: str) -> bool:
    return is_gsm7(text) and len(text) <= SMS_LIMIT


@pytest.mark.parametrize("language", ["en", "fr", "sw", "ln"])
def test_a_receipt_at_the_longest_values_fits_one_sms(language: str) -> None:
    texts = [
        compose_receipt(GROUP, DAY, facts, "CDF", language)
        for facts in (TODAY, EVERYTHING, BALANCES)
    ]
    assert texts == [
        REPAY_AND_BORROW[language],
        EVERYTHING_AT_ONCE[language],
        SHARES_AND_BALANCES[language],
    ]
    assert all(one_sms(text) for text in texts)


def test_the_french_receipt_with_balances_uses_every_character() -> None:
    assert len(SHARES_AND_BALANCES["fr"]) == SMS_LIMIT


@pytest.mark.parametrize("language", ["en", "fr", "sw", "ln"])
def test_without_her_agreement_no_balance_is_written(language: str) -> None:
    """The same day without balances: only what she paid (her shares)."""
    today_only = ReceiptFacts(shares_bought=5, shares_minor=SHARES)
    text = compose_receipt(GROUP, DAY, today_only, "CDF", language)
    assert text == SHARES_AND_BALANCES[language][: len(text)]
    assert text.endswith(("(CDF 99,999.99).", "(99 999,99 CDF).", "(99.999,99 FC)."))


def test_amounts_beyond_any_group_still_come_whole() -> None:
    """A thousand shares and 10 trillion francs: the parts that fit, none cut."""
    huge = ReceiptFacts(
        shares_bought=1000,
        shares_minor=10**15,
        social_fund_minor=10**15,
        repaid_minor=10**15,
        loan_taken_minor=10**15,
    )
    text = compose_receipt(GROUP, DAY, huge, "CDF", "fr")
    assert text == (
        "Mama Tujenge Kisanga Kolwezi B 2026-12-30 : parts 1000 (10 000 000 000 000 CDF). "
        "remboursé 10 000 000 000 000 CDF. nouveau pret 10 000 000 000 000 CDF."
    )


def test_a_long_group_name_is_shortened_to_30_gsm_characters_between_words() -> None:
    text = compose_receipt(
        "Société des mamans ɛlɔkɔ de Kolwezi Manika", DAY, ReceiptFacts(1, 1_000_00), "CDF", "ln"
    )
    assert text == "Société des mamans eloko de 2026-12-30: biteni 1 (1.000 FC)."
    one_word = compose_receipt(
        "Mwanamkewajasirimaliwakolwezi-Manika", DAY, ReceiptFacts(), "CDF", "en"
    )
    assert one_word == "Mwanamkewajasirimaliwakolwezi- 2026-12-30:"


def test_parts_are_kept_in_order_of_need_and_written_in_their_place() -> None:
    header = "H" * 10
    parts = [
        Part(keep=2, place=0, text="c" * 20),
        Part(keep=0, place=2, text="a" * 20),
        Part(keep=1, place=1, text="b" * 20),
        Part(keep=3, place=3, text="d"),  # would fit, but comes after one that did not
    ]
    assert fit(header, parts, limit=52) == f"{header} {'b' * 20} {'a' * 20}"
    assert fit(header, parts, limit=75) == f"{header} {'c' * 20} {'b' * 20} {'a' * 20} d"
    assert fit(header, parts, limit=30) == header


def test_the_cedi_sign_becomes_its_code_once() -> None:
    # Babel writes Ghana's amounts "GH₵1,200.00"; the GSM alphabet has no ₵.
    assert to_gsm7("GH₵1,200.00") == "GHS1,200.00"
    assert to_gsm7("1 200,00 ₵") == "1 200,00 GHS"
