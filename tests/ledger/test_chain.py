"""The per-group hash chain finds any altered, dropped, reordered or inserted entry."""

from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from ledger import (
    Chained,
    Record,
    Transaction,
    link_after,
    make_event,
    make_transaction,
    new_id,
    verify_chain,
)


def journal(n: int) -> list[Chained]:
    head = None
    chain = []
    for i in range(n):
        record = (
            make_event(
                id=new_id(), group_id="g", date=date(2026, 1, 1), kind="note", payload={"i": i}
            )
            if i % 3 == 0
            else make_transaction(
                id=new_id(),
                group_id="g",
                date=date(2026, 1, 1 + i % 28),
                kind="shares",
                postings=[("assets:cash:loan_fund", 100 + i), ("equity:savings:M01", -100 - i)],
            )
        )
        head = link_after(head, record)
        chain.append(head)
    return chain


def test_an_untouched_chain_verifies() -> None:
    assert verify_chain(journal(20)) == []


@given(st.integers(min_value=0, max_value=9))
def test_altering_an_amount_names_the_entry(index: int) -> None:
    chain = journal(10)
    target = chain[index]
    record = target.record
    changed: Record
    if isinstance(record, Transaction):
        changed = replace(
            record, postings=(replace(record.postings[0], amount_minor=1), *record.postings[1:])
        )
    else:
        changed = replace(record, payload='{"i":999}')
    chain[index] = replace(target, record=changed)
    problems = verify_chain(chain)
    assert problems
    assert problems[0].record_id == target.record.id


@given(st.integers(min_value=0, max_value=8))
def test_dropping_an_entry_is_found(index: int) -> None:
    chain = journal(10)
    dropped = chain.pop(index)
    problems = verify_chain(chain)
    assert problems
    assert problems[0].record_id == chain[index].record.id != dropped.record.id


@given(st.integers(min_value=0, max_value=8))
def test_swapping_neighbours_is_found(index: int) -> None:
    chain = journal(10)
    chain[index], chain[index + 1] = chain[index + 1], chain[index]
    assert verify_chain(chain)


def test_inserting_a_forged_entry_is_found() -> None:
    chain = journal(6)
    forged = link_after(chain[2], chain[4].record)
    chain.insert(3, forged)
    problems = verify_chain(chain)
    assert problems[0].record_id == chain[4].record.id


def test_verifying_a_continuation_from_a_trusted_head() -> None:
    chain = journal(8)
    assert verify_chain(chain[5:], after=chain[4]) == []
    assert verify_chain(chain[6:], after=chain[4])
