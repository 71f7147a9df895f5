"""The worked examples of ../shared/examples, through `vsla import`, `statement`, `shareout` and
`check`: exactly the outcomes written in their headers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from vsla.cli import app

from ..conftest import EXAMPLES


def vsla(db: Path, *args: str) -> tuple[int, Any]:
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    output = result.stdout
    try:
        return result.exit_code, json.loads(output)
    except json.JSONDecodeError:
        return result.exit_code, output + result.stderr


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "examples.sqlite"


def test_declining_loan_of_the_guide(db: Path) -> None:
    """Charges 10,000, 7,000, 3,700 (20,700); share-out: 425 shares, fund 870,700,
    value per share 2,048.7058..., each member 85 shares -> 174,140."""
    assert vsla(db, "import", str(EXAMPLES / "declining-loan-ugx.toml"), "--json")[0] == 0
    code, statement = vsla(db, "statement", "dec", "M01", "--json", "--as-of", "2026-04-27")
    assert code == 0
    assert statement == {
        "group": "dec",
        "member": "M01",
        "name": "Aida Nsimba",
        "currency": "UGX",
        "exponent": 0,
        "as_of": "2026-04-27",
        "shares": 85,
        "savings_minor": 170_000,
        "social_fund_paid_minor": 0,
        "fines_owed_minor": 0,
        "loan": None,
    }
    code, shareout = vsla(db, "shareout", "dec", "--json", "--date", "2026-04-27")
    assert code == 0
    assert shareout["total_shares"] == 425
    assert shareout["fund_minor"] == 870_700
    assert shareout["value_per_share"].startswith("2048.7058")
    assert shareout["remainder_minor"] == 0
    assert {m["member"]: m["payout_minor"] for m in shareout["members"]} == {
        f"M0{i}": 174_140 for i in range(1, 6)
    }
    assert vsla(db, "check", "--json")[1]["ok"] is True


@pytest.mark.parametrize(
    ("until", "owed", "charges"),
    [("2026-03-02", 70_000, 10_000), ("2026-03-30", 37_000, 17_000), ("2026-04-27", 0, 20_700)],
)
def test_declining_loan_after_each_repayment(
    db: Path, tmp_path: Path, until: str, owed: int, charges: int
) -> None:
    """After 03-02 she owes 70,000; after 03-30, 37,000; after 04-27, nothing."""
    text = (EXAMPLES / "declining-loan-ugx.toml").read_text()
    cut = text.find("[[meetings]]", text.index(f"date = {until}"))
    book = tmp_path / "until.toml"
    book.write_text(text if cut < 0 else text[:cut])
    assert vsla(db, "import", str(book))[0] == 0
    statement = vsla(db, "statement", "dec", "M01", "--json", "--as-of", until)[1]
    assert (statement["loan"] or {"owed_minor": 0})["owed_minor"] == owed
    entries = [
        e
        for n in range(1, 18)
        for e in (
            vsla(db, "meeting", "show", "dec", "--number", str(n), "--json")[1]
            if n <= statement_meetings(db)
            else {"entries": []}
        )["entries"]
    ]
    assert sum(e["amount_minor"] for e in entries if e["kind"] == "service_charge") == charges


def statement_meetings(db: Path) -> int:
    return int(vsla(db, "groups", "--json")[1]["groups"][0]["meetings_this_cycle"])


def test_share_out_of_ghs_270(db: Path) -> None:
    """900 shares at GHS 5, income GHS 900: fund GHS 5,400, value per share GHS 6.00, each
    member GHS 270.00 (27000 minor units)."""
    assert vsla(db, "import", str(EXAMPLES / "share-out-ghs.toml"))[0] == 0
    code, shareout = vsla(db, "shareout", "ama", "--json", "--date", "2026-03-02")
    assert code == 0
    assert (shareout["currency"], shareout["exponent"]) == ("GHS", 2)
    assert shareout["total_shares"] == 900
    assert shareout["fund_minor"] == 540_000
    assert shareout["value_per_share"] == "6.00"
    # the book writes payout_rounding = 1 in major units, like all its money: GHS 1.00
    assert shareout["payout_rounding_minor"] == 100
    assert shareout["remainder_minor"] == 0
    assert len(shareout["members"]) == 20
    assert all(
        m
        == {
            "member": m["member"],
            "shares": 45,
            "savings_minor": 22_500,
            "gross_minor": 27_000,
            "owed_minor": 0,
            "payout_minor": 27_000,
        }
        for m in shareout["members"]
    )
    code, statement = vsla(db, "statement", "ama", "M01", "--json", "--as-of", "2026-03-02")
    assert (statement["shares"], statement["savings_minor"], statement["loan"]) == (
        45,
        22_500,
        None,
    )
    assert vsla(db, "check")[0] == 0


def test_committing_the_ghs_share_out_closes_the_cycle(db: Path) -> None:
    vsla(db, "import", str(EXAMPLES / "share-out-ghs.toml"))
    code, done = vsla(db, "shareout", "ama", "--commit", "--json", "--date", "2026-03-09")
    assert code == 0 and done["committed"] is True
    assert sum(m["payout_minor"] for m in done["members"]) == 540_000
    statement = vsla(db, "statement", "ama", "M07", "--json")[1]
    assert statement["savings_minor"] == 0
    assert vsla(db, "groups", "--json")[1]["groups"][0]["cycle_status"] == "closed"
    assert vsla(db, "check")[0] == 0
