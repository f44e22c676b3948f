"""Compliance with the audit programme: how many allocated audits were completed.

The one place for the rule (DESIGN.md C2, seed 003): **compliance rate = completed ÷
allocated, as a whole percent rounded half up** (1,298 of 1,632 is 80%; 361 of 456 is 79%); with
nothing allocated there is no rate, shown as "–". Agreement rates in moderation round the same
way, through ``whole_percent``.

What counts:

- *allocated*: every audit in the period that was not cancelled (so exempted audits count);
- *completed*: submitted or moderated;
- *exempted*, *in progress*;
- *overdue*: derived, never stored — allocated or in progress and due before ``today`` (so an
  overdue audit may be in progress too);
- *not yet due*: allocated or in progress and due after ``today``. Work not yet due is not yet
  late, so it is left out of every other figure (allocated included) and counted on its own:
  otherwise next year's re-audits would count as 0% and pull the rate down. Work finished
  early counts as completed, like any other.

The default period is the last 12 complete months before ``today`` (``default_period``).

Audits and re-audits are counted separately. An audit counts in its programme month; a re-audit
(which may belong to no programme month) in the month it was due.

Every figure is counted in the database: one ``aggregate`` for the totals and one grouped
``values().annotate()`` per table: six queries, whether there are ten audits or ten million.
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import Case, Count, DateField, F, Max, Min, Q, QuerySet, When
from django.db.models.functions import Cast, Coalesce

from caseaudit.audits.choices import AuditKind, AuditStatus
from caseaudit.audits.models import Audit, ProgrammeMonth
from caseaudit.audits.querysets import overdue_q
from caseaudit.core import clock
from caseaudit.core.months import MonthStart, add_months, month_key, month_label, month_start

NO_RATE = "–"
KINDS = (AuditKind.AUDIT, AuditKind.REAUDIT)


# The rule --------------------------------------------------------------------------------------


def whole_percent(part: int, whole: int) -> int | None:
    """``part`` ÷ ``whole`` as a whole percent, rounded half up; None when ``whole`` is 0.

    Integer arithmetic, so 79.5 is 80 exactly (floats and ``round`` would give 79.5 → 80 but
    2.5 → 2: banker's rounding is not what a council report means by a rounded percentage).
    """
    if not whole:
        return None
    return (200 * part + whole) // (2 * whole)


def compliance_rate(completed: int, allocated: int) -> int | None:
    return whole_percent(completed, allocated)


def format_rate(rate: int | None) -> str:
    return NO_RATE if rate is None else f"{rate}%"


# Periods ---------------------------------------------------------------------------------------


def reporting_month(prefix: str = ""):
    """The month an audit counts in, as a database expression (``prefix`` walks to the audit,
    e.g. ``"audit__"`` from a moderation): its programme month; a re-audit's due month."""
    due_month = MonthStart(f"{prefix}due_date")
    return Cast(
        Case(
            When(**{f"{prefix}kind": AuditKind.REAUDIT}, then=due_month),
            default=Coalesce(F(f"{prefix}month__month"), due_month),
        ),
        DateField(),
    )


def could_count_in(
    council, from_month: datetime.date, to_month: datetime.date, prefix: str = ""
) -> Q:
    """Audits that may count in the period, in terms an index can find: those of programme
    months in it, and those due in it. ``reporting_month`` then decides; this only spares the
    database computing it for every audit the council ever had (a month's report at a large
    council reads a few thousand audits, not a hundred thousand).

    The two ways in are a UNION of two indexed lookups, not an OR: given ``council_id = ? AND
    (month_id IN … OR due_date …)`` SQLite walks the council's index through every audit it
    ever had, which made each of a month's report queries read all of them."""
    last_day = (to_month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    months = ProgrammeMonth.objects.filter(
        council=council, month__gte=from_month, month__lte=to_month
    )
    of_months = Audit.objects.filter(month__in=months).values("pk").order_by()
    due = (
        Audit.objects.filter(council=council, due_date__gte=from_month, due_date__lt=last_day)
        .values("pk")
        .order_by()
    )
    return Q(**{f"{prefix}pk__in": of_months.union(due, all=True)})


def counted_audits(council, *, user=None, from_month=None, to_month=None) -> QuerySet:
    """Audits of ``council`` the person may see, in the period (months inclusive)."""
    audits = Audit.objects.filter(council=council)
    if user is not None:
        audits = audits & Audit.objects.visible_to(user)
    if from_month and to_month:
        audits = audits.filter(could_count_in(council, from_month, to_month))
    if from_month or to_month:
        audits = audits.alias(reporting_month=reporting_month())
        if from_month:
            audits = audits.filter(reporting_month__gte=from_month)
        if to_month:
            audits = audits.filter(reporting_month__lte=to_month)
    # Without this the default ordering (allocated_at) would join every GROUP BY.
    return audits.order_by()


def reporting_months(council, *, user=None) -> list[datetime.date]:
    """The months that have audits the person may see, oldest first: the period chooser."""
    return list(
        counted_audits(council, user=user)
        .annotate(reporting_month=reporting_month())
        .values_list("reporting_month", flat=True)
        .distinct()
        .order_by("reporting_month")
    )


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period compliance shows unless asked for another: the last 12 complete months
    before ``today`` (on 6 December 2026, December 2025 to November 2026)."""
    last = add_months(month_start(today), -1)
    return add_months(last, -11), last


# The figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    allocated: int = 0
    completed: int = 0
    exempted: int = 0
    in_progress: int = 0
    overdue: int = 0
    not_yet_due: int = 0

    @property
    def rate(self) -> int | None:
        return compliance_rate(self.completed, self.allocated)

    @property
    def rate_text(self) -> str:
        return format_rate(self.rate)

    def as_json(self) -> dict:
        return {
            "allocated": self.allocated,
            "completed": self.completed,
            "rate": self.rate,
            "in_progress": self.in_progress,
            "overdue": self.overdue,
            "exempted": self.exempted,
            "not_yet_due": self.not_yet_due,
        }


COUNTED = ("allocated", "completed", "exempted", "in_progress", "overdue", "not_yet_due")


# What counts as what, as filters on Audit: the programme pages count with these too.
ALLOCATED = ~Q(status=AuditStatus.CANCELLED)
COMPLETED = Q(status__in=AuditStatus.completed())
EXEMPTED = Q(status=AuditStatus.EXEMPTED)
IN_PROGRESS = Q(status=AuditStatus.IN_PROGRESS)


def overdue(today: datetime.date) -> Q:
    """Still to do and due before ``today``: derived, never stored (``audits.querysets``)."""
    return overdue_q(today)


def not_yet_due(today: datetime.date) -> Q:
    """Still to do and due after ``today``: not late yet, so counted on its own."""
    return Q(status__in=AuditStatus.open(), due_date__gt=today)


def _counts(today: datetime.date) -> dict:
    """The Count()s of every figure for both kinds, named ``<kind>_<figure>``. The counted
    audits are already the allocated ones (cancelled excluded); work not yet due is counted
    only as that."""
    due = ~not_yet_due(today)
    when = {
        "allocated": due,
        "completed": COMPLETED,
        "exempted": EXEMPTED,
        "in_progress": IN_PROGRESS & due,
        "overdue": overdue(today),
        "not_yet_due": not_yet_due(today),
    }
    return {
        f"{kind}_{name}": Count("pk", filter=Q(kind=kind) & when[name])
        for kind in KINDS
        for name in COUNTED
    }


def _figures(values: dict, kind: str) -> Figures:
    return Figures(**{name: values[f"{kind}_{name}"] or 0 for name in COUNTED})


@dataclass(frozen=True)
class ComplianceRow:
    key: str | int | None
    label: str
    audits: Figures
    reaudits: Figures

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "audits": self.audits.as_json(),
            "reaudits": self.reaudits.as_json(),
        }


@dataclass(frozen=True)
class ComplianceTable:
    name: str  # by_month, by_area, …
    title: str
    heading: str  # the first column's header
    rows: list[ComplianceRow]
    total: ComplianceRow

    def as_json(self) -> list[dict]:
        return [row.as_json() for row in self.rows]


def auditor_fields(prefix: str = "") -> tuple[str, ...]:
    """The values() fields that name an auditor (the key first), from the model at ``prefix``."""
    return tuple(
        f"{prefix}auditor{suffix}"
        for suffix in ("_id", "__first_name", "__last_name", "__username")
    )


def auditor_label(values: dict, prefix: str = "") -> str:
    """An auditor's name from a values() row, as ``User.display_name`` gives it."""
    full = f"{values[f'{prefix}auditor__first_name']} {values[f'{prefix}auditor__last_name']}"
    return full.strip() or values[f"{prefix}auditor__username"]


# (name, title, first column, values() fields, ordering, key, label from a values() row)


GROUPINGS = (
    (
        "by_area",
        "Compliance by area",
        "Area",
        ("team__area_id", "team__area__name"),
        (F("team__area__name").asc(nulls_last=True),),
        "team__area_id",
        lambda row: row["team__area__name"] or "No area (countywide teams)",
    ),
    (
        "by_service",
        "Compliance by service",
        "Service",
        ("team__service_id", "team__service__name"),
        ("team__service__name",),
        "team__service_id",
        lambda row: row["team__service__name"],
    ),
    (
        "by_team",
        "Compliance by team",
        "Team",
        ("team_id", "team__name"),
        ("team__name",),
        "team_id",
        lambda row: row["team__name"],
    ),
    (
        "by_auditor",
        "Compliance by auditor",
        "Auditor",
        auditor_fields(),
        ("auditor__last_name", "auditor__first_name", "auditor__username"),
        "auditor_id",
        auditor_label,
    ),
)


@dataclass
class ComplianceReport:
    council: object
    from_month: datetime.date | None
    to_month: datetime.date | None
    today: datetime.date
    totals: ComplianceRow
    # The first and last month with allocated audits (re-audits) in the period.
    first_month: dict[str, datetime.date | None]
    last_month: dict[str, datetime.date | None]
    tables: list[ComplianceTable] = field(default_factory=list)

    def table(self, name: str) -> ComplianceTable:
        return next(table for table in self.tables if table.name == name)

    @property
    def headline(self) -> list[str]:
        """The seed's opening sentences, for audits then re-audits."""
        audits, reaudits = self.totals.audits, self.totals.reaudits
        sentences = []
        if audits.allocated:
            first = self.first_month[AuditKind.AUDIT]
            last = self.last_month[AuditKind.AUDIT]
            when = (
                f"In {month_label(first)}"
                if first == last
                else f"Since {month_label(first)} and up to and including {month_label(last)}"
            )
            cases = _count(audits.allocated, "children's case", "children's cases")
            have = "has" if audits.allocated == 1 else "have"
            done = _count(audits.completed, "audit has", "audits have")
            sentences.append(
                f"{when}, {cases} {have} been allocated to team managers. Of the "
                f"{_count(audits.allocated, 'case', 'cases')} that {have} been allocated, {done} "
                f"been completed. The audit programme has an overall compliance rate of "
                f"{audits.rate_text}."
            )
        else:
            sentences.append("No cases have been allocated for audit in this period.")
        if reaudits.allocated:
            first = self.first_month[AuditKind.REAUDIT]
            allocated = _count(reaudits.allocated, "re-audit has", "re-audits have")
            sentences.append(
                f"Since {month_label(first)}, {allocated} been allocated and "
                f"{reaudits.completed:,} completed, giving an overall re-audit compliance rate "
                f"of {reaudits.rate_text}."
            )
        else:
            sentences.append("No re-audits have been allocated in this period.")
        return sentences

    def as_json(self) -> dict:
        return {
            "council": self.council.code,
            "from": month_key(self.from_month),
            "to": month_key(self.to_month),
            "today": self.today.isoformat(),
            "headline": self.headline,
            "totals": self.totals.as_json(),
            **{table.name: table.as_json() for table in self.tables},
        }


def compliance_report(
    council,
    *,
    from_month: datetime.date | None = None,
    to_month: datetime.date | None = None,
    user=None,
    today: datetime.date | None = None,
    tables: Collection[str] | None = None,
) -> ComplianceReport:
    """Compliance for ``council`` between two months (inclusive), as ``user`` may see it
    (the command line passes no user and sees the whole council). Six queries, always; fewer
    when ``tables`` names only some of the breakdowns (by_month, by_area, by_service, by_team,
    by_auditor); the totals always come."""
    today = today or clock.today()
    audits = counted_audits(council, user=user, from_month=from_month, to_month=to_month)
    audits = audits.filter(ALLOCATED)
    counts = _counts(today)

    month = reporting_month()
    bounds = {}
    for kind in KINDS:
        counted = Q(kind=kind) & ~not_yet_due(today)
        bounds[f"{kind}_first"] = Min(month, filter=counted)
        bounds[f"{kind}_last"] = Max(month, filter=counted)
    overall = audits.aggregate(**counts, **bounds)
    totals = ComplianceRow(
        key=None,
        label="Total",
        audits=_figures(overall, AuditKind.AUDIT),
        reaudits=_figures(overall, AuditKind.REAUDIT),
    )

    def row(values: dict, key, label: str) -> ComplianceRow:
        return ComplianceRow(
            key=key,
            label=label,
            audits=_figures(values, AuditKind.AUDIT),
            reaudits=_figures(values, AuditKind.REAUDIT),
        )

    wanted = set(tables) if tables is not None else None
    tables = []
    if wanted is None or "by_month" in wanted:
        by_month = (
            audits.values(reporting_month=reporting_month())
            .annotate(**counts)
            .order_by("reporting_month")
        )
        tables.append(
            ComplianceTable(
                name="by_month",
                title="Compliance by month",
                heading="Month",
                rows=[
                    row(values, month_key(values["reporting_month"]), _month_text(values))
                    for values in by_month
                ],
                total=totals,
            )
        )
    for name, title, heading, fields, ordering, key, label in GROUPINGS:
        if wanted is not None and name not in wanted:
            continue
        grouped = audits.values(*fields).annotate(**counts).order_by(*ordering, fields[0])
        tables.append(
            ComplianceTable(
                name=name,
                title=title,
                heading=heading,
                rows=[row(values, values[key], label(values)) for values in grouped],
                total=totals,
            )
        )
    return ComplianceReport(
        council=council,
        from_month=from_month,
        to_month=to_month,
        today=today,
        totals=totals,
        first_month={kind: overall[f"{kind}_first"] for kind in KINDS},
        last_month={kind: overall[f"{kind}_last"] for kind in KINDS},
        tables=tables,
    )


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def _month_text(values: dict) -> str:
    return month_label(values["reporting_month"])
