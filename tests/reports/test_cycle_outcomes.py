"""A shared-out cycle, worked out by hand: who saved what, who received what, the return.

new_group's members: M01, M02, M04 are women, M03 a man. Shares of 1,000.
  week 1: M01 1, M02 2, M03 4 shares (7,000); week 2: M01 fined 500 (income).
  Fund 7,500 over 7 shares; payouts rounded down to 100: M01 1,000, M02 2,100, M03 4,200.
  Women saved 3,000 and received 3,100; the man saved 4,000 and received 4,200.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from vsla.book.reader import Reader
from vsla.book.service import Book
from vsla.domain.entries import Fine, Shares

from ..support import meet, new_group, week


def test_a_shared_out_cycle_by_gender(tmp_path: Path) -> None:
    book = Book.open(tmp_path / "book.sqlite")
    new_group(book, members=3, payout_rounding_minor=100)
    meet(book, week(1), Shares("M01", 1), Shares("M02", 2), Shares("M03", 4))
    meet(book, week(2), Fine("M01", "late"))
    book.shareout("umoja", on=week(3), commit=True)
    book.close()
    reader = Reader.open(tmp_path / "book.sqlite")
    (outcome,) = reader.cycle_outcomes()
    reader.close()
    got = outcome.to_json()
    assert (got["cycle"], got["started_on"], got["shared_out_on"]) == (
        1,
        "2026-01-05",
        "2026-01-19",
    )
    assert got["savings_minor"] == {"all": 7_000, "women": 3_000, "men": 4_000}
    assert got["gross_minor"] == {"all": 7_300, "women": 3_100, "men": 4_200}
    assert got["payout_minor"] == got["gross_minor"]  # nobody owed anything
    assert got["return_on_savings"] == round(float(Fraction(7_300, 7_000) - 1), 6)
    assert got["return_on_savings_women"] == round(float(Fraction(3_100, 3_000) - 1), 6)
    assert got["return_on_savings_men"] == 0.05  # 4,200 / 4,000 - 1
    assert [
        (p["member_id"], p["gender"], p["shares"], p["payout_minor"]) for p in got["payouts"]
    ] == [
        ("M01", "F", 1, 1_000),
        ("M02", "F", 2, 2_100),
        ("M03", "M", 4, 4_200),
    ]
