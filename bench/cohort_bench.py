"""Cohort evaluation at scale: a cohort built as data (``cases.cohorts``) evaluated as one
query, and its profile as one GROUP BY over all six of its tables, whatever the council's size.

For each scale and database, in fresh processes on a fresh copy of a migrated database: the
programme bench's bulk-inserted council (``bench/programme_bench.py``, one month of history:
cohorts never read audits), then for each cohort: its size (``count``), its children's ids
(the list a sample is drawn from) and its profile, best of three, with the queries counted.
The result to read is the time per 1,000 children in the cohort at the largest scale over the
smallest, which stays near 1 while the work grows linearly, and the query counts, which must
not grow at all. For the profile, two ratios from the same run: against listing the cohort's
ids (evaluating it once; near 1 means the profile costs one evaluation), and against the six
GROUP BY queries it used to be, one per table, each evaluating the cohort again (below 1 is
the saving).

    python -m bench cohort [--scales 1,50] [--databases sqlite,postgresql] [--quick]
"""

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench import programme_bench as programme

DEFAULT_SCALES = (1.0, 50.0)
QUICK_SCALES = (0.25, 1.0)


def cohorts():
    from caseaudit.cases.cohorts import Condition

    return {
        "looked_after_now": [Condition("cla.ceased_looked_after_date", "blank")],
        "looked_after_aged_13_to_17": [
            Condition("cla.ceased_looked_after_date", "blank"),
            Condition("child.age", "between", 13, 17),
        ],
        "cp_plan_started_in_last_12_months": [
            Condition("cp.cp_plan_end_date", "blank"),
            Condition("cp.cp_plan_start_date", "in_last_months", 12),
        ],
        "open_cin_and_cp": [
            Condition("cin.cin_closure_date", "blank"),
            Condition("cp.cp_plan_end_date", "blank"),
        ],
    }


def run(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench cohort")
    parser.add_argument("--scales")
    parser.add_argument("--databases")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    scales = [float(s) for s in args.scales.split(",")] if args.scales else None
    scales = scales or list(QUICK_SCALES if args.quick else DEFAULT_SCALES)
    results = []
    with tempfile.TemporaryDirectory(prefix="caseaudit-bench-cohort-") as work:
        for database in programme._databases(args.databases):
            template = programme._fresh_database(
                database, Path(work), name=programme.PG_TEMPLATE_DB
            )
            programme._measure(template, "migrate")
            for scale in scales:
                programme._say(f"cohort: {database}, scale {scale:g}")
                url = programme._copy_database(database, template, Path(work))
                setup = programme._measure(url, "setup", "--scale", str(scale), "--months", "1")
                measured = _measure(url)
                programme._say(f"  {json.dumps(measured)}")
                results.append({"database": database, "scale": scale, "setup": setup, **measured})
            if database == "postgresql":
                programme._drop_postgres(programme.PG_TEMPLATE_DB)
    return {
        "method": "programme bench's bulk-inserted council; each cohort best of 3",
        "results": results,
        "scaling": _scaling(results),
    }


def _scaling(results: list[dict]) -> list[dict]:
    rows = []
    for database in {r["database"] for r in results}:
        mine = sorted((r for r in results if r["database"] == database), key=lambda r: r["scale"])
        if len(mine) < 2:
            continue
        low, high = mine[0], mine[-1]
        for name in low["cohorts"]:
            a, b = low["cohorts"][name], high["cohorts"][name]
            per_a = a["ids_seconds"] / max(a["size"], 1) * 1000
            per_b = b["ids_seconds"] / max(b["size"], 1) * 1000
            rows.append(
                {
                    "database": database,
                    "cohort": name,
                    "scales": [low["scale"], high["scale"]],
                    "sizes": [a["size"], b["size"]],
                    "ids_seconds_per_1000_children_ratio": programme._ratio(per_b, per_a),
                    "queries_same": a["queries"] == b["queries"],
                }
            )
    return rows


def _measure(url: str) -> dict:
    import subprocess

    env = {**os.environ, "DATABASE_URL": url}
    completed = subprocess.run(
        [sys.executable, "-m", "bench.cohort_bench"],
        cwd=programme.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=programme.STEP_TIMEOUT,
    )
    if completed.returncode != 0:
        raise SystemExit(f"bench.cohort_bench failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _best(function, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return round(best, 4)


def _six_group_bys(evaluation) -> list[list]:
    """The profile as it was: one GROUP BY per table, each evaluating the cohort again. Kept
    here only as the peer the profile is measured against."""
    from django.db.models import Count

    from caseaudit.cases.cohorts import _dimensions

    children = evaluation.children.order_by()
    return [
        list(children.values(group=expression).annotate(n=Count("pk")).values_list("group", "n"))
        for _, expression, _ in _dimensions(evaluation).values()
    ]


def main() -> None:
    """One measurement in a fresh process, on the council ``setup`` built."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseaudit.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caseaudit.cases.cohorts import evaluate, profile
    from caseaudit.organisation.models import Council

    council = Council.objects.get(code=programme.COUNCIL_CODE)
    measured = {}
    for name, conditions in cohorts().items():
        evaluation = evaluate(council, conditions)
        with CaptureQueriesContext(connection) as captured:
            size = evaluation.children.count()
            ids = list(evaluation.children.values_list("pk", flat=True))
            tables = profile(evaluation)
        assert len(ids) == size and all(t.total == size for t in tables)
        measured[name] = {
            "size": size,
            "queries": len(captured),
            "count_seconds": _best(lambda e=evaluation: e.children.count()),
            "ids_seconds": _best(
                lambda e=evaluation: list(e.children.values_list("pk", flat=True))
            ),
            "profile_seconds": _best(lambda e=evaluation: profile(e)),
            "six_group_bys_seconds": _best(lambda e=evaluation: _six_group_bys(e)),
        }
        timing = measured[name]
        timing["profile_to_ids_ratio"] = programme._ratio(
            timing["profile_seconds"], timing["ids_seconds"]
        )
        timing["profile_to_six_group_bys_ratio"] = programme._ratio(
            timing["profile_seconds"], timing["six_group_bys_seconds"]
        )
    print(
        json.dumps(
            {
                "cohorts": measured,
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
