"""The case data's long lists: children and imports (core.listing)."""

from caseaudit.cases.choices import ImportStatus
from caseaudit.core.listing import (
    DESCENDING,
    Column,
    CsvColumn,
    Listing,
    choice_filter,
    in_order,
    model_filter,
    text_filter,
)
from caseaudit.organisation.models import Area, Team


def _teams(user, rows):
    return Team.objects.filter(pk__in=rows.order_by().values("allocated_team_id")).order_by("name")


def _areas(user, rows):
    return Area.objects.filter(pk__in=rows.order_by().values("allocated_team__area_id")).order_by(
        "name"
    )


# Children: the youngest first (the newest to the service's records), by ID, team or worker.
CHILDREN = Listing(
    columns=(
        Column("id", "LA child ID", ("la_child_id",)),
        Column("born", "Date of birth", ("date_of_birth",), first=DESCENDING),
        Column("team", "Team", ("allocated_team__name",)),
        Column("worker", "Worker", ("allocated_worker__name",)),
    ),
    default_sort="born",
    filters=(
        text_filter("id", "LA child ID", "la_child_id__startswith"),
        model_filter("area", "Area", _areas, "allocated_team__area"),
        model_filter("team", "Team", _teams, "allocated_team"),
    ),
    csv_columns=(
        CsvColumn("LA child ID", lambda child: child.la_child_id),
        CsvColumn("Date of birth", lambda child: child.date_of_birth),
        CsvColumn("Gender", lambda child: child.gender),
        CsvColumn("Ethnicity", lambda child: child.ethnicity),
        CsvColumn("Area", lambda child: _area_name(child)),
        CsvColumn("Team", lambda child: child.allocated_team.name if child.allocated_team else ""),
        CsvColumn("Worker", lambda child: str(child.allocated_worker or "")),
    ),
)
CHILDREN_CSV_RELATIONS = ("allocated_team__area", "allocated_worker")


def _area_name(child) -> str:
    team = child.allocated_team
    return team.area.name if team and team.area else ""


# Imports: the newest request first; those still running or refused are what need attention.
IMPORTS = Listing(
    columns=(
        Column("file", "File", ("source_name",)),
        Column("status", "Status", (in_order("status", ImportStatus.values),)),
        Column("rows", "Rows", ("rows_read",), first=DESCENDING, numeric=True),
        Column("requested", "Requested", ("requested_at",), first=DESCENDING),
        Column("quality", "Data quality"),
    ),
    default_sort="requested",
    filters=(choice_filter("status", "Status", ImportStatus.choices, "status"),),
    per_page=25,
    anchor="imports",
)
