"""What the rest of the service feels while a return is imported into SQLite, and what a
workbook with wrong headings costs to refuse.

Every page writes (a session, an access-log entry), and SQLite has one write lock. So while a
return is imported into a fresh SQLite copy of the council, this writes as a page would
(``BEGIN IMMEDIATE``, one insert, commit) every ``--every`` seconds from another connection,
timing each write. Before the import is measured, the same writes run with nothing else
going on. The result is a ratio within one run: the longest write during the import ÷ the
import's own time. When the import held the lock throughout, that ratio was close to 1
(a page waited for the whole import). Now only the short transaction at the end takes the
lock.

Then two workbooks whose List 3 has a wrong heading, one of ``--rows`` rows and one of ten,
are refused in fresh processes, and their peak memory compared: refusing headings must not
read the sheet, so the large one costs no more than the small.

    python -m bench importing [--rows 100000] [--every 0.05]
"""

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.import_bench import AS_AT, ROOT, _fresh_database, _measure, _say

TARGETS = {
    # A page's write waits for at most this share of an import's time.
    "longest_write_over_import": 0.25,
    # Refusing a large workbook's headings needs at most this much more memory than a tiny one.
    "refusal_growth_mb": 50,
}


def run(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench importing")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--every", type=float, default=0.05)
    args = parser.parse_args(argv)

    from caseaudit.cases.generator import ROWS_AT_SCALE_1, generate_council

    with tempfile.TemporaryDirectory(prefix="caseaudit-bench-") as folder:
        work = Path(folder)
        scale = args.rows / ROWS_AT_SCALE_1
        _say(f"generating about {args.rows:,} rows (scale {scale:.2f})")
        generated = generate_council(work / "return", scale=scale, fmt="csv")
        url = _fresh_database("sqlite", work, "while_importing")
        _measure(url, "setup", "--scale", str(scale))
        database = url.removeprefix("sqlite:///")

        quiet = _writes_for(database, seconds=2.0, every=args.every)
        _say(f"importing {generated.total_rows:,} rows while writing beside it")
        imported, during = _import_while_writing(url, database, generated.path, args.every)

        _say("refusing workbooks with a wrong heading")
        small = _measure(url, "refuse", str(_wrong_headings(work / "small.xlsx", rows=10)))
        large_path = _wrong_headings(work / "large.xlsx", rows=args.rows)
        large = _measure(url, "refuse", str(large_path))
        large_mb = round(large_path.stat().st_size / 2**20, 1)

    longest = max(during)
    return {
        "targets": TARGETS,
        "rows": imported["rows"],
        "import_seconds": imported["seconds"],
        "writes_quiet": len(quiet),
        "write_seconds_quiet_median": round(statistics.median(quiet), 4),
        "writes_during_import": len(during),
        "write_seconds_during_median": round(statistics.median(during), 4),
        "write_seconds_during_longest": round(longest, 3),
        "longest_write_over_import": round(longest / imported["seconds"], 3),
        "refusal": {
            "rows": [10, args.rows],
            "workbook_mb": large_mb,
            "peak_rss_mb": [small["peak_rss_mb"], large["peak_rss_mb"]],
            "seconds": [small["seconds"], large["seconds"]],
            "growth_mb": round(large["peak_rss_mb"] - small["peak_rss_mb"], 1),
        },
    }


def _write(database: str) -> float:
    """One page's worth of writing, as Django's SQLite connection does it; its seconds."""
    started = time.perf_counter()
    connection = sqlite3.connect(database, timeout=600, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES (?, 'x', '2099-01-01 00:00:00')",
            [f"bench-{time.perf_counter_ns()}"],
        )
        connection.execute("COMMIT")
    finally:
        connection.close()
    return time.perf_counter() - started


def _writes_for(database: str, *, seconds: float, every: float) -> list[float]:
    timings, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        timings.append(_write(database))
        time.sleep(every)
    return timings


def _import_while_writing(url: str, database: str, path: Path, every: float):
    process = subprocess.Popen(  # noqa: S603 - this interpreter, our own module
        [sys.executable, "-m", "bench.measure", "import", str(path), "--as-at", AS_AT],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    during = []
    while process.poll() is None:
        during.append(_write(database))
        time.sleep(every)
    out, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"the import failed:\n{err[-3000:]}")
    return json.loads(out.strip().splitlines()[-1]), during


def _wrong_headings(path: Path, *, rows: int) -> Path:
    """A workbook whose List 3 (referrals) has every column but a misspelt first heading."""
    from openpyxl import Workbook

    from caseaudit.cases.annex_a.schema import LISTS

    spec = next(spec for spec in LISTS if spec.number == 3)
    headers = [column.header for column in spec.columns]
    headers[0] = "Kid"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("List 3")
    sheet.append(headers)
    for number in range(rows):
        sheet.append([f"C{number:07d}", *(f"value {number % 97}" for _ in headers[1:])])
    book.save(path)
    return path
