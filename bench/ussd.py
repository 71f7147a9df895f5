"""USSD hub benchmark: members' balance sessions over HTTP against a bare Starlette endpoint.

Run on demand (not part of the tests):

    .venv/bin/python bench/ussd.py            # 2,000 groups, 60 s each (the book: once, long)
    .venv/bin/python bench/ussd.py --quick    # 200 groups, 10 s each: a few minutes

1. The book, built once through the services and kept under bench/out/ (`--rebuild` makes it
   again): 2,000 groups of 25 members (about 85% women, each with her own phone number of
   the group's country and a PIN), each with a year of weekly meetings (shares, social fund,
   fines, loans and repayments), several groups to an SQLite transaction.
2. The hub (`ussd.app.create_hub`) under uvicorn in its own process on 127.0.0.1, and the
   baseline served the same way: a bare Starlette endpoint that answers a POST with one
   indexed read of the same book (a balance, one connection per thread) and a short body.
3. 50 clients (threads of this process, one keep-alive connection each) do whole balance
   sessions for random members, each a new sessionId: the first hop (""), the PIN, then her
   savings ("<PIN>*1"); against the baseline, the same clients post single requests.

Targets: p99 of every hop under 50 ms at 50 concurrent connections, and the hub's hops per
second at least 50% of the baseline's requests per second. Every answer must be 200 with a
body starting CON or END (counted, must be 0); a screen that is not the one a balance session
expects (an apology, a lock, "not available") is counted too.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger import currency  # noqa: E402
from vsla.book.access import MemberAccess  # noqa: E402
from vsla.book.service import Book  # noqa: E402
from vsla.demo import (  # noqa: E402
    CONGO_FAMILY,
    CONGO_MEN,
    CONGO_WOMEN,
    UGANDA_FAMILY,
    UGANDA_MEN,
    UGANDA_WOMEN,
)
from vsla.domain.constitution import Constitution  # noqa: E402
from vsla.domain.entries import (  # noqa: E402
    Fine,
    FinePayment,
    MeetingEntry,
    MeetingPlan,
    NewLoan,
    Repayment,
    Shares,
    SocialFund,
)
from vsla.domain.people import Member  # noqa: E402
from vsla.domain.state import GroupState  # noqa: E402
from vsla.store.connection import write_transaction  # noqa: E402

if TYPE_CHECKING:
    from starlette.applications import Starlette

OUT = Path(__file__).resolve().parent / "out"
TOKEN = "bench-path-token-0123456789"
KEY = "bench-pin-key-of-the-hub-0123456789"
CODE = "*384*123#"
PATH = f"/ussd/{TOKEN}/africastalking"
MEMBERS_PER_GROUP = 25
MEETINGS = 52
START = date(2025, 12, 1)  # a Monday: the last of the 52 meetings is on 2026-11-23
HOPS = ("first", "PIN", "savings")
P99_TARGET_MS = 50.0
RATIO_TARGET = 0.5
TIMEOUT = 30.0  # seconds a client waits for an answer
START_LIMIT = 1800.0  # seconds: the hub checks the whole book first (minutes on a cold disk)


# -- the book ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    currency: str
    phone_prefix: str  # + 7 digits: the member's number in the whole book
    languages: tuple[str, ...]
    names: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # women, men, families
    share: int  # in major units
    social: int
    fine: int


CONGO = (CONGO_WOMEN, CONGO_MEN, CONGO_FAMILY)
EAST = (UGANDA_WOMEN, UGANDA_MEN, UGANDA_FAMILY)
COUNTRIES = (
    Country("UGX", "+25670", ("en", "en", "sw"), EAST, 2000, 500, 1000),
    Country("CDF", "+24397", ("fr", "sw", "ln"), CONGO, 1000, 200, 500),
    Country("KES", "+25471", ("sw", "en"), EAST, 100, 20, 50),
    Country("TZS", "+25575", ("sw",), EAST, 2000, 500, 1000),
)


def pin_of(phone: str) -> str:
    """Every member's PIN, known to the clients without reading the book."""
    return f"{int(phone[-7:]) * 7919 % 10_000:04d}"


def constitution_of(country: Country) -> Constitution:
    unit = currency(country.currency).unit_minor
    return Constitution(
        currency=country.currency,
        share_value_minor=country.share * unit,
        social_fund_minor=country.social * unit,
        fines_minor={"absent": country.fine * unit, "late": country.fine * unit},
    )


def members_of(index: int, country: Country, rng: random.Random) -> list[Member]:
    women, men, families = country.names
    found = []
    for n in range(MEMBERS_PER_GROUP):
        woman = rng.random() < 0.85
        first = rng.choice(women if woman else men)
        found.append(
            Member(
                member_id=f"M{n + 1:02d}",
                name=f"{first} {rng.choice(families)}",
                gender="F" if woman else "M",
                phone=f"{country.phone_prefix}{index * MEMBERS_PER_GROUP + n:07d}",
                language=rng.choice(country.languages),
            )
        )
    return found


def plan_of(state: GroupState, day: date, week: int, rng: random.Random) -> MeetingPlan:
    """A regular meeting: about 5% absent (fined, owed), the others buy shares and pay the
    social fund; fines owed paid back; loans repaid monthly and in full when due; new loans
    from the fourth meeting on."""
    entries: list[MeetingEntry] = []
    attendance: dict[str, str] = {}
    for member in state.active_members():
        who = member.member_id
        if rng.random() < 0.05:
            attendance[who] = "absent"
            entries.append(Fine(who, "absent", paid=False))
            continue
        entries.append(Shares(who, rng.choice((1, 2, 2, 3, 3, 4, 5))))
        entries.append(SocialFund(who, state.constitution.social_fund_minor))
        if rng.random() < 0.03:
            entries.append(Fine(who, "late"))
        if state.fines_owed_minor(who):
            entries.append(FinePayment(who, state.fines_owed_minor(who)))
    entries += repayments(state, day, attendance)
    if week >= 3:
        entries += new_loans(state, attendance, rng)
    return MeetingPlan(date=day, entries=tuple(entries), attendance=attendance)


def repayments(state: GroupState, day: date, attendance: dict[str, str]) -> list[MeetingEntry]:
    found: list[MeetingEntry] = []
    unit = state.constitution.share_value_minor
    for loan in state.open_loans():
        owed = state.loan_owed_minor(loan)
        if loan.member_id in attendance or owed <= 0:
            continue
        if day >= loan.due_on:
            found.append(Repayment(loan.member_id, owed))
        elif (day - loan.disbursed_on).days % 28 < 7 and day > loan.disbursed_on:
            part = min(owed, owed // loan.term_months // unit * unit)
            if part > 0:
                found.append(Repayment(loan.member_id, part))
    return found


def new_loans(
    state: GroupState, attendance: dict[str, str], rng: random.Random
) -> list[MeetingEntry]:
    rules = state.constitution
    cash = state.loan_fund_cash_minor
    candidates = [
        m.member_id
        for m in state.active_members()
        if m.member_id not in attendance and not state.open_loans(m.member_id)
    ]
    found: list[MeetingEntry] = []
    for who in rng.sample(candidates, min(len(candidates), rng.choice((0, 1, 1, 2, 3)))):
        limit = rules.loan_multiple * state.savings_minor(who)
        principal = min(limit, cash // 3) * rng.choice((5, 7, 10)) // 10
        principal = principal // rules.share_value_minor * rules.share_value_minor
        if principal > 0:
            cash -= principal
            found.append(NewLoan(who, principal, rng.choice((1, 2, 3))))
    return found


def build_group(book: Book, access: MemberAccess, index: int) -> None:
    """One group, its 52 meetings and its members' PINs."""
    rng = random.Random(index)
    country = COUNTRIES[index % len(COUNTRIES)]
    group = f"g{index:05d}"
    members = members_of(index, country, rng)
    book.create_group(
        group_id=group,
        name=f"Group {index} {rng.choice(country.names[2])}",
        constitution=constitution_of(country),
        members=members,
        cycle_start=START,
        language=country.languages[0],
    )
    state = book.state(group)
    for week in range(MEETINGS):
        day = START + timedelta(weeks=week)
        outcome = book.record_meeting(group, plan_of(state, day, week, rng))
        assert outcome.state_after is not None
        state = outcome.state_after
    for member in members:
        assert member.phone is not None
        access.activate(group, member.member_id, pin_of(member.phone), datetime.now(UTC))


@contextmanager
def batch(book: Book, groups_per_transaction: int) -> Iterator[None]:
    """One SQLite transaction around several groups (nested ones become savepoints), or
    none: every meeting its own commit, as the app makes them."""
    if groups_per_transaction <= 0:
        yield
        return
    with write_transaction(book.db):
        yield


def build_book(path: Path, groups: int, groups_per_transaction: int) -> float:
    """The book at `path` (made in a `.partial` file, renamed when whole); its seconds."""
    from rich.progress import Progress

    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    book = Book.open(partial)
    access = MemberAccess(book, KEY.encode())
    step = max(1, groups_per_transaction)
    started = time.perf_counter()
    with Progress() as progress:
        task = progress.add_task("building the book (groups)", total=groups)
        for first in range(0, groups, step):
            with batch(book, groups_per_transaction):
                for index in range(first, min(groups, first + step)):
                    build_group(book, access, index)
            progress.update(task, completed=min(groups, first + step))
            done = min(groups, first + step)
            if done % max(step, groups // 20 // step * step) == 0 or done == groups:
                elapsed = time.perf_counter() - started
                progress.console.print(
                    f"  {done:,}/{groups:,} groups, {done * MEETINGS:,} meetings, "
                    f"{elapsed:,.0f} s ({elapsed / (done * MEETINGS) * 1000:.1f} ms a meeting)"
                )
    book.close()
    partial.rename(path)
    return time.perf_counter() - started


def ensure_book(
    groups: int, rebuild: bool, groups_per_transaction: int
) -> tuple[Path, dict[str, Any]]:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"ussd-{groups}.sqlite"
    info_path = path.with_suffix(".json")
    if rebuild:
        for old in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), info_path):
            old.unlink(missing_ok=True)
    if not path.exists():
        print(f"building {path.relative_to(ROOT)}: {groups:,} groups", flush=True)
        seconds = build_book(path, groups, groups_per_transaction)
        info = {"seconds": seconds, "groups_per_transaction": groups_per_transaction}
        info_path.write_text(json.dumps(info))
        print(f"built in {seconds:,.0f} s ({seconds / 60:.1f} min)", flush=True)
    info = json.loads(info_path.read_text()) if info_path.exists() else {}
    return path, info


def book_facts(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        groups, members, meetings = (
            conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("groups", "members", "meetings")
        )
        women = conn.execute("SELECT COUNT(*) FROM members WHERE gender = 'F'").fetchone()[0]
    finally:
        conn.close()
    size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    return (
        f"{groups:,} groups, {members:,} members ({women / members:.0%} women), "
        f"{meetings:,} meetings, {size / 2**30:.2f} GiB"
    )


# -- the two servers, each in its own process ------------------------------------------------


def hub_app(db: Path) -> Starlette:
    """The hub as `vsla hub serve` starts it: the book's file checked once (SQLite's quick
    check reads all of it), then served."""
    from ussd.app import create_hub
    from ussd.settings import HubSettings
    from vsla.book.session import BookSession

    settings = HubSettings.model_validate(
        {"path_token": TOKEN, "pin_key": KEY, "service_codes": [CODE]}
    )
    BookSession.open(db).close()
    return create_hub(settings, db, book_checked=True)


BALANCE = "SELECT balance_minor FROM balances WHERE group_id = ? AND account = ?"


def baseline_app(db: Path) -> Starlette:
    """POST /base with g (a group) and a (an account): one indexed read, a short answer."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    local = threading.local()

    def read(group: str, account: str) -> int:
        conn: sqlite3.Connection | None = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = sqlite3.connect(db, check_same_thread=False)
        row = conn.execute(BALANCE, (group, account)).fetchone()
        return 0 if row is None else int(row[0])

    async def answer(request: Request) -> PlainTextResponse:
        fields = parse_qs((await request.body()).decode())
        balance = await run_in_threadpool(read, fields["g"][0], fields["a"][0])
        return PlainTextResponse(f"END Balance: {balance}")

    return Starlette(routes=[Route("/base", answer, methods=["POST"])])


def serve(kind: str, db: Path, port: int) -> None:
    import uvicorn

    app = hub_app(db) if kind == "hub" else baseline_app(db)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(kind: str, db: Path) -> Iterator[tuple[int, int]]:
    """This script again, serving `kind` on a free port, until the block ends: its port and
    process id."""
    port = free_port()
    command = [sys.executable, __file__, "--serve", kind, "--db", str(db), "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT)
    try:
        started = time.monotonic()
        deadline = started + START_LIMIT
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the {kind} server did not start")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        print(f"  started in {time.monotonic() - started:.1f} s", flush=True)
        yield port, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # requests still running (a hub opening the book)
            process.kill()
            process.wait()


# -- the clients -----------------------------------------------------------------------------


@dataclass
class Tally:
    """What one client saw: latencies (seconds) by hop, and what went wrong."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    sessions: int = 0
    not_200: int = 0
    not_con_end: int = 0
    unexpected: int = 0
    failed: int = 0  # no answer at all (connection lost, timeout)
    examples: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for hop, found in other.latencies.items():
            self.latencies.setdefault(hop, []).extend(found)
        self.sessions += other.sessions
        self.not_200 += other.not_200
        self.not_con_end += other.not_con_end
        self.unexpected += other.unexpected
        self.failed += other.failed
        self.examples += other.examples[: 3 - len(self.examples)]


class Client:
    """One keep-alive connection; `post` times a request and checks its answer."""

    def __init__(self, port: int, tally: Tally) -> None:
        self.port, self.tally = port, tally
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)

    def post(self, hop: str, path: str, fields: dict[str, str]) -> str | None:
        body = urlencode(fields)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        start = time.perf_counter()
        try:
            self.conn.request("POST", path, body, headers)
            answer = self.conn.getresponse()
            text = answer.read().decode()
        except (OSError, http.client.HTTPException):
            self.tally.failed += 1
            self.conn.close()
            return None
        self.tally.latencies.setdefault(hop, []).append(time.perf_counter() - start)
        if answer.status != 200:
            self.tally.not_200 += 1
        elif not text.startswith(("CON ", "END ")):
            self.tally.not_con_end += 1
        else:
            return text
        self.note(f"{hop}: {answer.status} {text[:60]!r}")
        return None

    def note(self, what: str) -> None:
        if len(self.tally.examples) < 3:
            self.tally.examples.append(what)


def balance_session(client: Client, phone: str) -> bool:
    """Hop 1 (""), the PIN, then her savings: each must be the screen a balance shows.
    True when all three were."""
    pin = pin_of(phone)
    session = f"ATUid_{uuid.uuid4().hex}"
    for hop, text in zip(HOPS, ("", pin, f"{pin}*1"), strict=True):
        fields = {"sessionId": session, "serviceCode": CODE, "phoneNumber": phone}
        answer = client.post(hop, PATH, {**fields, "networkCode": "64101", "text": text})
        if answer is None:
            return False
        if not expected(hop, answer):
            client.tally.unexpected += 1
            client.note(f"{hop}: {answer[:60]!r}")
            return False
    client.tally.sessions += 1
    return True


def expected(hop: str, answer: str) -> bool:
    """A session goes on (CON) at every hop; the PIN opens the main menu ("1 ..."); the
    savings screen is neither the menu nor "not available" (in any language)."""
    if not answer.startswith("CON "):
        return False
    if hop == "PIN":
        return answer.startswith("CON 1 ")
    if hop == "savings":
        return not answer.startswith("CON 1 ") and not any(t in answer for t in not_available())
    return True


@cache
def not_available() -> tuple[str, ...]:
    from ussd import texts as x
    from vsla.i18n import LANGUAGES

    return tuple(x.say(x.NOT_AVAILABLE, language) for language in LANGUAGES)


# One client's unit of work (a session, a request): True when it was answered as expected.
Work = Callable[[Client, random.Random], bool]
WARM_UP_LIMIT = 900.0  # seconds: a server that cannot answer three times by then is broken


def load(
    port: int, clients: int, seconds: float, work: Work, at_least: int = 0
) -> tuple[Tally, float]:
    """`clients` threads doing `work` over and over for `seconds`, and until each has done
    it well `at_least` times (for at most WARM_UP_LIMIT seconds); what they saw, and the time
    from their start to the last one's end."""
    tallies = [Tally() for _ in range(clients)]
    go = threading.Barrier(clients + 1)
    deadline = [0.0]

    def run(tally: Tally, seed: int) -> None:
        client, rng = Client(port, tally), random.Random(seed)
        go.wait()
        done = 0
        while (now := time.perf_counter()) < deadline[0] or (
            done < at_least and now < deadline[0] - seconds + WARM_UP_LIMIT
        ):
            done += work(client, rng)
        client.conn.close()

    threads = [threading.Thread(target=run, args=(tally, n)) for n, tally in enumerate(tallies)]
    for thread in threads:
        thread.start()
    start = time.perf_counter()
    deadline[0] = start + seconds
    go.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total, elapsed


# -- the runs and the report -------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    tally: Tally
    seconds: float
    server_cpu: float  # share of one core
    client_cpu: float
    other_cpu: float  # the rest of the machine (other programs, the kernel's own work)


def busy_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy so far, all cores (Linux)."""
    ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cold_pass(port: int, clients: int, db: Path) -> None:
    """One balance session for one member of every group, in turn from all the clients:
    each is the first balance of its group since the hub started (its figures are worked
    out, then kept while the group has no new meeting and the day is the same). Printed,
    not counted in the steady run that follows."""
    conn = sqlite3.connect(db)
    phones = [str(r[0]) for r in conn.execute("SELECT MIN(phone) FROM members GROUP BY group_id")]
    conn.close()
    queue = iter(phones)
    lock = threading.Lock()

    def work(client: Client, rng: random.Random) -> bool:
        with lock:
            phone = next(queue, None)
        if phone is None:
            time.sleep(0.01)
            return True
        return balance_session(client, phone)

    tally, seconds = load(port, clients, 0.0, work, at_least=len(phones) // clients + 1)
    every = [t for hop in HOPS for t in tally.latencies.get(hop, [])]
    print(
        f"  cold pass (every group's first balance since the hub started): "
        f"{tally.sessions:,} sessions in {seconds:.1f} s; savings p50 "
        f"{percentile(tally.latencies.get('savings', []), 0.5):.1f} ms, p99 "
        f"{percentile(tally.latencies.get('savings', []), 0.99):.1f} ms; all hops p99 "
        f"{percentile(every, 0.99):.1f} ms; errors "
        f"{tally.not_200 + tally.not_con_end + tally.unexpected + tally.failed}",
        flush=True,
    )


def measured(pid: int, port: int, args: argparse.Namespace, work: Work) -> Run:
    """A warm-up (not counted) until every client has been answered three times (the hub's
    first answer on each of its worker threads opens the book), then the run, with the CPU
    the server, the clients and the rest of the machine used meanwhile."""
    warm, warm_seconds = load(port, args.clients, min(5.0, args.seconds / 4), work, 3)
    slowest = max((max(found) for found in warm.latencies.values() if found), default=0.0)
    print(
        f"  warm-up: {warm_seconds:.1f} s, its slowest answer {slowest:.2f} s, "
        f"{warm.failed} unanswered within {TIMEOUT:g} s",
        flush=True,
    )
    before = cpu_seconds(pid), time.process_time(), busy_cpu_seconds()
    tally, seconds = load(port, args.clients, args.seconds, work)
    server = (cpu_seconds(pid) - before[0]) / seconds
    client = (time.process_time() - before[1]) / seconds
    machine = (busy_cpu_seconds() - before[2]) / seconds
    return Run(tally, seconds, server, client, max(0.0, machine - server - client))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000 if ordered else 0.0


def hub_work(db: Path) -> Work:
    conn = sqlite3.connect(db)
    phones = [str(row[0]) for row in conn.execute("SELECT phone FROM members")]
    conn.close()
    return lambda client, rng: balance_session(client, rng.choice(phones))


def baseline_work(db: Path) -> Work:
    conn = sqlite3.connect(db)
    keys = conn.execute(
        "SELECT group_id, account FROM balances ORDER BY random() LIMIT 20000"
    ).fetchall()
    conn.close()

    def work(client: Client, rng: random.Random) -> bool:
        group, account = rng.choice(keys)
        return client.post("base", "/base", {"g": group, "a": account}) is not None

    return work


def line(name: str, values: list[float], seconds: float) -> str:
    return (
        f"  {name:<10} {len(values):>9,} {len(values) / seconds:>9,.1f}/s"
        f"   p50 {percentile(values, 0.5):7.1f} ms   p99 {percentile(values, 0.99):7.1f} ms"
    )


def report_load(name: str, run: Run) -> None:
    print(
        f"{name}: {run.seconds:.1f} s; CPU (share of one core): server process "
        f"{run.server_cpu:.0%}, clients {run.client_cpu:.0%}, everything else {run.other_cpu:.0%}"
    )
    tally = run.tally
    print(
        f"  answers not 200: {tally.not_200}; bodies not CON/END: {tally.not_con_end}; "
        f"unexpected screens: {tally.unexpected}; no answer: {tally.failed}"
    )
    for example in tally.examples:
        print(f"    e.g. {example}")


def report(hub: Run, base: Run) -> None:
    report_load("baseline (bare Starlette, one indexed read)", base)
    requests = base.tally.latencies.get("base", [])
    print(line("requests", requests, base.seconds))
    report_load("hub (balance sessions: first hop, PIN, savings)", hub)
    every = [t for hop in HOPS for t in hub.tally.latencies.get(hop, [])]
    print(f"  sessions   {hub.tally.sessions:>9,} {hub.tally.sessions / hub.seconds:>9,.1f}/s")
    for hop in HOPS:
        print(line(hop, hub.tally.latencies.get(hop, []), hub.seconds))
    print(line("all hops", every, hub.seconds))
    verdicts(hub, base, every, requests)


def verdicts(hub: Run, base: Run, every: list[float], requests: list[float]) -> None:
    worst = max(HOPS, key=lambda hop: percentile(hub.tally.latencies.get(hop, []), 0.99))
    worst_ms = percentile(hub.tally.latencies.get(worst, []), 0.99)
    ratio = (len(every) / hub.seconds) / max(1e-9, len(requests) / base.seconds)
    errors = sum(
        r.tally.not_200 + r.tally.not_con_end + r.tally.failed + r.tally.unexpected
        for r in (hub, base)
    )
    print(
        f"p99 per hop: worst {worst_ms:.1f} ms ({worst})  target < {P99_TARGET_MS:g} ms: "
        f"{'ok' if worst_ms < P99_TARGET_MS else 'MISSED'}"
    )
    print(
        f"hub hops/s / baseline requests/s: {ratio:.1%}  target >= {RATIO_TARGET:.0%}: "
        f"{'ok' if ratio >= RATIO_TARGET else 'MISSED'}"
    )
    print(f"errors (not 200, not CON/END, no answer, unexpected screen): {errors}  must be 0")


def machine() -> str:
    import platform

    import uvicorn

    loop = "uvloop" if _importable("uvloop") else "asyncio"
    parser = "httptools" if _importable("httptools") else "h11"
    return (
        f"{os.cpu_count()} CPUs ({platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}); uvicorn {uvicorn.__version__} with {loop} and {parser}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 groups, 10 s each")
    parser.add_argument("--groups", type=int, help="groups in the book (default 2,000)")
    parser.add_argument("--seconds", type=float, help="each load run (default 60)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent connections")
    parser.add_argument("--rebuild", action="store_true", help="build the book again")
    parser.add_argument(
        "--groups-per-transaction", type=int, default=10, help="0: a commit per meeting"
    )
    parser.add_argument("--serve", choices=("hub", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.groups = args.groups or (200 if args.quick else 2000)
    args.seconds = args.seconds or (10.0 if args.quick else 60.0)
    return args


def main() -> None:
    args = arguments()
    if args.serve:
        serve(args.serve, args.db, args.port)
        return
    db, info = ensure_book(args.groups, args.rebuild, args.groups_per_transaction)
    print(f"machine: {machine()}")
    built = f"built in {info['seconds']:,.0f} s" if "seconds" in info else "build time unknown"
    print(f"book: {db.relative_to(ROOT)}: {book_facts(db)} ({built})")
    print(f"load: {args.clients} clients (threads, keep-alive), {args.seconds:g} s each")
    print("baseline:", flush=True)
    with server("baseline", db) as (port, pid):
        base = measured(pid, port, args, baseline_work(db))
    print("hub:", flush=True)
    with server("hub", db) as (port, pid):
        cold_pass(port, args.clients, db)
        hub = measured(pid, port, args, hub_work(db))
    report(hub, base)


if __name__ == "__main__":
    main()
