"""The monthly highlight report: how long it takes to build, as a page, PDF, Word and Excel.

For a council the size of the demo's (scale 1, 24 months of programme) and for a scale-50
programme, on SQLite and (when DATABASE_URL names it) PostgreSQL, in fresh processes on fresh
databases: the programme bench's bulk-inserted council (``bench/programme_bench.py``), plus
what the report reads that the programme bench does not make: every completed audit's domain
grades, reflection sheets for 60% of them and feedback for a quarter.

Measured for the latest month: building the report's data (queries counted), then rendering
it as HTML, PDF, Word and Excel (best of a few runs each; the PDF once). Issue 5's targets at
scale 50 are the data plus the rendering: HTML under 1 s, PDF under 5 s, Word under 2 s. The
scale-50 ÷ scale-1 ratio is the peer comparison: the report's size does not grow with the
council, so the ratio shows what the extra audits cost.

    python -m bench report [--scales 1,50] [--databases sqlite,postgresql] [--quick]
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from bench import programme_bench as programme

TARGETS_AT_SCALE_50 = {"html": 1.0, "pdf": 5.0, "docx": 2.0}
FORMATS = ("html", "pdf", "docx", "xlsx")


def run(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench report")
    parser.add_argument("--scales", default="1,50")
    parser.add_argument("--databases")
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--quick", action="store_true", help="scales 0.25 and 1")
    args = parser.parse_args(argv)
    scales = [0.25, 1.0] if args.quick else [float(s) for s in args.scales.split(",")]
    results = []
    with tempfile.TemporaryDirectory(prefix="caseaudit-bench-report-") as work:
        for database in programme._databases(args.databases):
            template = programme._fresh_database(
                database, Path(work), name=programme.PG_TEMPLATE_DB
            )
            programme._measure(template, "migrate")
            for scale in scales:
                programme._say(f"report: {database}, scale {scale:g}")
                url = programme._copy_database(database, template, Path(work))
                setup = _measure(url, "setup", "--scale", str(scale), "--months", str(args.months))
                timings = _measure(url, "report")
                programme._say(f"  {json.dumps(timings)}")
                results.append({"database": database, "scale": scale, "setup": setup, **timings})
            if database == "postgresql":
                programme._drop_postgres(programme.PG_TEMPLATE_DB)
    return {
        "method": "bulk-inserted council and history (as bench programme) with domain grades, "
        f"reflections and feedback; {args.months} months; seconds are data build + rendering",
        "targets_at_scale_50_seconds": TARGETS_AT_SCALE_50,
        "results": results,
        "scaling": _scaling(results),
    }


def _scaling(results: list[dict]) -> list[dict]:
    rows = []
    for database in {r["database"] for r in results}:
        mine = sorted((r for r in results if r["database"] == database), key=lambda r: r["scale"])
        if len(mine) < 2:
            continue
        small, large = mine[0], mine[-1]
        row = {"database": database, "scales": [small["scale"], large["scale"]]}
        for fmt in FORMATS:
            row[f"{fmt}_ratio"] = programme._ratio(large[f"{fmt}_seconds"], small[f"{fmt}_seconds"])
            if large["scale"] >= 50 and fmt in TARGETS_AT_SCALE_50:
                row[f"{fmt}_target_met"] = large[f"{fmt}_seconds"] < TARGETS_AT_SCALE_50[fmt]
        rows.append(row)
    return rows


def _measure(database_url: str, *args: str) -> dict:
    import subprocess

    env = {**os.environ, "DATABASE_URL": database_url}
    completed = subprocess.run(
        [sys.executable, "-m", "bench.report_bench", *args],
        cwd=programme.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=programme.STEP_TIMEOUT,
    )
    if completed.returncode != 0:
        raise SystemExit(f"bench.report_bench {' '.join(args)} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# One step in a fresh process -------------------------------------------------------------------


def add_what_reports_read(council, *, seed: int = 1) -> dict:
    """Domain grades for every completed audit, reflections for 60%, feedback for a quarter."""
    from caseaudit.audits.choices import AuditStatus
    from caseaudit.audits.models import Answer, Audit, Feedback, ReflectionSheet
    from caseaudit.core.grades import ORDER
    from caseaudit.tools.choices import QuestionKind
    from caseaudit.tools.models import Question

    rng = random.Random(f"{seed}:report")  # noqa: S311 (a seeded simulation)
    grades = [g.value for g in ORDER]
    questions: dict[int, list[int]] = {}
    completed = Audit.objects.filter(council=council, status__in=AuditStatus.completed())
    rows = completed.values_list(
        "pk", "tool_version_id", "overall_grade", "auditor_id", "submitted_at"
    )
    answers, sheets, feedback = [], [], []
    for audit_id, version_id, overall, auditor_id, submitted_at in rows.iterator(chunk_size=5000):
        if version_id not in questions:
            questions[version_id] = list(
                Question.objects.filter(
                    domain__version_id=version_id, kind=QuestionKind.GRADE
                ).values_list("pk", flat=True)
            )
        centre = grades.index(overall) if overall in grades else 2
        for question_id in questions[version_id]:
            grade = grades[min(max(centre + rng.choice((-1, 0, 0, 1)), 0), 3)]
            answers.append(Answer(audit_id=audit_id, question_id=question_id, value=grade))
        met_on = (submitted_at or programme._moment(programme.TODAY, 0)).date()
        if rng.random() < 0.6:
            sheets.append(
                ReflectionSheet(
                    audit_id=audit_id, met_on=met_on, went_well="Direct work.",
                    challenges="Caseload.", tools_needed="Mostly.",
                    do_differently="Record the child's words.", recorded_by_id=auditor_id,
                )
            )  # fmt: skip
        if rng.random() < 0.25:
            feedback.append(
                Feedback(
                    audit_id=audit_id, given_by=rng.choice(("parent", "child", "carer", "partner")),
                    method="phone", given_on=met_on, what_was_good="She listened.",
                    quote="She listened.", consent_to_share=rng.random() < 0.6,
                    recorded_by_id=auditor_id,
                )
            )  # fmt: skip
    Answer.objects.bulk_create(answers, batch_size=programme.BATCH // 10)
    ReflectionSheet.objects.bulk_create(sheets, batch_size=5000)
    Feedback.objects.bulk_create(feedback, batch_size=5000)
    return {"answers": len(answers), "reflections": len(sheets), "feedback": len(feedback)}


def time_report(council, month) -> dict:
    """The data build (best of three, queries counted), then each format (best of two)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caseaudit.reports import formats
    from caseaudit.reports.build import build_highlight

    def build():
        return build_highlight(council, from_month=month, to_month=month, today=programme.TODAY)

    best, data = None, None
    for _ in range(3):
        started = time.perf_counter()
        data = build()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    with CaptureQueriesContext(connection) as queries:
        build()
    result = {"build_seconds": round(best, 3), "build_queries": len(queries)}
    for fmt in FORMATS:
        runs = 1 if fmt == "pdf" else 2
        fastest, size = None, 0
        for _ in range(runs):
            started = time.perf_counter()
            size = len(formats.render(data, fmt))
            elapsed = time.perf_counter() - started
            fastest = elapsed if fastest is None else min(fastest, elapsed)
        result[f"{fmt}_render_seconds"] = round(fastest, 3)
        result[f"{fmt}_seconds"] = round(best + fastest, 3)
        result[f"{fmt}_bytes"] = size
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.report_bench")
    parser.add_argument("mode", choices=["setup", "report"])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--months", type=int, default=24)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseaudit.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from caseaudit.organisation.models import Council

    started = time.perf_counter()
    if args.mode == "setup":
        with transaction.atomic():
            bench = programme.build(scale=args.scale, months=args.months)
            added = add_what_reports_read(bench.council)
        if connection.vendor == "postgresql":
            # As autovacuum would have by the time anyone reads a report: without statistics
            # the planner guesses, and the bench would measure its guesses.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        result = {**bench.as_json(), **added, "seconds": round(time.perf_counter() - started, 1)}
    else:
        council = Council.objects.get(code=programme.COUNCIL_CODE)
        result = time_report(council, programme.LAST_HISTORY_MONTH)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
