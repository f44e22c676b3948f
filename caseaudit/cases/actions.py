import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from caseaudit.cases.choices import ImportStatus
from caseaudit.cases.models import ImportRun

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
