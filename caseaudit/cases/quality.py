"""The data-quality report: what looks wrong in a snapshot, with counts and the rows.

Every check is a query over one snapshot, counted in the database; only the first rows of
each are fetched to show. Checks on child-level rows go through ``visible_to(user)``; the
command line passes no user and sees the whole council, as its operator does.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet

from caseaudit.cases.annex_a import LISTS_BY_KEY
from caseaudit.cases.models import (
    LIST_MODELS,
    CINEpisode,
    CLAEpisode,
    CPPlan,
    ImportProblem,
    ImportRun,
    Snapshot,
)
from caseaudit.core.working_days import add_working_days

ROWS_SHOWN = 50
# Local practice standard in the seeds' council: a CP visit at least every 10 working days.
CP_VISIT_WORKING_DAYS = 10

# (list, later date, earlier date, what it means when the later one comes first)
DATE_ORDER = (
    ("early_help", "assessment_completion_date", "assessment_start_date",
     "completed before it started"),
    ("assessments", "assessment_authorised_date", "assessment_start_date",
     "authorised before it started"),
    ("section47", "icpc_date", "s47_start_date", "ICPC before the strategy discussion"),
    ("cin", "cin_closure_date", "cin_start_date", "closed before it started"),
    ("cp", "cp_plan_end_date", "cp_plan_start_date", "plan ended before it started"),
    ("cla", "ceased_looked_after_date", "looked_after_start_date", "ceased before it started"),
    ("cla", "placement_start_date", "looked_after_start_date", "placement before care began"),
    ("adoption", "placed_for_adoption_date", "placement_order_date",
     "placed before the placement order"),
    ("adoption", "adoption_order_date", "placed_for_adoption_date",
     "adoption order before placement"),
)  # fmt: skip

# Open episodes that must name a worker, and fields that must not be blank on them.
MANDATORY = (
    (CINEpisode, Q(cin_closure_date__isnull=True), ("allocated_worker_name",)),
    (CPPlan, Q(cp_plan_end_date__isnull=True), ("allocated_worker_name", "latest_abuse_category")),
    (
        CLAEpisode,
        Q(ceased_looked_after_date__isnull=True),
        ("allocated_worker_name", "legal_status", "placement_type"),
    ),
)


@dataclass
class QualityRow:
    child: str
    list_label: str
    row: int | None
    detail: str
    # The child's record, for the access log of whoever is shown this row.
    child_pk: int | None = None


@dataclass
class QualityCheck:
    code: str
    title: str
    why: str
    count: int = 0
    rows: list[QualityRow] = field(default_factory=list)


@dataclass
class QualityReport:
    snapshot: Snapshot | None
    checks: list[QualityCheck]
    run: ImportRun | None = None

    @property
    def total(self) -> int:
        return sum(check.count for check in self.checks)

    @property
    def child_pks(self) -> list[int]:
        """The children named in the rows shown, each once."""
        pks = (row.child_pk for check in self.checks for row in check.rows)
        return sorted({pk for pk in pks if pk is not None})

    def as_json(self) -> dict:
        return {
            "snapshot": self.snapshot.as_at.isoformat() if self.snapshot else None,
            "total": self.total,
            "checks": [
                {
                    "code": c.code,
                    "title": c.title,
                    "count": c.count,
                    "rows": [
                        {k: v for k, v in r.__dict__.items() if k != "child_pk"} for r in c.rows
                    ],
                }
                for c in self.checks
            ],
        }


def quality_report(
    council,
    *,
    user=None,
    snapshot: Snapshot | None = None,
    run: ImportRun | None = None,
    rows: bool = True,
) -> QualityReport:
    """The report on ``snapshot`` (the latest by default), or on the snapshot ``run`` loaded
    with that run's own problems. ``rows`` False: the counts alone (the home page's)."""
    if run is not None:
        snapshot = run.snapshot
        if snapshot is None:
            return QualityReport(None, [])
    snapshot = snapshot or Snapshot.objects.filter(council=council).order_by("-as_at").first()
    if snapshot is None:
        return QualityReport(None, [])
    if run is None or run.status != "loaded":
        # A run that found the file already loaded has no problems of its own.
        run = _latest_run(snapshot)
    shown = ROWS_SHOWN if rows else 0

    def records(key: str) -> QuerySet:
        queryset = LIST_MODELS[key].objects.filter(snapshot=snapshot)
        return queryset.visible_to(user) if user is not None else queryset

    checks = [
        _dates_in_wrong_order(records, shown),
        _missing_mandatory(records, shown),
        _duplicates(records, shown),
        _cp_without_recent_visit(records, snapshot.as_at, shown),
        _unreadable_values(run, shown),
        _added_to_organisation(run, shown),
    ]
    return QualityReport(snapshot, checks, run)


def warning_count(council, *, user=None, snapshot: Snapshot | None = None) -> int:
    """What the data-quality report finds in the snapshot (the latest by default): the one
    number the home page and the report both give."""
    return quality_report(council, user=user, snapshot=snapshot, rows=False).total


def _row(record, key: str, detail: str) -> QualityRow:
    child = getattr(record, "child", None)
    return QualityRow(
        child=child.la_child_id if child else "",
        list_label=LISTS_BY_KEY[key].label,
        row=record.row_number,
        detail=detail,
        child_pk=child.pk if child else None,
    )


def _dates_in_wrong_order(records, shown: int) -> QualityCheck:
    check = QualityCheck(
        "date_order",
        "Dates in an impossible order",
        "A later event is dated before the earlier one it depends on.",
    )
    for key, later, earlier, meaning in DATE_ORDER:
        wrong = records(key).filter(**{f"{later}__lt": F(earlier)})
        check.count += wrong.count()
        if len(check.rows) < shown:
            for record in wrong.select_related("child")[: shown - len(check.rows)]:
                detail = (
                    f"{meaning} ({_d(getattr(record, later))} < {_d(getattr(record, earlier))})"
                )
                check.rows.append(_row(record, key, detail))
    return check


def _missing_mandatory(records, shown: int) -> QualityCheck:
    check = QualityCheck(
        "missing",
        "Open episodes with missing mandatory fields",
        "Open CIN, CP and looked-after episodes need a worker and their key fields.",
    )
    for model, open_episode, fields in MANDATORY:
        blank = Q()
        for name in fields:
            blank |= Q(**{name: ""})
        missing = records(model.list_key).filter(open_episode).filter(blank)
        check.count += missing.count()
        if len(check.rows) >= shown:
            continue
        for record in missing.select_related("child")[: shown - len(check.rows)]:
            empty = [
                model._meta.get_field(n).verbose_name for n in fields if not getattr(record, n)
            ]
            check.rows.append(_row(record, model.list_key, "Blank: " + ", ".join(empty)))
    return check


def _duplicates(records, shown: int) -> QualityCheck:
    check = QualityCheck(
        "duplicates",
        "Children listed more than once",
        "A child with two open CP plans, two open looked-after episodes or two care-leaver "
        "rows is usually a duplicate in the case-management system.",
    )
    for key, open_episode in (
        ("cp", Q(cp_plan_end_date__isnull=True)),
        ("cla", Q(ceased_looked_after_date__isnull=True)),
        ("care_leavers", Q()),
    ):
        repeated = (
            records(key)
            .filter(open_episode)
            .values("child_id", "child__la_child_id")
            .annotate(times=Count("id"))
            .filter(times__gt=1)
            .order_by("child__la_child_id")
        )
        check.count += repeated.count()
        if len(check.rows) >= shown:
            continue
        for item in repeated[: shown - len(check.rows)]:
            check.rows.append(
                QualityRow(
                    item["child__la_child_id"],
                    LISTS_BY_KEY[key].label,
                    None,
                    f"{item['times']} rows",
                    child_pk=item["child_id"],
                )
            )
    return check


def _cp_without_recent_visit(records, as_at: datetime.date, shown: int) -> QualityCheck:
    cutoff = add_working_days(as_at, -CP_VISIT_WORKING_DAYS)
    check = QualityCheck(
        "cp_visits",
        "Children on a CP plan with no recent visit",
        f"No statutory visit recorded within {CP_VISIT_WORKING_DAYS} working days of "
        f"{as_at:%-d %B %Y} (on or after {cutoff:%-d %B %Y}).",
    )
    overdue = (
        records("cp")
        .filter(cp_plan_end_date__isnull=True)
        .filter(Q(last_statutory_visit_date__isnull=True) | Q(last_statutory_visit_date__lt=cutoff))
    )
    check.count = overdue.count()
    for record in overdue.select_related("child")[:shown] if shown else ():
        last = record.last_statutory_visit_date
        check.rows.append(_row(record, "cp", f"Last visit {_d(last) if last else 'not recorded'}"))
    return check


def _latest_run(snapshot: Snapshot) -> ImportRun | None:
    return snapshot.runs.filter(status="loaded").order_by("-requested_at").first()


def _unreadable_values(run: ImportRun | None, shown: int) -> QualityCheck:
    check = QualityCheck(
        "unreadable",
        "Codes outside their lists and values that could not be read",
        "These cells were left blank on import; correct them in the case-management system.",
    )
    if run is None:
        return check
    problems = ImportProblem.objects.filter(run=run, left_blank=True)
    check.count = problems.count()
    for problem in problems[:shown] if shown else ():
        check.rows.append(
            QualityRow("", problem.sheet, problem.row, f"{problem.column}: {problem.message}")
        )
    return check


def _added_to_organisation(run: ImportRun | None, shown: int) -> QualityCheck:
    check = QualityCheck(
        "unknown_staff",
        "Teams and workers caseaudit did not know",
        "Added to the organisation on import; place them in the right area, service and team. "
        "An older return adds none: its rows keep the names as written.",
    )
    if run is None:
        return check
    summary = run.summary
    names = [
        *(("Team", n) for n in summary.get("teams_added", [])),
        *(("Worker", n) for n in summary.get("workers_added", [])),
        # An older return adds nothing (today's organisation is the newest return's).
        *(("Team, not added: an older return", n) for n in summary.get("teams_unknown", [])),
        *(("Worker, not added: an older return", n) for n in summary.get("workers_unknown", [])),
    ]
    check.count = len(names)
    check.rows = [QualityRow("", kind, None, name) for kind, name in names[:shown]]
    return check


def _d(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""
