"""The compliance page: who may see it, what it shows, and its fixed cost."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseaudit.audits.choices import AuditKind, AuditStatus
from caseaudit.audits.models import Audit
from caseaudit.audits.tests.test_compliance import (  # noqa: F401 (the small fixture)
    make_children,
    months_between,
    new_audit,
    practice_tool,
    programme_months,
    small,
)

pytestmark = pytest.mark.django_db
URL = reverse("audits:compliance")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("qa_lead", 200),
        ("director", 200),
        ("area_lead", 200),
        ("administrator", 200),
        ("outsider", 200),  # their own council's compliance, never this one's
        ("north_manager", 403),
        ("south_manager", 403),
        ("social_worker", 403),
        ("councillor", 403),
    ],
)
def test_who_may_see_compliance(client_for, people, small, persona, status):  # noqa: F811
    assert client_for(getattr(people, persona)).get(URL).status_code == status


def test_signed_out_people_are_sent_to_sign_in(client, small):  # noqa: F811
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response.url or "sign-in" in response.url


def test_the_page_shows_headline_figures_and_a_table_per_grouping(
    client_for,
    people,
    small,  # noqa: F811
):
    page = client_for(people.qa_lead).get(URL).content.decode()
    assert "The audit programme has an overall compliance rate of 43%." in page
    for title in (
        "Compliance by month",
        "Compliance by area",
        "Compliance by service",
        "Compliance by team",
        "Compliance by auditor",
    ):
        assert f'<caption class="govuk-table__caption govuk-visually-hidden">{title}' in page
    assert '<th scope="row" class="govuk-table__header">County Reviewing</th>' in page
    assert '<th scope="colgroup" colspan="6" class="govuk-table__header">Re-audits</th>' in page
    # Numbers are right-aligned; a month with no re-audits has no rate.
    january = re.search(r"January 2024</th>(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r'govuk-table__cell--numeric">([^<]*)<', january)
    assert cells == ["3", "2", "67%", "0", "0", "1", "0", "0", "–", "0", "0", "0"]


def test_the_period_chooser_limits_the_figures_and_explains_a_bad_choice(
    client_for,
    people,
    small,  # noqa: F811
):
    client = client_for(people.qa_lead)
    chosen = client.get(URL, {"from": "2024-02", "to": "2024-03"})
    assert chosen.context["report"].totals.audits.allocated == 4
    assert '<option value="2024-02" selected>February 2024</option>' in chosen.content.decode()
    backwards = client.get(URL, {"from": "2024-03", "to": "2024-01"})
    assert backwards.status_code == 200
    assert "The month to end with must be the same as or after the first" in (
        backwards.content.decode()
    )
    nonsense = client.get(URL, {"from": "last year"})
    assert "Select a month to start from" in nonsense.content.decode()
    # A bad choice shows the whole programme rather than nothing.
    assert nonsense.context["report"].totals.audits.allocated == 7


def test_an_area_lead_sees_their_areas_compliance_only(client_for, people, small):  # noqa: F811
    page = client_for(people.area_lead).get(URL)
    teams = [row.label for row in page.context["report"].table("by_team").rows]
    assert teams == [people.north_team.name]
    assert "County Reviewing" not in page.content.decode()


def test_another_council_sees_none_of_this_one(client_for, people, small):  # noqa: F811
    page = client_for(people.outsider).get(URL)
    assert page.context["report"].totals.audits.allocated == 0
    assert people.north_team.name not in page.content.decode()


def _spread(council, people, count: int, prefix: str) -> None:
    """``count`` audits over twelve months, every team, both auditors, both kinds."""
    c = council.council
    first, last = datetime.date(2023, 1, 1), datetime.date(2023, 12, 1)
    if not c.programme_months.exists():
        programme_months(c, *months_between(first, last))
    months = {pm.month: pm for pm in c.programme_months.all()}
    month_list = sorted(months)
    children = make_children(c, 10, prefix=prefix)
    statuses = list(AuditStatus)
    version = practice_tool()
    Audit.objects.bulk_create(
        new_audit(
            c,
            child=children[n % 10],
            team=council.teams[n % len(council.teams)],
            auditor=(people.north_manager, people.south_manager)[n % 2],
            month=months[month_list[n % 12]],
            due_date=month_list[n % 12] + datetime.timedelta(days=n % 40),
            status=statuses[n % len(statuses)],
            kind=(AuditKind.AUDIT, AuditKind.AUDIT, AuditKind.REAUDIT)[n % 3],
            tool_version=version,
        )
        for n in range(count)
    )


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context)


def test_the_page_costs_the_same_queries_for_5_audits_or_300(client_for, council, people):
    client = client_for(people.qa_lead)
    _queries(client, URL)  # the first request of a session does a little more
    _spread(council, people, 5, "F")
    few = _queries(client, URL, {"from": "2023-02"})
    _spread(council, people, 295, "M")
    assert Audit.objects.count() == 300
    many = _queries(client, URL, {"from": "2023-02"})
    assert few == many
    # Session, person and council, then the chooser's months, the totals and five tables,
    # then the session is saved (three statements).
    assert many <= 13
