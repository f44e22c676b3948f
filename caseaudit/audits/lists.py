"""The programme's long lists: your audits and the moderation queue (core.listing)."""

from django.db.models import Q

from caseaudit.audits.choices import AuditStatus
from caseaudit.audits.compliance import reporting_month
from caseaudit.core.grades import ORDER as GRADE_ORDER
from caseaudit.core.listing import (
    DESCENDING,
    Column,
    CsvColumn,
    Listing,
    Tab,
    choice_filter,
    in_order,
    model_filter,
    month_filter,
)
from caseaudit.core.months import month_key
from caseaudit.organisation.models import Area, Team


def _teams(user, rows):
    return Team.objects.filter(pk__in=rows.order_by().values("team_id")).order_by("name")


def _areas(user, rows):
    return Area.objects.filter(pk__in=rows.order_by().values("team__area_id")).order_by("name")


def _months(rows):
    return (
        rows.order_by()
        .annotate(counted_in=reporting_month())
        .values_list("counted_in", flat=True)
        .distinct()
    )


def _in_month(rows, month):
    return rows.annotate(counted_in=reporting_month()).filter(counted_in=month)


AUDIT_FILTERS = (
    choice_filter("status", "Status", AuditStatus.choices, "status"),
    month_filter("month", "Month", _months, _in_month),
    model_filter("area", "Area", _areas, "team__area"),
    model_filter("team", "Team", _teams, "team"),
)

AUDIT_CSV = (
    CsvColumn("LA child ID", lambda audit: audit.child.la_child_id),
    CsvColumn("Kind", lambda audit: audit.get_kind_display()),
    CsvColumn("Month", lambda audit: month_key(audit.month.month) if audit.month else ""),
    CsvColumn("Area", lambda audit: audit.team.area.name if audit.team.area else ""),
    CsvColumn("Team", lambda audit: audit.team.name),
    CsvColumn("Auditor", lambda audit: audit.auditor.display_name),
    CsvColumn("Allocated on", lambda audit: audit.allocated_at.date()),
    CsvColumn("Due", lambda audit: audit.due_date),
    CsvColumn("Status", lambda audit: audit.get_status_display()),
    CsvColumn("Submitted", lambda audit: audit.submitted_at and audit.submitted_at.date()),
    CsvColumn("Overall grade", lambda audit: audit.get_overall_grade_display()),
)

#: What a CSV row reads, in one query with the rows.
AUDIT_CSV_RELATIONS = ("child", "month", "team__area", "auditor")

# Your audits: the cases allocated to you, the ones to do in their own tab, newest first.
YOUR_AUDITS = Listing(
    columns=(
        Column("child", "Child", ("child__la_child_id",)),
        Column("team", "Team", ("team__name",)),
        Column("allocated", "Allocated on", ("allocated_at",), first=DESCENDING),
        Column("due", "Due", ("due_date",)),
        Column("status", "Status", (in_order("status", AuditStatus.values),)),
    ),
    default_sort="allocated",
    tabs=(
        Tab("to-do", "To do", Q(status__in=AuditStatus.open())),
        Tab("done", "Done", ~Q(status__in=AuditStatus.open())),
    ),
    filters=AUDIT_FILTERS,
    csv_columns=AUDIT_CSV,
)

# The moderation queue: audits selected and waiting for the QA lead's grades (the to-do),
# submitted audits not yet selected, and those moderated (done). Newest submission first.
NOT_SELECTED = Q(status=AuditStatus.SUBMITTED, moderation__isnull=True)
SELECTED = Q(moderation__isnull=False, moderation__completed_at__isnull=True)
MODERATED = Q(moderation__completed_at__isnull=False)

MODERATION_QUEUE = Listing(
    columns=(
        Column("child", "Child", ("child__la_child_id",)),
        Column("team", "Team", ("team__name",)),
        Column(
            "auditor", "Auditor", ("auditor__first_name", "auditor__last_name", "auditor__username")
        ),
        Column("grade", "Auditor's overall grade", (in_order("overall_grade", GRADE_ORDER),)),
        Column("submitted", "Submitted", ("submitted_at",), first=DESCENDING),
        Column("action", ""),
    ),
    default_sort="submitted",
    tabs=(
        Tab("selected", "To moderate", SELECTED),
        Tab("waiting", "Not yet selected", NOT_SELECTED),
        Tab("moderated", "Moderated", MODERATED),
    ),
    filters=(
        month_filter("month", "Month", _months, _in_month),
        model_filter("area", "Area", _areas, "team__area"),
        model_filter("team", "Team", _teams, "team"),
    ),
    csv_columns=(
        *AUDIT_CSV,
        CsvColumn(
            "Moderated grade",
            lambda audit: (
                audit.moderation.get_overall_grade_display()
                if getattr(audit, "moderation", None)
                else ""
            ),
        ),
    ),
    per_page=25,
    anchor="queue",
)


def in_the_queue(rows):
    """Audits that have been or could be moderated: the queue's rows before its tabs."""
    return rows.filter(NOT_SELECTED | SELECTED | MODERATED)
