"""Crash campaign: kill a writer with SIGKILL at random moments and prove the book survives.

Run on demand (not part of the tests):

    .venv/bin/python bench/crash_campaign.py                 # 1,000 kills, about 10 minutes
    .venv/bin/python bench/crash_campaign.py --kills 100 --seed 7

A forked writer records meetings, share-outs and new cycles through the services (`Book`),
with a backup after every closed meeting, as the app does. It tells the parent, through a
pipe, each meeting it saw committed, and marks each SQL statement it starts. The parent
kills it:

- at a random moment (`random`),
- just after it starts a COMMIT, inside the commit's write and fsync (`commit`),
- just after the k-th journal INSERT of a run, in the middle of a transaction (`insert`),
- while it backs the book up (`backup`).

After each kill the parent reopens the book (SQLite recovers the write-ahead log) and counts
as failures: an integrity_check that is not "ok"; any problem `vsla check` finds; a meeting
the writer reported committed that is missing or not whole; a meeting begun but not finished;
a backup file (with its final name) that is not whole; an error reopening the book. Every
50 kills it starts a new book, so that checking stays fast. Exit status 1 if any failure.
"""

from __future__ import annotations

import argparse
import os
import random
import select
import signal
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.progress import Progress  # noqa: E402

from vsla.book.backups import backups_of  # noqa: E402
from vsla.book.check import check_book  # noqa: E402
from vsla.book.service import Book, MeetingRefused  # noqa: E402
from vsla.domain.constitution import Constitution  # noqa: E402
from vsla.domain.entries import MeetingPlan, NewLoan, Repayment, Shares  # noqa: E402
from vsla.domain.people import Member  # noqa: E402
from vsla.store.backup import integrity_problems  # noqa: E402

GROUP = "crash"
MEMBERS = 12
KILLS_PER_BOOK = 50
MODES = ("random", "commit", "insert", "backup")


def new_book(path: Path, backups: Path) -> None:
    book = Book.open(path, backup_dir=backups)
    book.create_group(
        group_id=GROUP,
        name="Crash Test Group",
        constitution=Constitution.from_json(
            {
                "currency": "UGX",
                "share_value_minor": 2000,
                "shares_min": 1,
                "shares_max": 5,
                "social_fund_minor": 0,
                "loan_multiple": 3,
                "loan_term_max_months": 3,
                "service_charge": "declining",
                "service_charge_rate_bp": 1000,
                "fines_minor": {"late": 500},
            }
        ),
        members=[Member(f"M{n:02d}", f"Member {n}", "F" if n % 4 else "M") for n in range(1, 13)],
        cycle_start=date(2026, 1, 7),
    )
    book.close()


# -- the writer (a forked child) --------------------------------------------------------------


def writer(path: Path, backups: Path, out: int, seed: int) -> None:
    """Record meetings until killed; report each committed one on `out`."""
    rng = random.Random(seed)
    book = Book.open(path, backup_dir=backups)

    def trace(statement: str) -> None:
        head = statement.lstrip()[:20].upper()
        if head.startswith("COMMIT"):
            os.write(out, b"C\n")
        elif head.startswith("INSERT INTO JOURNAL"):
            os.write(out, b"I\n")

    book.db.conn.set_trace_callback(trace)
    original_backed_up = book.backed_up

    def backed_up() -> None:
        os.write(out, b"B\n")
        original_backed_up()

    book.backed_up = backed_up  # type: ignore[method-assign]
    while True:
        state = book.state(GROUP)
        last = state.last_meeting
        day = state.cycle_start if last is None else last.date + timedelta(days=7)
        if state.cycle_status == "closed":
            book.start_cycle(GROUP, start=day)
            os.write(out, f"cycle {state.cycle_number + 1}\n".encode())
            continue
        meetings_this_cycle = (
            0 if last is None or last.cycle_number != state.cycle_number else last.number
        )
        settle = False
        share_out = meetings_this_cycle and rng.random() < 0.08
        if share_out:
            settle = bool(book.shareout(GROUP, on=day).problems)  # debts: collect them first
        if share_out and not settle:
            preview = book.shareout(GROUP, on=day, commit=True)
            closing = book.state(GROUP).last_meeting
            assert closing is not None
            os.write(out, f"shareout {closing.number} {preview.records[-1].id}\n".encode())
            continue
        outcome = book.record_meeting(GROUP, _plan(state, day, rng, settle=settle))
        closed = outcome.records[-1]
        os.write(out, f"meeting {outcome.number} {closed.id} {len(outcome.records)}\n".encode())


def _plan(state: object, day: date, rng: random.Random, *, settle: bool) -> MeetingPlan:
    """Shares for everyone, some repayments and new loans; with `settle`, every loan repaid."""
    from vsla.domain.state import GroupState

    assert isinstance(state, GroupState)
    entries: list[object] = [Shares(m.member_id, rng.randint(1, 5)) for m in state.active_members()]
    cash = state.loan_fund_cash_minor
    for member in state.active_members():
        owed = state.member_loan_owed_minor(member.member_id)
        if owed and (settle or rng.random() < 0.5):
            entries.append(Repayment(member.member_id, owed))
        elif not owed and not settle and rng.random() < 0.15:
            principal = min(2 * state.savings_minor(member.member_id), cash) // 1000 * 1000
            if principal > 0:
                entries.append(NewLoan(member.member_id, principal, rng.randint(1, 3)))
                cash -= principal
    return MeetingPlan(date=day, entries=tuple(entries))  # type: ignore[arg-type]


def run_writer(path: Path, backups: Path, seed: int) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        os.close(read_end)
        try:
            writer(path, backups, write_end, seed)
        except MeetingRefused as refused:
            print(f"writer: refused: {refused.problems[0].render()}", file=sys.stderr)
            os._exit(3)
        except BaseException:
            import traceback

            traceback.print_exc()
            os._exit(4)
        os._exit(0)
    os.close(write_end)
    return pid, read_end


# -- the parent ---------------------------------------------------------------------------------


@dataclass
class Reported:
    meetings: dict[int, tuple[str, int]] = field(default_factory=dict)  # number: (closed id, n)
    shareouts: int = 0
    cycles: int = 0


def kill_at(pid: int, pipe: int, mode: str, rng: random.Random, reported: Reported) -> str:
    """Read the writer's reports until the moment `mode` asks for, then SIGKILL it."""
    deadline = time.monotonic() + rng.uniform(0.0, 0.4)
    commits_to_wait = rng.randint(1, 6)
    inserts_to_wait = rng.randint(1, 400)
    backups_to_wait = rng.randint(1, 3)
    buffer = b""
    moment = "timeout"
    while True:
        timeout = max(0.0, deadline - time.monotonic()) if mode == "random" else 2.0
        ready, _, _ = select.select([pipe], [], [], timeout)
        if not ready:
            moment = "timer" if mode == "random" else "silence"
            break
        chunk = os.read(pipe, 65536)
        if not chunk:
            moment = "writer ended"
            break
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        hit = False
        for line in lines:
            words = line.decode().split()
            if not words:
                continue
            if words[0] in ("meeting", "shareout"):
                count = int(words[3]) if len(words) > 3 else 0
                reported.meetings[int(words[1])] = (words[2], count)
                reported.shareouts += words[0] == "shareout"
            elif words[0] == "cycle":
                reported.cycles += 1
            elif words[0] == "C" and mode == "commit":
                commits_to_wait -= 1
                hit = hit or commits_to_wait <= 0
            elif words[0] == "I" and mode == "insert":
                inserts_to_wait -= 1
                hit = hit or inserts_to_wait <= 0
            elif words[0] == "B" and mode == "backup":
                backups_to_wait -= 1
                hit = hit or backups_to_wait <= 0
        if hit:
            if mode == "commit":
                time.sleep(rng.uniform(0, 0.0015))  # somewhere in the commit's write and fsync
            elif mode == "backup":
                time.sleep(rng.uniform(0, 0.03))  # somewhere in the copy and its check
            moment = mode
            break
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(pipe)
    return moment if os.WIFSIGNALED(status) else f"exited {os.WEXITSTATUS(status)}"


def verify(path: Path, backups: Path, reported: Reported) -> Counter[str]:
    failures: Counter[str] = Counter()
    try:
        book = Book.open(path)
    except Exception:  # any failure to reopen is what the campaign counts
        failures["reopen"] += 1
        return failures
    try:
        if integrity_problems(book.db.conn):
            failures["integrity"] += 1
        if check_book(book.db):
            failures["check"] += 1
        for number, (closed_id, _count) in reported.meetings.items():
            row = book.db.execute(
                "SELECT status FROM meetings WHERE group_id = ? AND number = ?", [GROUP, number]
            ).fetchone()
            entry = book.journal.get(closed_id)
            if row is None or row[0] != "closed" or entry is None:
                failures["lost"] += 1
        opened = {
            int(r[0])
            for r in book.db.execute(
                "SELECT meeting_number FROM journal WHERE group_id = ? AND kind = 'meeting_opened'",
                [GROUP],
            )
        }
        closed = {
            int(r[0])
            for r in book.db.execute(
                "SELECT meeting_number FROM journal WHERE group_id = ? AND kind = 'meeting_closed'",
                [GROUP],
            )
        }
        if opened != closed:
            failures["partial"] += 1
    finally:
        book.close()
    for _made, copy in backups_of(backups, path.stem):
        conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            if integrity_problems(conn):
                failures["backup"] += 1
        except sqlite3.DatabaseError:
            failures["backup"] += 1
        finally:
            conn.close()
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    kinds: Counter[str] = Counter()
    moments: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    meetings_committed = shareouts = cycles = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, Progress() as progress:
        task = progress.add_task("kills", total=args.kills)
        path = backups = Path(tmp)
        reported = Reported()
        for kill in range(args.kills):
            if kill % KILLS_PER_BOOK == 0:
                path = Path(tmp) / f"book{kill // KILLS_PER_BOOK}.sqlite"
                backups = Path(tmp) / f"backups{kill // KILLS_PER_BOOK}"
                new_book(path, backups)
                reported = Reported()
            mode = MODES[kill % len(MODES)]
            pid, pipe = run_writer(path, backups, rng.randrange(2**32))
            before = (len(reported.meetings), reported.shareouts, reported.cycles)
            moments[kill_at(pid, pipe, mode, rng, reported)] += 1
            meetings_committed += len(reported.meetings) - before[0]
            shareouts += reported.shareouts - before[1]
            cycles += reported.cycles - before[2]
            kinds[mode] += 1
            failures += verify(path, backups, reported)
            progress.advance(task)
    elapsed = time.perf_counter() - started
    print(f"kills: {sum(kinds.values())} in {elapsed:.0f} s  ({dict(sorted(kinds.items()))})")
    print(f"moments of the kills: {dict(sorted(moments.items()))}")
    print(
        f"reported committed by the writers: {meetings_committed} meetings (of them "
        f"{shareouts} share-outs), {cycles} new cycles"
    )
    for kind in ("reopen", "integrity", "check", "lost", "partial", "backup"):
        print(f"failures, {kind}: {failures[kind]}")
    return 1 if sum(failures.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
