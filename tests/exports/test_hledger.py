"""Our hledger export, read by the real hledger: its balances equal ours."""

from __future__ import annotations

import csv
import io
import random
import subprocess
from datetime import date, timedelta
from pathlib import Path

from typer.testing import CliRunner

from ledger import Currency, currency, make_transaction, new_id, parse_amount
from vsla.cli import app
from vsla.domain import accounts as acc
from vsla.exports.hledger import hledger_text
from vsla.store import Journal, open_database


def hledger_balances(binary: str, journal_text: str, cur: Currency) -> dict[str, int]:
    result = subprocess.run(
        [binary, "-f", "-", "bal", "--flat", "-N", "-O", "csv"],
        input=journal_text,
        capture_output=True,
        text=True,
        check=True,
    )
    balances = {}
    for row in list(csv.reader(io.StringIO(result.stdout)))[1:]:
        account, amount = row
        code, _, number = amount.partition(" ")
        assert code == cur.code, amount
        balances[account] = parse_amount(number, cur, allow_negative=True)
    return balances


def generated_journal(cur: Currency, count: int, seed: int) -> Journal:
    """`count` random balanced transactions over the chart of one group."""
    rng = random.Random(seed)
    members = [f"M{n:02d}" for n in range(1, 26)]
    accounts = [
        acc.LOAN_FUND_CASH,
        acc.SOCIAL_FUND_CASH,
        acc.SERVICE_CHARGE_INCOME,
        acc.FINES_INCOME,
        acc.WRITE_OFFS,
        acc.RETAINED,
    ]
    accounts += [acc.savings(m) for m in members]
    accounts += [acc.loan_principal(m, n) for n, m in enumerate(members, start=1)]
    journal = Journal(open_database(":memory:"))
    day = date(2025, 1, 6)
    batch = []
    for i in range(count):
        legs = rng.choice((1, 1, 1, 2))
        postings = []
        for _ in range(legs):
            debit, credit = rng.sample(accounts, 2)
            amount = rng.randrange(1, 5_000_000) * (cur.unit_minor // 100 or 1)
            postings += [(debit, amount), (credit, -amount)]
        if i % 50 == 0:
            day += timedelta(days=7)
        batch.append(
            make_transaction(
                id=new_id(),
                group_id="umoja",
                date=day,
                kind="shares",
                postings=postings,
                member_id=rng.choice(members),
                memo="entry; with | odd characters é",
            )
        )
    journal.append(batch)
    return journal


def test_hledger_balances_equal_ours_on_ten_thousand_transactions(hledger: str) -> None:
    cdf = currency("CDF")
    journal = generated_journal(cdf, 10_000, seed=7)
    ours = {a: b for a, b in journal.balances("umoja").items() if b}
    text = hledger_text("umoja", "Umoja", cdf, journal.records("umoja"), ours)
    assert text.count("\n20") >= 10_000
    assert hledger_balances(hledger, text, cdf) == ours


def test_zero_decimal_currency_round_trips(hledger: str) -> None:
    ugx = currency("UGX")
    journal = generated_journal(ugx, 500, seed=11)
    ours = {a: b for a, b in journal.balances("umoja").items() if b}
    text = hledger_text("umoja", "Umoja", ugx, journal.records("umoja"), ours)
    assert hledger_balances(hledger, text, ugx) == ours


def test_vsla_export_of_a_demo_group_is_accepted_by_hledger(
    hledger: str, demo_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "umoja.journal"
    result = CliRunner().invoke(
        app,
        ["export", "kolwezi-umoja", "--format", "hledger", "-o", str(out), "--db", str(demo_db)],
    )
    assert result.exit_code == 0, result.output
    journal = Journal(open_database(demo_db))
    ours = {a: b for a, b in journal.balances("kolwezi-umoja").items() if b}
    assert hledger_balances(hledger, out.read_text(), currency("CDF")) == ours
