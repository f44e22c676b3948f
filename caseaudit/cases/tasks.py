"""Background work for case data: an uploaded import runs here, not in the web request."""

from pathlib import Path

from django_tasks import task

from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import ImportRun

# Progress is written to the run every this many rows, for the page to show.
PROGRESS_EVERY = 5000


@task()
def run_import(run_id: int) -> str:
    run = ImportRun.objects.select_related("council", "requested_by").get(pk=run_id)
    path = Path(run.stored_path)

    def progress(rows: int) -> None:
        if rows % PROGRESS_EVERY == 0 or rows < PROGRESS_EVERY:
            ImportRun.objects.filter(pk=run_id).update(rows_read=rows)

    try:
        summary = import_annex_a(
            path,
            council=run.council,
            as_at=run.as_at,
            by=run.requested_by,
            progress=progress,
            run=run,
        )
    finally:
        # The upload has served its purpose; the snapshot holds the data now.
        path.unlink(missing_ok=True)
    return str(summary.status)
