"""The performance pages read as an elected member would read them: nothing hidden on an
indicator's page (by area, by service, by team, and the council's figure the dashboard and the
trend repeat) can be worked out from what the page prints beside it."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.tests.test_annex_a_reader import make_workbook
from caseaudit.core.suppression import (
    SUPPRESSED,
    Published,
    disclosures,
    suppress_count,
    unsuppressed,
)
from caseaudit.organisation.models import Team
from caseaudit.performance import published
from caseaudit.performance.indicators import CP_CATEGORIES
from caseaudit.performance.published import Row
from caseaudit.performance.tests.test_pages import (
    CP_HEADERS,
    FEBRUARY,
    JANUARY,
    index_url,
    indicator_url,
    load,
)
from caseaudit.testing.queries import page_queries

UNITS = ("area", "service", "team")


def as_printed(context, kind: str) -> tuple[list[Published], list, list]:
    """The page's three breakdowns and the council's figure as the page prints them, as
    tables for ``disclosures``, with what the reader knows besides (a numerator is at most
    its denominator; a team's figures add up to its area's and its service's)."""
    figure = context["figure"]

    def columns(seen):
        return [seen.denominator, seen.numerator] if kind == "percent" else [seen.numerator]

    council = columns(figure)
    tables = [
        Published(
            cells=[columns(seen) for _pk, _name, seen in rows],
            row_totals=None,
            column_totals=council,
            grand_total=None,
        )
        for _title, _unit, rows in context["tables"]
    ]
    return tables, *knowledge(context, len(council))


def knowledge(context, width: int):
    by_unit = {unit: rows for _title, unit, rows in context["tables"]}
    places = {t.pk: (t.area_id, t.service_id) for t in Team.objects.all()}
    rows = {
        unit: [
            Row(pk, name, [], *(places.get(pk, (None, None)) if unit == "team" else ()))
            for pk, name, _seen in by_unit[unit]
        ]
        for unit in UNITS
    }
    at_most = published.numerators_within([len(rows[unit]) for unit in UNITS], width)
    sums = published.teams_within(rows["area"], rows["service"], rows["team"], width)
    return at_most, sums


def primary_only(tables: list[Published]) -> list[Published]:
    """What the pages printed before: each count from 1 to 5 as ``c``, nothing else."""
    council = [suppress_count(value) for value in tables[0].column_totals]
    return [
        Published(
            cells=[[suppress_count(value) for value in row] for row in table.cells],
            row_totals=None,
            column_totals=council,
            grand_total=None,
        )
        for table in tables
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "kind"), [("cp_plans_open", "count"), ("cp_second_or_subsequent_pct", "percent")]
)
def test_an_elected_member_cannot_work_out_a_hidden_count(
    people, council, tmp_path, client_for, code, kind
):
    # North has 4 children on a plan (2 of them on a second plan), South 9 (4): one service.
    load(council, tmp_path, FEBRUARY, north=4, south=9)
    exact = client_for(people.qa_lead).get(indicator_url(code)).context
    exact_tables, at_most, sums = as_printed(exact, kind)
    assert SUPPRESSED not in str([t.cells for t in exact_tables])
    # Suppressing the small counts only, the council's figure gives the hidden one away.
    assert disclosures(*primary_only(exact_tables), at_most=at_most, adds_up=sums)

    page = client_for(people.councillor).get(indicator_url(code))
    tables, at_most, sums = as_printed(page.context, kind)
    assert published.SUPPRESSED in str([t.cells for t in tables])
    assert disclosures(*tables, at_most=at_most, adds_up=sums) == []
    # A share beside a hidden count is hidden too.
    for _title, _unit, rows in page.context["tables"]:
        for _pk, _name, seen in rows:
            if SUPPRESSED in (seen.numerator, seen.denominator):
                assert seen.value == SUPPRESSED


@pytest.mark.django_db
def test_the_council_figure_agrees_wherever_it_is_repeated(people, council, tmp_path, client_for):
    load(council, tmp_path, JANUARY, north=3, south=9, name="january")
    load(council, tmp_path, FEBRUARY, north=4, south=9)
    client = client_for(people.councillor)
    for as_at in (JANUARY, FEBRUARY):
        page = client.get(indicator_url("cp_second_or_subsequent_pct", as_at)).context
        figure = page["figure"]
        history = dict(client.get(indicator_url("cp_second_or_subsequent_pct")).context["history"])
        assert history[as_at] == figure
        dashboard = client.get(index_url(as_at)).context["rows"]
        [seen] = [s for f, s, _b in dashboard if f.indicator.code == "cp_second_or_subsequent_pct"]
        assert seen == figure
    # February: 13 on a plan, 6 of them on a second or later plan; the 6 is hidden because
    # North's 2 and South's 4 would otherwise be worked out from it.
    assert (figure.value, figure.numerator, figure.denominator) == ("c", "c", 13)


@pytest.mark.django_db
def test_staff_see_exact_figures(people, council, tmp_path, client_for):
    load(council, tmp_path, FEBRUARY, north=4, south=9)
    page = client_for(people.qa_lead).get(indicator_url()).context
    assert page["figure"].value == 13
    teams = {name: seen.value for _pk, name, seen in page["tables"][2][2]}
    assert teams == {people.north_team.name: 4, people.south_team.name: 9}


# Random councils: up to 3 areas and 2 services, teams in each, figures small and large.
figures = st.one_of(st.integers(1, 6), st.integers(1, 40))


@st.composite
def councils(draw):
    percent = draw(st.booleans())
    teams = []
    for number in range(draw(st.integers(1, 6))):
        counted = draw(figures)
        columns = [counted, draw(st.integers(0, counted))] if percent else [counted]
        area, service = draw(st.integers(0, 2)), draw(st.integers(0, 1))
        teams.append(Row(number, f"Team {number}", columns, area, service))
    return teams


def totals(teams: list[Row], attribute: str) -> list[Row]:
    keys = sorted({getattr(team, attribute) for team in teams})
    width = len(teams[0].columns)
    return [
        Row(
            key,
            f"{attribute} {key}",
            [
                sum(t.columns[c] for t in teams if getattr(t, attribute) == key)
                for c in range(width)
            ],
        )
        for key in keys
    ]


@given(councils())
def test_no_hidden_figure_can_be_pinned_from_what_the_page_prints(teams):
    areas, services = totals(teams, "area"), totals(teams, "service")
    council = [sum(t.columns[c] for t in teams) for c in range(len(teams[0].columns))]
    assert published.adds_up(council, areas, services, teams)
    tables, at_most, sums = published.suppress_indicator(council, areas, services, teams)
    assert disclosures(*tables, at_most=at_most, adds_up=sums) == []
    # Every small count is hidden, and the tables agree on the council's figures.
    for table, rows in zip(tables, (areas, services, teams), strict=True):
        assert table.column_totals == tables[0].column_totals
        for cells, row in zip(table.cells, rows, strict=True):
            for shown, true in zip(cells, row.columns, strict=True):
                assert shown == true or (shown == SUPPRESSED and true > 0)
                assert shown == SUPPRESSED or not 0 < true <= 5


@pytest.mark.django_db
def test_an_elected_members_pages_cost_does_not_grow_with_the_data(
    people, council, tmp_path, client_for
):
    client = client_for(people.councillor)
    client.get(index_url())
    load(council, tmp_path, FEBRUARY, north=2, south=1, name="small")
    small = [page_queries(client, url) for url in (index_url(FEBRUARY), indicator_url())]
    load(council, tmp_path, FEBRUARY, north=40, south=35, name="large")
    assert [page_queries(client, url) for url in (index_url(FEBRUARY), indicator_url())] == small
    # Every indicator's breakdowns are worked out for the dashboard, so that its figures agree
    # with the indicator pages: a few queries for each list, and one for each drift indicator
    # (a median) and unit, however many children.
    dashboard, indicator = small
    assert dashboard <= 75
    assert indicator <= 30


@pytest.mark.django_db
def test_a_figure_two_indicators_repeat_is_hidden_in_both(people, council, tmp_path, client_for):
    """The children on a plan are counted by three indicators: the count, the rate's count and
    the second-plans share's denominator. Wherever one hides a unit's count, so do the others."""
    load(council, tmp_path, FEBRUARY, north=4, south=9)
    client = client_for(people.councillor)

    def counts(code):
        context = client.get(indicator_url(code)).context
        tables = {unit: [seen for _pk, _name, seen in rows] for _t, unit, rows in context["tables"]}
        column = "denominator" if code.endswith("_pct") else "numerator"
        return [getattr(context["figure"], column)] + [
            getattr(seen, column) for unit in UNITS for seen in tables[unit]
        ]

    plans = counts("cp_plans_open")
    assert SUPPRESSED in plans
    assert counts("cp_second_or_subsequent_pct") == plans
    assert counts("cp_rate_per_10k") == plans


def categories_return(path, council, counts: dict):
    """List 7 with, for each team, so many children on a plan in each latest category."""
    rows = [CP_HEADERS]
    number = 7000
    for team, by_category in counts.items():
        worker = council.practitioners[team.pk][0]
        for category, count in by_category.items():
            for _ in range(count):
                number += 1
                row = [str(number), "a) Male", "a) WBRI", "01/02/2015", "8.9", "05/12/2023"]
                row += [category, category, "22/01/2024", None, "0", team.name, worker.name]
                rows.append(row)
    return make_workbook(path, {"List 7": rows})


@pytest.mark.django_db
def test_plans_by_category_cannot_be_worked_out_from_all_plans(
    people, council, tmp_path, client_for
):
    """North: 10 neglect and 3 sexual abuse; South: 20 neglect and 10 physical abuse. With each
    category suppressed on its own, North's 3 was North's 13 plans less its 10 neglect."""
    north, south = people.north_team, people.south_team
    counts = {north: {"NEG": 10, "SAB": 3}, south: {"NEG": 20, "PHY": 10}}
    path = categories_return(tmp_path / "categories.xlsx", council, counts)
    assert not import_annex_a(path, council=council.council, as_at=FEBRUARY).refused
    client = client_for(people.councillor)

    def page(code):
        return client.get(indicator_url(code)).context

    codes = [f"cp_plans_open_{slug}" for _code, slug, _label in CP_CATEGORIES]
    total = page("cp_plans_open")
    parts = [page(code) for code in codes]
    units = {unit: rows for _t, unit, rows in total["tables"]}
    tables = []
    for unit in UNITS:
        by_part = [
            {pk: seen.numerator for pk, _n, seen in dict((u, r) for _t, u, r in p["tables"])[unit]}
            for p in parts
        ]
        tables.append(
            Published(
                cells=[[found.get(pk, 0) for found in by_part] for pk, _n, _s in units[unit]],
                row_totals=[seen.numerator for _pk, _n, seen in units[unit]],
                column_totals=[p["figure"].numerator for p in parts],
                grand_total=total["figure"].numerator,
            )
        )
    rows = {
        unit: [
            Row(pk, name, [], *((t.area_id, t.service_id) if unit == "team" else ()))
            for pk, name, _s in units[unit]
            for t in ([Team.objects.get(pk=pk)] if unit == "team" else [None])
        ]
        for unit in UNITS
    }
    sums = published.teams_within(rows["area"], rows["service"], rows["team"], len(codes))
    for t, attribute in ((0, "area"), (1, "service")):
        for p, parent in enumerate(rows[attribute]):
            teams = [
                r for r, team in enumerate(rows["team"]) if getattr(team, attribute) == parent.key
            ]
            sums.append((("row", t, p), [("row", 2, r) for r in teams]))
    assert disclosures(*tables, adds_up=sums) == []
    north_row = [r for r, (pk, _n, _s) in enumerate(units["team"]) if pk == north.pk][0]
    assert tables[2].cells[north_row][codes.index("cp_plans_open_sexual_abuse")] == SUPPRESSED


def test_a_remembered_suppression_is_not_used_for_the_internal_edition():
    teams = [Row(1, "", [4], 1, 1), Row(2, "", [9], 2, 1)]
    shape = published._shape([13], ([Row(1, "", [4]), Row(2, "", [9])], [Row(1, "", [13])], teams))
    assert published._suppressed("indicator", shape, frozenset())[2].cells == [["c"], ["c"]]
    with unsuppressed():
        assert published._suppressed("indicator", shape, frozenset())[2].cells == [[4], [9]]
