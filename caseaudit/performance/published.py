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
repeated. Indicators that add up to another unit by unit (plans by category, or by age band,
to all plans: ``PARTITIONS``) are also suppressed as one table with it, since the reader may
add them up too; and a figure that is a part of another indicator's, unit by unit (the
unaccompanied children of the children looked after: ``PART_OF``), is suppressed with it as a
numerator with its denominator, so that no hidden count is the whole less the part. Both are
declared beside the indicators (``performance.indicators``).

Every date's breakdowns are read together where several dates are published (a trend, the
pack): ``published_each`` reads them in the queries of one date, and ``publish`` suppresses
each date's figures without reading the database.

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
from functools import lru_cache

from caseaudit.accounts import permissions
from caseaudit.cases.models import Snapshot
from caseaudit.core.suppression import (
    SUPPRESSED,
    Key,
    Published,
    hidden_figures,
    suppress_breakdowns,
    suppressing,
)
from caseaudit.organisation.models import Team
from caseaudit.performance.indicators import (
    DAYS,
    INDICATORS,
    MET,
    PART_OF,
    PARTITIONS,
    PERCENT,
    RATE,
    UNITS,
    Figure,
    Indicator,
    PartOf,
    breakdown,
    breakdowns_each,
    evaluate,
    evaluate_each,
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
    if figure.indicator.kind == DAYS:
        # A median is suppressed with the count of waits it is the middle of: the median of
        # one to five children's waits is as good as their waits.
        return [figure.denominator or 0]
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
    if figure.indicator.kind == DAYS:
        return Shown(SUPPRESSED if count == SUPPRESSED else figure.value, None, count)
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


UNIT_ORDER = ("area", "service", "team")
# PARTITIONS (parts that add up to a total) and PART_OF (a part at most its whole) are declared
# beside the indicators, in ``performance.indicators``.


@dataclass
class _Member:
    code: str
    figure: Figure
    found: dict[str, list[tuple]]
    council: list[int]
    # (areas, services, teams), or None where only the council's figure is shown.
    rows: tuple[list[Row], list[Row], list[Row]] | None
    withheld: bool = False

    def identities(self) -> dict[Key, tuple]:
        """What each figure is: (indicator, column, unit, unit's id); the council's has no unit."""
        found: dict[Key, tuple] = {}
        for c in range(len(self.council)):
            found[("column", c)] = (self.code, c, None, None)
            if self.rows is None:
                found[("cell", 0, 0, c)] = (self.code, c, None, None)
                continue
            for t, rows in enumerate(self.rows):
                for r, row in enumerate(rows):
                    found[("cell", t, r, c)] = (self.code, c, UNIT_ORDER[t], row.key)
        return found

    def signature(self, column: int) -> tuple | None:
        if self.rows is None:
            return None
        return (
            self.council[column],
            tuple(tuple((row.key, row.columns[column]) for row in rows) for rows in self.rows),
        )

    def suppress(self, hide) -> list[Published]:
        return _suppressed("indicator", _shape(self.council, self.rows), frozenset(hide))


@dataclass
class _Partition:
    """Indicators (``parts``) whose unit figures add up to ``total``'s, as one table a unit."""

    total: str
    parts: list[str]
    rows: tuple[list[Row], list[Row], list[Row]]

    def identities(self) -> dict[Key, tuple]:
        found: dict[Key, tuple] = {("grand",): (self.total, 0, None, None)}
        for c, part in enumerate(self.parts):
            found[("column", c)] = (part, 0, None, None)
        for t, rows in enumerate(self.rows):
            for r, row in enumerate(rows):
                found[("row", t, r)] = (self.total, 0, UNIT_ORDER[t], row.key)
                for c, part in enumerate(self.parts):
                    found[("cell", t, r, c)] = (part, 0, UNIT_ORDER[t], row.key)
        return found

    def suppress(self, hide) -> list[Published]:
        shape = _shape([0] * len(self.parts), self.rows)
        return _suppressed("partition", shape, frozenset(hide))


@dataclass
class _Within:
    """One indicator's figure (``part``) that is at most another's (``whole``) in the council
    and in every unit (``PART_OF``): one table of two columns, the whole then the part, which
    is the shape of a percentage (a numerator at most its denominator), so it is suppressed as
    one. ``rows`` is None where either indicator's breakdowns are not shown: then the two
    council figures alone."""

    whole: tuple[str, int]
    part: tuple[str, int]
    council: list[int]
    rows: tuple[list[Row], list[Row], list[Row]] | None

    def identities(self) -> dict[Key, tuple]:
        found: dict[Key, tuple] = {}
        for c, (code, column) in enumerate((self.whole, self.part)):
            found[("column", c)] = (code, column, None, None)
            if self.rows is None:
                found[("cell", 0, 0, c)] = (code, column, None, None)
                continue
            for t, rows in enumerate(self.rows):
                for r, row in enumerate(rows):
                    found[("cell", t, r, c)] = (code, column, UNIT_ORDER[t], row.key)
        return found

    def suppress(self, hide) -> list[Published]:
        return _suppressed("indicator", _shape(self.council, self.rows), frozenset(hide))


def _said_already(relation: PartOf, joined: set, same: _Same) -> bool:
    """Whether the reader is told the part is at most the whole by a table already suppressed
    together: a partition with its total (the parts add up to it), or a percentage whose
    numerator is the part and whose denominator is the whole, repeated."""
    if (relation.whole, relation.part) in joined:
        return True
    w = 1 if relation.whole_figure == MET else 0
    return (
        relation.part_figure == MET
        and w == 0
        and same.find((relation.part, 0, None, None)) == same.find((relation.whole, 0, None, None))
    )


def _within(relation: PartOf, whole: _Member, part: _Member) -> _Within | None:
    """The pair as one table, or None where the data does not bear the relation out (then the
    reader could not rely on it either)."""
    w = 1 if relation.whole_figure == MET else 0
    p = 1 if relation.part_figure == MET else 0
    ends = ((whole.code, w), (part.code, p))
    council = [whole.council[w], part.council[p]]
    if council[1] > council[0]:
        return None
    if whole.rows is None or part.rows is None:
        return _Within(*ends, council, None)
    tables = []
    for t, rows in enumerate(whole.rows):
        parts = {row.key: row.columns[p] for row in part.rows[t]}
        if set(parts) - {row.key for row in rows}:
            return _Within(*ends, council, None)
        table = [
            Row(row.key, row.name, [row.columns[w], parts.get(row.key, 0)], row.area, row.service)
            for row in rows
        ]
        if any(row.columns[1] > row.columns[0] for row in table):
            return None
        tables.append(table)
    return _Within(*ends, council, tuple(tables))


def _shape(council: list[int], rows) -> tuple:
    """Everything a suppression depends on, as a key to remember it by."""
    if rows is None:
        return (tuple(council), None)
    return (
        tuple(council),
        tuple(
            tuple((row.key, tuple(row.columns), row.area, row.service) for row in unit)
            for unit in rows
        ),
    )


@lru_cache(maxsize=512)
def _remembered(kind: str, shape: tuple, hide: frozenset, suppressed: bool) -> list[Published]:
    """The same figures suppress the same way, so a suppression is worked out once a process:
    the dashboard, an indicator's page and its trend ask for the same ones. The key is the
    figures themselves, so it can never be stale."""
    council, units = shape
    rows = (
        None
        if units is None
        else tuple(
            [Row(key, "", list(columns), area, service) for key, columns, area, service in unit]
            for unit in units
        )
    )
    if kind == "indicator":
        if rows is None:
            return [suppress_council(list(council), hide=hide)]
        return suppress_indicator(list(council), *rows, hide=hide)[0]
    width = len(council)
    sums = teams_within(*rows, width)
    areas, services, teams = rows
    for t, parents, attribute in ((0, areas, "area"), (1, services, "service")):
        for p, parent in enumerate(parents):
            members = [r for r, team in enumerate(teams) if getattr(team, attribute) == parent.key]
            sums.append((("row", t, p), [("row", 2, r) for r in members]))
    tables = [[row.columns for row in unit] for unit in rows]
    return suppress_breakdowns(tables, columns=width, adds_up=sums, hide=hide)


def _suppressed(kind: str, shape: tuple, hide: frozenset) -> list[Published]:
    return _remembered(kind, shape, hide, suppressing())


def _partition(total: _Member, parts: list[_Member]) -> _Partition | None:
    """The parts as one table beside their total, if they add up to it in every unit."""
    if total.rows is None or any(part.rows is None for part in parts):
        return None
    tables = []
    for t, rows in enumerate(total.rows):
        counts = [{row.key: row.columns[0] for row in part.rows[t]} for part in parts]
        if any(set(count) - {row.key for row in rows} for count in counts):
            return None
        table = []
        for row in rows:
            cells = [count.get(row.key, 0) for count in counts]
            if sum(cells) != row.columns[0]:
                return None
            table.append(Row(row.key, row.name, cells, row.area, row.service))
        tables.append(table)
    return _Partition(total.code, [part.code for part in parts], tuple(tables))


def _member(code: str, figure: Figure, found: dict[str, list[tuple]], places) -> _Member:
    council = _columns(figure)
    if not figure.indicator.has_breakdown:
        return _Member(code, figure, {}, council, None)
    areas, services, teams = (
        [
            Row(pk, name, _columns(f), *(places.get(pk, (None, None)) if unit == "team" else ()))
            for pk, name, f in found[unit]
        ]
        for unit in UNIT_ORDER
    )
    if not adds_up(council, areas, services, teams):
        return _Member(code, figure, found, council, None, withheld=True)
    return _Member(code, figure, found, council, (areas, services, teams))


class _Same:
    """Which figures are the same figure (union-find over identities)."""

    def __init__(self):
        self.parent: dict[tuple, tuple] = {}

    def find(self, identity: tuple) -> tuple:
        self.parent.setdefault(identity, identity)
        while self.parent[identity] != identity:
            self.parent[identity] = self.parent[self.parent[identity]]
            identity = self.parent[identity]
        return identity

    def join(self, first: tuple, second: tuple) -> None:
        self.parent[self.find(first)] = self.find(second)


def _repeated(members: dict[str, _Member]) -> _Same:
    """Figures repeated between indicators: a column that is the same everywhere (council and
    every unit) in two of them is the same figure cell for cell; a council figure shown on its
    own is taken to be the same as an equal one."""
    same = _Same()
    for a, first in members.items():
        for b, second in members.items():
            if a >= b:
                continue
            for c in range(len(first.council)):
                for d in range(len(second.council)):
                    signature = first.signature(c)
                    if signature is not None and signature == second.signature(d):
                        same.join((a, c, None, None), (b, d, None, None))
                        for t, rows in enumerate(first.rows or ()):
                            for row in rows:
                                unit = UNIT_ORDER[t]
                                same.join((a, c, unit, row.key), (b, d, unit, row.key))
                    elif (first.rows is None or second.rows is None) and first.council[
                        c
                    ] == second.council[d] > 0:
                        same.join((a, c, None, None), (b, d, None, None))
    return same


def published_at(
    snapshot: Snapshot, indicators: list[Indicator], figures: dict[str, Figure] | None = None
) -> dict[str, Page]:
    """Indicators counted from the same list, at one date, as an aggregate-only reader is
    shown them (``publish``)."""
    figures = figures or evaluate(snapshot, indicators)
    return published_each([snapshot], indicators, {snapshot.pk: figures})[snapshot.pk]


def published_each(
    snapshots: Sequence[Snapshot],
    indicators: list[Indicator],
    figures: dict[int, dict[str, Figure]],
) -> dict[int, dict[str, Page]]:
    """``published_at`` for each snapshot (by id), ``figures`` being each one's: the
    breakdowns of every snapshot are read together, so the queries do not grow with them."""
    found = {unit: breakdowns_each(snapshots, indicators, unit) for unit in UNITS}
    places = _team_places(
        {
            pk
            for by_code in found["team"].values()
            for b in by_code.values()
            for pk, _n, _f in b.rows
        }
    )
    return {
        snapshot.pk: publish(
            indicators,
            figures[snapshot.pk],
            {unit: found[unit][snapshot.pk] for unit in UNITS},
            places,
        )
        for snapshot in snapshots
    }


def publish(indicators: list[Indicator], figures: dict[str, Figure], found, places) -> dict:
    """Indicators counted from the same list, at one date, as an aggregate-only reader is
    shown them, from their figures and breakdowns (``found``: each unit's ``Breakdown`` by
    code) and the teams' areas and services (``places``): each suppressed with its
    breakdowns, parts that add up to a total suppressed with it, a part suppressed with its
    whole (``PART_OF``), and a figure repeated between them hidden in all of them (``hide``,
    until they agree). Reads nothing from the database."""
    members = {
        i.code: _member(i.code, figures[i.code], {u: found[u][i.code].rows for u in UNITS}, places)
        for i in indicators
    }
    same = _repeated(members)
    tables: dict[object, _Member | _Partition | _Within] = dict(members)
    for total, partitions in PARTITIONS.items():
        for parts in partitions:
            if total in members and all(part in members for part in parts):
                joined = _partition(members[total], [members[part] for part in parts])
                if joined is not None:
                    tables[(total, *parts)] = joined
    # (total, part) of every partition joined above: its table says each part is at most it.
    joined = {(name[0], part) for name in tables if isinstance(name, tuple) for part in name[1:]}
    for relation in PART_OF:
        if relation.whole in members and relation.part in members:
            if _said_already(relation, joined, same):
                continue
            pair = _within(relation, members[relation.whole], members[relation.part])
            if pair is not None:
                tables[relation] = pair
    identities = {
        name: {key: same.find(identity) for key, identity in table.identities().items()}
        for name, table in tables.items()
    }
    hide: dict[object, set] = {name: set() for name in tables}
    published = {name: table.suppress(hide[name]) for name, table in tables.items()}
    while True:
        hidden = {name: hidden_figures(*shown) for name, shown in published.items()}
        hidden_ids = {
            identities[name][key]
            for name, keys in hidden.items()
            for key in keys
            if key in identities[name]
        }
        more = False
        for name in tables:
            wanted = {key for key, identity in identities[name].items() if identity in hidden_ids}
            wanted -= hidden[name] | hide[name]
            if wanted:
                hide[name] |= wanted
                # Only what is told to hide more is suppressed again; the rest stands.
                published[name] = tables[name].suppress(hide[name])
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
    pages = published_pages(snapshot, figures)
    return {code: pages[code].figure for code in figures}


def published_pages(snapshot: Snapshot, figures: dict[str, Figure]) -> dict[str, Page]:
    """Every indicator in ``figures`` as its page publishes it to an aggregate-only reader,
    breakdowns and all, each family suppressed together (``published_at``): the dashboard's
    figures and the select-committee pack's."""
    return published_pages_each([snapshot], {snapshot.pk: figures})[snapshot.pk]


def published_pages_each(
    snapshots: Sequence[Snapshot], figures: dict[int, dict[str, Figure]]
) -> dict[int, dict[str, Page]]:
    """``published_pages`` for each snapshot (by id) with the same indicators, every
    snapshot's breakdowns read together: the pack's trend costs the queries of one date."""
    if not snapshots:
        return {}
    codes = list(figures[snapshots[0].pk])
    pages: dict[int, dict[str, Page]] = {snapshot.pk: {} for snapshot in snapshots}
    for indicator in (INDICATORS[code] for code in codes):
        if indicator.code not in pages[snapshots[0].pk]:
            each = published_each(snapshots, family(indicator), figures)
            for snapshot in snapshots:
                pages[snapshot.pk].update(each[snapshot.pk])
    return {
        snapshot.pk: {code: pages[snapshot.pk][code] for code in codes} for snapshot in snapshots
    }


def history(
    council,
    indicator: Indicator,
    user,
    known: dict[datetime.date, Shown] | None = None,
    *,
    aggregates_only: bool | None = None,
) -> list[tuple[datetime.date, Shown]]:
    """The indicator at each snapshot, oldest first, each as that date's page publishes it;
    ``known``, figures already worked out for some dates (the page's own). Every snapshot is
    read together, so the queries do not grow with them. ``aggregates_only`` overrides what
    ``user``'s role says (a published report is for those who see aggregates only)."""
    if aggregates_only is None:
        aggregates_only = permissions.sees_aggregates_only(user)
    if not aggregates_only:
        return [(as_at, exact(figure)) for as_at, figure in trend(council, indicator)]
    known = known or {}
    snapshots = list(Snapshot.objects.filter(council=council).order_by("as_at"))
    unknown = [snapshot for snapshot in snapshots if snapshot.as_at not in known]
    indicators = family(indicator)
    pages = published_each(unknown, indicators, evaluate_each(unknown, indicators))
    return [
        (
            snapshot.as_at,
            known.get(snapshot.as_at) or pages[snapshot.pk][indicator.code].figure,
        )
        for snapshot in snapshots
    ]
