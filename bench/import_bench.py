"""Annex A import at three sizes, into SQLite and PostgreSQL, against a floor.

For each size the synthetic-council generator writes a return; then, per database, the
organisation is set up once in a template database, and each attempt runs in fresh processes
on a fresh copy of it: the file is imported; (first attempt only) the same file is imported
again, then imported as at a month later, when every child it names is already known, as a
council's next monthly return would be; and the floor runs: the same reader plus a bare bulk
insert of the same rows (COPY on PostgreSQL) into unindexed copies of the list tables.

The machines here are shared and noisy, so each size is measured ``--repeat`` times (import
and floor back to back) and the median taken. Ratios, not seconds, are the result: importer
÷ floor, re-import speed-up, and how peak memory changes from the smallest file to the
largest ("not growing with the file").

    python -m bench import [--sizes 10000,100000,1000000] [--databases sqlite,postgresql]
                           [--repeat 3] [--format csv|xlsx]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "caseaudit_bench"
PG_TEMPLATE_DB = "caseaudit_bench_organisation"
AS_AT, NEXT_MONTH = "2026-03-31", "2026-04-30"
TARGETS = {
    "postgresql_1m_rows_seconds": 60,
    "importer_over_floor": 2.5,
    "peak_rss_mb": 1024,
    "reimport_speedup": 3,
}


def run(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench import")
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--format", default="csv", choices=["csv", "xlsx"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    databases = [d for d in args.databases.split(",") if d]
    if "postgresql" in databases and not _postgres_available():
        databases.remove("postgresql")
        _say("PostgreSQL is not reachable: measuring SQLite only")

    from caseaudit.cases.generator import ROWS_AT_SCALE_1, generate_council

    results = []
    with tempfile.TemporaryDirectory(prefix="caseaudit-bench-") as work:
        for size in sizes:
            scale = size / ROWS_AT_SCALE_1
            _say(f"generating about {size:,} rows (scale {scale:.2f})")
            generated = generate_council(Path(work) / str(size), scale=scale, fmt=args.format)
            for database in databases:
                _say(f"  {database}: {generated.total_rows:,} rows")
                template = _fresh_database(database, Path(work), PG_TEMPLATE_DB)
                _measure(template, "setup", "--scale", str(scale))
                results.append(
                    _attempts(database, template, generated.path, Path(work), args.repeat)
                )
                results[-1]["format"] = args.format
                _say(f"    {json.dumps(results[-1])}")
                _drop(database, template)
    return {"targets": TARGETS, "results": results, "memory": _memory(results)}


def _attempts(database: str, template: str, path: Path, work: Path, repeat: int) -> dict:
    imports, floors, ratios = [], [], []
    for attempt in range(repeat):
        url = _copy(database, template, work)
        first = _measure(url, "import", str(path), "--as-at", AS_AT)
        if attempt == 0:
            again = _measure(url, "import", str(path), "--as-at", AS_AT)
            later = _measure(url, "import", str(path), "--as-at", NEXT_MONTH)
        floor = _measure(url, "floor", str(path))
        imports.append(first)
        floors.append(floor)
        ratios.append(first["seconds"] / floor["seconds"])
    seconds = statistics.median(m["seconds"] for m in imports)
    floor_seconds = statistics.median(m["seconds"] for m in floors)
    return {
        "database": database,
        "rows": imports[0]["rows"],
        "attempts": repeat,
        "import_seconds": round(seconds, 2),
        "import_seconds_each": [m["seconds"] for m in imports],
        "rows_per_second": round(imports[0]["rows"] / seconds),
        "peak_rss_mb": max(m["peak_rss_mb"] for m in imports),
        "reimport_seconds": again["seconds"],
        "reimport_speedup": round(seconds / again["seconds"], 1),
        "next_month_seconds": later["seconds"],
        "floor_seconds": round(floor_seconds, 2),
        "floor_seconds_each": [m["seconds"] for m in floors],
        "floor_peak_rss_mb": max(m["peak_rss_mb"] for m in floors),
        # Each attempt's import against the floor run straight after it, then the median.
        "importer_over_floor": round(statistics.median(ratios), 2),
    }


def _memory(results: list[dict]) -> list[dict]:
    """Per database: peak memory at the smallest and the largest file."""
    summary = []
    for database in dict.fromkeys(r["database"] for r in results):
        mine = sorted((r for r in results if r["database"] == database), key=lambda r: r["rows"])
        smallest, largest = mine[0], mine[-1]
        summary.append(
            {
                "database": database,
                "rows": [smallest["rows"], largest["rows"]],
                "peak_rss_mb": [smallest["peak_rss_mb"], largest["peak_rss_mb"]],
                "growth_mb": round(largest["peak_rss_mb"] - smallest["peak_rss_mb"], 1),
                "floor_growth_mb": round(
                    largest["floor_peak_rss_mb"] - smallest["floor_peak_rss_mb"], 1
                ),
            }
        )
    return summary


def _measure(database_url: str, *args: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url}
    completed = subprocess.run(
        [sys.executable, "-m", "bench.measure", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"bench.measure {' '.join(args)} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _fresh_database(database: str, work: Path, name: str) -> str:
    if database == "sqlite":
        path = work / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    _postgres(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _copy(database: str, template: str, work: Path) -> str:
    """A fresh copy of the set-up template, for one attempt."""
    if database == "sqlite":
        url = _fresh_database(database, work, PG_BENCH_DB)
        shutil.copyfile(template.removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))
        return url
    _postgres(
        f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)",
        f"CREATE DATABASE {PG_BENCH_DB} TEMPLATE {PG_TEMPLATE_DB}",
    )
    # Copying a database writes its pages to the log; settle that before the clock starts.
    try:
        _postgres("CHECKPOINT")
    except Exception:  # noqa: BLE001 - a role without the right to checkpoint just measures on
        _say("    (no right to CHECKPOINT: measuring without one)")
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_BENCH_DB}"


def _drop(database: str, template: str) -> None:
    if database == "postgresql":
        _postgres(
            f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)",
            f"DROP DATABASE IF EXISTS {PG_TEMPLATE_DB} WITH (FORCE)",
        )


def _postgres(*statements: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def _postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means "not available here"
        return False


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
