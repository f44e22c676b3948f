"""A highlight report's period: its months, how it is named, and which records fall in it.

A record falls in the period by its audit's reporting month (``compliance.reporting_month``),
found through an index first (``compliance.could_count_in``), so that a month's report reads
that month's records and not all of them.
"""

import datetime

from django.core.exceptions import ValidationError

from caseaudit.audits import compliance
from caseaudit.audits.choices import MonthStatus
from caseaudit.audits.models import ProgrammeMonth
from caseaudit.core import clock
from caseaudit.core.months import month_label

# A programme month still in these is being audited: its figures will change.
STILL_OPEN = (MonthStatus.PLANNED, MonthStatus.OPEN)


def period_label(from_month: datetime.date, to_month: datetime.date) -> str:
    if from_month == to_month:
        return month_label(to_month)
    return f"{month_label(from_month)} to {month_label(to_month)}"


def in_period(queryset, council, from_month, to_month, prefix: str = "audit__"):
    """``queryset`` cut to the records whose audit (through ``prefix``) counts in the period
    of ``council``'s programme."""
    return (
        queryset.filter(compliance.could_count_in(council, from_month, to_month, prefix))
        .alias(counted_month=compliance.reporting_month(prefix))
        .filter(counted_month__gte=from_month, counted_month__lte=to_month)
    )


def reportable_months(council, today: datetime.date | None = None) -> list[datetime.date]:
    """The months a report may be for, oldest first: months with audits counted in them whose
    programme month is closed or paused (closed early is closed: the QA lead has said it is
    done), and months of re-audits only once they have ended. A report of a month still
    being audited would go out with figures that are still moving."""
    current = (today or clock.today()).replace(day=1)
    statuses = dict(ProgrammeMonth.objects.filter(council=council).values_list("month", "status"))
    return [
        month
        for month in compliance.reporting_months(council)
        if (statuses[month] not in STILL_OPEN if month in statuses else month < current)
    ]


def check_reportable(council, to_month: datetime.date) -> None:
    """Refuse a report whose last month is still open (the rule ``reportable_months`` offers
    by; a month of re-audits only is not refused, since its figures are known when due)."""
    if ProgrammeMonth.objects.filter(
        council=council, month=to_month, status__in=STILL_OPEN
    ).exists():
        raise ValidationError(
            f"{month_label(to_month)} is still open: close it on the programme page before "
            "reporting on it."
        )
