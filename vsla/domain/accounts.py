"""The chart of accounts every group uses (domain.md, "Double-entry view").

Per-member and per-loan accounts carry the member number (and loan number) in their name, so
a member's position is a handful of indexed balance reads.
"""

from __future__ import annotations

import re

LOAN_FUND_CASH = "assets:cash:loan_fund"
SOCIAL_FUND_CASH = "assets:cash:social_fund"
CASH_ACCOUNTS = (LOAN_FUND_CASH, SOCIAL_FUND_CASH)

SERVICE_CHARGE_INCOME = "income:service_charges"
FINES_INCOME = "income:fines"
LOAN_FUND_CASH_DIFFERENCES = "income:cash_differences"
WRITE_OFFS = "expenses:write_offs"
DROPOUT_PROFIT = "expenses:dropout_profit"
RETAINED = "equity:retained"

SOCIAL_FUND = "equity:social_fund"
SOCIAL_FUND_GRANTS = "equity:social_fund:grants"
SOCIAL_FUND_FINES = "equity:social_fund:fines"
SOCIAL_FUND_CASH_DIFFERENCES = "equity:social_fund:cash_differences"
SOCIAL_FUND_FROM_REMAINDER = "equity:social_fund:from_remainder"
SOCIAL_FUND_PAID_OUT = "equity:social_fund:paid_out"

SAVINGS = "equity:savings"
LOANS = "assets:loans"
CHARGES = "assets:charges"
FINES_OWED = "assets:fines"


def savings(member_id: str) -> str:
    return f"{SAVINGS}:{member_id}"


def social_fund_contributions(member_id: str) -> str:
    return f"{SOCIAL_FUND}:contributions:{member_id}"


def loan_principal(member_id: str, loan_number: int) -> str:
    return f"{LOANS}:{member_id}:L{loan_number}"


def loan_charges(member_id: str, loan_number: int) -> str:
    return f"{CHARGES}:{member_id}:L{loan_number}"


def fines_owed(member_id: str, bowl: str) -> str:
    """Fines recorded as owed, by the bowl they will be paid into (loan_fund/social_fund)."""
    return f"{FINES_OWED}:{bowl}:{member_id}"


def cash_of_bowl(bowl: str) -> str:
    return LOAN_FUND_CASH if bowl == "loan_fund" else SOCIAL_FUND_CASH


_FIXED = {
    LOAN_FUND_CASH,
    SOCIAL_FUND_CASH,
    SERVICE_CHARGE_INCOME,
    FINES_INCOME,
    LOAN_FUND_CASH_DIFFERENCES,
    WRITE_OFFS,
    DROPOUT_PROFIT,
    RETAINED,
    SOCIAL_FUND_GRANTS,
    SOCIAL_FUND_FINES,
    SOCIAL_FUND_CASH_DIFFERENCES,
    SOCIAL_FUND_FROM_REMAINDER,
    SOCIAL_FUND_PAID_OUT,
}
_MEMBER_ACCOUNT = re.compile(
    r"(?:equity:savings|equity:social_fund:contributions|assets:fines:(?:loan_fund|social_fund))"
    r":(?P<member>[A-Za-z0-9_-]+)"
)
_LOAN_ACCOUNT = re.compile(r"assets:(?:loans|charges):(?P<member>[A-Za-z0-9_-]+):L(?P<loan>[0-9]+)")


def classify(account: str) -> tuple[str, str | None, int | None] | None:
    """("fixed"|"member"|"loan", member, loan) for an account of the chart, else None."""
    if account in _FIXED:
        return ("fixed", None, None)
    match = _MEMBER_ACCOUNT.fullmatch(account)
    if match:
        return ("member", match["member"], None)
    match = _LOAN_ACCOUNT.fullmatch(account)
    if match:
        return ("loan", match["member"], int(match["loan"]))
    return None


def is_receivable(account: str) -> bool:
    """What a member owes the group: never negative."""
    return account.startswith((LOANS + ":", CHARGES + ":", FINES_OWED + ":"))


def is_watched(account: str) -> bool:
    """Accounts whose normal balance may never go below zero."""
    return account in CASH_ACCOUNTS or is_receivable(account)


def member_of(account: str) -> str | None:
    found = classify(account)
    return None if found is None else found[1]
