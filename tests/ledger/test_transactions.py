"""Transactions and reversals, read like the entries they check."""

from datetime import date

import pytest

from ledger import (
    LedgerError,
    Posting,
    Transaction,
    balances,
    check_accounts,
    check_never_negative,
    check_reversals,
    make_event,
    make_transaction,
    new_id,
    reverse,
)
from ledger.accounts import AccountKind, account_kind, normal_balance

DAY = date(2026, 1, 5)
CASH, SAVINGS = "assets:cash:loan_fund", "equity:savings:M01"


def share_purchase(amount_minor: int = 10_000) -> Transaction:
    return make_transaction(
        id=new_id(),
        group_id="umoja",
        date=DAY,
        kind="shares",
        postings=[(CASH, amount_minor), (SAVINGS, -amount_minor)],
        member_id="M01",
    )


def test_a_share_purchase_is_cash_up_and_her_savings_up() -> None:
    tx = share_purchase(10_000)
    assert tx.postings == (Posting(CASH, 10_000), Posting(SAVINGS, -10_000))
    assert normal_balance(SAVINGS, -10_000) == 10_000


@pytest.mark.parametrize(
    ("postings", "code"),
    [
        ([(CASH, 100)], "tx.too_few_postings"),
        ([], "tx.too_few_postings"),
        ([(CASH, 100), (SAVINGS, -99)], "tx.unbalanced"),
        ([(CASH, 0), (SAVINGS, 0)], "tx.zero_posting"),
        ([("cash", 100), (SAVINGS, -100)], "account.invalid"),
        ([(CASH, 10**16), (SAVINGS, -(10**16))], "tx.amount_too_large"),
    ],
)
def test_invalid_transactions_are_refused(postings: list[tuple[str, int]], code: str) -> None:
    with pytest.raises(LedgerError) as caught:
        make_transaction(id=new_id(), group_id="g", date=DAY, kind="x", postings=postings)
    assert caught.value.problem.code == code


def test_transactions_are_immutable() -> None:
    tx = share_purchase()
    with pytest.raises(AttributeError):
        tx.kind = "other"  # type: ignore[misc]


def test_memo_with_escape_sequences_is_refused() -> None:
    with pytest.raises(LedgerError, match="invisible or control"):
        make_transaction(
            id=new_id(),
            group_id="g",
            date=DAY,
            kind="x",
            postings=[(CASH, 1), (SAVINGS, -1)],
            memo="\x1b[2Jwiped",
        )


def test_floats_never_reach_a_payload() -> None:
    with pytest.raises(LedgerError):
        make_event(id=new_id(), group_id="g", date=DAY, kind="x", payload={"rate": 0.1})


def test_reversal_mirrors_the_original_and_balances_return_to_zero() -> None:
    original = share_purchase(5_000)
    undo = reverse(original, id=new_id(), date=DAY, memo="typed 5 shares, meant 4")
    assert undo.reverses == original.id
    assert balances([original, undo]) == {}
    assert check_reversals([original, undo]) == []


def test_a_reversal_cannot_be_reversed() -> None:
    undo = reverse(share_purchase(), id=new_id(), date=DAY, memo="mistake")
    with pytest.raises(LedgerError, match="itself a reversal"):
        reverse(undo, id=new_id(), date=DAY, memo="again")


def test_reversing_twice_is_found() -> None:
    original = share_purchase()
    first = reverse(original, id=new_id(), date=DAY, memo="one")
    second = reverse(original, id=new_id(), date=DAY, memo="two")
    problems = check_reversals([original, first, second])
    assert [p.code for p in problems] == ["reversal.twice"]
    assert problems[0].record_id == second.id


def test_a_reversal_that_does_not_mirror_is_found() -> None:
    original = share_purchase(5_000)
    fake = make_transaction(
        id=new_id(),
        group_id="umoja",
        date=DAY,
        kind="shares",
        postings=[(CASH, -4_000), (SAVINGS, 4_000)],
        reverses=original.id,
    )
    assert [p.code for p in check_reversals([original, fake])] == ["reversal.not_mirror"]


def test_unknown_accounts_are_named() -> None:
    tx = share_purchase()
    problems = check_accounts(tx, {CASH})
    assert [(p.code, p.params["account"]) for p in problems] == [("account.unknown", SAVINGS)]


def test_cash_may_not_go_below_zero_in_journal_order() -> None:
    deposit = share_purchase(1_000)
    loan = make_transaction(
        id=new_id(),
        group_id="umoja",
        date=DAY,
        kind="loan",
        postings=[("assets:loans:M01:L1", 1_500), (CASH, -1_500)],
    )
    problems = check_never_negative([deposit, loan], lambda a: a.startswith("assets:cash"))
    assert [(p.code, p.params["amount"]) for p in problems] == [("balance.negative", -500)]


def test_account_kinds_and_normal_balances() -> None:
    assert account_kind("expenses:write_offs") is AccountKind.EXPENSE
    assert AccountKind.ASSET.normal_sign == 1
    assert AccountKind.INCOME.normal_sign == -1
