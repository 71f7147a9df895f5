"""Staff pages benchmark: the hub's /staff/ pages over HTTP on the 2,000-group book of
bench/ussd.py, against the same hub's /health in the same run.

Run on demand (not part of the tests):

    .venv/bin/python bench/web.py            # bench/out/ussd-2000.sqlite (4.6 GB)
    .venv/bin/python bench/web.py --quick    # bench/out/ussd-200.sqlite

1. The book of bench/ussd.py (built by its `ensure_book` if missing), opened where it is,
   never copied. The first open with newer code runs the book's new migrations, which
   rebuild the report figures from every journal (minutes on 2,000 groups): the time is
   printed, with a line every PROGRESS_EVERY seconds meanwhile. Then the staff account of
   the benchmark is added unless it is there.
2. The hub as `vsla hub serve` runs it (bench/ussd.py's `server`: its own process, uvicorn,
   127.0.0.1). The client logs in over HTTP as a browser would (GET /staff/login for the
   session cookie and the CSRF token, POST the form) and keeps the cookie.
3. Each page type requested once, in turn: its first (cold) request since the hub started,
   which works the report out (and, for the charts over time, the reports of the months
   before); then every chart once (each is drawn once, then kept until the book changes).
   Then a warm-up, not counted; each page ALONE times from one client (the time a page
   takes by itself); the baseline: GET /health of the same hub (one read of the groups)
   from the same clients as the load; and the measured run: CLIENTS threads with a
   keep-alive connection each, every one asking for each page type in a random order
   until it has asked for each `--requests` times.

Prints p50 / p95 / max per page, the overall p95, the cold requests, and the baseline with
the ratio. Target: p95 under 300 ms for every page (the cold requests excluded). Every
answer must be 200 with the page's type (counted, must be 0).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vsla.book.service import Book  # noqa: E402
from vsla.book.staff import StaffAccounts  # noqa: E402

EMAIL = "bench-staff@example.org"
PASSWORD = "bench-staff-password-0123"
COOKIE = "vsla_staff"
P95_TARGET_MS = 300.0
CLIENTS = 4
ALONE = 5  # requests of each page type from one client alone: the time a page takes
TIMEOUT = 120.0  # seconds a client waits for an answer (a cold report is slow)
PROGRESS_EVERY = 15.0  # seconds between the lines printed while the book is opened
CURRENCIES = ("UGX", "CDF", "KES", "TZS")  # bench/ussd.py's countries, in its order
CHARTS = ("women-men", "savings-loans", "portfolio-at-risk", "return-by-group")
PAGES = ("overview", "groups by risk", "groups page", "group", "chart", "csv")


def builder() -> ModuleType:
    """bench/ussd.py, for its book and its server (loaded as bench/sync.py loads it)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from sync import builder as load_ussd

    module: ModuleType = load_ussd()
    return module


# -- the book -------------------------------------------------------------------------------


def open_book(db: Path) -> float:
    """Opens the book once (its pending migrations and figure rebuild run then), adds the
    benchmark's staff account unless it is there; the seconds the open took."""
    wal = Path(f"{db}-wal")
    done = threading.Event()

    def progress() -> None:
        while not done.wait(PROGRESS_EVERY):
            size = wal.stat().st_size / 2**20 if wal.exists() else 0.0
            print(
                f"  still opening: {time.perf_counter() - started:,.0f} s "
                f"(migrations, figures rebuilt from the journals; WAL {size:,.0f} MiB)",
                flush=True,
            )

    print(f"opening {db.relative_to(ROOT)} (a first open runs its migrations) …", flush=True)
    started = time.perf_counter()
    watcher = threading.Thread(target=progress, daemon=True)
    watcher.start()
    try:
        book = Book.open(db)
    finally:
        done.set()
    seconds = time.perf_counter() - started
    print(f"  opened in {seconds:,.1f} s", flush=True)
    try:
        staff = StaffAccounts(book)
        if staff.member(EMAIL) is None:
            staff.add(EMAIL, "viewer", PASSWORD, datetime.now(UTC))
            print(f"  staff account {EMAIL} added", flush=True)
    finally:
        book.close()
    return seconds


# -- logging in -----------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def session_cookie(headers: Message, old: str = "") -> str:
    """The session cookie's value set by an answer, else `old`."""
    for header in headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        if name.strip() == COOKIE:
            return rest.split(";", 1)[0]
    return old


def log_in(base: str) -> str:
    """The session cookie's value after logging in as a browser does."""
    opener = urllib.request.build_opener(_NoRedirect())
    with opener.open(base + "/staff/login", timeout=TIMEOUT) as answer:
        cookie = session_cookie(answer.headers)
        page = answer.read().decode()
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    if not cookie or found is None:
        raise RuntimeError("the login page has no session cookie or no CSRF token")
    form = {"csrf": found[1], "email": EMAIL, "password": PASSWORD, "next": "/staff/"}
    request = urllib.request.Request(
        base + "/staff/login",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Cookie": f"{COOKIE}={cookie}"},
    )
    try:
        with opener.open(request, timeout=TIMEOUT) as answer:
            status, headers = answer.status, answer.headers
    except urllib.error.HTTPError as error:
        status, headers = error.code, error.headers
    if status != 303 or headers.get("Location") != "/staff/":
        raise RuntimeError(f"logging in was answered {status}, not a redirect to /staff/")
    return session_cookie(headers, cookie)


# -- the requests ---------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    wrong: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for page, found in other.latencies.items():
            self.latencies.setdefault(page, []).extend(found)
        self.wrong += other.wrong
        self.examples += other.examples[: 3 - len(self.examples)]


def paths(groups: int) -> dict[str, Callable[[random.Random], tuple[str, str]]]:
    """Each page type: a path (random where the page is one of many) and the content type
    its answer must have."""
    last_page = max(1, min(5, -(-groups // 100)))
    html, svg, csv = "text/html", "image/svg+xml", "text/csv"
    return {
        "overview": lambda rng: ("/staff/", html),
        "groups by risk": lambda rng: ("/staff/groups?sort=risk&dir=desc", html),
        "groups page": lambda rng: (f"/staff/groups?page={last_page}", html),
        "group": lambda rng: (f"/staff/groups/g{rng.randrange(groups):05d}", html),
        "chart": lambda rng: (
            f"/staff/charts/{rng.choice(CURRENCIES)}/{rng.choice(CHARTS)}.svg",
            svg,
        ),
        "csv": lambda rng: ("/staff/downloads/savix.csv", csv),
        "health": lambda rng: ("/health", "application/json"),
    }


class Client:
    def __init__(self, port: int, cookie: str, tally: Tally) -> None:
        self.port, self.cookie, self.tally = port, cookie, tally
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)

    def get(self, page: str, path: str, kind: str) -> float | None:
        start = time.perf_counter()
        try:
            self.conn.request("GET", path, headers={"Cookie": f"{COOKIE}={self.cookie}"})
            answer = self.conn.getresponse()
            body = answer.read()
        except (OSError, http.client.HTTPException) as error:
            self.conn.close()
            self.note(f"{path}: {error!r}")
            return None
        took = time.perf_counter() - start
        self.tally.latencies.setdefault(page, []).append(took)
        if answer.status != 200 or not answer.getheader("Content-Type", "").startswith(kind):
            self.note(f"{path}: {answer.status} {answer.getheader('Content-Type')} {body[:80]!r}")
        elif not body:
            self.note(f"{path}: an empty answer")
        return took

    def note(self, what: str) -> None:
        self.tally.wrong += 1
        if len(self.tally.examples) < 3:
            self.tally.examples.append(what)


def run(
    port: int,
    cookie: str,
    groups: int,
    requests: int,
    clients: int,
    seed: int,
    pages: tuple[str, ...] = PAGES,
) -> tuple[Tally, float]:
    """`clients` threads, each asking for every one of `pages` `requests` times in a random
    order; what they saw, and the seconds from their start to the last one's end."""
    kinds = {page: path_of for page, path_of in paths(groups).items() if page in pages}
    tallies = [Tally() for _ in range(clients)]
    go = threading.Barrier(clients + 1)

    def work(tally: Tally, n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        client = Client(port, cookie, tally)
        order = [page for page in kinds for _ in range(requests)]
        rng.shuffle(order)
        go.wait()
        for page in order:
            client.get(page, *kinds[page](rng))
        client.conn.close()

    threads = [threading.Thread(target=work, args=(t, n)) for n, t in enumerate(tallies)]
    for thread in threads:
        thread.start()
    go.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total, seconds


def cold(port: int, cookie: str, groups: int) -> Tally:
    """The first request of each page type since the hub started, one after the other; then
    the first of every other chart (each is drawn once, then kept until the book changes)."""
    tally = Tally()
    client = Client(port, cookie, tally)
    rng = random.Random(0)
    for page, path_of in paths(groups).items():
        if page == "health":
            continue
        path, kind = path_of(rng)
        took = client.get(page, path, kind)
        print(f"  {page:<15} {path:<45} {(took or 0) * 1000:9,.1f} ms", flush=True)
    drawn = [
        client.get("other charts", f"/staff/charts/{code}/{name}.svg", "image/svg+xml") or 0.0
        for code in CURRENCIES
        for name in CHARTS
    ]
    print(
        f"  every other chart's first draw ({len(drawn)} charts, one already drawn): "
        f"p50 {percentile(drawn, 0.5):,.1f} ms, max {max(drawn) * 1000:,.1f} ms",
        flush=True,
    )
    client.conn.close()
    return tally


# -- the report -------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000 if ordered else 0.0


def line(name: str, values: list[float]) -> str:
    return (
        f"  {name:<15} {len(values):>6,}   p50 {percentile(values, 0.5):8.1f} ms   "
        f"p95 {percentile(values, 0.95):8.1f} ms   max {max(values, default=0) * 1000:8.1f} ms"
    )


def report(tally: Tally, seconds: float, alone: Tally, health: list[float]) -> bool:
    print(
        f"measured: {sum(map(len, tally.latencies.values())):,} requests in {seconds:.1f} s "
        f"(alone: p50 of the same page from one client, nothing else asked meanwhile)"
    )
    every: list[float] = []
    worst, worst_ms = "", 0.0
    for page in PAGES:
        found = tally.latencies.get(page, [])
        every += found
        by_itself = percentile(alone.latencies.get(page, []), 0.5)
        print(f"{line(page, found)}   alone {by_itself:8.1f} ms")
        if percentile(found, 0.95) >= worst_ms:
            worst, worst_ms = page, percentile(found, 0.95)
    print(line("all pages", every))
    print(line("baseline", health) + "   (GET /health alone: one read of the groups)")
    base_p50, base_p95 = percentile(health, 0.5), percentile(health, 0.95)
    print(
        f"pages / baseline: p50 {percentile(every, 0.5) / max(base_p50, 1e-9):.1f}×, "
        f"p95 {percentile(every, 0.95) / max(base_p95, 1e-9):.1f}×"
    )
    ok = worst_ms < P95_TARGET_MS and tally.wrong == 0
    print(
        f"p95 per page: worst {worst_ms:.1f} ms ({worst})  target < {P95_TARGET_MS:g} ms: "
        f"{'ok' if worst_ms < P95_TARGET_MS else 'MISSED'}"
    )
    print(f"answers not 200 or not of the page's type: {tally.wrong}  must be 0")
    for example in tally.examples:
        print(f"    e.g. {example}")
    return ok


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the 200-group book")
    parser.add_argument("--groups", type=int, help="groups in the book (default 2,000)")
    parser.add_argument(
        "--requests", type=int, help="of each page type per client (default 50, quick 15)"
    )
    parser.add_argument("--clients", type=int, default=CLIENTS, help="concurrent connections")
    args = parser.parse_args()
    args.groups = args.groups or (200 if args.quick else 2000)
    args.requests = args.requests or (15 if args.quick else 50)
    return args


def main() -> None:
    args = arguments()
    ussd = builder()
    db, _info = ussd.ensure_book(args.groups, False, 10)
    print(f"machine: {ussd.machine()}")
    print(f"book: {db.relative_to(ROOT)}: {ussd.book_facts(db)}")
    open_book(db)
    print("hub (its first connection checks the whole file):", flush=True)
    with ussd.server("hub", db) as (port, _pid):
        base = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        cookie = log_in(base)
        print(f"  logged in ({(time.perf_counter() - started) * 1000:.0f} ms, one argon2 check)")
        print("cold: the first request of each page since the hub started", flush=True)
        first = cold(port, cookie, args.groups)
        warm, warm_seconds = run(port, cookie, args.groups, 2, args.clients, seed=1)
        slowest = max((max(v) for v in warm.latencies.values() if v), default=0.0)
        print(
            f"warm-up (not counted): {warm_seconds:.1f} s, slowest {slowest * 1000:,.0f} ms",
            flush=True,
        )
        alone, _seconds = run(port, cookie, args.groups, ALONE, 1, seed=3)
        print(
            f"baseline: {args.clients} clients, GET /health {args.requests} times each",
            flush=True,
        )
        base, _seconds = run(
            port, cookie, args.groups, args.requests, args.clients, seed=4, pages=("health",)
        )
        print(
            f"load: {args.clients} clients (threads, keep-alive), each page type "
            f"{args.requests} times per client, in a random order; load average "
            f"{os.getloadavg()[0]:.2f}",
            flush=True,
        )
        tally, seconds = run(port, cookie, args.groups, args.requests, args.clients, seed=2)
    for other in (first, warm, alone, base):
        tally.wrong += other.wrong
        tally.examples = (tally.examples + other.examples)[:3]
    if not report(tally, seconds, alone, base.latencies.get("health", [])):
        sys.exit(1)


if __name__ == "__main__":
    main()
