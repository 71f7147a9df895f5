"""ledger: a pure double-entry kernel. Money in integer minor units, accounts, immutable
transactions and events with client-made ids, reversals, checks that return lists of problems,
the per-group hash chain, and entries as sync carries them (`ledger.wire`).

May import: the Python standard library and pydantic, nothing else. No SQLite, files, network
or clock reads beyond id generation; everything here can be tested in microseconds.

Names are loaded when first used, so that a front end that needs only `N_` does not pay
for the whole kernel at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what each name is, for type checkers (`as` re-exports it)
    from ledger.accounts import AccountKind as AccountKind
    from ledger.accounts import account_kind as account_kind
    from ledger.accounts import is_valid_account as is_valid_account
    from ledger.accounts import normal_balance as normal_balance
    from ledger.chain import GENESIS_HASH as GENESIS_HASH
    from ledger.chain import Chained as Chained
    from ledger.chain import entry_hash as entry_hash
    from ledger.chain import link as link
    from ledger.chain import link_after as link_after
    from ledger.chain import verify_chain as verify_chain
    from ledger.checks import balances as balances
    from ledger.checks import check_accounts as check_accounts
    from ledger.checks import check_journal_balances as check_journal_balances
    from ledger.checks import check_never_negative as check_never_negative
    from ledger.checks import check_reversal as check_reversal
    from ledger.checks import check_reversals as check_reversals
    from ledger.checks import check_transaction as check_transaction
    from ledger.ids import is_valid_id as is_valid_id
    from ledger.ids import new_id as new_id
    from ledger.money import CURRENCY_EXPONENTS as CURRENCY_EXPONENTS
    from ledger.money import MAX_AMOUNT_MINOR as MAX_AMOUNT_MINOR
    from ledger.money import Currency as Currency
    from ledger.money import Money as Money
    from ledger.money import apply_rate_bp as apply_rate_bp
    from ledger.money import currency as currency
    from ledger.money import format_fraction as format_fraction
    from ledger.money import format_minor as format_minor
    from ledger.money import parse_amount as parse_amount
    from ledger.money import parse_count as parse_count
    from ledger.money import round_half_up as round_half_up
    from ledger.problems import N_ as N_
    from ledger.problems import LedgerError as LedgerError
    from ledger.problems import Problem as Problem
    from ledger.problems import Term as Term
    from ledger.records import Event as Event
    from ledger.records import Posting as Posting
    from ledger.records import Record as Record
    from ledger.records import Transaction as Transaction
    from ledger.records import canonical_json as canonical_json
    from ledger.records import clean_text as clean_text
    from ledger.records import make_event as make_event
    from ledger.records import make_transaction as make_transaction
    from ledger.records import payload_text as payload_text
    from ledger.records import reverse as reverse

_WHERE = {
    "AccountKind": "ledger.accounts",
    "CURRENCY_EXPONENTS": "ledger.money",
    "Chained": "ledger.chain",
    "Currency": "ledger.money",
    "Event": "ledger.records",
    "GENESIS_HASH": "ledger.chain",
    "LedgerError": "ledger.problems",
    "MAX_AMOUNT_MINOR": "ledger.money",
    "Money": "ledger.money",
    "N_": "ledger.problems",
    "Posting": "ledger.records",
    "Problem": "ledger.problems",
    "Record": "ledger.records",
    "Term": "ledger.problems",
    "Transaction": "ledger.records",
    "account_kind": "ledger.accounts",
    "apply_rate_bp": "ledger.money",
    "balances": "ledger.checks",
    "canonical_json": "ledger.records",
    "check_accounts": "ledger.checks",
    "check_journal_balances": "ledger.checks",
    "check_never_negative": "ledger.checks",
    "check_reversal": "ledger.checks",
    "check_reversals": "ledger.checks",
    "check_transaction": "ledger.checks",
    "clean_text": "ledger.records",
    "currency": "ledger.money",
    "entry_hash": "ledger.chain",
    "format_fraction": "ledger.money",
    "format_minor": "ledger.money",
    "is_valid_account": "ledger.accounts",
    "is_valid_id": "ledger.ids",
    "link": "ledger.chain",
    "link_after": "ledger.chain",
    "make_event": "ledger.records",
    "make_transaction": "ledger.records",
    "new_id": "ledger.ids",
    "normal_balance": "ledger.accounts",
    "parse_amount": "ledger.money",
    "parse_count": "ledger.money",
    "payload_text": "ledger.records",
    "reverse": "ledger.records",
    "round_half_up": "ledger.money",
    "verify_chain": "ledger.chain",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value  # looked up once
    return value
