"""ledger: a pure double-entry kernel. Money in integer minor units, accounts, immutable
transactions and events with client-made ids, reversals, checks that return lists of problems,
and the per-group hash chain.

May import: the Python standard library and pydantic, nothing else. No SQLite, files, network
or clock reads beyond id generation; everything here can be tested in microseconds.
"""

from ledger.accounts import AccountKind, account_kind, is_valid_account, normal_balance
from ledger.chain import GENESIS_HASH, Chained, entry_hash, link, link_after, verify_chain
from ledger.checks import (
    balances,
    check_accounts,
    check_journal_balances,
    check_never_negative,
    check_reversal,
    check_reversals,
    check_transaction,
)
from ledger.ids import is_valid_id, new_id
from ledger.money import (
    CURRENCY_EXPONENTS,
    MAX_AMOUNT_MINOR,
    Currency,
    Money,
    apply_rate_bp,
    currency,
    format_fraction,
    format_minor,
    parse_amount,
    parse_count,
    round_half_up,
)
from ledger.problems import N_, LedgerError, Problem, Term
from ledger.records import (
    Event,
    Posting,
    Record,
    Transaction,
    canonical_json,
    clean_text,
    make_event,
    make_transaction,
    payload_text,
    reverse,
)

__all__ = [
    "CURRENCY_EXPONENTS",
    "GENESIS_HASH",
    "MAX_AMOUNT_MINOR",
    "N_",
    "AccountKind",
    "Chained",
    "Currency",
    "Event",
    "LedgerError",
    "Money",
    "Posting",
    "Problem",
    "Record",
    "Term",
    "Transaction",
    "account_kind",
    "apply_rate_bp",
    "balances",
    "canonical_json",
    "check_accounts",
    "check_journal_balances",
    "check_never_negative",
    "check_reversal",
    "check_reversals",
    "check_transaction",
    "clean_text",
    "currency",
    "entry_hash",
    "format_fraction",
    "format_minor",
    "is_valid_account",
    "is_valid_id",
    "link",
    "link_after",
    "make_event",
    "make_transaction",
    "new_id",
    "normal_balance",
    "parse_amount",
    "parse_count",
    "payload_text",
    "reverse",
    "round_half_up",
    "verify_chain",
]
