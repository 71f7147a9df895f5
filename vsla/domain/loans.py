"""Loan arithmetic: service charges (declining, upfront, none), due dates, repayment order.

Declining (VSL Associates guides): at each monthly anniversary of disbursement (a month is 28
days), at the first meeting on or after it, the charge rate × principal still owed is added
before that meeting's repayments. Charges keep accruing on a late loan, as the guides do.
Upfront (simplified guide): rate × principal × term is owed from disbursement.
Every charge is whole minor units, rounded half up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from ledger import apply_rate_bp
from vsla.domain.constitution import DAYS_PER_LOAN_MONTH, ServiceCharge
from vsla.domain.state import LoanState


def due_date(disbursed_on: date, term_months: int) -> date:
    return disbursed_on + timedelta(days=DAYS_PER_LOAN_MONTH * term_months)


def upfront_charge_minor(principal_minor: int, rate_bp: int, term_months: int) -> int:
    return apply_rate_bp(principal_minor, rate_bp, term_months)


def declining_charge_minor(principal_owed_minor: int, rate_bp: int) -> int:
    return apply_rate_bp(principal_owed_minor, rate_bp)


def periods_due(loan: LoanState, on: date) -> Iterator[int]:
    """The anniversaries not yet charged that fall on or before the meeting `on`."""
    if loan.method != ServiceCharge.DECLINING.value or loan.status != "open":
        return
    period = loan.periods_charged + 1
    while loan.anniversary(period) <= on:
        yield period
        period += 1


@dataclass(frozen=True, slots=True)
class Allocation:
    loan_number: int
    charges_minor: int
    principal_minor: int


def allocate_repayment(amount_minor: int, owed: list[tuple[int, int, int]]) -> list[Allocation]:
    """Split a repayment over (loan, charges owed, principal owed), oldest loan first,
    service charge before principal on each loan."""
    left = amount_minor
    allocations: list[Allocation] = []
    for loan_number, charges_owed, principal_owed in owed:
        if left <= 0:
            break
        to_charges = min(left, charges_owed)
        to_principal = min(left - to_charges, principal_owed)
        if to_charges or to_principal:
            allocations.append(Allocation(loan_number, to_charges, to_principal))
        left -= to_charges + to_principal
    return allocations
