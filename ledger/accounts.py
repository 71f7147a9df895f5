"""Accounts: colon-separated names whose first segment says their kind (beancount style)."""

from __future__ import annotations

import re
from enum import Enum

from ledger.problems import N_, LedgerError


class AccountKind(Enum):
    ASSET = "assets"
    LIABILITY = "liabilities"
    EQUITY = "equity"
    INCOME = "income"
    EXPENSE = "expenses"

    @property
    def normal_sign(self) -> int:
        """+1 when the account's balance is normally a debit (postings are + for debit)."""
        return 1 if self in (AccountKind.ASSET, AccountKind.EXPENSE) else -1


_ACCOUNT_RE = re.compile(
    r"(assets|liabilities|equity|income|expenses)(:[A-Za-z0-9_-]{1,40}){1,6}", re.ASCII
)


def is_valid_account(name: str) -> bool:
    return bool(_ACCOUNT_RE.fullmatch(name))


def account_kind(name: str) -> AccountKind:
    if not is_valid_account(name):
        raise LedgerError.of(
            "account.invalid",
            N_('"{account}" is not a valid account name'),
            account=name[:80],
        )
    return AccountKind(name.split(":", 1)[0])


def normal_balance(name: str, balance_minor: int) -> int:
    """A balance as people read it: positive for an asset with money in it, or for savings."""
    return balance_minor * account_kind(name).normal_sign
