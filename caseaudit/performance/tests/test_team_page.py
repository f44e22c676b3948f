"""Issue 14 item 4: from a team's figure, its indicators beside its audit grades from the
monthly programme, for the same months; grades counted here a second way from the audits."""

import datetime
from collections import Counter

import pytest
from django.urls import reverse

from caseaudit.audits import judgements
from caseaudit.audits.choices import AuditKind, AuditStatus
from caseaudit.audits.models import Answer, Audit
from caseaudit.core.grades import ORDER
from caseaudit.performance import pages
from caseaudit.performance.tests.test_pages import indicator_url, load
from caseaudit.reports import sections
from caseaudit.reports.tests.conftest import make_programme
from caseaudit.testing.queries import page_queries

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2024, 3, 31)
APRIL = datetime.date(2024, 4, 30)


@pytest.fixture
def graded(council, people, tmp_path):
    """Case data as at 31 March 2024 (North 4 children on a plan, South 9) and a programme
    with graded audits in January and March 2024."""
    load(council, tmp_path, MARCH, north=4, south=9)
    return make_programme(council, people)


def team_url(team, as_at=MARCH):
    return f"{reverse('performance:team', args=[team.pk])}?as_at={as_at}"


def grades_by_hand(team) -> list[int]:
    """The team's completed audits (not re-audits) with an overall grade, October 2023 to
    March 2024, counted in Python from every audit."""
    counted = Counter(
        audit.overall_grade
        for audit in Audit.objects.filter(team=team)
        if audit.kind == AuditKind.AUDIT
        and audit.status in AuditStatus.completed()
        and audit.overall_grade
        and datetime.date(2023, 10, 1) <= audit.month.month <= datetime.date(2024, 3, 1)
    )
    return [counted[grade.value] for grade in ORDER]


def test_a_team_s_indicators_beside_its_audit_grades(people, graded, client_for):
    team = people.north_team
    response = client_for(people.qa_lead).get(team_url(team))
    assert response.status_code == 200
    view = response.context["view"]
    assert (view.from_month, view.to_month) == (datetime.date(2023, 10, 1), MARCH.replace(day=1))
    expected = grades_by_hand(team)
    assert sum(expected) > 0
    assert [g.count for g in view.grades] == expected
    assert view.judged == sum(expected)
    assert [g.percent for g in view.grades] == [
        (200 * n + sum(expected)) // (2 * sum(expected)) for n in expected
    ]
    # Each domain: the grade answers of the same audits.
    answers = Counter(
        (a.question.domain.title, a.value)
        for a in Answer.objects.filter(
            audit__team=team,
            audit__kind=AuditKind.AUDIT,
            audit__status__in=AuditStatus.completed(),
            question__kind="grade",
        ).select_related("question__domain")
    )
    for title, grades, total, _good in view.domains:
        assert [g.count for g in grades] == [answers[(title, g.value)] for g in ORDER]
        assert total == sum(g.count for g in grades)
    assert view.domains
    # The team's figure beside the council's, and the drill to its children.
    plans = next(row for row in view.figures if row.indicator.code == "cp_plans_open")
    assert (plans.team.value, plans.council.value) == (4, 13)
    body = response.content.decode()
    assert "Requires Improvement" in body
    assert reverse("performance:team_children", args=["cp_plans_open", team.pk]) in body


def test_the_grades_are_the_programme_s_own_rule(people, graded):
    """The page and the highlight report count the same audits: one rule."""
    assert sections.judgements is judgements
    found = judgements.team_grades(
        people.north_team.council, people.north_team, *pages.grade_months(MARCH)
    )
    assert found["overall"] == grades_by_hand(people.north_team)


def test_the_indicator_page_links_a_team_to_its_grades(people, graded, client_for):
    team = people.north_team
    link = reverse("performance:team", args=[team.pk])
    assert link in client_for(people.north_manager).get(indicator_url(as_at=MARCH)).content.decode()
    councillor = client_for(people.councillor).get(indicator_url(as_at=MARCH))
    assert link not in councillor.content.decode()


@pytest.mark.parametrize(
    ("who", "team", "status"),
    [
        ("qa_lead", "north_team", 200),
        ("director", "south_team", 200),
        ("north_manager", "north_team", 200),
        ("north_manager", "south_team", 404),
        ("area_lead", "north_team", 200),
        ("area_lead", "south_team", 404),
        ("councillor", "north_team", 403),
        ("social_worker", "north_team", 403),
        ("outsider", "north_team", 404),
    ],
)
def test_who_may_see_a_team_s_page(people, graded, client_for, who, team, status):
    """A team manager their own team, an area lead their area's; elected members see
    aggregates only, so no team's page."""
    response = client_for(getattr(people, who)).get(team_url(getattr(people, team)))
    assert response.status_code == status


def test_the_page_s_queries_do_not_grow_with_the_data(people, council, tmp_path, client_for):
    make_programme(council, people)
    load(council, tmp_path, MARCH, north=2, south=3, name="small")
    load(council, tmp_path, APRIL, north=40, south=35, name="large")
    client = client_for(people.qa_lead)
    small = page_queries(client, team_url(people.north_team, MARCH))
    assert page_queries(client, team_url(people.north_team, APRIL)) == small
    assert small <= 40


def test_no_case_data_yet_is_said(people, client_for):
    url = reverse("performance:team", args=[people.north_team.pk])
    response = client_for(people.qa_lead).get(url)
    assert response.status_code == 200
    assert "No case data has been imported yet" in response.content.decode()
