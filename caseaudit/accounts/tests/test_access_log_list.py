"""The access log as a long list (core.listing): newest first, sorted both ways, filtered by
what was done, the month and the person; its CSV for the administrator (logged itself), only
their council's entries; refused to everyone else; a cost that does not grow."""

import pytest
from django.urls import reverse

from caseaudit.accounts.choices import AccessAction
from caseaudit.accounts.models import AccessLog
from caseaudit.core import clock
from caseaudit.testing.lists import csv_rows
from caseaudit.testing.queries import page_queries

pytestmark = pytest.mark.django_db
URL = reverse("accounts:access_log")
CSV = reverse("accounts:access_log_csv")
CHILDREN = reverse("cases:children")


@pytest.fixture
def logged(client_for, people):
    """A list by the north manager, a refusal of the councillor, a list by someone in another
    council: three entries, in that order."""
    client_for(people.north_manager).get(CHILDREN)
    client_for(people.councillor).get(CHILDREN)
    client_for(people.outsider).get(CHILDREN)
    return list(AccessLog.objects.order_by("sequence"))


def who_in_order(html: str) -> list[str]:
    names = ("north.manager", "councillor", "outsider", "administrator")
    cells = [(html.find(f'<td class="govuk-table__cell">{n}</td>'), n) for n in names]
    return [name for at, name in sorted(cells) if at >= 0]


def test_newest_first_and_only_this_council(client_for, people, logged):
    html = client_for(people.administrator).get(URL).content.decode()
    assert who_in_order(html) == ["councillor", "north.manager"]
    assert 'aria-sort="descending"' in html


@pytest.mark.parametrize(
    ("sort", "order", "expected"),
    [
        ("when", "asc", ["north.manager", "councillor"]),
        ("when", "desc", ["councillor", "north.manager"]),
        ("who", "asc", ["councillor", "north.manager"]),
        ("who", "desc", ["north.manager", "councillor"]),
        ("what", "asc", ["north.manager", "councillor"]),  # Listed before Refused
        ("what", "desc", ["councillor", "north.manager"]),
    ],
)
def test_sorted_by_each_column_both_ways(client_for, people, logged, sort, order, expected):
    html = client_for(people.administrator).get(URL, {"sort": sort, "order": order})
    assert who_in_order(html.content.decode()) == expected


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_sorted_by_record_both_ways(client_for, people, logged, order):
    ours = sorted(
        (entry for entry in logged if entry.username != "outsider"),
        key=lambda entry: (entry.record_type, entry.record_id, entry.sequence),
        reverse=order == "desc",
    )
    html = client_for(people.administrator).get(URL, {"sort": "record", "order": order})
    assert who_in_order(html.content.decode()) == [entry.username for entry in ours]


def test_filters_and_bad_values(client_for, people, logged):
    client = client_for(people.administrator)
    month = clock.today().strftime("%Y-%m")

    def who(**params):
        response = client.get(URL, params)
        assert response.status_code == 200
        return who_in_order(response.content.decode())

    assert who(action="denied") == ["councillor"]
    assert who(who="NORTH") == ["north.manager"]
    assert who(month=month, sort="who") == ["councillor", "north.manager"]
    bad = client.get(URL, {"action": "deleted", "month": "2000-01", "sort": "digest"})
    html = bad.content.decode()
    assert "Select an action in the list" in html and "Select a month in the list" in html
    assert who_in_order(html) == ["councillor", "north.manager"]
    assert who(page="many") == ["councillor", "north.manager"]


def test_csv_for_the_administrator_only_and_logged(client_for, people, logged):
    client = client_for(people.administrator)
    rows = csv_rows(client.get(CSV, {"action": "denied"}))
    assert rows[0][:4] == ["Sequence", "When", "Who", "What"]
    assert [(row[2], row[3]) for row in rows[1:]] == [("councillor", "Refused")]
    everything = [row[2] for row in csv_rows(client.get(CSV))[1:]]
    assert everything == ["administrator", "councillor", "north.manager"]  # its own export too
    exported = AccessLog.objects.filter(action=AccessAction.EXPORTED).latest("sequence")
    assert exported.username == "administrator"
    assert exported.record_type == "accounts.accesslog"
    for persona in ("qa_lead", "director", "north_manager", "councillor"):
        assert client_for(getattr(people, persona)).get(CSV).status_code == 403
        assert client_for(getattr(people, persona)).get(URL).status_code == 403


def test_the_cost_does_not_grow(client_for, people, logged, django_assert_max_num_queries):
    params = {"action": "listed", "month": clock.today().strftime("%Y-%m"), "who": "north"}

    def as_administrator():
        # client_for signs the one test client in as someone else: sign back in, and leave
        # out a session's first request, which does more.
        client = client_for(people.administrator)
        page_queries(client, URL)
        return client

    few = page_queries(as_administrator(), URL, params)
    manager = client_for(people.north_manager)
    for _ in range(60):
        manager.get(CHILDREN)
    client = as_administrator()
    for page in (1, 2):
        with django_assert_max_num_queries(few):
            response = client.get(URL, {**params, "page": page})
        assert response.status_code == 200
    assert 'aria-label="Page 2"' in response.content.decode()
