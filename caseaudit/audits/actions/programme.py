"""Programme months: created planned, opened, paused (and resumed) and closed.

A paused month takes no new sample (the seeds' council paused March to May 2020); a closed
month takes nothing new at all. Every change is guarded and kept in the history.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from caseaudit.audits import compliance
from caseaudit.audits.choices import AuditKind, MonthStatus, SampleStatus
from caseaudit.audits.models import Audit, ProgrammeMonth, Sample, SampleCase
from caseaudit.audits.transitions import MONTH
from caseaudit.cases.cohorts import COHORTS
from caseaudit.core import transitions
from caseaudit.core.history import record_change
from caseaudit.core.months import add_months, month_end
from caseaudit.tools.choices import VersionStatus
from caseaudit.tools.models import AuditTool, ToolVersion

# Months in which a sample may be drawn, confirmed and allocated.
TAKES_SAMPLES = (MonthStatus.PLANNED, MonthStatus.OPEN)


def require_takes_samples(month: ProgrammeMonth) -> None:
    """Refuse sampling and allocation in a paused or closed month."""
    if month.status == MonthStatus.PAUSED:
        raise ValidationError(
            f"{month} is paused: a paused month takes no new sample or allocation. "
            "Open it again first."
        )
    if month.status == MonthStatus.CLOSED:
        raise ValidationError(f"{month} is closed: it takes no new sample or allocation.")


def check_focus(council, cohort_key: str, saved_cohort) -> None:
    """A month (or a draw) focuses on a practice theme or on a saved cohort, not both."""
    if cohort_key and saved_cohort is not None:
        raise ValidationError(
            {"saved_cohort": "Choose a practice theme or a saved cohort as the focus, not both"}
        )
    if saved_cohort is not None and saved_cohort.council_id != council.pk:
        raise ValidationError({"saved_cohort": "Select one of the council's saved cohorts"})


def default_due_date(month: datetime.date) -> datetime.date:
    """A month's audits are due by its last day, as the programme has always run them."""
    return month_end(month)


def next_month_to_add(council, today: datetime.date) -> datetime.date:
    """The month a new programme month is most likely for: the one after the latest in the
    programme, or this month when there is none yet."""
    latest = ProgrammeMonth.objects.filter(council=council).order_by("-month").first()
    return add_months(latest.month, 1) if latest else today.replace(day=1)


def require_sample_to_open(month: ProgrammeMonth) -> None:
    """A month cannot be open with nothing in it to audit: it opens (or resumes) only once
    its sample is confirmed."""
    if not Sample.objects.filter(month=month, status=SampleStatus.CONFIRMED).exists():
        raise ValidationError(
            f"{month} has no confirmed sample yet: draw and confirm the sample before "
            "opening the month."
        )


@transaction.atomic
def create_month(
    council,
    *,
    month: datetime.date,
    tool_version: ToolVersion,
    due_date: datetime.date,
    cohort_key: str = "",
    cohort_params: dict | None = None,
    saved_cohort=None,
    by,
) -> ProgrammeMonth:
    errors: dict[str, str] = {}
    if month.day != 1:
        errors["month"] = "The month must start on the first day of the month."
    elif ProgrammeMonth.objects.filter(council=council, month=month).exists():
        errors["month"] = f"There is already a programme month for {month:%B %Y}."
    if tool_version.status != VersionStatus.PUBLISHED:
        errors["tool_version"] = (
            f"{tool_version} is {tool_version.get_status_display().lower()}: "
            "choose a published version of an audit tool."
        )
    elif not AuditTool.objects.for_council(council.pk).filter(pk=tool_version.tool_id).exists():
        errors["tool_version"] = "That audit tool belongs to another council."
    if cohort_key and cohort_key not in COHORTS:
        errors["cohort_key"] = "Choose a cohort from the list."
    if due_date < month:
        errors["due_date"] = "The due date must be on or after the start of the month."
    try:
        check_focus(council, cohort_key, saved_cohort)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    created = ProgrammeMonth.objects.create(
        council=council,
        month=month,
        tool_version=tool_version,
        due_date=due_date,
        cohort_key=cohort_key,
        cohort_params=cohort_params or {},
        saved_cohort=saved_cohort,
    )
    record_change(created, by=by, action="created")
    return created


def _move(month: ProgrammeMonth, to: str, *, by, reason: str = "") -> ProgrammeMonth:
    return transitions.move(month, to, transitions=MONTH, by=by, reason=reason)


@transaction.atomic
def open_month(month: ProgrammeMonth, *, by) -> ProgrammeMonth:
    """Open a planned month, or resume a paused one, once its sample is confirmed."""
    month = ProgrammeMonth.objects.select_for_update().get(pk=month.pk)
    if MONTH.may(month.status, MonthStatus.OPEN):
        # The status refusal ("already open", "closed") reads better, so it comes first.
        require_sample_to_open(month)
    return _move(month, MonthStatus.OPEN, by=by)


@transaction.atomic
def pause_month(month: ProgrammeMonth, *, by, reason: str = "") -> ProgrammeMonth:
    return _move(month, MonthStatus.PAUSED, by=by, reason=reason)


@transaction.atomic
def close_month(month: ProgrammeMonth, *, by) -> ProgrammeMonth:
    return _move(month, MonthStatus.CLOSED, by=by)


def months_with_counts(council) -> QuerySet[ProgrammeMonth]:
    """The council's months with their confirmed sample size, audits allocated and completed,
    counted in the database: one query however many months there are."""
    sampled = SampleCase.objects.filter(
        sample__month=OuterRef("pk"), sample__status=SampleStatus.CONFIRMED
    )
    # What counts as allocated and completed is compliance's rule, said once there.
    audits = Audit.objects.filter(compliance.ALLOCATED, month=OuterRef("pk"), kind=AuditKind.AUDIT)
    return (
        ProgrammeMonth.objects.filter(council=council)
        .with_progress()
        .select_related("tool_version__tool", "saved_cohort")
        .annotate(
            sample_size=_count(sampled, "sample__month"),
            allocated=_count(audits, "month"),
            completed=_count(audits.filter(compliance.COMPLETED), "month"),
        )
        .order_by("-month")
    )


def _count(queryset: QuerySet, group: str) -> Coalesce:
    """COUNT(*) of a correlated subquery, grouped by the column it is correlated on."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
