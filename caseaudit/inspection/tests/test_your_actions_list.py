"""Your inspection actions as a long list (core.listing, through the thematic app's
``actions_listing``): to do and done, newest first, every column both ways, filters, bad
values, pages, and a cost that does not grow."""

import datetime

import pytest
from django.urls import reverse

from caseaudit.inspection import actions
from caseaudit.inspection.models import RecommendationAction
from caseaudit.testing.lists import order_on_page, sorted_as_listed
from caseaudit.testing.queries import page_queries
from caseaudit.thematic.choices import ActionStatus

pytestmark = pytest.mark.django_db
URL = reverse("inspection:your_actions")
LABELS = ["Alpha", "Bravo", "Charlie", "Delta", "Theirs"]


@pytest.fixture
def owned(inspection, people):
    """Four of the north manager's actions (set on different days, due in different months,
    answering different recommendations; Delta done) and one of someone else's."""
    first, second = inspection.recommendations[0], inspection.recommendations[1]
    specs = [
        ("Bravo", first, datetime.date(2030, 3, 1), 3),
        ("Alpha", second, datetime.date(2030, 1, 15), 1),
        ("Charlie", first, datetime.date(2030, 2, 10), 2),
        ("Delta", second, datetime.date(2030, 2, 20), 4),
    ]
    made = {}
    for name, recommendation, due, day in specs:
        action = actions.add_action(
            recommendation, action=name, owner=people.north_manager, due_date=due, by=None
        )
        RecommendationAction.objects.filter(pk=action.pk).update(
            created_at=datetime.datetime(2026, 1, day, tzinfo=datetime.UTC)
        )
        made[name] = action
    RecommendationAction.objects.filter(pk=made["Delta"].pk).update(status=ActionStatus.DONE)
    actions.add_action(first, action="Theirs", owner=people.south_manager, due_date=DUE, by=None)
    return {
        name: RecommendationAction.objects.select_related("recommendation").get(pk=a.pk)
        for name, a in made.items()
    }


DUE = datetime.date(2030, 1, 31)


def listed(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return order_on_page(response.content.decode(), LABELS)


def test_to_do_newest_first_and_done_in_its_tab(client_for, people, owned):
    client = client_for(people.north_manager)
    html = client.get(URL).content.decode()
    assert order_on_page(html, LABELS) == ["Bravo", "Charlie", "Alpha"]
    assert "To do (3)" in html and "Done (1)" in html
    assert listed(client, tab="done") == ["Delta"]


SORTS = {
    "action": lambda action: action.action,
    "recommendation": lambda action: action.recommendation.number,
    "set": lambda action: action.created_at,
    "due": lambda action: action.due_date,
    "status": lambda action: ActionStatus.values.index(action.status),
}


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("column", list(SORTS))
def test_sort_by_each_column_both_ways(client_for, people, owned, column, order):
    RecommendationAction.objects.filter(pk=owned["Alpha"].pk).update(
        status=ActionStatus.IN_PROGRESS
    )
    owned["Alpha"].status = ActionStatus.IN_PROGRESS
    to_do = [owned[name] for name in ("Alpha", "Bravo", "Charlie")]
    expected = sorted_as_listed(to_do, SORTS[column], descending=order == "desc")
    got = listed(client_for(people.north_manager), sort=column, order=order)
    assert got == [action.action for action in expected]


def test_filters_and_bad_values(client_for, people, owned):
    client = client_for(people.north_manager)
    assert listed(client, month="2030-02") == ["Charlie"]
    assert listed(client, status="not_started", sort="action") == ["Alpha", "Bravo", "Charlie"]
    assert listed(client, tab="done", status="done") == ["Delta"]
    assert listed(client, tab="nope", sort="owner__password", page="-1") == [
        "Bravo",
        "Charlie",
        "Alpha",
    ]
    bad = client.get(URL, {"month": "2030-13", "status": "finished"}).content.decode()
    assert "Select a month due in the list" in bad and "Select a status in the list" in bad
    assert order_on_page(bad, LABELS) == ["Bravo", "Charlie", "Alpha"]


def test_refused_to_a_social_worker(client_for, people, owned):
    assert client_for(people.social_worker).get(URL).status_code == 403


def test_pages_cost_the_same(client_for, people, inspection, django_assert_max_num_queries):
    recommendation = inspection.recommendations[0]
    actions.add_action(
        recommendation, action="One", owner=people.north_manager, due_date=DUE, by=None
    )
    client = client_for(people.north_manager)
    page_queries(client, URL)
    few = page_queries(client, URL, {"status": "not_started"})
    for number in range(60):
        actions.add_action(
            recommendation,
            action=f"More {number}",
            owner=people.north_manager,
            due_date=DUE,
            by=None,
        )
    with django_assert_max_num_queries(few):
        html = client.get(URL, {"status": "not_started", "page": 2}).content.decode()
    assert 'aria-label="Page 2"' in html and "status=not_started&amp;page=1" in html
