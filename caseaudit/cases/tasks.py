"""Background work for case data: an uploaded import runs here, not in the web request."""

import functools
from pathlib import Path

from django_tasks import task

from caseaudit.cases import progress, uploads
from caseaudit.cases.actions import mark_stopped_runs
from caseaudit.cases.choices import ImportStatus
from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import ImportRun


@task()
def run_import(run_id: int) -> str:
    # A worker starting work is the first to know whether one before it died mid-import.
    mark_stopped_runs()
    run = ImportRun.objects.select_related("council", "requested_by").filter(pk=run_id).first()
    if run is None:
        return "missing"
    try:
        if run.status != ImportStatus.QUEUED:
            # Marked failed while it waited (or already run): nothing to import.
            return str(run.status)
        summary = import_annex_a(
            Path(run.stored_path),
            council=run.council,
            as_at=run.as_at,
            by=run.requested_by,
            # Once a batch is written: for the page, beside the upload rather than in the
            # database, whose import transaction no one else can see into (see progress.py).
            progress=functools.partial(progress.record, run),
            run=run,
        )
    finally:
        # Whatever became of it, the upload has served its purpose; the snapshot holds the
        # data now, if there is one.
        uploads.discard(run)
    return str(summary.status)
