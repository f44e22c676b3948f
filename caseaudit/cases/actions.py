import datetime
import errno
import logging
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseaudit.cases import heartbeat, uploads
from caseaudit.cases.choices import ImportStatus
from caseaudit.cases.cohorts import check_conditions
from caseaudit.cases.models import CohortDefinition, ImportProblem, ImportRun
from caseaudit.core.history import record_change, snapshot
from caseaudit.core.roles import Role, Scope
from caseaudit.core.uploads import too_large_message
from caseaudit.organisation.actions import start_council
from caseaudit.organisation.models import Council

logger = logging.getLogger(__name__)

UPLOAD_SUFFIXES = (".xlsx", ".csv", ".zip")
# No space left, or the service's disk quota used up: either way the file cannot be kept.
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
DISK_FULL_MESSAGE = (
    "The file could not be kept for importing: the server has no room for it. Nothing was "
    "saved. Tell your system administrator, and try again once they have made room."
)


def request_import(uploaded, *, council, as_at: datetime.date | None, by) -> ImportRun:
    """Keep the uploaded file and queue its import; the page follows the run's progress."""
    suffix = Path(uploaded.name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ValidationError("The selected file must be an .xlsx workbook, a .csv or a .zip")
    if uploaded.size > settings.IMPORT_UPLOAD_MAX_BYTES:
        raise ValidationError(too_large_message())
    try:
        stored = uploads.store(uploaded, suffix)
    except OSError as error:
        if error.errno not in DISK_FULL:
            raise
        # uploads.store has removed what it had written.
        logger.error("No room to keep an upload in %s: %s", settings.UPLOAD_DIR, error)
        raise ValidationError(DISK_FULL_MESSAGE) from error
    try:
        with transaction.atomic():
            run = ImportRun.objects.create(
                council=council,
                source_name=Path(uploaded.name).name[:255],
                stored_path=str(stored),
                as_at=as_at,
                requested_by=by,
                status=ImportStatus.QUEUED,
            )
            transaction.on_commit(lambda: _queue(run))
    except BaseException:
        # No run to import it: the file must not wait on disk for nothing.
        stored.unlink(missing_ok=True)
        raise
    return run


ALREADY_STARTED_MESSAGE = (
    "This installation already has a council. Ask its administrator for an account; another "
    "council is added from the command line (caseaudit import FILE --council CODE "
    "--council-name NAME)."
)


@transaction.atomic
def start_council_with_return(
    uploaded, *, code: str, name: str, as_at: datetime.date | None, by
) -> ImportRun:
    """A fresh installation's first step from the web, as ``caseaudit import FILE --council
    CODE --council-name NAME`` is from the command line: the council (``start_council``, the
    one rule for a new council), the person starting it made its administrator, and its first
    Annex A return queued for import. All or nothing: a file that cannot be imported leaves no
    council behind."""
    # Locked, so two people starting at once cannot make two councils.
    if Council.objects.select_for_update().exists():
        raise ValidationError(ALREADY_STARTED_MESSAGE, code="already_started")
    council = start_council(code=code, name=name, by=by)
    before = {"council": None, "role": by.role, "scope": by.scope}
    by.council, by.role, by.scope = council, Role.ADMINISTRATOR, Scope.COUNCIL
    by.save(update_fields=["council", "role", "scope"])
    record_change(
        by,
        by=by,
        action="changed",
        before=before,
        after={"council": council.code, "role": by.role, "scope": by.scope},
        reason="Started the council on a fresh installation",
    )
    try:
        return request_import(uploaded, council=council, as_at=as_at, by=by)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error


NOT_STARTED_MESSAGE = (
    "The import could not be started: the background queue did not take it. Nothing from "
    "this file was saved. Try again, and tell the administrator if it happens again."
)


def _queue(run: ImportRun) -> None:
    from caseaudit.cases.tasks import run_import

    try:
        run_import.enqueue(run.pk)
    except Exception:
        logger.exception("Import run %s could not be queued", run.pk)
        fail_import(run, NOT_STARTED_MESSAGE)


STOPPED_MESSAGE = (
    "The import stopped unexpectedly: the background worker stopped or restarted while it "
    "ran. Nothing from this file was saved. Try again."
)


@transaction.atomic
def fail_import(run: ImportRun, message: str, *, now: datetime.datetime | None = None) -> bool:
    """Mark a queued or running import failed, saying why, and remove its upload. Returns
    False if it had already finished (nothing to do)."""
    locked = (
        ImportRun.objects.select_for_update()
        .filter(pk=run.pk, status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING))
        .first()
    )
    if locked is None:
        return False
    locked.status, locked.finished_at = ImportStatus.FAILED, now or timezone.now()
    locked.save(update_fields=["status", "finished_at"])
    ImportProblem.objects.create(run=locked, severity="error", message=message)
    # At once rather than on commit: should the commit fail, the run is still silent and the
    # next look fails it again, and its upload was of no further use either way.
    uploads.discard(locked)
    run.status, run.finished_at = locked.status, locked.finished_at
    return True


def mark_stopped_runs(council=None, *, now: datetime.datetime | None = None) -> int:
    """Runs left "importing" by a worker that died (its heartbeat went silent), the council's
    or, with None, every council's. Imports are atomic, so nothing of theirs was saved: say
    so, remove the upload, and let the page stop waiting. Returns how many were marked."""
    now = now or timezone.now()
    running = ImportRun.objects.filter(status=ImportStatus.RUNNING)
    if council is not None:
        running = running.filter(council=council)
    # The heartbeat is read before fail_import reads the status again under a lock: a run
    # that finished meanwhile removed its heartbeat only after saving its status, so it is
    # seen finished there and left alone.
    silent = [run for run in running if heartbeat.is_silent(run, now=now)]
    return sum(fail_import(run, STOPPED_MESSAGE, now=now) for run in silent)


@transaction.atomic
def save_cohort(
    council,
    *,
    name: str,
    description: str = "",
    conditions: list,
    by,
    cohort: CohortDefinition | None = None,
) -> CohortDefinition:
    """Create a named cohort, or change one: its conditions are checked by the one module that
    evaluates them (``cases.cohorts``), and the change is kept in the history."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the cohort"})
    check_conditions(conditions)
    same_name = CohortDefinition.objects.filter(council=council, name__iexact=name)
    if cohort is not None:
        same_name = same_name.exclude(pk=cohort.pk)
    if same_name.exists():
        raise ValidationError({"name": "There is already a cohort with this name"})
    data = [condition.as_data() for condition in conditions]
    if cohort is None:
        cohort = CohortDefinition.objects.create(
            council=council,
            name=name,
            description=description.strip(),
            conditions=data,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        record_change(cohort, by=by, action="created")
        return cohort
    before = snapshot(cohort)
    cohort.name, cohort.description, cohort.conditions = name, description.strip(), data
    cohort.save()
    record_change(cohort, by=by, action="changed", before=before)
    return cohort
