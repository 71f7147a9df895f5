"""Every input to `vsla import` ends cleanly: exit 0 with the group imported whole and `vsla
check` clean, or exit 2 with a message naming the file and the database byte-for-byte as it
was (or still absent). Mutated books from tests/bookfuzz.py, driven by Hypothesis; a few
hundred here (derandomized, so the suite is stable), thousands in bench/fuzz_import.py.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from ..bookfuzz import (
    ACCEPTED,
    FAILED,
    REFUSED,
    Book,
    Case,
    case_of,
    example_books,
    generated_book,
    make_base_db,
    run_case,
    to_bytes,
)

EXAMPLES: list[Book] = example_books()


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A book holding another group, made once: each case imports into a copy of it."""
    return make_base_db(tmp_path_factory.mktemp("fuzz-base"))


@settings(
    max_examples=800,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**31 - 1), number=st.integers(0, 10**6))
def test_every_mutated_book_is_imported_whole_or_refused_cleanly(
    seed: int, number: int, base_db: Path
) -> None:
    """A case is drawn as a seed, so a failure replays with the bench:
    `.venv/bin/python bench/fuzz_import.py --seed SEED --case NUMBER`."""
    case, into_base = case_of(seed, number, EXAMPLES)
    note(f"{case.suffix} {case.label}\n{case.content[:2000]!r}")
    with tempfile.TemporaryDirectory() as folder:
        outcome = run_case(case, Path(folder), base_db if into_base else None)
    assert outcome.verdict != FAILED, outcome.detail


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_generated_books_are_accepted(seed: int, suffix: str, base_db: Path) -> None:
    """The books the mutations start from are valid, so what a mutation breaks is what
    makes a case refused."""
    suffix, content = to_bytes(generated_book(random.Random(seed)), suffix, [])
    with tempfile.TemporaryDirectory() as folder:
        outcome = run_case(Case("generated", suffix, content), Path(folder), base_db)
    assert outcome.verdict == ACCEPTED, outcome.detail


def test_the_cases_reach_both_endings(base_db: Path) -> None:
    """The fuzzing is only worth its time if cases are both accepted and refused."""
    seen = set()
    with tempfile.TemporaryDirectory() as folder:
        for number in range(40):
            case, _into_base = case_of(1, number, EXAMPLES)
            with tempfile.TemporaryDirectory(dir=folder) as one:
                seen.add(run_case(case, Path(one), base_db).verdict)
    assert seen == {ACCEPTED, REFUSED}
