"""An indicator's page shows its trend over every date of case data imported, each date as
that date's page publishes it: every date is counted and broken down together, so a month
more of case data costs the page no more queries, for staff and elected members alike."""

import datetime

import pytest
from django.urls import reverse

from caseaudit.core.months import add_months
from caseaudit.performance.tests.test_pages import load
from caseaudit.testing.queries import page_queries

pytestmark = pytest.mark.django_db
FIRST = datetime.date(2024, 1, 31)


@pytest.mark.parametrize("who", ["qa_lead", "councillor"])
def test_an_indicator_page_costs_the_same_with_more_months(
    people, council, tmp_path, client_for, who
):
    client = client_for(getattr(people, who))
    url = reverse("performance:indicator", args=["cp_second_or_subsequent_pct"])
    costs = []
    for n in range(5):
        as_at = add_months(FIRST, n)
        load(council, tmp_path, as_at, north=6 + n, south=7, name=f"m{n}")
        client.get(url)  # the session's first page reads more (the user, the council)
        costs.append(page_queries(client, url, {"as_at": as_at.isoformat()}))
    # From two dates on (with one, there are no earlier dates to read at all).
    assert len(set(costs[1:])) == 1, costs
