"""Random sequences of valid and invalid operations against the stored journal.

After every step: every stored transaction balances, the balances table equals a model kept by
the test, every group's chain verifies, and each id is stored once. The database itself refuses
UPDATE, DELETE and INSERT OR REPLACE on the journal, whatever connection tries.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from ledger import LedgerError, Transaction, make_transaction, new_id, reverse
from ledger.records import Posting
from vsla.store import IdConflict, InvalidEntry, Journal, open_database

ACCOUNTS = (
    "assets:cash:loan_fund",
    "assets:cash:social_fund",
    "equity:savings:M01",
    "equity:savings:M02",
    "assets:loans:M01:L1",
    "income:service_charges",
    "expenses:write_offs",
)
GROUPS = ("umoja", "tumaini")
amounts = st.integers(min_value=1, max_value=10**9)


@st.composite
def balanced_postings(draw: st.DrawFn) -> list[tuple[str, int]]:
    legs = draw(st.integers(min_value=1, max_value=3))
    postings: list[tuple[str, int]] = []
    for _ in range(legs):
        debit, credit = draw(
            st.lists(st.sampled_from(ACCOUNTS), min_size=2, max_size=2, unique=True)
        )
        amount = draw(amounts)
        postings += [(debit, amount), (credit, -amount)]
    return postings


def tx_of(group: str, postings: list[tuple[str, int]], day: int = 1) -> Transaction:
    return make_transaction(
        id=new_id(), group_id=group, date=date(2026, 1, day), kind="test", postings=postings
    )


class JournalMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.db = open_database(":memory:")
        self.journal = Journal(self.db)
        self.model: dict[tuple[str, str], int] = defaultdict(int)
        self.stored: dict[str, Transaction] = {}
        self.reversed: set[str] = set()

    def _apply(self, tx: Transaction) -> None:
        for p in tx.postings:
            self.model[(tx.group_id, p.account)] += p.amount_minor
        self.stored[tx.id] = tx

    @rule(group=st.sampled_from(GROUPS), postings=balanced_postings())
    def append_valid(self, group: str, postings: list[tuple[str, int]]) -> None:
        tx = tx_of(group, postings)
        assert self.journal.append([tx])[0].status == "recorded"
        self._apply(tx)

    @rule(group=st.sampled_from(GROUPS), postings=balanced_postings(), off_by=st.integers(1, 9))
    def append_unbalanced_is_refused(
        self, group: str, postings: list[tuple[str, int]], off_by: int
    ) -> None:
        account, amount = postings[0]
        broken = Transaction(
            id=new_id(),
            group_id=group,
            date=date(2026, 1, 1),
            kind="test",
            postings=(Posting(account, amount + off_by), *(Posting(a, m) for a, m in postings[1:])),
        )
        with pytest.raises(InvalidEntry):
            self.journal.append([broken])

    @rule(group=st.sampled_from(GROUPS), postings=balanced_postings())
    def a_batch_with_one_bad_entry_stores_nothing(
        self, group: str, postings: list[tuple[str, int]]
    ) -> None:
        good = tx_of(group, postings)
        bad = Transaction(
            id=new_id(),
            group_id=group,
            date=date(2026, 1, 1),
            kind="test",
            postings=(Posting(ACCOUNTS[0], 5),),
        )
        with pytest.raises(InvalidEntry):
            self.journal.append([good, bad])
        assert self.journal.get(good.id) is None

    @precondition(lambda self: self.stored)
    @rule(data=st.data())
    def appending_again_is_acknowledged_not_duplicated(self, data: st.DataObject) -> None:
        tx = data.draw(st.sampled_from(sorted(self.stored.values(), key=lambda t: t.id)))
        result = self.journal.append([tx])
        assert result[0].status == "already_recorded"

    @precondition(lambda self: self.stored)
    @rule(data=st.data())
    def same_id_other_content_is_a_conflict(self, data: st.DataObject) -> None:
        tx = data.draw(st.sampled_from(sorted(self.stored.values(), key=lambda t: t.id)))
        other = make_transaction(
            id=tx.id, group_id=tx.group_id, date=tx.date, kind="other", postings=tx.postings
        )
        with pytest.raises(IdConflict):
            self.journal.append([other])

    @precondition(lambda self: set(self.stored) - self.reversed)
    @rule(data=st.data())
    def reverse_one(self, data: st.DataObject) -> None:
        candidates = sorted(
            (t for t in self.stored.values() if t.id not in self.reversed and t.reverses is None),
            key=lambda t: t.id,
        )
        if not candidates:
            return
        original = data.draw(st.sampled_from(candidates))
        undo = reverse(original, id=new_id(), date=original.date, memo="mistake")
        self.journal.append([undo])
        self._apply(undo)
        self.reversed.add(original.id)
        with pytest.raises(LedgerError):  # a second reversal of the same entry
            self.journal.append([reverse(original, id=new_id(), date=original.date, memo="x")])

    @precondition(lambda self: self.stored)
    @rule(
        sql=st.sampled_from(
            [
                "UPDATE postings SET amount_minor = amount_minor + 1",
                "UPDATE journal SET memo = 'edited'",
                "UPDATE journal SET hash = 'x' WHERE seq = 1",
                "DELETE FROM postings",
                "DELETE FROM journal",
                "INSERT OR REPLACE INTO journal SELECT * FROM journal",
                "INSERT OR REPLACE INTO postings SELECT * FROM postings",
                "REPLACE INTO journal SELECT * FROM journal LIMIT 1",
            ]
        )
    )
    def sql_edits_are_refused(self, sql: str) -> None:
        raw = self.db.conn
        with pytest.raises(sqlite3.IntegrityError, match=r"append-only|hash chain|newest"):
            raw.execute(sql)
        raw.rollback()

    @invariant()
    def every_stored_transaction_balances(self) -> None:
        unbalanced = self.db.execute(
            "SELECT entry_id FROM postings GROUP BY entry_id HAVING SUM(amount_minor) <> 0"
        ).fetchall()
        assert unbalanced == []

    @invariant()
    def balances_equal_the_model_and_the_postings(self) -> None:
        for group in GROUPS:
            stored = {a: b for a, b in self.journal.balances(group).items() if b}
            model = {a: b for (g, a), b in self.model.items() if g == group and b}
            assert stored == model
            assert {a: b for a, b in self.journal.recomputed_balances(group).items() if b} == model

    @invariant()
    def each_id_once_and_chains_verify(self) -> None:
        count = self.db.execute("SELECT COUNT(*) FROM journal").fetchone()[0]
        assert count == len(self.stored)
        for group in GROUPS:
            assert self.journal.verify(group) == []

    def teardown(self) -> None:
        self.db.close()


TestJournalMachine = JournalMachine.TestCase
TestJournalMachine.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)


@given(st.lists(balanced_postings(), min_size=1, max_size=20))
@settings(max_examples=40, deadline=None)
def test_reversing_everything_returns_every_balance_to_zero(
    postings_list: list[list[tuple[str, int]]],
) -> None:
    journal = Journal(open_database(":memory:"))
    originals = [tx_of("umoja", postings) for postings in postings_list]
    journal.append(originals)
    journal.append([reverse(tx, id=new_id(), date=tx.date, memo="undo") for tx in originals])
    assert set(journal.balances("umoja").values()) <= {0}
    assert journal.verify("umoja") == []


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=40)
@given(st.lists(balanced_postings(), min_size=2, max_size=6))
def test_a_retried_batch_after_a_crash_is_stored_once(
    postings_list: list[list[tuple[str, int]]],
) -> None:
    journal = Journal(open_database(":memory:"))
    batch = [tx_of("umoja", postings) for postings in postings_list]
    journal.append(batch[:1])  # the first commit reached disk before the crash
    results = journal.append(batch)
    assert [r.status for r in results] == ["already_recorded"] + ["recorded"] * (len(batch) - 1)
    assert journal.db.execute("SELECT COUNT(*) FROM journal").fetchone()[0] == len(batch)


def test_the_same_entry_twice_in_one_batch_is_stored_once() -> None:
    journal = Journal(open_database(":memory:"))
    tx = tx_of("umoja", [("assets:cash:loan_fund", 500), ("equity:savings:M01", -500)])
    results = journal.append([tx, tx])
    assert [r.status for r in results] == ["recorded", "already_recorded"]
    assert journal.balances("umoja") == {"assets:cash:loan_fund": 500, "equity:savings:M01": -500}


def test_one_id_with_two_contents_in_one_batch_is_a_conflict_and_stores_nothing() -> None:
    journal = Journal(open_database(":memory:"))
    first = tx_of("umoja", [("assets:cash:loan_fund", 500), ("equity:savings:M01", -500)])
    other = make_transaction(
        id=first.id,
        group_id="umoja",
        date=first.date,
        kind="test",
        postings=[("assets:cash:loan_fund", 900), ("equity:savings:M01", -900)],
    )
    with pytest.raises(IdConflict):
        journal.append([first, other])
    assert journal.db.execute("SELECT COUNT(*) FROM journal").fetchone()[0] == 0
