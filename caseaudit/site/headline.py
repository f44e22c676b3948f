"""The headline a director or an elected member sees first: compliance and the overall grades
over the last 12 complete months, a small trend chart (the compliance page's,
``audits.charts``) with its figures, and the latest published highlight report.

A director sees the figures as counted, in their own scope. An elected member sees the whole
council's, suppressed (``core.suppression``): counts from 1 to 5 show as ``c``, a rate made
from a hidden count is not shown, and the chart leaves out the months whose rates come from
small numbers. Five queries, however many audits there are."""

from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Count
from django.urls import reverse

from caseaudit.accounts import permissions
from caseaudit.audits import charts
from caseaudit.audits.compliance import (
    compliance_rate,
    compliance_report,
    counted_audits,
    default_period,
    format_rate,
)
from caseaudit.audits.judgements import grade_counts, judged
from caseaudit.core import clock
from caseaudit.core.grades import Grade
from caseaudit.core.months import month_label
from caseaudit.core.roles import Role
from caseaudit.core.suppression import SUPPRESSED, suppress_columns, suppress_count, suppress_table
from caseaudit.reports.choices import ReportStatus
from caseaudit.reports.models import HighlightReport


@dataclass
class Headline:
    period: str
    allocated: int | str
    completed: int | str
    rate: str
    grades: list[tuple[str, int | str]]
    judged: int | str
    months: list[dict]
    chart_src: str
    chart_alt: str
    report: HighlightReport | None
    report_link: str
    suppressed: bool


def wants_headline(user) -> bool:
    """Directors (and the service managers beside them) and elected members."""
    return user.role == Role.SENIOR_MANAGER or permissions.sees_aggregates_only(user)


def headline(user) -> Headline:
    today = clock.today()
    from_month, to_month = default_period(today)
    aggregate = permissions.sees_aggregates_only(user)
    # An elected member reads the whole council's figures, suppressed: never a person's scope.
    scoped = None if aggregate else user
    council = user.council
    report = compliance_report(
        council,
        from_month=from_month,
        to_month=to_month,
        user=scoped,
        today=today,
        tables=["by_month"],
    )
    by_month = report.table("by_month")
    found = dict(
        judged(counted_audits(council, user=scoped, from_month=from_month, to_month=to_month))
        .values_list("overall_grade")
        .annotate(n=Count("pk"))
        .values_list("overall_grade", "n")
    )
    grades = grade_counts(found)
    totals = report.totals.audits
    allocated, completed = totals.allocated, totals.completed
    rate = totals.rate_text
    if aggregate:
        published = suppress_columns([[allocated, completed]])
        allocated, completed = published.cells[0]
        if SUPPRESSED in (allocated, completed):
            rate = SUPPRESSED
        graded = suppress_table([grades])
        grades, judged_total = graded.cells[0], graded.row_totals[0]
    else:
        judged_total = sum(grades)
    months = [_month(row, aggregate) for row in by_month.rows]
    chart_table = SimpleNamespace(
        rows=[
            SimpleNamespace(
                key=month["key"],
                audits=SimpleNamespace(rate=month["audits_rate"]),
                reaudits=SimpleNamespace(rate=month["reaudits_rate"]),
            )
            for month in months
        ]
    )
    latest = (
        HighlightReport.objects.filter(council_id=user.council_id, status=ReportStatus.PUBLISHED)
        .defer("data", "html")
        .order_by("-published_at", "-pk")
        .first()
    )
    return Headline(
        period=f"{month_label(from_month)} to {month_label(to_month)}",
        allocated=allocated,
        completed=completed,
        rate=rate,
        grades=list(zip(Grade.labels, grades, strict=True)),
        judged=judged_total,
        months=months,
        chart_src=charts.trend_src(chart_table),
        chart_alt=charts.alt_text(chart_table),
        report=latest,
        report_link=reverse("reports:report", args=[latest.pk]) if latest else "",
        suppressed=aggregate,
    )


def _month(row, aggregate: bool) -> dict:
    """A month's rates as the reader may see them: for an elected member, no rate made from a
    count of 1 to 5."""
    figures = {}
    for kind in ("audits", "reaudits"):
        counts = getattr(row, kind)
        allocated, completed = counts.allocated, counts.completed
        if aggregate:
            allocated, completed = suppress_count(allocated), suppress_count(completed)
        shown = SUPPRESSED not in (allocated, completed)
        rate = compliance_rate(counts.completed, counts.allocated) if shown else None
        figures[f"{kind}_rate"] = rate
        figures[f"{kind}_text"] = format_rate(rate) if shown else SUPPRESSED
    return {"key": row.key, "label": row.label, **figures}
