"""What the performance pages show, worked out for a person: the snapshot asked for, the
figures, and which teams' children they may drill down to. Views parse and render; the
choices are made here, so the command line and the pages cannot disagree."""

from __future__ import annotations

import datetime

from caseaudit.accounts import permissions
from caseaudit.cases.models import Snapshot
from caseaudit.organisation.models import Team
from caseaudit.performance.benchmarks import benchmarks_for
from caseaudit.performance.choices import Comparator
from caseaudit.performance.indicators import NoSnapshot, snapshot_for


class BadAsAt(ValueError):
    """The as-at date could not be read; the message is the one to show."""


def chosen_snapshot(council, text: str | None) -> Snapshot:
    """The snapshot ``text`` names (YYYY-MM-DD), or the latest; ``BadAsAt`` or ``NoSnapshot``
    with a message a person can act on."""
    if not text:
        latest = Snapshot.objects.filter(council=council).order_by("-as_at").first()
        if latest is None:
            raise NoSnapshot("No case data has been imported yet, so there are no indicators.")
        return latest
    try:
        day = datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise BadAsAt(
            "Enter the as-at date as year, month and day, for example 2025-03-31"
        ) from None
    return snapshot_for(council, day)


def snapshot_dates(council) -> list[datetime.date]:
    return list(
        Snapshot.objects.filter(council=council).order_by("-as_at").values_list("as_at", flat=True)
    )


def drillable_team_ids(user) -> set[int]:
    """The teams whose children the person may list from a figure: none for those who see
    aggregates only, their own team for a team manager, their scope's teams for others."""
    if not permissions.can_see_child_records(user):
        return set()
    return set(Team.objects.visible_to(user).values_list("id", flat=True))


def beside(council, as_at: datetime.date, codes) -> dict[str, list[tuple[str, int, object]]]:
    """For each indicator, its benchmarks as the page lists them: (comparator, year, value),
    statistical neighbours first, then region, then England."""
    found = benchmarks_for(council, as_at, codes)
    return {
        code: [
            (comparator.label, *figures[comparator.value])
            for comparator in Comparator
            if comparator.value in figures
        ]
        for code, figures in found.items()
    }
