"""Checks over many entries. Each returns every problem it finds, beancount style."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterable

from ledger.accounts import normal_balance
from ledger.problems import N_, Problem
from ledger.records import Record, Transaction, transaction_problems


def check_transaction(tx: Transaction) -> list[Problem]:
    return transaction_problems(tx)


def check_accounts(tx: Transaction, known_accounts: Container[str]) -> list[Problem]:
    return [
        Problem(
            "account.unknown",
            N_("transaction {id} posts to {account}, which is not an account of group {group}"),
            {"id": tx.id, "account": p.account, "group": tx.group_id},
            tx.id,
        )
        for p in tx.postings
        if p.account not in known_accounts
    ]


def check_reversals(records: Iterable[Record]) -> list[Problem]:
    """Each reversal mirrors an earlier original exactly; nothing is reversed twice."""
    problems: list[Problem] = []
    seen: dict[str, Transaction] = {}
    reversed_by: dict[str, str] = {}
    for record in records:
        if not isinstance(record, Transaction):
            continue
        if record.reverses is not None:
            original = seen.get(record.reverses)
            if original is None:
                problems.append(
                    Problem(
                        "reversal.unknown_original",
                        N_(
                            "transaction {id} reverses {original}, which is not earlier in the "
                            "journal of this group"
                        ),
                        {"id": record.id, "original": record.reverses},
                        record.id,
                    )
                )
            else:
                problems.extend(check_reversal(original, record))
            if record.reverses in reversed_by:
                problems.append(
                    Problem(
                        "reversal.twice",
                        N_("{original} is reversed twice (by {first} and {id})"),
                        {
                            "id": record.id,
                            "original": record.reverses,
                            "first": reversed_by[record.reverses],
                        },
                        record.id,
                    )
                )
            else:
                reversed_by[record.reverses] = record.id
        seen[record.id] = record
    return problems


def check_reversal(original: Transaction, reversal: Transaction) -> list[Problem]:
    problems: list[Problem] = []
    if original.reverses is not None:
        problems.append(
            Problem(
                "reversal.of_reversal",
                N_("{id} reverses {original}, which is itself a reversal"),
                {"id": reversal.id, "original": original.id},
                reversal.id,
            )
        )
    mirrored = sorted((p.account, -p.amount_minor) for p in original.postings)
    actual = sorted((p.account, p.amount_minor) for p in reversal.postings)
    if mirrored != actual or original.group_id != reversal.group_id:
        problems.append(
            Problem(
                "reversal.not_mirror",
                N_("{id} is not the exact opposite of {original}"),
                {"id": reversal.id, "original": original.id},
                reversal.id,
            )
        )
    return problems


def balances(records: Iterable[Record]) -> dict[str, int]:
    """Balance of every account (debit positive), by replaying the journal: for checks only."""
    totals: dict[str, int] = defaultdict(int)
    for record in records:
        if isinstance(record, Transaction):
            for posting in record.postings:
                totals[posting.account] += posting.amount_minor
    return {account: amount for account, amount in totals.items() if amount}


def check_journal_balances(records: Iterable[Record]) -> list[Problem]:
    problems: list[Problem] = []
    total = 0
    for record in records:
        if isinstance(record, Transaction):
            problems.extend(transaction_problems(record))
            total += sum(p.amount_minor for p in record.postings)
    if total != 0:
        problems.append(
            Problem(
                "journal.unbalanced",
                N_("the journal as a whole does not balance (off by {total})"),
                {"total": total},
            )
        )
    return problems


def check_never_negative(
    records: Iterable[Record], watched: Callable[[str], bool]
) -> list[Problem]:
    """Watched accounts (cash, what members owe) never go below zero, in journal order.

    The balance is read the normal way (an asset's debit balance is positive); the check runs
    after each whole transaction, because within one the order of postings means nothing.
    """
    problems: list[Problem] = []
    running: dict[str, int] = defaultdict(int)
    for record in records:
        if not isinstance(record, Transaction):
            continue
        touched = [p for p in record.postings if watched(p.account)]
        for posting in touched:
            running[posting.account] += posting.amount_minor
        for account in {p.account for p in touched}:
            shown = normal_balance(account, running[account])
            if shown < 0:
                problems.append(
                    Problem(
                        "balance.negative",
                        N_("after {id}, {account} would be {amount}: it may never go below zero"),
                        {"id": record.id, "account": account, "amount": shown},
                        record.id,
                    )
                )
    return problems
