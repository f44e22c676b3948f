"""Suppression across indicators: where one indicator counts a part of what another counts
(``indicators.PART_OF``), a reader holding both published tables must not be able to work out
a hidden count from the other (a team's unaccompanied children from its children looked after
and the council's totals). Read here as the reader would, from the pages as published."""

from hypothesis import given, settings
from hypothesis import strategies as st

from caseaudit.core.suppression import SUPPRESSED, Published, disclosures
from caseaudit.performance import published
from caseaudit.performance.indicators import (
    COUNTED,
    INDICATORS,
    MET,
    PART_OF,
    PARTITIONS,
    PERCENT,
    Breakdown,
    PartOf,
    _figure,
)
from caseaudit.performance.published import Row

UNITS = ("area", "service", "team")


def test_every_relation_is_between_indicators_published_together():
    """Each pair is counted from the same list, so ``published_at`` suppresses them together;
    a numerator (``MET``) is only a percentage's; partitions' parts are parts too."""
    assert PART_OF
    for relation in PART_OF:
        part, whole = INDICATORS[relation.part], INDICATORS[relation.whole]
        assert part.model is whole.model, relation
        assert part.per_child == whole.per_child, relation
        for indicator, figure in ((part, relation.part_figure), (whole, relation.whole_figure)):
            assert figure in (COUNTED, MET)
            assert figure == COUNTED or indicator.kind == PERCENT, relation
    pairs = {(r.part, r.whole) for r in PART_OF}
    for total, partitions in PARTITIONS.items():
        assert all((part, total) in pairs for parts in partitions for part in parts)


def council_of(teams: list[tuple[int, int, int, list[int]]], indicator) -> tuple:
    """Figures for ``indicator`` from (team, area, service, columns) rows: the council's and
    each unit's, as ``published.publish`` is given them."""
    width = 2 if indicator.kind == PERCENT else 1

    def figure(columns):
        counted = columns[0]
        met = columns[1] if width == 2 else 0
        return _figure(indicator, counted, met, None)

    def total(rows):
        return [sum(columns[c] for *_k, columns in rows) for c in range(width)]

    found = {}
    for unit, index in (("area", 1), ("service", 2), ("team", 0)):
        keys = sorted({row[index] for row in teams})
        found[unit] = Breakdown(
            unit,
            [
                (key, f"{unit} {key}", figure(total([r for r in teams if r[index] == key])))
                for key in keys
                if any(total([r for r in teams if r[index] == key]))
            ],
        )
    return figure(total(teams)), found


def publish(relation: PartOf, teams: list[tuple[int, int, int, list[int], list[int]]]):
    whole, part = INDICATORS[relation.whole], INDICATORS[relation.part]
    figures, found = {}, {unit: {} for unit in UNITS}
    for indicator, at in ((whole, 3), (part, 4)):
        figure, by_unit = council_of([(t[0], t[1], t[2], t[at]) for t in teams], indicator)
        figures[indicator.code] = figure
        for unit in UNITS:
            found[unit][indicator.code] = by_unit[unit]
    places = {team: (area, service) for team, area, service, *_c in teams} | {None: (None, None)}
    return published.publish([whole, part], figures, found, places)


def as_read(relation: PartOf, pages: dict, teams) -> tuple[list[Published], list, list]:
    """Both indicators' pages as one reader holds them: a table for each unit with the whole's
    figures then the part's, the council's beside them, and what the reader knows besides:
    a numerator is at most its denominator, the part at most the whole, teams add up."""
    whole, part = pages[relation.whole], pages[relation.part]

    def columns(code, seen):
        if INDICATORS[code].kind == PERCENT:
            return [seen.denominator, seen.numerator]
        return [seen.numerator]

    width_whole = len(columns(relation.whole, whole.figure))
    width = width_whole + len(columns(relation.part, part.figure))
    council = columns(relation.whole, whole.figure) + columns(relation.part, part.figure)
    zero = [0] * width
    tables, keys = [], {}
    for unit in UNITS:
        mine = {pk: columns(relation.whole, seen) for pk, _n, seen in dict(whole.tables)[unit]}
        theirs = {pk: columns(relation.part, seen) for pk, _n, seen in dict(part.tables)[unit]}
        assert set(theirs) <= set(mine)
        keys[unit] = sorted(mine)
        tables.append(
            Published(
                cells=[mine[k] + theirs.get(k, zero[width_whole:]) for k in keys[unit]],
                row_totals=None,
                column_totals=council,
                grand_total=None,
            )
        )
    w = width_whole - 1 if relation.whole_figure == MET else 0
    p = width_whole + (1 if relation.part_figure == MET else 0)
    pairs = [(p, w)]
    for start, code in ((0, relation.whole), (width_whole, relation.part)):
        if INDICATORS[code].kind == PERCENT:
            pairs.append((start + 1, start))
    at_most = [(("column", a), ("column", b)) for a, b in pairs]
    for t, unit in enumerate(UNITS):
        at_most += [
            (("cell", t, r, a), ("cell", t, r, b)) for r in range(len(keys[unit])) for a, b in pairs
        ]
    places = {team: (area, service) for team, area, service, *_c in teams}
    rows = {unit: [Row(k, "", [], *places.get(k, ())) for k in keys[unit]] for unit in UNITS}
    sums = published.teams_within(rows["area"], rows["service"], rows["team"], width)
    return tables, at_most, sums


# Relations of each shape: a count within a count, a percentage's denominator within a count,
# a percentage's numerator within a count (its denominator is that count, repeated).
RELATIONS = [
    next(r for r in PART_OF if (r.part, r.whole) == pair)
    for pair in (
        ("cla_uasc", "cla_open"),
        ("cp_plans_open_sexual_abuse", "cp_plans_open"),
        ("cin_visits_20wd_pct", "cin_open"),
        ("assessments_45wd_pct", "assessments_completed"),
    )
]
sizes = st.one_of(st.integers(0, 6), st.integers(0, 30))


@st.composite
def councils(draw):
    """A relation and up to six teams in up to three areas and two services, each with the
    whole's figures and the part's, the part at most the whole."""
    relation = draw(st.sampled_from(RELATIONS))
    part_is_percent = INDICATORS[relation.part].kind == PERCENT
    teams = []
    for number in range(draw(st.integers(1, 6))):
        whole = draw(sizes)
        if relation.part_figure == MET:
            part = [whole, draw(st.integers(0, whole))]
        elif part_is_percent:
            counted = draw(st.integers(0, whole))
            part = [counted, draw(st.integers(0, counted))]
        else:
            part = [draw(st.integers(0, whole))]
        area, service = draw(st.integers(0, 2)), draw(st.integers(0, 1))
        teams.append((number + 1, area, service, [whole], part))
    return relation, teams


@settings(deadline=None, max_examples=150)
@given(councils())
def test_no_hidden_count_can_be_worked_out_across_a_part_and_its_whole(council):
    relation, teams = council
    pages = publish(relation, teams)
    tables, at_most, sums = as_read(relation, pages, teams)
    assert disclosures(*tables, at_most=at_most, adds_up=sums) == []
    # Nothing from 1 to 5 is printed.
    for table in tables:
        for value in [*table.column_totals, *(v for row in table.cells for v in row)]:
            assert value == SUPPRESSED or not 0 < value <= 5


def test_suppressed_apart_the_part_gave_the_wholes_hidden_count_away(monkeypatch):
    """North looks after 8 children, all unaccompanied; South 3, none. Alone, the children
    looked after hide South's 3 and so North's 8; the unaccompanied table hides nothing (8 and
    0), and North's 8 unaccompanied are at most its children looked after: so South's are at
    most 3 of the 11, which the reader can tell is a small number."""
    relation = RELATIONS[0]
    teams = [(1, 1, 1, [8], [8]), (2, 2, 1, [3], [0])]
    monkeypatch.setattr(published, "PART_OF", ())
    apart = publish(relation, teams)
    tables, at_most, sums = as_read(relation, apart, teams)
    assert disclosures(*tables, at_most=at_most, adds_up=sums)
    monkeypatch.undo()
    together = publish(relation, teams)
    tables, at_most, sums = as_read(relation, together, teams)
    assert disclosures(*tables, at_most=at_most, adds_up=sums) == []
    # Suppressed together, more is hidden (here the council's children looked after, which
    # the unaccompanied 8 and South's 3 would otherwise give away).
    assert [together[code] for code in ("cla_open", "cla_uasc")] != [
        apart[code] for code in ("cla_open", "cla_uasc")
    ]
