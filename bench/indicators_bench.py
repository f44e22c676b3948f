"""Every performance indicator for one snapshot, at scale 1 and scale 50, against a floor.

For each scale the synthetic-council generator writes a return, which goes through the real
importer into a fresh database (SQLite, and PostgreSQL when DATABASE_URL names it). Then, in a
fresh process, every indicator is computed for the snapshot (best of ``--repeat``, queries
counted) and so is the floor: one ``COUNT(*)`` of each list's rows for the snapshot, the least
any computation of them must read; and the performance page (the dashboard: every indicator,
caseloads and benchmarks) is opened as a QA lead, through the whole request cycle. The
machines here are shared and noisy, so the results are ratios measured in the same run:
indicators ÷ floor at each scale, and scale 50 ÷ scale 1 for both (the rows grow fifty-fold;
a computation that reads per row, or per child in Python, would grow faster than the floor
does).

    python -m bench indicators [--scales 1,50] [--databases sqlite,postgresql] [--repeat 3]
                               [--quick] [--pack-months 13 [--pack-scale 0.25] [--pack-only]]

``--pack-months N`` also measures the select-committee pack as its trend grows: a return is
generated and imported for each of N month ends, and the pack is built as at the first, the
middle and the last of them (a trend of 1, about N/2 and N dates), queries counted and time
taken (best of ``--repeat``). A pack whose cost grows with its trend shows it here.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import programme_bench as programme

# Its own database, named apart when several people bench on one server at the same time.
PG_DB = os.environ.get("BENCH_INDICATORS_DB", "bench_indicators")
AS_AT = datetime.date(2025, 3, 31)
POPULATION_AT_SCALE_1 = 259_000  # the seeds' council: children aged 0 to 17


def run(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench indicators")
    parser.add_argument("--scales", default="1,50")
    parser.add_argument("--databases")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="scales 0.25 and 1")
    parser.add_argument("--pack-months", type=int, default=0)
    parser.add_argument("--pack-scale", type=float, default=0.25)
    parser.add_argument("--pack-only", action="store_true", help="the pack's measure alone")
    args = parser.parse_args(argv)
    scales = [0.25, 1.0] if args.quick else [float(s) for s in args.scales.split(",")]
    pack_only = args.pack_months and args.pack_only
    if pack_only:
        scales = []

    from caseaudit.cases.generator import generate_council

    results = []
    with tempfile.TemporaryDirectory(prefix="caseaudit-bench-indicators-") as work:
        for scale in scales:
            programme._say(f"indicators: generating scale {scale:g}")
            generated = generate_council(
                Path(work) / f"scale-{scale:g}", scale=scale, as_at=AS_AT, fmt="csv"
            )
            for database in programme._databases(args.databases):
                url = programme._fresh_database(database, Path(work), name=PG_DB)
                setup = _step(url, "setup", str(generated.path), "--scale", str(scale))
                timings = _step(url, "measure", "--repeat", str(args.repeat))
                timings |= _step(url, "page", "--repeat", str(args.repeat))
                programme._say(f"  {database}: {json.dumps(timings)}")
                results.append(
                    {
                        "database": database,
                        "scale": scale,
                        "rows": generated.total_rows,
                        "import_seconds": setup["seconds"],
                        **timings,
                    }
                )
                if database == "postgresql":
                    programme._drop_postgres(PG_DB)
        pack = _pack(args, Path(work)) if args.pack_months else []
    return {
        "method": "generated return through the real importer; every indicator for the "
        "snapshot (best of repeats) against a floor of one COUNT(*) per list for the snapshot",
        "results": results,
        "scaling": _scaling(results),
        **({"pack": pack} if pack else {}),
    }


def _pack(args, work: Path) -> list[dict]:
    """The pack built with a trend of 1, about N/2 and N month ends of case data."""
    from caseaudit.cases.generator import generate_council
    from caseaudit.core.months import add_months

    months = [add_months(AS_AT, n - args.pack_months + 1) for n in range(args.pack_months)]
    returns = []
    for as_at in months:
        programme._say(f"indicators: generating the return as at {as_at} (pack)")
        generated = generate_council(
            work / f"pack-{as_at}", scale=args.pack_scale, as_at=as_at, fmt="csv"
        )
        returns += [str(generated.path), as_at.isoformat()]
    chosen = sorted({months[0], months[len(months) // 2], months[-1]})
    results = []
    for database in programme._databases(args.databases):
        url = programme._fresh_database(database, work, name=PG_DB)
        _step(url, "setup-pack", *returns, "--scale", str(args.pack_scale))
        for as_at in chosen:
            found = _step(url, "pack", "--as-at", as_at.isoformat(), "--repeat", str(args.repeat))
            trend = months.index(as_at) + 1
            programme._say(f"  {database} pack, {trend} month(s) of case data: {json.dumps(found)}")
            results.append({"database": database, "months_of_case_data": trend, **found})
        if database == "postgresql":
            programme._drop_postgres(PG_DB)
    return results


def _scaling(results: list[dict]) -> list[dict]:
    rows = []
    for database in sorted({r["database"] for r in results}):
        mine = sorted((r for r in results if r["database"] == database), key=lambda r: r["scale"])
        if len(mine) < 2:
            continue
        small, large = mine[0], mine[-1]
        rows.append(
            {
                "database": database,
                "scales": [small["scale"], large["scale"]],
                "rows_ratio": programme._ratio(large["rows"], small["rows"]),
                "indicators_ratio": programme._ratio(
                    large["indicators_seconds"], small["indicators_seconds"]
                ),
                "floor_ratio": programme._ratio(large["floor_seconds"], small["floor_seconds"]),
                "page_ratio": programme._ratio(large["page_seconds"], small["page_seconds"]),
                "queries_same": large["queries"] == small["queries"],
            }
        )
    return rows


def _step(database_url: str, *args: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url}
    completed = subprocess.run(
        [sys.executable, "-m", "bench.indicators_bench", *args],
        cwd=programme.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=programme.STEP_TIMEOUT,
    )
    if completed.returncode != 0:
        raise SystemExit(
            f"bench.indicators_bench {' '.join(args)} failed:\n{completed.stderr[-3000:]}"
        )
    return json.loads(completed.stdout.strip().splitlines()[-1])


# One step in a fresh process -------------------------------------------------------------------


def setup(path: str, scale: float) -> dict:
    from django.core.management import call_command

    from caseaudit.cases.importer import import_annex_a
    from caseaudit.organisation.demo import load_council
    from caseaudit.organisation.generator import build_council
    from caseaudit.performance.models import ChildPopulation

    call_command("migrate", verbosity=0)
    council = load_council(build_council(seed=1, scale=scale))
    ChildPopulation.objects.create(
        council=council, year=AS_AT.year, children=round(POPULATION_AT_SCALE_1 * scale)
    )
    started = time.perf_counter()
    summary = import_annex_a(path, council=council, as_at=AS_AT)
    if summary.refused:
        raise SystemExit(f"the generated return was refused: {summary.problems[:3]}")
    return {"seconds": round(time.perf_counter() - started, 3)}


def measure(repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caseaudit.cases.models import LIST_MODELS, Snapshot
    from caseaudit.performance.indicators import evaluate

    snapshot = Snapshot.objects.get(as_at=AS_AT)

    def indicators():
        return evaluate(snapshot)

    def floor():
        return [
            model.objects.filter(snapshot=snapshot).order_by().count()
            for model in LIST_MODELS.values()
        ]

    with CaptureQueriesContext(connection) as captured:
        figures = indicators()
    # Measured back to back, so the ratio shares the machine's mood at that moment.
    mine, least = _best(indicators, repeat), _best(floor, repeat)
    return {
        "indicators": len(figures),
        "queries": len(captured),
        "indicators_seconds": mine,
        "floor_seconds": least,
        "indicators_over_floor": programme._ratio(mine, least),
    }


def setup_pack(arguments: list[str], scale: float) -> dict:
    """Each (return, as-at date) pair imported in turn: a council with a month of case data
    for each."""
    from django.core.management import call_command

    from caseaudit.cases.importer import import_annex_a
    from caseaudit.organisation.demo import load_council
    from caseaudit.organisation.generator import build_council
    from caseaudit.performance.models import ChildPopulation

    call_command("migrate", verbosity=0)
    council = load_council(build_council(seed=1, scale=scale))
    started = time.perf_counter()
    for path, day in zip(arguments[::2], arguments[1::2], strict=True):
        as_at = datetime.date.fromisoformat(day)
        ChildPopulation.objects.get_or_create(
            council=council,
            year=as_at.year,
            defaults={"children": round(POPULATION_AT_SCALE_1 * scale)},
        )
        summary = import_annex_a(path, council=council, as_at=as_at)
        if summary.refused:
            raise SystemExit(f"the generated return was refused: {summary.problems[:3]}")
    return {"seconds": round(time.perf_counter() - started, 3)}


def pack(as_at: datetime.date, repeat: int) -> dict:
    """The select-committee pack's document (every figure, breakdown and trend point, as
    published) built as at ``as_at``: queries and the best time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caseaudit.organisation.models import Council
    from caseaudit.reports.compendium_pack import build_compendium

    council = Council.objects.get()

    def build():
        return build_compendium(council, as_at)

    with CaptureQueriesContext(connection) as captured:
        build()
    return {"pack_queries": len(captured), "pack_seconds": _best(build, repeat)}


def page(repeat: int) -> dict:
    """The performance page as a QA lead opens it: every indicator, caseloads and benchmarks,
    rendered through the whole request cycle (middleware, template) by Django's test client."""
    from django.test import Client
    from django.test.utils import setup_test_environment

    from caseaudit.accounts.models import User
    from caseaudit.core.roles import Role, Scope
    from caseaudit.organisation.models import Council

    setup_test_environment()
    user, _ = User.objects.get_or_create(
        username="bench.qa.lead",
        defaults={"council": Council.objects.get(), "role": Role.QA_LEAD, "scope": Scope.COUNCIL},
    )
    client = Client()
    client.force_login(user)
    url = f"/performance/?as_at={AS_AT.isoformat()}"

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")

    return {"page_seconds": _best(get, repeat)}


def _best(action, repeat: int) -> float:
    times = []
    for _ in range(max(repeat, 1)):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return round(min(times), 4)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["setup", "measure", "page", "setup-pack", "pack"])
    parser.add_argument("file", nargs="*")
    parser.add_argument("--as-at", type=datetime.date.fromisoformat)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseaudit.settings")
    import django

    django.setup()
    if args.mode == "setup":
        result = setup(args.file[0], args.scale)
    elif args.mode == "setup-pack":
        result = setup_pack(args.file, args.scale)
    elif args.mode == "pack":
        result = pack(args.as_at, args.repeat)
    elif args.mode == "page":
        result = page(args.repeat)
    else:
        result = measure(args.repeat)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
