"""`vsla import` against thousands of mutated group books: every one must end cleanly.

Run on demand (not part of the tests); about a minute per thousand cases and job:

    .venv/bin/python bench/fuzz_import.py                    # 5,000 cases, seed 0
    .venv/bin/python bench/fuzz_import.py --cases 20000 --seed 7 --jobs 4
    .venv/bin/python bench/fuzz_import.py --seed 7 --case 1234   # replay one case

The cases are those of tests/cli/test_import_fuzz.py (tests/bookfuzz.py): worked examples and
generated books, broken in their data and their bytes, as TOML and JSON, imported half into a
book that already holds another group and half where there is no book yet. Each case is
accepted (exit 0, `vsla check` clean), refused cleanly (exit 2, a message naming the file, the
database byte-for-byte as it was or still absent) or failed (anything else). Failing inputs
are written to bench/out/fuzz-import/ with what went wrong, to reproduce them.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.bookfuzz import (  # noqa: E402
    ACCEPTED,
    FAILED,
    REFUSED,
    Book,
    Case,
    Outcome,
    case_of,
    example_books,
    make_base_db,
    run_case,
)

OUT = ROOT / "bench" / "out" / "fuzz-import"
Result = tuple[int, Case, Outcome]


class _Worker:
    """What each process makes once: its folder, its base book, the examples."""

    folder: Path
    base: Path
    examples: list[Book]


def _start_worker(parent: str) -> None:
    _Worker.folder = Path(tempfile.mkdtemp(dir=parent))
    _Worker.base = make_base_db(_Worker.folder)
    _Worker.examples = example_books()


def run_one(work: tuple[int, int]) -> Result:
    seed, number = work
    case, into_base = case_of(seed, number, _Worker.examples)
    with tempfile.TemporaryDirectory(dir=_Worker.folder) as folder:
        outcome = run_case(case, Path(folder), _Worker.base if into_base else None)
    return number, case, outcome


def save_failure(seed: int, number: int, case: Case, outcome: Outcome) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    stem = OUT / f"seed{seed}-case{number}"
    stem.with_suffix(case.suffix).write_bytes(case.content)
    stem.with_suffix(".txt").write_text(
        f"{case.label}\nreplay: .venv/bin/python bench/fuzz_import.py --seed {seed} "
        f"--case {number}\n\n{outcome.detail}\n",
        encoding="utf-8",
        errors="backslashreplace",
    )
    return stem


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000, help="how many cases (5000)")
    parser.add_argument("--seed", type=int, default=0, help="the run's seed (0)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (1)")
    parser.add_argument("--case", type=int, help="replay this one case of the seed")
    args = parser.parse_args()
    numbers = [args.case] if args.case is not None else list(range(args.cases))
    work = [(args.seed, n) for n in numbers]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fuzz-import-") as parent:
        if args.jobs > 1:
            with multiprocessing.Pool(args.jobs, _start_worker, (parent,)) as pool:
                counts = _tally(args.seed, pool.imap_unordered(run_one, work, chunksize=8))
        else:
            _start_worker(parent)
            counts = _tally(args.seed, map(run_one, work))
    seconds = time.perf_counter() - started
    print(
        f"{len(numbers)} cases (seed {args.seed}) in {seconds:.0f} s: "
        f"{counts[ACCEPTED]} accepted (exit 0, check clean), "
        f"{counts[REFUSED]} refused cleanly (exit 2, database unchanged), "
        f"{counts[FAILED]} failed"
    )
    if counts[FAILED]:
        print(f"failing inputs in {OUT}")
    return 1 if counts[FAILED] else 0


def _tally(seed: int, results: Iterable[Result]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for number, case, outcome in results:
        counts[outcome.verdict] += 1
        if outcome.verdict == FAILED:
            stem = save_failure(seed, number, case, outcome)
            first = outcome.detail.splitlines()[0] if outcome.detail else ""
            print(f"case {number} failed ({case.label[:80]}): {first[:160]} -> {stem}")
        done = sum(counts.values())
        if done % 1000 == 0:
            print(f"... {done} cases", file=sys.stderr)
    return counts


if __name__ == "__main__":
    sys.exit(main())
