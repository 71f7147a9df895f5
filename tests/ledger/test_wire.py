"""Entries as sync carries them: every entry of the demo book goes out and comes back the
same; any change to any field, or any JSON value in its place, is refused with the kernel's
own error, never another exception."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ledger import LedgerError
from ledger.chain import Chained
from ledger.wire import from_wire, to_wire
from vsla.store import Journal, open_database


@pytest.fixture(scope="module")
def demo_entries(demo_db: Path) -> Iterator[list[Chained]]:
    db = open_database(demo_db, read_only=True)
    try:
        yield [e for g in Journal(db).group_ids() for e in Journal(db).entries(g)]
    finally:
        db.close()


def test_every_entry_comes_back_the_same(demo_entries: list[Chained]) -> None:
    assert len(demo_entries) > 1000
    for entry in demo_entries:
        sent = json.loads(json.dumps(to_wire(entry)))  # through real JSON text
        assert from_wire(sent) == entry


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


FIELDS = (
    "type", "id", "group_id", "seq", "prev_hash", "hash", "date", "kind", "memo",
    "member_id", "meeting_number", "reverses", "payload", "postings",
)  # fmt: skip


def test_the_fields_are_those_sync_sends(demo_entries: list[Chained]) -> None:
    assert sorted(to_wire(demo_entries[0])) == sorted(FIELDS)


@settings(max_examples=300, deadline=None)
@given(pick=st.integers(min_value=0), field=st.sampled_from(FIELDS), value=JSON)
def test_any_change_is_refused_cleanly(
    demo_entries: list[Chained], pick: int, field: str, value: Any
) -> None:
    sent = to_wire(demo_entries[pick % len(demo_entries)])
    changed = {**copy.deepcopy(sent), field: value}
    assume(changed[field] != sent[field])
    with pytest.raises(LedgerError):
        from_wire(changed)


@settings(max_examples=100, deadline=None)
@given(value=JSON)
def test_any_json_value_is_refused_cleanly(value: Any) -> None:
    with pytest.raises(LedgerError):
        from_wire(value)
