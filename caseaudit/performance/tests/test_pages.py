"""The performance pages: who sees what, drilling down within scope, bad dates, query counts."""

import datetime

import pytest
from django.urls import reverse

from caseaudit.accounts.models import AccessLog
from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import Child
from caseaudit.cases.tests.test_annex_a_reader import make_workbook
from caseaudit.site.navigation import navigation_for
from caseaudit.testing.queries import page_queries

pytestmark = pytest.mark.django_db
JANUARY = datetime.date(2024, 1, 31)
FEBRUARY = datetime.date(2024, 2, 29)

CP_HEADERS = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Child Protection Plan Start Date",
    "Initial Category of Abuse",
    "Latest Category of Abuse",
    "Date of the Last Statutory Visit",
    "Child Protection Plan End Date",
    "Number of Previous Child Protection Plans",
    "Allocated Team",
    "Allocated Worker",
]


def cp_return(path, council, *, north: int, south: int):
    """A return whose List 7 has ``north`` and ``south`` children on a plan in each team."""
    rows = [CP_HEADERS]
    for offset, (team, count) in enumerate(((council.teams[0], north), (council.teams[-1], south))):
        worker = council.practitioners[team.pk][0]
        for number in range(count):
            rows.append(
                [
                    str(5000 + offset * 1000 + number),
                    "a) Male",
                    "a) WBRI",
                    "01/02/2015",
                    "8.9",
                    "05/12/2023",
                    "Neglect",
                    "Neglect",
                    "22/01/2024",
                    None,
                    "1" if number % 2 else "0",
                    team.name,
                    worker.name,
                ]
            )
    return make_workbook(path, {"List 7": rows})


def load(council, tmp_path, as_at, *, north=8, south=7, name="return"):
    path = cp_return(tmp_path / f"{name}-{as_at}.xlsx", council, north=north, south=south)
    summary = import_annex_a(path, council=council.council, as_at=as_at)
    assert not summary.refused, summary.problems[:3]


@pytest.fixture
def two_months(council, tmp_path):
    load(council, tmp_path, JANUARY, north=6, south=7)
    load(council, tmp_path, FEBRUARY)


def index_url(as_at=None):
    url = reverse("performance:index")
    return f"{url}?as_at={as_at}" if as_at else url


def indicator_url(code="cp_plans_open", as_at=FEBRUARY):
    return f"{reverse('performance:indicator', args=[code])}?as_at={as_at}"


def drill_url(team, code="cp_plans_open", as_at=FEBRUARY):
    return f"{reverse('performance:team_children', args=[code, team.pk])}?as_at={as_at}"


def test_the_navigation_offers_performance_to_those_who_may_see_it(people):
    def offered(user):
        return any(item.label == "Performance" for item in navigation_for(user))

    for user in (people.qa_lead, people.north_manager, people.director, people.councillor):
        assert offered(user), user
    assert not offered(people.social_worker)


def test_every_indicator_is_listed_with_its_definition(people, two_months, client_for):
    response = client_for(people.director).get(index_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Indicators as at 29 February 2024" in body
    assert "Children on a child protection plan" in body
    assert "Children with a child protection plan open at the date" in body
    assert "Indicators Annex A does not carry" in body


def test_social_workers_and_other_councils_see_no_figures(people, two_months, client_for):
    assert client_for(people.social_worker).get(index_url()).status_code == 403
    response = client_for(people.outsider).get(index_url())
    assert "No case data has been imported yet" in response.content.decode()


@pytest.mark.parametrize(
    ("as_at", "status", "message"),
    [
        ("31/01/2024", 400, "Enter the as-at date as year, month and day, for example 2025-03-31"),
        ("2024-03-31", 404, "There is no case data as at 31 March 2024"),
    ],
)
def test_a_bad_or_unknown_date_gets_a_clear_message(
    people, two_months, client_for, as_at, status, message
):
    for url in (index_url(as_at), indicator_url(as_at=as_at)):
        response = client_for(people.qa_lead).get(url)
        assert response.status_code == status
        body = response.content.decode()
        assert "There is a problem" in body
        assert message in body


def test_an_indicator_by_unit_and_over_time(people, two_months, client_for):
    response = client_for(people.qa_lead).get(indicator_url())
    assert response.status_code == 200
    context = response.context
    assert context["figure"].value == 15
    teams = {name: seen.value for _pk, name, seen in context["tables"][2][2]}
    assert teams == {people.north_team.name: 8, people.south_team.name: 7}
    assert [(as_at, seen.value) for as_at, seen in context["history"]] == [
        (JANUARY, 13),
        (FEBRUARY, 15),
    ]


def test_a_team_manager_drills_to_their_own_teams_children_only(people, two_months, client_for):
    client = client_for(people.north_manager)
    page = client.get(indicator_url())
    assert people.north_team.pk in page.context["drillable"]
    assert people.south_team.pk not in page.context["drillable"]
    logged = AccessLog.objects.count()
    response = client.get(drill_url(people.north_team))
    assert response.status_code == 200
    shown = {row.child.la_child_id for row in response.context["rows"]}
    assert shown == {str(5000 + n) for n in range(8)}
    assert AccessLog.objects.count() == logged + 1
    entry = AccessLog.objects.order_by("-pk").first()
    expected = Child.objects.filter(la_child_id__in=shown).values_list("pk", flat=True)
    assert set(entry.record_ids.split(",")) == {str(pk) for pk in expected}
    assert client.get(drill_url(people.south_team)).status_code == 404


def test_elected_members_see_aggregates_only_with_small_counts_suppressed(
    people, council, tmp_path, client_for
):
    load(council, tmp_path, FEBRUARY, north=4, south=9)
    client = client_for(people.councillor)
    page = client.get(indicator_url())
    assert page.status_code == 200
    assert page.context["drillable"] == set()
    teams = {name: seen.value for _pk, name, seen in page.context["tables"][2][2]}
    # North's 4 is small; South's 9 is hidden too, or the council's 13 would give North's away.
    assert teams == {people.north_team.name: "c", people.south_team.name: "c"}
    assert page.context["figure"].value == 13
    assert client.get(drill_url(people.north_team)).status_code == 403


@pytest.mark.parametrize(
    "url",
    [index_url(FEBRUARY), indicator_url(), indicator_url("cp_second_or_subsequent_pct")],
)
def test_the_pages_cost_does_not_grow_with_the_data(people, council, tmp_path, client_for, url):
    client = client_for(people.qa_lead)
    client.get(index_url())  # a session's first request does more
    load(council, tmp_path, FEBRUARY, north=2, south=1, name="small")
    small = page_queries(client, url)
    load(council, tmp_path, FEBRUARY, north=40, south=35, name="large")
    assert page_queries(client, url) == small
    assert small <= 30


def test_caseloads_are_shown_by_band_and_service(people, two_months, client_for):
    response = client_for(people.qa_lead).get(index_url(FEBRUARY))
    held = response.context["caseloads"]
    # Each team's first practitioner holds its children: 8 in the north, 7 in the south.
    assert (held.children, held.workers, held.mean, held.median) == (15, 2, 7.5, 7.5)
    assert held.by_service == [("Family Safeguarding", 15, 2, 0, 7.5, "7 to 8")]
    assert "Workers by caseload" in response.content.decode()


def test_an_elected_member_sees_caseloads_suppressed(people, council, two_months, client_for):
    response = client_for(people.councillor).get(index_url(FEBRUARY))
    held = response.context["caseloads"]
    # Two workers is a small number: it is hidden, and so are the averages of their caseloads
    # and the range, which would tell each worker's caseload.
    assert (held.children, held.workers, held.mean, held.median) == (15, "c", "c", "c")
    assert held.by_service == [("Family Safeguarding", 15, "c", 0, "c", "c")]
    assert dict(held.distribution)["1 to 10"] == "c"
    body = response.content.decode()
    assert "7 to 8" not in body and "7.5" not in body
    # No worker is named.
    for workers in council.practitioners.values():
        assert workers[0].name not in body
