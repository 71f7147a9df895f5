"""The store's domain check before a transaction is kept: every posting goes to an account of
this group's chart (a member of this group, a loan of this group)."""

from __future__ import annotations

import sqlite_utils

from ledger import N_, Problem, Transaction
from vsla.domain import accounts as acc


def account_guard(
    db: sqlite_utils.Database, tx: Transaction, known: set[tuple[str, str]]
) -> list[Problem]:
    """Postings to accounts that are not this group's; `known` holds the (group, account)
    pairs already found in the same append, and gains those found now."""
    problems: list[Problem] = []
    for posting in tx.postings:
        if (tx.group_id, posting.account) in known:
            continue
        found = acc.classify(posting.account)
        is_known = found is not None
        if found is not None and found[0] in ("member", "loan"):
            is_known = (
                db.execute(
                    "SELECT 1 FROM members WHERE group_id = ? AND member_id = ?",
                    [tx.group_id, found[1]],
                ).fetchone()
                is not None
            )
        if is_known and found is not None and found[0] == "loan":
            creates = tx.kind == "loan" and tx.reverses is None and tx.data.get("loan") == found[2]
            is_known = (
                creates
                or db.execute(
                    "SELECT 1 FROM loans WHERE group_id = ? AND loan_number = ? AND member_id = ?",
                    [tx.group_id, found[2], found[1]],
                ).fetchone()
                is not None
            )
        if is_known:
            known.add((tx.group_id, posting.account))
        else:
            problems.append(
                Problem(
                    "account.unknown",
                    N_(
                        "transaction {id} posts to {account}, which is not an account of group "
                        "{group}"
                    ),
                    {"id": tx.id, "account": posting.account, "group": tx.group_id},
                    tx.id,
                )
            )
    return problems
