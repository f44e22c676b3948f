"""Importing an Annex A return: validate every row, load it as one snapshot, or write nothing.

- **Atomic**: everything the council will see is written in one transaction. Any
  error-severity problem (a refused file, an unusable sheet, a cell that cannot be read)
  rolls it all back, or (SQLite) refuses before it begins; the run and its problems are
  recorded afterwards so the person can see why. (On PostgreSQL a list's rows wait in a
  scratch table written through a second connection; the transaction drops each as it
  settles the list, and a failed import's are dropped after the rollback. On SQLite the file
  is read into temporary tables first, without the database's one write lock, and the
  transaction is the short one at the end: see ``_load``.)
- **Idempotent**: a file whose bytes were already loaded for the council is recognised by its
  SHA-256 and changes nothing. A different file for a date already loaded replaces that date's
  snapshot as a whole.
- **Streaming**: rows are read one at a time and written in batches; what must be remembered
  about each child until the end is kept in the database (``child_register.py``), so memory
  does not grow with the file.
"""

import datetime
import hashlib
import logging
import operator
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from caseaudit.cases import heartbeat
from caseaudit.cases.annex_a import Limits, Problem, Row, SourceError, open_source
from caseaudit.cases.child_register import (
    ATTRIBUTES,
    AllocatingList,
    ChildRegister,
    staging_area,
)
from caseaudit.cases.choices import ImportStatus
from caseaudit.cases.models import (
    CHILD_COLUMNS,
    LIST_MODELS,
    STAFF_COLUMNS,
    Child,
    ImportProblem,
    ImportRun,
    Snapshot,
)
from caseaudit.cases.organisation_index import OrganisationIndex
from caseaudit.core.bulk import insert_rows
from caseaudit.core.months import add_months
from caseaudit.organisation.choices import JobRole
from caseaudit.organisation.models import Council

logger = logging.getLogger(__name__)

BATCH_ROWS = 5000
# How often an import says how many rows it has read (to its page, or the command line): per
# this many rows of a list, and at each list's end; never per row.
PROGRESS_ROWS = 2000
# Problems kept per import; beyond this they are counted, not stored (a bad file can have one
# per cell).
MAX_STORED_PROBLEMS = 5000
# An unborn child's expected date of birth can be months ahead; more than this cannot be right.
UNBORN_MONTHS = 10

# Which list decides a child's current team and worker, first match wins.
ALLOCATION_PRIORITY = ("cla", "cp", "cin", "care_leavers", "assessments", "section47", "referrals")
# An episode that has ended allocates a child only if nothing open does.
_ENDED_COLUMNS = {
    "cla": "ceased_looked_after_date",
    "cp": "cp_plan_end_date",
    "cin": "cin_closure_date",
}
# Lists where the same child twice on the same start date is a duplicate, not two episodes.
DUPLICATE_KEYS = {
    "cin": "cin_start_date",
    "cp": "cp_plan_start_date",
    "cla": "looked_after_start_date",
    "care_leavers": None,
    "assessments": "assessment_start_date",
    "section47": "s47_start_date",
}


class ImportRefused(Exception):
    pass


@dataclass(frozen=True)
class CellLeftBlank(Problem):
    """A value that could not be read outside the columns a row needs: loaded as blank, and
    listed by the data-quality report."""

    def __post_init__(self):
        if not self.message.endswith("Left blank."):
            object.__setattr__(self, "message", f"{self.message} Left blank.")


@dataclass
class ImportSummary:
    source: str
    as_at: datetime.date | None
    status: str = ImportStatus.RUNNING
    rows: dict[str, int] = field(default_factory=dict)
    children_created: int = 0
    children_updated: int = 0
    children_unchanged: int = 0
    warnings: int = 0
    errors: int = 0
    problems: list[Problem] = field(default_factory=list)
    teams_added: list[str] = field(default_factory=list)
    workers_added: list[str] = field(default_factory=list)
    # Names an older return gave that today's organisation does not know: not added.
    teams_unknown: list[str] = field(default_factory=list)
    workers_unknown: list[str] = field(default_factory=list)
    seconds: float = 0.0
    run_id: int | None = None

    @property
    def rows_read(self) -> int:
        return sum(self.rows.values())

    @property
    def refused(self) -> bool:
        return self.status in (ImportStatus.REFUSED, ImportStatus.FAILED)

    def note(self, problem: Problem) -> None:
        if problem.severity == "error":
            self.errors += 1
        else:
            self.warnings += 1
        if len(self.problems) < MAX_STORED_PROBLEMS:
            self.problems.append(problem)

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "as_at": self.as_at.isoformat() if self.as_at else None,
            "status": str(self.status),
            "rows_read": self.rows_read,
            "rows": self.rows,
            "children": {
                "created": self.children_created,
                "updated": self.children_updated,
                "unchanged": self.children_unchanged,
            },
            "teams_added": self.teams_added,
            "workers_added": self.workers_added,
            "teams_unknown": self.teams_unknown,
            "workers_unknown": self.workers_unknown,
            "warnings": self.warnings,
            "errors": self.errors,
            "problems": [
                {
                    "severity": p.severity,
                    "sheet": p.sheet,
                    "row": p.row,
                    "column": p.column,
                    "value": p.value,
                    "message": p.message,
                }
                for p in self.problems[:200]
            ],
            "seconds": round(self.seconds, 2),
            "run": self.run_id,
        }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(child.relative_to(path).as_posix().encode())
            digest.update(file_sha256(child).encode())
        return digest.hexdigest()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_annex_a(
    path: str | Path,
    *,
    council: Council,
    as_at: datetime.date | None = None,
    by=None,
    limits: Limits | None = None,
    progress: Callable[[int], None] | None = None,
    run: ImportRun | None = None,
) -> ImportSummary:
    """Import one Annex A return for ``council``. Never raises for bad input: the summary says
    what happened, and a refused import has written nothing but its own record."""
    path = Path(path)
    started = time.monotonic()
    summary = ImportSummary(source=path.name, as_at=as_at)
    if run is None:
        run = ImportRun.objects.create(
            council=council, source_name=path.name, as_at=as_at, requested_by=by
        )
    summary.run_id = run.pk
    # Beating before the run is seen running, and until its end is saved (see heartbeat.py).
    with heartbeat.beating(run):
        ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.RUNNING)
        _import(path, council, by, limits, progress, run, summary)
        summary.seconds = time.monotonic() - started
        _finish_run(run, summary)
    return summary


def _import(path, council, by, limits, progress, run, summary) -> None:
    """Load the file into ``summary`` and ``run``; a refused or failed import is said there."""
    as_at = summary.as_at
    try:
        digest = file_sha256(path)
        already = Snapshot.objects.filter(council=council, source_sha256=digest)
        if as_at is not None:
            already = already.filter(as_at=as_at)
        previous = already.order_by("-as_at").first()
        if previous is not None:
            summary.status = ImportStatus.UNCHANGED
            summary.as_at = previous.as_at
            summary.rows = dict(previous.rows)
            summary.children_unchanged = Child.objects.filter(last_snapshot=previous).count()
            run.snapshot = previous
        else:
            summary.as_at = summary.as_at or timezone.localdate()
            with staging_area() as staging:
                snapshot = _load(path, digest, council, summary, by, limits, progress, staging)
            summary.status = ImportStatus.LOADED
            run.snapshot = snapshot
    except SourceError as error:
        summary.note(error.problem)
        summary.status = ImportStatus.REFUSED
    except ImportRefused:
        summary.status = ImportStatus.REFUSED
    except OSError as error:
        summary.note(
            Problem("error", None, None, None, None, f"The file could not be read: {error}")
        )
        summary.status = ImportStatus.REFUSED
    except Exception:
        # A fault of caseaudit's, not the file's: the transaction has rolled back; the
        # details go to the server log, the person gets a plain message.
        logger.exception("Import of %s failed", path.name)
        summary.note(
            Problem(
                "error",
                None,
                None,
                None,
                None,
                "caseaudit could not finish this import because of a fault of its own. "
                "Nothing was saved. The fault has been logged for the administrator.",
            )
        )
        summary.status = ImportStatus.FAILED


def _finish_run(run: ImportRun, summary: ImportSummary) -> None:
    run.status = summary.status
    run.as_at = summary.as_at
    run.finished_at = timezone.now()
    run.rows_read = summary.rows_read
    summary_json = summary.as_json()
    summary_json.pop("problems")
    run.summary = summary_json
    run.save()
    ImportProblem.objects.bulk_create(
        [
            ImportProblem(
                run=run,
                severity=p.severity,
                sheet=(p.sheet or "")[:100],
                row=p.row,
                column=(p.column or "")[:255],
                value=(p.value or "")[:100],
                message=p.message,
                left_blank=isinstance(p, CellLeftBlank),
            )
            for p in summary.problems
        ],
        batch_size=1000,
    )


def _load(path, digest, council, summary, by, limits, progress, staging) -> Snapshot:
    """Read the file and load it as the council's snapshot at its date, or raise."""
    if not staging.deferred:
        # PostgreSQL: one transaction throughout; other connections read and write on
        # meanwhile (each sees the data as it was until the import commits).
        with transaction.atomic():
            loader = _Loader(council, summary, staging, by=by)
            try:
                loader.switch_in(*_replace_snapshot(path, digest, council, summary, by))
                _read(path, loader, summary, limits, progress)
                return _settle(loader, summary)
            finally:
                # Nothing may still be running on the connection when the transaction ends.
                loader.children.stop()
    # SQLite, one writer at a time: the file is read, staged and its lists settled in the
    # connection's own temporary tables, with no lock on the database, while people go on
    # using the service (new children and teams get provisional ids meanwhile); then one
    # short transaction replaces the snapshot, adds the teams and workers the file named,
    # moves the settled lists in and writes the children. Until it commits nothing is
    # visible; if anything fails, nothing was written.
    loader = _Loader(council, summary, staging, by=by)
    try:
        _read(path, loader, summary, limits, progress)
        loader.children.settle_deferred()
        with transaction.atomic():
            loader.switch_in(*_replace_snapshot(path, digest, council, summary, by))
            return _settle(loader, summary)
    finally:
        loader.children.stop()


def _replace_snapshot(path, digest, council, summary, by) -> tuple[Snapshot, bool]:
    """The new snapshot, in place of any for the same date, and whether it is the latest."""
    as_at = summary.as_at
    Snapshot.objects.filter(council=council, as_at=as_at).delete()
    snapshot = Snapshot.objects.create(
        council=council, as_at=as_at, source_name=path.name, source_sha256=digest, imported_by=by
    )
    is_latest = not Snapshot.objects.filter(council=council, as_at__gt=as_at).exists()
    return snapshot, is_latest


def _read(path, loader, summary, limits, progress) -> None:
    """Every row of the file, staged; raises ImportRefused when anything refuses it."""
    with open_source(path, limits=limits) as source:
        for problem in source.problems:
            summary.note(problem)
        # Headings known to be wrong refuse the file before any sheet is read whole.
        early = source.unusable_headers
        if any(problem.severity == "error" for problem in early):
            for problem in early:
                summary.note(problem)
            raise ImportRefused
        for sheet in source.sheets():
            for problem in sheet.problems:
                summary.note(problem)
            if not sheet.usable:
                continue
            loader.load_sheet(sheet, progress)
            for problem in sheet.late_problems:
                summary.note(problem)
    if summary.errors:
        raise ImportRefused


def _settle(loader, summary) -> Snapshot:
    loader.finish()
    snapshot = loader.snapshot
    snapshot.rows = summary.rows
    snapshot.save(update_fields=["rows"])
    return snapshot


class _Loader:
    """Writes the rows of one file: list rows as they are read, children once at the end.
    With deferred staging (SQLite) the snapshot is only made once the file has been read,
    and ``switch_in`` then writes what waited for it."""

    def __init__(self, council, summary, staging, *, by):
        self.council = council
        self.as_at = summary.as_at
        self.summary = summary
        self.staging = staging
        self.snapshot: Snapshot | None = None
        # Only a return at least as recent as every other speaks for today's organisation.
        self.is_latest = not Snapshot.objects.filter(council=council, as_at__gt=self.as_at).exists()
        # Adding a team or worker needs the import's connection, which may be settling a list
        # (PostgreSQL); deferred, they are added when the snapshot is switched in.
        self.organisation = OrganisationIndex(
            council,
            as_at=self.as_at,
            by=by,
            before_adding=None if staging.deferred else lambda: self.children.wait(),
            deferred=staging.deferred,
            adds=self.is_latest,
        )
        # Last: from here its background work must be stopped (``_load`` does).
        self.children = ChildRegister(council, None, staging)
        self.latest_birth = add_months(self.as_at, UNBORN_MONTHS)
        # Lists being settled, with what is needed to report what settling them finds.
        self._settling: list[tuple[str, str, Future]] = []
        # Deferred staging: tables waiting for the snapshot, with their team and worker ids
        # (provisional for names the file added), and adopters' tables with their list's.
        self._staged_ids: list[tuple[str, list[str]]] = []
        self._plain: list[tuple[str, str, list[str]]] = []

    def switch_in(self, snapshot: Snapshot, is_latest: bool) -> None:
        """The rows' snapshot, in the import's transaction; with deferred staging, add the
        teams and workers the file named and give the rows waiting their ids."""
        self.snapshot, self.is_latest = snapshot, is_latest
        self.children.snapshot = snapshot
        # (SQLite) A newer return imported while this one was read: it adds nothing either.
        real = self.organisation.add_deferred(adds=is_latest)
        for table, id_columns in self._staged_ids:
            self.staging.renumber(table, id_columns, real)
        for table, list_table, columns in self._plain:
            self.staging.move_plain(table, list_table, columns, snapshot.pk)
        self._plain = []
        if self.staging.deferred:
            self.children.move_in(snapshot)

    # --- rows ---------------------------------------------------------------------------

    def load_sheet(self, sheet, progress) -> None:
        key = sheet.spec.key
        model = LIST_MODELS[key]
        self.summary.rows.setdefault(key, 0)
        staged, table, columns, extract = self._columns(model, sheet.spec)
        # Staged rows go through the staging area; others straight in, once the import's
        # connection has no list still settling.
        using = self.staging if staged is not None or self.staging.deferred else None
        batch: list[Row] = []
        required_headers = {
            sheet.match.headers.get(column.field, column.header)
            for column in sheet.spec.columns
            if column.required
        }
        for row in sheet.rows():
            self.summary.rows[key] += 1
            # Counted as read, whether written or not: a file refused halfway is still read
            # to its end to report every problem, and its page should be seen to move.
            if progress and self.summary.rows[key] % PROGRESS_ROWS == 0:
                progress(self.summary.rows_read)
            for problem in row.problems:
                self.summary.note(_severity_for_loading(problem, required_headers))
            self._check_birth(sheet.name, row)
            if self.summary.errors:
                continue  # keep reading to report every problem, but write nothing more
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                self._flush(table, columns, extract, batch, using)
                batch = []
        if batch and not self.summary.errors:
            self._flush(table, columns, extract, batch, using)
        if staged is not None and not self.summary.errors:
            self._settle_later(sheet, model, staged)
        if progress:
            progress(self.summary.rows_read)

    def _room(self) -> int:
        """How many more problems the summary will store (it counts the rest)."""
        return max(MAX_STORED_PROBLEMS - len(self.summary.problems), 0)

    def _settle_later(self, sheet, model, staged) -> None:
        """The list's rows get their children's ids, while the next list is read."""
        key = sheet.spec.key
        duplicate_key: str | None | bool = False
        if key in DUPLICATE_KEYS:
            key_field = DUPLICATE_KEYS[key]
            duplicate_key = model._meta.get_field(key_field).column if key_field else None
        future = self.children.settle_later(staged, duplicate_key=duplicate_key, limit=self._room())
        self._settling.append((sheet.name, sheet.spec.label, future))

    def _report_settled(self) -> None:
        """Once every list is settled, report what settling found: the same child twice in a
        list on the same start date (a duplicate, not two episodes), and a child given a
        different attribute from earlier in the file (the first value is kept)."""
        self.children.wait()
        for sheet_name, label, future in self._settling:
            self._report(sheet_name, label, future.result())
        self._settling = []

    def _report(self, sheet_name: str, label: str, settled) -> None:
        for row_number, child_id, first_row in settled.duplicates_shown:
            self.summary.note(
                Problem(
                    "warning",
                    sheet_name,
                    row_number,
                    "Child Unique ID",
                    child_id,
                    f"Child {child_id} appears more than once in {label} "
                    f"(first at row {first_row}).",
                )
            )
        for difference in settled.differences_shown:
            name = difference.attribute.replace("_", " ")
            self.summary.note(
                Problem(
                    "warning",
                    sheet_name,
                    difference.row_number,
                    name.capitalize(),
                    difference.value,
                    f"Child {difference.child_id} has a different {name} here "
                    f"({difference.value}) from earlier in the file ({difference.first}); "
                    "the first is kept.",
                )
            )
        self.summary.warnings += settled.duplicates - len(settled.duplicates_shown)
        self.summary.warnings += settled.differences - len(settled.differences_shown)

    def _check_birth(self, sheet_name: str, row: Row) -> None:
        birth = row.values.get("date_of_birth")
        if birth is None or birth <= self.as_at:
            return
        if birth > self.latest_birth:
            self.summary.note(
                Problem(
                    "error",
                    sheet_name,
                    row.row_number,
                    "Date of Birth",
                    birth.strftime("%d/%m/%Y"),
                    f"The date of birth is more than {UNBORN_MONTHS} months after the "
                    f"as-at date ({self.as_at:%d/%m/%Y}), even for an unborn child.",
                )
            )
        else:
            self.summary.note(
                Problem(
                    "warning",
                    sheet_name,
                    row.row_number,
                    "Date of Birth",
                    birth.strftime("%d/%m/%Y"),
                    "The date of birth is after the as-at date: an unborn child?",
                )
            )

    def _columns(self, model, spec):
        """Where one list's rows are written, their columns, and a function giving one row's
        values in that order: decided once per sheet, so each row is a few tuple operations.
        A list about children is staged in the register's table for it, with each row's child
        ID and attributes; adopters go straight into their table."""
        about_a_child = "child" in {f.name for f in model._meta.fields}
        list_role = (
            JobRole.PERSONAL_ADVISER if spec.key == "care_leavers" else JobRole.SOCIAL_WORKER
        )
        fields = [column.field for column in spec.columns]
        staff = [name for name in fields if name in STAFF_COLUMNS]
        has_team = "allocated_team" in fields
        plain = [
            name
            for name in fields
            if name != "allocated_team"
            and name not in staff
            and not (about_a_child and name in CHILD_COLUMNS)
        ]
        text = [name for name in plain if _is_text(model, name)]
        other = [name for name in plain if name not in text]
        columns = ["snapshot_id", "row_number", "extras"]
        columns += [model._meta.get_field(name).column for name in other + text]
        columns += ["allocated_team_id", "allocated_team_name"] if has_team else []
        for name in staff:
            columns += [f"{name}_id", f"{name}_name"]
        roles = [JobRole.PERSONAL_ADVISER if n == "personal_adviser" else list_role for n in staff]
        others_of, texts_of = _getter(other), _getter(text)
        staged, table = None, model._meta.db_table
        child_of = _getter([])
        if about_a_child:
            attributes = [name for name in ATTRIBUTES if name in fields]
            staged = self.staging.stage(table, columns, attributes)
            table, columns = staged.table, staged.columns
            child_of = _getter(["child_id", *attributes])
        elif self.staging.deferred:
            staged_table = self.staging.stage_plain(table, columns)
            self._plain.append((staged_table, table, columns))
            table = staged_table
        if self.staging.deferred:
            ids = ["allocated_team_id"] if has_team else []
            self._staged_ids.append((table, ids + [f"{name}_id" for name in staff]))
        team_of, worker_of = self.organisation.team_id, self.organisation.worker_id
        # Until the snapshot is made (deferred staging) its id is put in as rows are moved.
        snapshot_id = self.snapshot.pk if self.snapshot is not None else 0
        list_key = spec.key

        def extract(row: Row) -> tuple:
            values = row.values
            out = [snapshot_id, row.row_number, row.extras or None]
            out += others_of(values)
            # Text columns are blank, never null, as Django keeps them.
            out += [value or "" for value in texts_of(values)]
            team_id = None
            if has_team:
                team = values["allocated_team"]
                team_id = team_of(team, list_key)
                out += (team_id, team or "")
            for name, role in zip(staff, roles, strict=True):
                worker = values[name]
                out += (worker_of(worker, team_id, job_role=role), worker or "")
            out += child_of(values)
            return tuple(out)

        return staged, table, columns, extract

    def _flush(self, table, columns, extract, batch: list[Row], using) -> None:
        # Built before the COPY starts: matching a name may add a team or worker on the
        # import's connection, which is also the one adopters are copied through, and no other
        # statement can run on a connection while a COPY is open.
        values = [extract(row) for row in batch]
        if using is None:
            self.children.wait()
            insert_rows(table, columns, values)
        else:
            using.write(table, columns, values)

    # --- children -----------------------------------------------------------------------

    def finish(self) -> None:
        """Write the children, with their current team and worker if this is the latest
        snapshot, and report what the organisation gained."""
        summary = self.summary
        self._report_settled()
        counts = self.children.write_children(
            [
                AllocatingList(LIST_MODELS[key]._meta.db_table, rank, _ENDED_COLUMNS.get(key))
                for rank, key in enumerate(ALLOCATION_PRIORITY)
            ],
            is_latest=self.is_latest,
        )
        self.children.close()
        summary.children_created = counts.created
        summary.children_updated = counts.updated
        summary.children_unchanged = counts.unchanged
        summary.teams_added = self.organisation.added_teams
        summary.workers_added = self.organisation.added_workers
        summary.teams_unknown = self.organisation.unknown_teams
        summary.workers_unknown = self.organisation.unknown_workers
        newer = "a newer return has been imported, so today's organisation is left as it is"
        for column, kind, names in (
            ("Allocated Team", "team", summary.teams_unknown),
            ("Allocated Worker", "worker", summary.workers_unknown),
        ):
            for name in names:
                summary.note(
                    Problem(
                        "warning",
                        None,
                        None,
                        column,
                        name,
                        f"The {kind} '{name}' is not known and was not added: {newer}. "
                        f"Its rows keep the name.",
                    )
                )
        for name in summary.teams_added:
            summary.note(
                Problem(
                    "warning",
                    None,
                    None,
                    "Allocated Team",
                    name,
                    f"The team '{name}' was not known and has been added to the organisation; "
                    "place it in an area and service.",
                )
            )
        for name in summary.workers_added:
            summary.note(
                Problem(
                    "warning",
                    None,
                    None,
                    "Allocated Worker",
                    name,
                    f"The worker '{name}' was not known and has been added; check their team.",
                )
            )


def _severity_for_loading(problem: Problem, required_headers: set[str]) -> Problem:
    """A cell that cannot be read refuses the file only where the row means nothing without it
    (the child's ID, the list's key date). Elsewhere the value is left blank and the problem
    goes to the data-quality report: real returns carry a few codes outside their lists."""
    if problem.severity != "error" or problem.column in required_headers:
        return problem
    return CellLeftBlank(**{**asdict(problem), "severity": "warning"})


def _getter(names: list[str]) -> Callable[[dict], tuple]:
    """A function giving these keys' values from a row's values, as a tuple."""
    if not names:
        return lambda values: ()
    if len(names) == 1:
        (name,) = names
        return lambda values: (values[name],)
    return operator.itemgetter(*names)


def _is_text(model, name: str) -> bool:
    return model._meta.get_field(name).get_internal_type() in ("CharField", "TextField")
