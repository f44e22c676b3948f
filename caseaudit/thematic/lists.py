"""Your actions as a long list (core.listing): the thematic action plan's, and (the same
shape, through ``actions_listing``) the inspection's. To do and done, newest first."""

from django.db.models import Q

from caseaudit.core.listing import (
    DESCENDING,
    Column,
    Listing,
    Tab,
    choice_filter,
    in_order,
    month_filter,
)
from caseaudit.core.months import month_end
from caseaudit.thematic.choices import ActionStatus


def _due_months(rows):
    return rows.order_by().dates("due_date", "month")


def _due_in(rows, month):
    return rows.filter(due_date__gte=month, due_date__lte=month_end(month))


def actions_listing(source: Column) -> Listing:
    """A person's actions, whatever they answer (``source``: the thematic audit, the
    inspection's recommendation)."""
    return Listing(
        columns=(
            Column("action", "Action", ("action",)),
            source,
            Column("set", "Set", ("created_at",), first=DESCENDING),
            Column("due", "Due", ("due_date",)),
            Column("status", "Status", (in_order("status", ActionStatus.values),)),
        ),
        default_sort="set",
        tabs=(
            Tab("to-do", "To do", Q(status__in=ActionStatus.open())),
            Tab("done", "Done", Q(status=ActionStatus.DONE)),
        ),
        filters=(
            choice_filter("status", "Status", ActionStatus.choices, "status"),
            month_filter("month", "Month due", _due_months, _due_in),
        ),
    )


YOUR_THEMATIC_ACTIONS = actions_listing(
    Column("audit", "Thematic audit", ("thematic_audit__title",))
)
