"""Annex A import at three sizes, into SQLite and PostgreSQL, against a floor.

For each size the synthetic-council generator writes a return; then, per database, in fresh
processes: the organisation is set up; the file is imported; the same file is imported again;
and the floor runs: the same reader plus a bare bulk insert of the same rows (COPY on
PostgreSQL) into unindexed copies of the tables. Ratios, not seconds, are the result.

    python -m bench [--sizes 10000,100000,1000000] [--databases sqlite,postgresql]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "caseaudit_bench"


def run(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--format", default="csv", choices=["csv", "xlsx"])
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
                url = _fresh_database(database, Path(work))
                _measure(url, "setup", "--scale", str(scale))
                first = _measure(url, "import", str(generated.path))
                again = _measure(url, "import", str(generated.path))
                floor = _measure(url, "floor", str(generated.path))
                results.append(
                    {
                        "database": database,
                        "format": args.format,
                        "rows": first["rows"],
                        "import_seconds": first["seconds"],
                        "rows_per_second": round(first["rows"] / first["seconds"]),
                        "peak_rss_mb": first["peak_rss_mb"],
                        "reimport_seconds": again["seconds"],
                        "reimport_speedup": round(first["seconds"] / again["seconds"], 1),
                        "floor_seconds": floor["seconds"],
                        "floor_peak_rss_mb": floor["peak_rss_mb"],
                        "importer_over_floor": round(first["seconds"] / floor["seconds"], 2),
                    }
                )
                _say(f"    {json.dumps(results[-1])}")
    return {
        "targets": {
            "postgresql_1m_rows_seconds": 60,
            "importer_over_floor": 2.5,
            "peak_rss_mb": 1024,
            "reimport_speedup": 3,
        },
        "results": results,
    }


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


def _fresh_database(database: str, work: Path) -> str:
    if database == "sqlite":
        path = work / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_BENCH_DB}"


def _postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means "not available here"
        return False


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
