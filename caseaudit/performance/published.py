"""The performance figures as one person is shown them: exact for the QA service and managers,
suppressed by ``core.suppression``'s one rule for those who see aggregates only (elected
members), who may pass on what they read.

What such a reader is given for an indicator at a date: the council's figure, its numerator
and denominator (the dashboard, the indicator's page and its trend table all repeat it), and
the same figures by area, by service and by team. Those three breakdowns share the council's
figures, so they are suppressed together; a team's figures add up to its area's and to its
service's (the reader may know which teams make up an area), and a numerator is at most its
denominator, and the reader is given all of that too. A percentage or rate is hidden beside a
hidden numerator or denominator, since it would give the count back.

Every place that shows the council's figure at a date gets it from ``published`` for that
date, so a figure hidden in one place is hidden wherever it is repeated.

A figure that counts children once however many rows they have may count a child in two
teams, and then the teams do not add up to the council (or an area). The rule's reader would
reason from sums that are not true, so for such a date an aggregate-only reader is given the
council's figure alone, suppressed on its own, and the page says why the breakdowns are not
shown.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from caseaudit.accounts import permissions
from caseaudit.cases.models import Snapshot
from caseaudit.core.suppression import SUPPRESSED, Key, Published, suppress_breakdowns
from caseaudit.organisation.models import Team
from caseaudit.performance.indicators import (
    PERCENT,
    RATE,
    UNITS,
    Figure,
    Indicator,
    breakdown,
    evaluate,
    trend,
)


@dataclass
class Shown:
    """A figure as one person sees it; any part may be ``c``."""

    value: object
    numerator: object
    denominator: object


@dataclass
class Row:
    """One unit's figures for the suppression: its columns (denominator then numerator for a
    percentage, the count otherwise) and, for a team, the area and service it is in."""

    key: object
    name: str
    columns: list[int]
    area: object = None
    service: object = None


@dataclass
class Page:
    """One indicator at one date as published to a person."""

    figure: Shown
    # (unit, [(pk, name, Shown)]) for area, service and team, in that order.
    tables: list[tuple[str, list[tuple[object, str, Shown]]]] = field(default_factory=list)
    # True where breakdowns exist but are withheld from this reader (see the module docstring).
    withheld: bool = False


def exact(figure: Figure) -> Shown:
    return Shown(figure.value, figure.numerator, figure.denominator)


def _columns(figure: Figure) -> list[int]:
    if figure.indicator.kind == PERCENT:
        return [figure.denominator or 0, figure.numerator or 0]
    return [figure.numerator or 0]


def numerators_within(tables: Sequence[int], width: int) -> list[tuple[Key, Key]]:
    """A numerator is at most its denominator, in every row and for the council."""
    if width < 2:
        return []
    pairs: list[tuple[Key, Key]] = [(("column", 1), ("column", 0))]
    for t, rows in enumerate(tables):
        pairs += [(("cell", t, r, 1), ("cell", t, r, 0)) for r in range(rows)]
    return pairs


def teams_within(
    areas: Sequence[Row], services: Sequence[Row], teams: Sequence[Row], width: int
) -> list[tuple[Key, list[Key]]]:
    """Each area's and each service's figures are its teams' added up (tables 0, 1 and 2)."""
    sums = []
    for t, parents, attribute in ((0, areas, "area"), (1, services, "service")):
        for p, parent in enumerate(parents):
            members = [r for r, team in enumerate(teams) if getattr(team, attribute) == parent.key]
            for c in range(width):
                sums.append((("cell", t, p, c), [("cell", 2, r, c) for r in members]))
    return sums


def adds_up(council: list[int], areas, services, teams) -> bool:
    """Whether the breakdowns add up to the council's figures and the teams to their areas
    and services, as the suppression's reader assumes."""
    width = len(council)
    for rows in (areas, services, teams):
        if [sum(row.columns[c] for row in rows) for c in range(width)] != council:
            return False
    for parents, attribute in ((areas, "area"), (services, "service")):
        for parent in parents:
            members = [team for team in teams if getattr(team, attribute) == parent.key]
            if [sum(team.columns[c] for team in members) for c in range(width)] != parent.columns:
                return False
    return True


def suppress_indicator(
    council: list[int], areas: list[Row], services: list[Row], teams: list[Row]
) -> tuple[list[Published], list[tuple[Key, Key]], list[tuple[Key, list[Key]]]]:
    """The three breakdowns suppressed together, with what the reader is told besides the
    totals (for checking with ``core.suppression.disclosures``). They must add up."""
    width = len(council)
    tables = [[row.columns for row in rows] for rows in (areas, services, teams)]
    at_most = numerators_within([len(t) for t in tables], width)
    sums = teams_within(areas, services, teams, width)
    published = suppress_breakdowns(
        tables, rows_add_up=False, columns=width, at_most=at_most, adds_up=sums
    )
    return published, at_most, sums


def suppress_council(council: list[int]) -> Published:
    """The council's figures on their own (the indicator has no breakdown, or it is withheld)."""
    width = len(council)
    return suppress_breakdowns(
        [[council]], rows_add_up=False, columns=width, at_most=numerators_within([1], width)
    )[0]


def shown_from(figure: Figure, cells: Sequence[object]) -> Shown:
    """A figure as published, given its columns as published (see ``_columns``)."""
    if figure.indicator.kind == PERCENT:
        denominator, numerator = cells
        hidden = SUPPRESSED in cells
        return Shown(SUPPRESSED if hidden else figure.value, numerator, denominator)
    (count,) = cells
    if figure.indicator.kind == RATE:
        value = SUPPRESSED if count == SUPPRESSED else figure.value
        return Shown(value, count, figure.denominator)
    return Shown(count, count, None)


def _rows(snapshot: Snapshot, indicator: Indicator) -> dict[str, list[tuple]]:
    return {unit: breakdown(snapshot, indicator, unit).rows for unit in UNITS}


def _team_places(team_ids) -> dict[object, tuple[object, object]]:
    places = {
        pk: (area, service)
        for pk, area, service in Team.objects.filter(pk__in=[t for t in team_ids if t]).values_list(
            "id", "area_id", "service_id"
        )
    }
    places[None] = (None, None)
    return places


def page(snapshot: Snapshot, indicator: Indicator, user, figure: Figure | None = None) -> Page:
    """The indicator at the snapshot's date as ``user`` is shown it, with its breakdowns."""
    figure = figure or evaluate(snapshot, [indicator])[indicator.code]
    found = _rows(snapshot, indicator) if indicator.has_breakdown else {}
    if not permissions.sees_aggregates_only(user):
        tables = [
            (unit, [(pk, name, exact(f)) for pk, name, f in rows]) for unit, rows in found.items()
        ]
        return Page(exact(figure), tables)
    return _suppressed(figure, found)


def _suppressed(figure: Figure, found: dict[str, list[tuple]]) -> Page:
    council = _columns(figure)
    if not found:
        return Page(shown_from(figure, suppress_council(council).column_totals))
    places = _team_places(pk for pk, _name, _f in found["team"])
    areas, services, teams = (
        [
            Row(pk, name, _columns(f), *(places.get(pk, (None, None)) if unit == "team" else ()))
            for pk, name, f in found[unit]
        ]
        for unit in ("area", "service", "team")
    )
    if not adds_up(council, areas, services, teams):
        return Page(shown_from(figure, suppress_council(council).column_totals), withheld=True)
    published, _at_most, _sums = suppress_indicator(council, areas, services, teams)
    tables = [
        (
            unit,
            [
                (pk, name, shown_from(f, cells))
                for (pk, name, f), cells in zip(found[unit], table.cells, strict=True)
            ],
        )
        for unit, table in zip(("area", "service", "team"), published, strict=True)
    ]
    return Page(shown_from(figure, published[0].column_totals), tables)


def dashboard(snapshot: Snapshot, figures: dict[str, Figure], user) -> dict[str, Shown]:
    """Every indicator's council figure as ``user`` is shown it: for an aggregate-only reader,
    as its indicator's page publishes it, breakdowns and all."""
    if not permissions.sees_aggregates_only(user):
        return {code: exact(figure) for code, figure in figures.items()}
    return {
        code: page(snapshot, figure.indicator, user, figure).figure
        for code, figure in figures.items()
    }


def history(council, indicator: Indicator, user) -> list[tuple[datetime.date, Shown]]:
    """The indicator at each snapshot, oldest first, each as that date's page publishes it."""
    if not permissions.sees_aggregates_only(user):
        return [(as_at, exact(figure)) for as_at, figure in trend(council, indicator)]
    snapshots = Snapshot.objects.filter(council=council).order_by("as_at")
    return [(snapshot.as_at, page(snapshot, indicator, user).figure) for snapshot in snapshots]
