"""Importing an Annex A return: validate every row, load it as one snapshot, or write nothing.

- **Atomic**: everything happens in one transaction. Any error-severity problem (a refused
  file, an unusable sheet, a cell that cannot be read) rolls it all back; the run and its
  problems are recorded after the rollback so the person can see why.
- **Idempotent**: a file whose bytes were already loaded for the council is recognised by its
  SHA-256 and changes nothing. A different file for a date already loaded replaces that date's
  snapshot as a whole.
- **Streaming**: rows are read one at a time and written in batches, so memory grows with the
  number of children (one small entry each), never with the number of rows.
"""

import datetime
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from caseaudit.cases.annex_a import Limits, Problem, Row, SourceError, open_source
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
from caseaudit.core.bulk import insert_rows, update_rows
from caseaudit.organisation.choices import JobRole
from caseaudit.organisation.models import Council

logger = logging.getLogger(__name__)

BATCH_ROWS = 5000
# Problems kept per import; beyond this they are counted, not stored (a bad file can have one
# per cell).
MAX_STORED_PROBLEMS = 5000
# An unborn child's expected date of birth can be months ahead; more than this cannot be right.
UNBORN_MONTHS = 10

# Which list decides a child's current team and worker, first match wins.
ALLOCATION_PRIORITY = ("cla", "cp", "cin", "care_leavers", "assessments", "section47", "referrals")
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
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.RUNNING)
    summary.run_id = run.pk
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
            with transaction.atomic():
                snapshot = _load(path, digest, council, summary, by, limits, progress)
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
    summary.seconds = time.monotonic() - started
    _finish_run(run, summary)
    return summary


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


def _load(path, digest, council, summary, by, limits, progress) -> Snapshot:
    as_at = summary.as_at
    Snapshot.objects.filter(council=council, as_at=as_at).delete()
    snapshot = Snapshot.objects.create(
        council=council, as_at=as_at, source_name=path.name, source_sha256=digest, imported_by=by
    )
    is_latest = not Snapshot.objects.filter(council=council, as_at__gt=as_at).exists()
    loader = _Loader(council, snapshot, summary, by=by, is_latest=is_latest)
    with open_source(path, limits=limits) as source:
        for problem in source.problems:
            summary.note(problem)
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
    loader.finish()
    snapshot.rows = summary.rows
    snapshot.save(update_fields=["rows"])
    return snapshot


class _Loader:
    def __init__(self, council, snapshot, summary, *, by, is_latest):
        self.council = council
        self.snapshot = snapshot
        self.summary = summary
        self.is_latest = is_latest
        self.organisation = OrganisationIndex(council, as_at=snapshot.as_at, by=by)
        # la_child_id -> (pk, attributes as first seen in this file, allocation rank,
        # team id, worker id). One small entry per child: the only state that grows.
        self.children: dict[str, list] = {}
        self.created: set[str] = set()
        # A council's first import finds no children to match: skip looking for them.
        self.council_had_children = Child.objects.filter(council=council).exists()
        self.latest_birth = _add_months(snapshot.as_at, UNBORN_MONTHS)
        self.updated: set[str] = set()
        self.rows_done = 0

    # --- rows ---------------------------------------------------------------------------

    def load_sheet(self, sheet, progress) -> None:
        key = sheet.spec.key
        model = LIST_MODELS[key]
        self.summary.rows.setdefault(key, 0)
        columns, extractor = self._columns(model, sheet.spec)
        seen: dict[tuple, int] = {}
        batch: list[Row] = []
        required_headers = {
            sheet.match.headers.get(column.field, column.header)
            for column in sheet.spec.columns
            if column.required
        }
        for row in sheet.rows():
            self.summary.rows[key] += 1
            for problem in row.problems:
                self.summary.note(_severity_for_loading(problem, required_headers))
            self._check_row(sheet, row, seen)
            if self.summary.errors:
                continue  # keep reading to report every problem, but write nothing more
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                self._flush(model, key, columns, extractor, batch, sheet.name)
                batch = []
                if progress:
                    progress(self.summary.rows_read)
        if batch and not self.summary.errors:
            self._flush(model, key, columns, extractor, batch, sheet.name)
        if progress:
            progress(self.summary.rows_read)

    def _check_row(self, sheet, row: Row, seen: dict) -> None:
        values = row.values
        name = sheet.name
        birth = values.get("date_of_birth")
        if birth is not None:
            if birth > self.latest_birth:
                self.summary.note(
                    Problem(
                        "error",
                        name,
                        row.row_number,
                        "Date of Birth",
                        birth.strftime("%d/%m/%Y"),
                        f"The date of birth is more than {UNBORN_MONTHS} months after the "
                        f"as-at date ({self.snapshot.as_at:%d/%m/%Y}), even for an unborn child.",
                    )
                )
            elif birth > self.snapshot.as_at:
                self.summary.note(
                    Problem(
                        "warning",
                        name,
                        row.row_number,
                        "Date of Birth",
                        birth.strftime("%d/%m/%Y"),
                        "The date of birth is after the as-at date: an unborn child?",
                    )
                )
        key_field = DUPLICATE_KEYS.get(sheet.spec.key, "missing")
        child_id = values.get(sheet.spec.id_field)
        if key_field != "missing" and child_id:
            key = (child_id, values.get(key_field) if key_field else None)
            if key in seen:
                self.summary.note(
                    Problem(
                        "warning",
                        name,
                        row.row_number,
                        "Child Unique ID",
                        child_id,
                        f"Child {child_id} appears more than once in {sheet.spec.label} "
                        f"(first at row {seen[key]}).",
                    )
                )
            else:
                seen[key] = row.row_number

    def _columns(self, model, spec):
        """The table's columns and a function giving one row's values in that order."""
        about_a_child = "child" in {f.name for f in model._meta.fields}
        fields = []
        for column in spec.columns:
            if about_a_child and column.field in CHILD_COLUMNS:
                continue
            fields.append(column.field)
        columns = ["snapshot_id", "row_number", "extras"]
        if about_a_child:
            columns.append("child_id")
        plain = []
        for name in fields:
            if name == "allocated_team":
                columns += ["allocated_team_id", "allocated_team_name"]
            elif name in STAFF_COLUMNS:
                columns += [f"{name}_id", f"{name}_name"]
            else:
                columns.append(model._meta.get_field(name).column)
                plain.append(name)
        text_fields = {
            name
            for name in plain
            if model._meta.get_field(name).get_internal_type() in ("CharField", "TextField")
        }

        def extract(row: Row, child_pk: int | None, team_id, staff_ids) -> tuple:
            values = row.values
            out = [self.snapshot.pk, row.row_number, row.extras or None]
            if about_a_child:
                out.append(child_pk)
            for name in fields:
                if name == "allocated_team":
                    out += [team_id, values.get(name) or ""]
                elif name in STAFF_COLUMNS:
                    out += [staff_ids.get(name), values.get(name) or ""]
                else:
                    value = values.get(name)
                    out.append("" if value is None and name in text_fields else value)
            return tuple(out)

        return columns, extract

    def _flush(self, model, key, columns, extract, batch: list[Row], sheet_name: str) -> None:
        about_a_child = "child_id" in columns
        if about_a_child:
            self._resolve_children(batch, sheet_name)
        records = []
        job_role = JobRole.PERSONAL_ADVISER if key == "care_leavers" else JobRole.SOCIAL_WORKER
        for row in batch:
            values = row.values
            team_id = self.organisation.team_id(values.get("allocated_team"), key)
            staff_ids = {
                name: self.organisation.worker_id(
                    values.get(name),
                    team_id,
                    job_role=JobRole.PERSONAL_ADVISER if name == "personal_adviser" else job_role,
                )
                for name in STAFF_COLUMNS
                if name in values
            }
            child_pk = None
            if about_a_child:
                entry = self.children[values["child_id"]]
                child_pk = entry[0]
                self._allocate(entry, key, values, team_id, staff_ids.get("allocated_worker"))
            records.append(extract(row, child_pk, team_id, staff_ids))
        insert_rows(model._meta.db_table, columns, records)

    # --- children -----------------------------------------------------------------------

    def _resolve_children(self, batch: list[Row], sheet_name: str) -> None:
        """Find or create this batch's children: two or three queries, whatever the batch."""
        new_ids: dict[str, Row] = {}
        for row in batch:
            child_id = row.values["child_id"]
            if child_id in self.children:
                self._compare_attributes(child_id, row, sheet_name)
            elif child_id not in new_ids:
                new_ids[child_id] = row
        if not new_ids:
            return
        stored = {}
        if self.council_had_children:
            stored = {
                la_id: (pk, dict(zip(_ATTRIBUTE_NAMES, attributes, strict=True)))
                for la_id, pk, *attributes in Child.objects.filter(
                    council=self.council, la_child_id__in=list(new_ids)
                ).values_list("la_child_id", "id", *_ATTRIBUTE_NAMES)
            }
        to_create, to_update = [], []
        for child_id, row in new_ids.items():
            attributes = _attributes(row.values)
            if child_id not in stored:
                to_create.append(
                    (
                        self.council.pk,
                        child_id,
                        *(attributes.get(n, _BLANK[n]) for n in _ATTRIBUTE_NAMES),
                    )
                )
                self.created.add(child_id)
                continue
            pk, before = stored[child_id]
            if self.is_latest and any(before[k] != v for k, v in attributes.items()):
                to_update.append((pk, *(attributes.get(n, before[n]) for n in _ATTRIBUTE_NAMES)))
                self.updated.add(child_id)
            self.children[child_id] = [
                pk,
                _packed(attributes),
                len(ALLOCATION_PRIORITY),
                None,
                None,
            ]
        if to_create:
            insert_rows(
                Child._meta.db_table,
                ["council_id", "la_child_id", *_ATTRIBUTE_COLUMNS],
                to_create,
            )
            created = Child.objects.filter(
                council=self.council, la_child_id__in=[row[1] for row in to_create]
            ).values_list("la_child_id", "id")
            for child_id, pk in created:
                attributes = _packed(_attributes(new_ids[child_id].values))
                self.children[child_id] = [pk, attributes, len(ALLOCATION_PRIORITY), None, None]
        if to_update:
            update_rows(Child._meta.db_table, "id", _ATTRIBUTE_COLUMNS, to_update)

    def _compare_attributes(self, child_id: str, row: Row, sheet_name: str) -> None:
        first = dict(zip(_ATTRIBUTE_NAMES, self.children[child_id][1], strict=True))
        for name, value in _attributes(row.values).items():
            if (
                value not in (None, "")
                and first.get(name) not in (None, "")
                and first[name] != value
            ):
                self.summary.note(
                    Problem(
                        "warning",
                        sheet_name,
                        row.row_number,
                        name.replace("_", " ").capitalize(),
                        str(value),
                        f"Child {child_id} has a different {name.replace('_', ' ')} here "
                        f"({value}) from earlier in the file ({first[name]}); the first is kept.",
                    )
                )
                return

    def _allocate(self, entry, key, values, team_id, worker_id) -> None:
        if key not in ALLOCATION_PRIORITY or team_id is None and worker_id is None:
            return
        rank = ALLOCATION_PRIORITY.index(key)
        # An episode that has ended allocates only if nothing open does.
        if (
            values.get("ceased_looked_after_date")
            or values.get("cp_plan_end_date")
            or (values.get("cin_closure_date"))
        ):
            rank += len(ALLOCATION_PRIORITY)
        if rank < entry[2]:
            entry[2:5] = [rank, team_id, worker_id]

    def finish(self) -> None:
        """Set each child's current team and worker, if this is the latest snapshot."""
        summary = self.summary
        summary.children_created = len(self.created)
        summary.children_updated = len(self.updated)
        summary.children_unchanged = len(self.children) - len(self.created) - len(self.updated)
        summary.teams_added = self.organisation.added_teams
        summary.workers_added = self.organisation.added_workers
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
        if not self.is_latest:
            return
        update_rows(
            Child._meta.db_table,
            "id",
            ["allocated_team_id", "allocated_worker_id", "last_snapshot_id"],
            ((entry[0], entry[3], entry[4], self.snapshot.pk) for entry in self.children.values()),
        )
        # Children in no list any more are no longer allocated to anyone.
        Child.objects.filter(council=self.council).exclude(last_snapshot=self.snapshot).update(
            allocated_team=None, allocated_worker=None
        )


def _severity_for_loading(problem: Problem, required_headers: set[str]) -> Problem:
    """A cell that cannot be read refuses the file only where the row means nothing without it
    (the child's ID, the list's key date). Elsewhere the value is left blank and the problem
    goes to the data-quality report: real returns carry a few codes outside their lists."""
    if problem.severity != "error" or problem.column in required_headers:
        return problem
    return CellLeftBlank(**{**asdict(problem), "severity": "warning"})


_ATTRIBUTE_NAMES = ("gender", "ethnicity", "date_of_birth", "disability", "uasc")
_ATTRIBUTE_COLUMNS = list(_ATTRIBUTE_NAMES)  # the same names as Child's columns
# What a child's attribute is when no list gave it (only the date of birth may be null).
_BLANK = {name: None if name == "date_of_birth" else "" for name in _ATTRIBUTE_NAMES}


def _attributes(values: dict) -> dict:
    result = {}
    for name in _ATTRIBUTE_NAMES:
        if name in values:
            value = values[name]
            result[name] = value if value is not None or name == "date_of_birth" else ""
    return result


def _packed(attributes: dict) -> tuple:
    """A child's first-seen attributes as a tuple: one small object per child, not a dict."""
    return tuple(attributes.get(name) for name in _ATTRIBUTE_NAMES)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    return datetime.date(year, month % 12 + 1, min(day.day, 28))
