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

Every place that shows the council's figure at a date (the dashboard, the indicator's page,
its trend) gets it from ``published_at`` for that date. Indicators counted from the same list
may repeat a figure (the children on a plan are also the rate's count and a share's
denominator); ``published_at`` suppresses them together, and a figure hidden in one is hidden
in every other that repeats it, so a figure hidden in one place is hidden wherever it is
repeated. What it does not yet do: a family of indicators that add up to another (plans by
category or by age band, to all plans) is not suppressed as one table.

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
from caseaudit.core.suppression import (
    SUPPRESSED,
    Key,
    Published,
    hidden_figures,
    suppress_breakdowns,
)
from caseaudit.organisation.models import Team
from caseaudit.performance.indicators import (
    INDICATORS,
    PERCENT,
    RATE,
    UNITS,
    Figure,
    Indicator,
    breakdown,
    breakdowns,
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
    council: list[int], areas: list[Row], services: list[Row], teams: list[Row], *, hide=()
) -> tuple[list[Published], list[tuple[Key, Key]], list[tuple[Key, list[Key]]]]:
    """The three breakdowns suppressed together, with what the reader is told besides the
    totals (for checking with ``core.suppression.disclosures``). They must add up."""
    width = len(council)
    tables = [[row.columns for row in rows] for rows in (areas, services, teams)]
    at_most = numerators_within([len(t) for t in tables], width)
    sums = teams_within(areas, services, teams, width)
    published = suppress_breakdowns(
        tables, rows_add_up=False, columns=width, at_most=at_most, adds_up=sums, hide=hide
    )
    return published, at_most, sums


def suppress_council(council: list[int], *, hide=()) -> Published:
    """The council's figures on their own (the indicator has no breakdown, or it is withheld)."""
    width = len(council)
    return suppress_breakdowns(
        [[council]],
        rows_add_up=False,
        columns=width,
        at_most=numerators_within([1], width),
        hide=hide,
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


def _team_places(team_ids) -> dict[object, tuple[object, object]]:
    places = {
        pk: (area, service)
        for pk, area, service in Team.objects.filter(pk__in=[t for t in team_ids if t]).values_list(
            "id", "area_id", "service_id"
        )
    }
    places[None] = (None, None)
    return places


def page(snapshot: Snapshot, indicator: Indicator, user) -> Page:
    """The indicator at the snapshot's date as ``user`` is shown it, with its breakdowns."""
    if permissions.sees_aggregates_only(user):
        return published_at(snapshot, family(indicator))[indicator.code]
    figure = evaluate(snapshot, [indicator])[indicator.code]
    tables = [
        (unit, [(pk, name, exact(f)) for pk, name, f in breakdown(snapshot, indicator, unit).rows])
        for unit in UNITS
    ]
    return Page(exact(figure), tables if indicator.has_breakdown else [])


def family(indicator: Indicator) -> list[Indicator]:
    """The indicators counted from the same list as ``indicator``: they may repeat its figures
    (the children on a plan are the second-plans share's denominator and the rate's count)."""
    return [other for other in INDICATORS.values() if other.model is indicator.model]


@dataclass
class _Member:
    figure: Figure
    found: dict[str, list[tuple]]
    council: list[int]
    # (areas, services, teams), or None where only the council's figure is shown.
    rows: tuple[list[Row], list[Row], list[Row]] | None
    withheld: bool = False

    def keys(self, column: int, *, cells: bool) -> list[Key]:
        keys: list[Key] = [("column", column)]
        if cells and self.rows is not None:
            for t, rows in enumerate(self.rows):
                keys += [("cell", t, r, column) for r in range(len(rows))]
        return keys

    def signature(self, column: int) -> tuple | None:
        if self.rows is None:
            return None
        return (
            self.council[column],
            tuple(tuple((row.key, row.columns[column]) for row in rows) for rows in self.rows),
        )

    def suppress(self, hide) -> list[Published]:
        if self.rows is None:
            return [suppress_council(self.council, hide=hide)]
        return suppress_indicator(self.council, *self.rows, hide=hide)[0]


def _member(figure: Figure, found: dict[str, list[tuple]], places) -> _Member:
    council = _columns(figure)
    if not figure.indicator.has_breakdown:
        return _Member(figure, {}, council, None)
    areas, services, teams = (
        [
            Row(pk, name, _columns(f), *(places.get(pk, (None, None)) if unit == "team" else ()))
            for pk, name, f in found[unit]
        ]
        for unit in ("area", "service", "team")
    )
    if not adds_up(council, areas, services, teams):
        return _Member(figure, found, council, None, withheld=True)
    return _Member(figure, found, council, (areas, services, teams))


def _links(members: dict[str, _Member]) -> list[tuple[str, int, str, int, bool]]:
    """Figures repeated between indicators: a column that is the same everywhere (council and
    every unit) in two of them, or a council figure shown on its own that equals another's."""
    links = []
    for a, first in members.items():
        for b, second in members.items():
            if a == b:
                continue
            for c in range(len(first.council)):
                for d in range(len(second.council)):
                    same = first.signature(c)
                    if same is not None and same == second.signature(d):
                        links.append((a, c, b, d, True))
                    elif (first.rows is None or second.rows is None) and first.council[
                        c
                    ] == second.council[d] > 0:
                        links.append((a, c, b, d, False))
    return links


def _remap(key: Key, column: int) -> Key:
    return (*key[:-1], column)


def published_at(
    snapshot: Snapshot, indicators: list[Indicator], figures: dict[str, Figure] | None = None
) -> dict[str, Page]:
    """Indicators counted from the same list, at one date, as an aggregate-only reader is
    shown them: each suppressed with its breakdowns, and a figure repeated between them
    hidden in all of them (``hide``, until they agree)."""
    figures = figures or evaluate(snapshot, indicators)
    found = {unit: breakdowns(snapshot, indicators, unit) for unit in UNITS}
    places = _team_places({pk for b in found["team"].values() for pk, _n, _f in b.rows})
    members = {
        i.code: _member(figures[i.code], {u: found[u][i.code].rows for u in UNITS}, places)
        for i in indicators
    }
    links = _links(members)
    hide: dict[str, set] = {code: set() for code in members}
    while True:
        published = {code: member.suppress(hide[code]) for code, member in members.items()}
        hidden = {code: hidden_figures(*tables) for code, tables in published.items()}
        more = False
        for a, c, b, d, cells in links:
            for key in members[a].keys(c, cells=cells):
                mapped = _remap(key, d)
                if key in hidden[a] and mapped not in hidden[b] and mapped not in hide[b]:
                    hide[b].add(mapped)
                    more = True
        if not more:
            break
    return {code: _page(member, published[code]) for code, member in members.items()}


def _page(member: _Member, tables: list[Published]) -> Page:
    figure = member.figure
    shown = shown_from(figure, tables[0].column_totals)
    if member.rows is None:
        return Page(shown, withheld=member.withheld)
    return Page(
        shown,
        [
            (
                unit,
                [
                    (pk, name, shown_from(f, cells))
                    for (pk, name, f), cells in zip(member.found[unit], table.cells, strict=True)
                ],
            )
            for unit, table in zip(("area", "service", "team"), tables, strict=True)
        ],
    )


def dashboard(snapshot: Snapshot, figures: dict[str, Figure], user) -> dict[str, Shown]:
    """Every indicator's council figure as ``user`` is shown it: for an aggregate-only reader,
    as its indicator's page publishes it, breakdowns and all."""
    if not permissions.sees_aggregates_only(user):
        return {code: exact(figure) for code, figure in figures.items()}
    shown: dict[str, Shown] = {}
    for indicator in (figure.indicator for figure in figures.values()):
        if indicator.code not in shown:
            pages = published_at(snapshot, family(indicator), figures)
            shown.update((code, found.figure) for code, found in pages.items())
    return {code: shown[code] for code in figures}


def history(council, indicator: Indicator, user) -> list[tuple[datetime.date, Shown]]:
    """The indicator at each snapshot, oldest first, each as that date's page publishes it."""
    if not permissions.sees_aggregates_only(user):
        return [(as_at, exact(figure)) for as_at, figure in trend(council, indicator)]
    snapshots = Snapshot.objects.filter(council=council).order_by("as_at")
    return [
        (snapshot.as_at, published_at(snapshot, family(indicator))[indicator.code].figure)
        for snapshot in snapshots
    ]
