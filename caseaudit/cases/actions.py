import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseaudit.cases.choices import ImportStatus
from caseaudit.cases.models import ImportProblem, ImportRun

UPLOAD_SUFFIXES = (".xlsx", ".csv", ".zip")


@transaction.atomic
def request_import(uploaded, *, council, as_at: datetime.date | None, by) -> ImportRun:
    """Keep the uploaded file and queue its import; the page follows the run's progress."""
    suffix = Path(uploaded.name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ValidationError("The selected file must be an .xlsx workbook, a .csv or a .zip")
    if uploaded.size > settings.IMPORT_UPLOAD_MAX_BYTES:
        limit = settings.IMPORT_UPLOAD_MAX_BYTES // (1024 * 1024)
        raise ValidationError(f"The selected file must be smaller than {limit} MB")
    folder = Path(settings.UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    # A name of our own: the uploaded name is kept for display only, never used as a path.
    stored = folder / f"{uuid.uuid4().hex}{suffix}"
    with stored.open("wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    run = ImportRun.objects.create(
        council=council,
        source_name=Path(uploaded.name).name[:255],
        stored_path=str(stored),
        as_at=as_at,
        requested_by=by,
        status=ImportStatus.QUEUED,
    )
    from caseaudit.cases.tasks import run_import

    transaction.on_commit(lambda: run_import.enqueue(run.pk))
    return run


# An import of a million rows takes minutes; one still "importing" after this has stopped.
STOPPED_AFTER = datetime.timedelta(hours=1)
STOPPED_MESSAGE = (
    "This import stopped before it finished: the background worker was stopped or restarted "
    "while it ran. Nothing from this file was saved. Import it again."
)


@transaction.atomic
def mark_stopped_runs(council, *, now: datetime.datetime | None = None) -> int:
    """Runs left "importing" by a worker that died. Imports are atomic, so nothing of theirs
    was saved: say so, and let the page stop waiting. Returns how many were marked."""
    now = now or timezone.now()
    stopped = list(
        ImportRun.objects.select_for_update().filter(
            council=council, status=ImportStatus.RUNNING, requested_at__lt=now - STOPPED_AFTER
        )
    )
    for run in stopped:
        run.status, run.finished_at = ImportStatus.FAILED, now
        run.save(update_fields=["status", "finished_at"])
        ImportProblem.objects.create(run=run, severity="error", message=STOPPED_MESSAGE)
    return len(stopped)
