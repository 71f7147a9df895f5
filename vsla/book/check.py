"""`vsla check`: every invariant of reliability.md over every group, as a list of problems."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlite_utils

from ledger import (
    N_,
    Event,
    Problem,
    Record,
    Transaction,
    check_journal_balances,
    check_never_negative,
    check_reversals,
)
from vsla.domain import accounts as acc
from vsla.store import Journal


@dataclass(frozen=True, slots=True)
class GroupProblem:
    group_id: str
    problem: Problem


def check_book(db: sqlite_utils.Database) -> list[GroupProblem]:
    journal = Journal(db)
    groups = sorted(
        set(journal.group_ids()) | {str(r[0]) for r in db.execute("SELECT id FROM groups")}
    )
    found: list[GroupProblem] = []
    for group_id in groups:
        found += [GroupProblem(group_id, p) for p in check_group(db, journal, group_id)]
    return found


def check_group(db: sqlite_utils.Database, journal: Journal, group_id: str) -> list[Problem]:
    problems = journal.verify(group_id)
    records = [c.record for c in journal.entries(group_id)]
    problems += check_journal_balances(records)
    problems += check_reversals(records)
    problems += check_never_negative(records, acc.is_watched)
    problems += _accounts(db, group_id, records)
    problems += _meetings(records)
    problems += _identities(journal.balances(group_id))
    stored, recomputed = journal.balances(group_id), journal.recomputed_balances(group_id)
    for account in sorted(set(stored) | set(recomputed)):
        if stored.get(account, 0) != recomputed.get(account, 0):
            problems.append(
                Problem(
                    "balances.stale",
                    N_(
                        "the stored balance of {account} ({stored}) differs from its postings "
                        "({recomputed})"
                    ),
                    {
                        "account": account,
                        "stored": stored.get(account, 0),
                        "recomputed": recomputed.get(account, 0),
                    },
                )
            )
    return problems


def _accounts(db: sqlite_utils.Database, group_id: str, records: list[Record]) -> list[Problem]:
    members = {
        str(r[0])
        for r in db.execute("SELECT member_id FROM members WHERE group_id = ?", [group_id])
    }
    problems: list[Problem] = []
    for record in records:
        if not isinstance(record, Transaction):
            continue
        for posting in record.postings:
            found = acc.classify(posting.account)
            if found is None or (found[1] is not None and found[1] not in members):
                problems.append(
                    Problem(
                        "account.unknown",
                        N_(
                            "transaction {id} posts to {account}, which is not an account of group "
                            "{group}"
                        ),
                        {"id": record.id, "account": posting.account, "group": group_id},
                        record.id,
                    )
                )
    return problems


def _meetings(records: list[Record]) -> list[Problem]:
    """Meetings numbered without gaps; money only inside an open meeting; counted = ledger."""
    problems: list[Problem] = []
    status: dict[int, str] = {}
    cash: dict[str, int] = defaultdict(int)
    last_number = 0
    for record in records:
        number = record.meeting_number
        if isinstance(record, Transaction):
            for posting in record.postings:
                if posting.account in acc.CASH_ACCOUNTS or posting.account.startswith(
                    acc.SAVINGS + ":"
                ):
                    cash[posting.account] += posting.amount_minor
            if number is None or status.get(number) != "open":
                problems.append(
                    Problem(
                        "meeting.entry_outside",
                        N_("transaction {id} is not inside an open meeting"),
                        {"id": record.id},
                        record.id,
                    )
                )
            continue
        assert isinstance(record, Event)
        if record.kind == "meeting_opened" and number is not None:
            if number != last_number + 1:
                problems.append(
                    Problem(
                        "meeting.gap",
                        N_(
                            "meeting {number} comes after meeting {previous}: the numbering "
                            "has a gap"
                        ),
                        {"number": number, "previous": last_number},
                        record.id,
                    )
                )
            last_number = number
            status[number] = "open"
        elif record.kind == "cycle_closed":
            for account, amount in sorted(cash.items()):
                if account.startswith(acc.SAVINGS + ":") and amount:
                    problems.append(
                        Problem(
                            "shareout.savings_left",
                            N_("after the share-out, {account} still holds {amount}"),
                            {"account": account, "amount": -amount},
                            record.id,
                        )
                    )
        elif record.kind == "meeting_reopened" and number is not None:
            status[number] = "open"
        elif record.kind == "meeting_closed" and number is not None:
            status[number] = "closed"
            counted = record.data["counted"]
            for bowl, account in (
                ("loan_fund_minor", acc.LOAN_FUND_CASH),
                ("social_fund_minor", acc.SOCIAL_FUND_CASH),
            ):
                if counted[bowl] != cash[account]:
                    problems.append(
                        Problem(
                            "meeting.count_mismatch",
                            N_(
                                "meeting {number} closed with {counted} counted but {ledger} "
                                "in the "
                                "book for {account}"
                            ),
                            {
                                "number": number,
                                "counted": counted[bowl],
                                "ledger": cash[account],
                                "account": account,
                            },
                            record.id,
                        )
                    )
    return problems


def _identities(balances: dict[str, int]) -> list[Problem]:
    """Loan fund: cash + what members owe it = savings + retained + income − expenses.
    Social fund: its cash + fines owed to it = the social fund."""
    social_side = sum(
        amount
        for account, amount in balances.items()
        if account == acc.SOCIAL_FUND_CASH
        or account.startswith(acc.SOCIAL_FUND + ":")
        or account.startswith(acc.FINES_OWED + ":social_fund:")
    )
    problems = []
    if social_side != 0:
        problems.append(
            Problem(
                "identity.social_fund",
                N_(
                    "the social fund's cash plus the fines owed to it differ from the social "
                    "fund by {amount}"
                ),
                {"amount": social_side},
            )
        )
    return problems
