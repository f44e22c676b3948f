"""A highlight report's period: its months, how it is named, and which records fall in it.

A record falls in the period by its audit's reporting month (``compliance.reporting_month``),
found through an index first (``compliance.could_count_in``), so that a month's report reads
that month's records and not all of them.
"""

import datetime

from caseaudit.audits import compliance
from caseaudit.core.months import month_label


def period_label(from_month: datetime.date, to_month: datetime.date) -> str:
    if from_month == to_month:
        return month_label(to_month)
    return f"{month_label(from_month)} to {month_label(to_month)}"


def in_period(queryset, prefix: str, from_month, to_month):
    """``queryset`` cut to the records whose audit (through ``prefix``) counts in the period."""
    return (
        queryset.filter(compliance.could_count_in(from_month, to_month, prefix))
        .alias(counted_month=compliance.reporting_month(prefix))
        .filter(counted_month__gte=from_month, counted_month__lte=to_month)
    )
