"""Background work for case data: an uploaded import runs here, not in the web request."""

import functools
from pathlib import Path

from django_tasks import task

from caseaudit.cases import progress
from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import ImportRun


@task()
def run_import(run_id: int) -> str:
    run = ImportRun.objects.select_related("council", "requested_by").get(pk=run_id)
    path = Path(run.stored_path)

    try:
        summary = import_annex_a(
            path,
            council=run.council,
            as_at=run.as_at,
            by=run.requested_by,
            # Once a batch is written: for the page, beside the upload rather than in the
            # database, whose import transaction no one else can see into (see progress.py).
            progress=functools.partial(progress.record, run),
            run=run,
        )
    finally:
        # The upload has served its purpose; the snapshot holds the data now.
        path.unlink(missing_ok=True)
        progress.clear(run)
    return str(summary.status)
