"""Report benchmark: the whole SAVIX report over 10,000 groups (250,000 members, a year of
weekly meetings), against DuckDB computing the same totals over a Parquet export, in one run.

    .venv/bin/python bench/report.py              # 10,000 groups (built once: ~50 min)
    .venv/bin/python bench/report.py --groups 500

1. The book (bench/report_book.py), built once under bench/out/.
2. Ours: `vsla report savix --json` for every group as of the day after the last meeting,
   in a fresh process each time (so its peak memory is the report's, read from the kernel):
   the reader opens the book, reads each group's figures, works out every indicator and flag,
   and prints the JSON. Three runs; the median time, the largest peak.
3. DuckDB: the same figures the report reads (each group's figures at each meeting, with its
   open loans and currency) exported once to Parquet; DuckDB then finds each group's last
   meeting on or before the date, judges lateness from the open loans, and sums every item
   per currency. Three runs in the same process; the median. Its totals must equal ours.
   It is also timed summing the report's own Parquet export (`--parquet`), a lower bound:
   that export starts from our per-group results.

Also timed: the report worked out in a fresh process without being printed (what the hub's
staff pages keep in memory), to tell the work from the printing of its 19 MB of JSON.

Targets: ours (the whole command) under 10 s, and within 3x DuckDB over the meeting figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report_book import OUT, build  # noqa: E402

AS_OF = date(2026, 11, 24)  # the day after the last of the 52 meetings
RUNS = 3
# The process's own high-water mark of resident memory, in MiB. Not getrusage's ru_maxrss:
# Linux carries that over from the parent across fork and exec, and the parent here has
# just read half a million rows.
PEAK = (
    "[int(line.split()[1]) for line in open('/proc/self/status') "
    "if line.startswith('VmHWM:')][0] / 1024"
)
SECONDS_TARGET = 10.0
RATIO_TARGET = 3.0
SUMMED = (
    "members_women",
    "members_men",
    "members_at_start_women",
    "members_at_start_men",
    "attending_women",
    "attending_men",
    "dropouts_women",
    "dropouts_men",
    "savings_women_minor",
    "savings_men_minor",
    "loans_women",
    "loans_men",
    "loans_women_minor",
    "loans_men_minor",
    "write_offs_women_minor",
    "write_offs_men_minor",
    "loan_fund_cash_minor",
    "social_fund_minor",
)
OURS = {
    "members_women": ("members", "women"),
    "members_men": ("members", "men"),
    "members_at_start_women": ("members_at_start", "women"),
    "members_at_start_men": ("members_at_start", "men"),
    "attending_women": ("attending_last_meeting", "women"),
    "attending_men": ("attending_last_meeting", "men"),
    "dropouts_women": ("dropouts", "women"),
    "dropouts_men": ("dropouts", "men"),
    "savings_women_minor": ("savings_minor", "women"),
    "savings_men_minor": ("savings_minor", "men"),
    "loans_women": ("loans_outstanding_count", "women"),
    "loans_men": ("loans_outstanding_count", "men"),
    "loans_women_minor": ("loans_outstanding_minor", "women"),
    "loans_men_minor": ("loans_outstanding_minor", "men"),
    "write_offs_women_minor": ("write_offs_minor", "women"),
    "write_offs_men_minor": ("write_offs_minor", "men"),
    "loan_fund_cash_minor": ("loan_fund_cash_minor", None),
    "social_fund_minor": ("social_fund_minor", None),
    "late_women_minor": ("late_loans_unpaid_minor", "women"),
    "late_men_minor": ("late_loans_unpaid_minor", "men"),
}


def ours_once(book: Path) -> tuple[float, float, dict[str, Any]]:
    """One `vsla report savix --json` in a fresh process: (seconds, peak MiB, totals)."""
    code = (
        "import sys, time\n"
        "from vsla.cli import app\n"
        "start = time.perf_counter()\n"
        "try:\n"
        "    app(sys.argv[1:], standalone_mode=False)\n"
        "finally:\n"
        "    seconds = time.perf_counter() - start\n"
        f"    peak = {PEAK}\n"
        "    print(f'{seconds} {peak}', file=sys.stderr)\n"
    )
    args = ["report", "savix", "--db", str(book), "--as-of", AS_OF.isoformat(), "--json"]
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=True
    )
    seconds, peak = (float(x) for x in done.stderr.split()[-2:])
    return seconds, peak, json.loads(done.stdout)["totals"]


def computed_once(book: Path) -> float:
    """The report worked out (every group's items, indicators and flags, the totals) as the
    hub's staff pages do, in a fresh process, without printing it: seconds."""
    code = (
        "import gc, sys, time\n"
        "from datetime import date\n"
        "from vsla.book.reader import Reader\n"
        "gc.disable()\n"
        "reader = Reader.open(sys.argv[1], read_only=True)\n"
        "start = time.perf_counter()\n"
        "report = reader.savix(date.fromisoformat(sys.argv[2]))\n"
        "print(time.perf_counter() - start, len(report.groups))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(book), AS_OF.isoformat()],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    return float(done.stdout.split()[0])


def idle_peak() -> float:
    """The same process doing nothing but importing the command line: the baseline memory."""
    code = f"import vsla.cli\nprint({PEAK})"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout)


def export_figures(book: Path) -> Path:
    """Every group's figures at every meeting, with its currency, as Parquet (once)."""
    import duckdb

    parquet = book.with_name(book.stem + "-figures.parquet")
    if parquet.exists():
        return parquet
    print(f"exporting the meeting figures to {parquet.name} (once)", flush=True)
    rows = OUT / "figures.csv"
    conn = sqlite3.connect(f"file:{book}?mode=ro", uri=True)
    cursor = conn.execute(
        "SELECT g.currency, f.* FROM meeting_figures f JOIN groups g ON g.id = f.group_id"
    )
    columns = [d[0] for d in cursor.description]
    with rows.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        while chunk := cursor.fetchmany(10_000):
            writer.writerows(chunk)
    conn.close()
    types = {c: "VARCHAR" for c in ("currency", "group_id", "cycle_start", "open_loans")}
    types |= {"date": "DATE"}
    spec = ", ".join(f"'{c}': '{types.get(c, 'BIGINT')}'" for c in columns)
    duckdb.execute(
        f"COPY (SELECT * FROM read_csv('{rows}', header = true, columns = {{{spec}}})) "
        f"TO '{parquet}' (FORMAT parquet)"
    )
    rows.unlink()
    return parquet


def duckdb_totals_sql(parquet: Path) -> str:
    sums = ", ".join(f"SUM({c}) AS {c}" for c in SUMMED)
    return f"""
    WITH last AS (
      SELECT * FROM read_parquet('{parquet}') WHERE date <= DATE '{AS_OF.isoformat()}'
      QUALIFY row_number() OVER (PARTITION BY group_id ORDER BY date DESC, meeting_number DESC) = 1
    ), loans AS (
      SELECT l.group_id, unnest(CAST(json(l.open_loans) AS JSON[])) AS loan FROM last l
    ), late AS (
      SELECT group_id,
        SUM(CASE WHEN loan->>1 = 'F' THEN CAST(loan->>2 AS BIGINT) ELSE 0 END) AS women,
        SUM(CASE WHEN loan->>1 = 'M' THEN CAST(loan->>2 AS BIGINT) ELSE 0 END) AS men
      FROM loans WHERE loan->>0 < '{AS_OF.isoformat()}' GROUP BY group_id
    )
    SELECT currency, {sums},
      SUM(COALESCE(late.women, 0)) AS late_women_minor,
      SUM(COALESCE(late.men, 0)) AS late_men_minor
    FROM last LEFT JOIN late USING (group_id) GROUP BY currency ORDER BY currency
    """


def duckdb_run(sql: str) -> tuple[float, dict[str, dict[str, int]]]:
    import duckdb

    con = duckdb.connect()
    start = time.perf_counter()
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    found = {
        row[0]: dict(zip(names[1:], (int(v) for v in row[1:]), strict=True))
        for row in cursor.fetchall()
    }
    seconds = time.perf_counter() - start
    con.close()
    return seconds, found


def as_sums(totals: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Our JSON totals in DuckDB's columns."""
    found: dict[str, dict[str, int]] = {}
    for currency, total in totals.items():
        found[currency] = {
            column: total[item] if part is None else total[item][part]
            for column, (item, part) in OURS.items()
        }
    return found


def snapshot_parquet(book: Path) -> Path:
    path = OUT / "report-snapshot.parquet"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("vsla")),
            "report",
            "savix",
            "--db",
            str(book),
            "--as-of",
            AS_OF.isoformat(),
            "--parquet",
            str(path),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--groups", type=int, default=10_000)
    args = parser.parse_args()
    book, build_seconds = build(args.groups, os.cpu_count() or 1)
    parquet = export_figures(book)
    sql = duckdb_totals_sql(parquet)
    baseline_mib = idle_peak()
    ours, duck, computed = [], [], []
    totals: dict[str, Any] = {}
    peak_mib = 0.0
    for _ in range(RUNS):  # interleaved, so that both see the same machine
        seconds, peak, totals = ours_once(book)
        computed.append(computed_once(book))
        ours.append(seconds)
        peak_mib = max(peak_mib, peak)
        duck_seconds, duck_totals = duckdb_run(sql)
        duck.append(duck_seconds)
    if as_sums(totals) != duck_totals:
        raise SystemExit(f"the totals differ:\nours   {as_sums(totals)}\nDuckDB {duck_totals}")
    snapshot = snapshot_parquet(book)
    summed = ", ".join(f"SUM({c})" for c in ("members", "savings_minor", "profit_minor"))
    snapshot_seconds = statistics.median(
        duckdb_run(f"SELECT currency, {summed} FROM read_parquet('{snapshot}') GROUP BY 1")[0]
        for _ in range(RUNS)
    )
    conn = sqlite3.connect(f"file:{book}?mode=ro", uri=True)
    groups, members, figures = (
        conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
        for t in ("groups", "members", "meeting_figures")
    )
    conn.close()
    ours_s, duck_s = statistics.median(ours), statistics.median(duck)
    ratio = ours_s / duck_s
    size_gib = book.stat().st_size / 2**30
    print(f"machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    print(
        f"book: {groups:,} groups, {members:,} members, {figures:,} meeting figures, "
        f"{size_gib:.1f} GiB (built in {build_seconds:,.0f} s)"
    )
    print(f"report as of {AS_OF}; {RUNS} runs each, medians")
    print(
        f"ours   vsla report savix --json  {ours_s:7.2f} s   peak {peak_mib:,.0f} MiB "
        f"(the command idle: {baseline_mib:,.0f} MiB)"
    )
    computed_s = statistics.median(computed)
    print(
        f"ours   the report worked out, not printed {computed_s:5.2f} s   "
        f"({computed_s / duck_s:.2f}x DuckDB; what the staff pages keep)"
    )
    print(f"DuckDB over the meeting figures   {duck_s:7.2f} s   (totals equal to ours)")
    print(f"DuckDB summing our snapshot export {snapshot_seconds:6.3f} s   (a lower bound)")
    print(
        f"ours / DuckDB: {ratio:.2f}x  target <= {RATIO_TARGET:.0f}x: "
        f"{'ok' if ratio <= RATIO_TARGET else 'MISSED'}; "
        f"under {SECONDS_TARGET:.0f} s: {'ok' if ours_s < SECONDS_TARGET else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
