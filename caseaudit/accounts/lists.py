"""The access log as a long list (core.listing): newest first, filtered by what was done, the
month and the person, and downloadable by the administrator who reads it."""

from caseaudit.accounts.choices import AccessAction
from caseaudit.core.listing import (
    DESCENDING,
    Column,
    CsvColumn,
    Listing,
    choice_filter,
    in_order,
    month_filter,
    text_filter,
)
from caseaudit.core.months import month_end


def _months(rows):
    return rows.order_by().dates("at", "month")


def _in_month(rows, month):
    return rows.filter(at__date__gte=month, at__date__lte=month_end(month))


ACCESS_LOG = Listing(
    columns=(
        Column("when", "When", ("sequence",), first=DESCENDING),
        Column("who", "Who", ("username",)),
        Column("what", "What", (in_order("action", AccessAction.values),)),
        Column("record", "Record", ("record_type", "record_id")),
        Column("route", "Route"),
    ),
    default_sort="when",
    filters=(
        choice_filter("action", "Action", AccessAction.choices, "action"),
        month_filter("month", "Month", _months, _in_month),
        text_filter("who", "Who (user name)", "username__istartswith", max_length=150),
    ),
    csv_columns=(
        CsvColumn("Sequence", lambda entry: entry.sequence),
        CsvColumn("When", lambda entry: entry.at),
        CsvColumn("Who", lambda entry: entry.username),
        CsvColumn("What", lambda entry: entry.get_action_display()),
        CsvColumn("Record type", lambda entry: entry.record_type),
        CsvColumn("Record", lambda entry: entry.record_id),
        CsvColumn("Records listed", lambda entry: (entry.record_ids or "").replace(",", " ")),
        CsvColumn("Route", lambda entry: entry.route),
        CsvColumn("Address", lambda entry: entry.ip_address),
    ),
)
