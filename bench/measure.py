"""One measurement in a fresh process (so peak memory is its own), called by the benchmarks:

    python -m bench.measure import|floor|refuse FILE --council-scale X --as-at YYYY-MM-DD

DATABASE_URL names the database, already migrated. Prints one line of JSON.
"""

import argparse
import datetime
import json
import os
import resource
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["setup", "import", "floor", "refuse"])
    parser.add_argument("file", nargs="?")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-at", default="2026-03-31")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseaudit.settings")
    import django

    django.setup()
    started = time.perf_counter()
    result: dict = {}
    if args.mode == "setup":
        result = setup(args.scale, args.seed)
    elif args.mode == "import":
        result = import_file(args.file, datetime.date.fromisoformat(args.as_at))
    elif args.mode == "refuse":
        result = refuse_file(args.file, datetime.date.fromisoformat(args.as_at))
    else:
        result = floor(args.file)
    result["seconds"] = round(time.perf_counter() - started, 3)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result))


def setup(scale: float, seed: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from caseaudit.organisation.demo import load_council
    from caseaudit.organisation.generator import build_council

    call_command("migrate", verbosity=0)
    load_council(build_council(seed=seed, scale=scale))
    # The floor's tables: the same columns as the list tables, with no index or constraint.
    from caseaudit.cases.models import LIST_MODELS

    with connection.cursor() as cursor:
        for model in LIST_MODELS.values():
            table = model._meta.db_table
            cursor.execute(f"DROP TABLE IF EXISTS floor_{table}")
            cursor.execute(f"CREATE TABLE floor_{table} AS SELECT * FROM {table} WHERE 1 = 0")  # noqa: S608 (table names from our own models)
    return {}


def import_file(path: str, as_at: datetime.date) -> dict:
    from caseaudit.cases.importer import import_annex_a
    from caseaudit.organisation.models import Council

    summary = import_annex_a(path, council=Council.objects.get(), as_at=as_at)
    if summary.refused:
        raise SystemExit(f"import refused: {summary.problems[:3]}")
    return {"rows": summary.rows_read, "status": str(summary.status)}


def refuse_file(path: str, as_at: datetime.date) -> dict:
    """A file the importer must refuse: fails the measurement if it is loaded instead."""
    from caseaudit.cases.importer import import_annex_a
    from caseaudit.organisation.models import Council

    summary = import_annex_a(path, council=Council.objects.get(), as_at=as_at)
    if not summary.refused:
        raise SystemExit(f"expected a refusal, got {summary.status}")
    return {"rows": summary.rows_read, "problem": summary.problems[0].message}


def floor(path: str) -> dict:
    """The same reader, and a bare bulk insert of the same values into unindexed tables."""
    from django.db import transaction

    from caseaudit.cases.annex_a import open_source
    from caseaudit.cases.models import CHILD_COLUMNS, LIST_MODELS
    from caseaudit.core.bulk import insert_rows

    rows = 0
    with transaction.atomic(), open_source(path) as source:
        for sheet in source.sheets():
            model = LIST_MODELS[sheet.spec.key]
            fields = [c.field for c in sheet.spec.columns if c.field not in CHILD_COLUMNS]
            columns = [_column(model, f) for f in fields]
            text = [_is_text(model, f) for f in fields]
            table = f"floor_{model._meta.db_table}"
            blank = ["" if is_text else None for is_text in text]
            batch = []
            for row in sheet.rows():
                values = [row.values.get(f) for f in fields]
                batch.append(
                    (
                        row.row_number,
                        row.extras or None,
                        *[b if v is None else v for v, b in zip(values, blank, strict=True)],
                    )
                )
                if len(batch) >= 5000:
                    rows += insert_rows(table, ["row_number", "extras", *columns], batch)
                    batch = []
            rows += insert_rows(table, ["row_number", "extras", *columns], batch)
    return {"rows": rows}


def _column(model, field: str) -> str:
    from caseaudit.cases.models import STAFF_COLUMNS

    if field == "allocated_team" or field in STAFF_COLUMNS:
        return f"{field}_name"
    return model._meta.get_field(field).column


def _is_text(model, field: str) -> bool:
    from caseaudit.cases.models import STAFF_COLUMNS

    if field == "allocated_team" or field in STAFF_COLUMNS:
        return True  # the name column
    return model._meta.get_field(field).get_internal_type() in ("CharField", "TextField")


if __name__ == "__main__":
    main()
