"""The compliance page: who may see it, what it shows, and its fixed cost."""

import csv
import datetime
import io
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
from caseaudit.core import clock

pytestmark = pytest.mark.django_db
URL = reverse("audits:compliance")
CSV_URL = reverse("audits:compliance_csv")
# The small fixture's audits run from January to April 2024, and the page shows the last 12
# complete months unless asked: so the pages here are seen in mid-May 2024, when all of it is
# due and all of it is in the default period (June 2023 to April 2024).
SEEN_ON = datetime.date(2024, 5, 15)


@pytest.fixture(autouse=True)
def seen_on():
    with clock.set_to(SEEN_ON):
        yield SEEN_ON


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
    assert '<th scope="colgroup" colspan="7" class="govuk-table__header">Re-audits</th>' in page
    # Numbers are right-aligned; a month with no re-audits has no rate.
    january = re.search(r"January 2024</th>(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r'govuk-table__cell--numeric">([^<]*)<', january)
    assert cells == ["3", "2", "67%", "0", "0", "1", "0", "0", "0", "–", "0", "0", "0", "0"]


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
    # A bad choice shows the default period rather than nothing.
    assert nonsense.context["report"].from_month == datetime.date(2023, 5, 1)
    assert nonsense.context["report"].totals.audits.allocated == 7


def test_the_page_shows_the_last_12_complete_months_unless_asked(client_for, people, small):  # noqa: F811
    client = client_for(people.qa_lead)
    with clock.set_to(datetime.date(2024, 4, 1)):
        page = client.get(URL)
    # On 1 April 2024: April 2023 to March 2024, so the re-audit due in April is not in it.
    report = page.context["report"]
    assert (report.from_month, report.to_month) == (
        datetime.date(2023, 4, 1),
        datetime.date(2024, 3, 1),
    )
    assert [row.label for row in report.table("by_month").rows] == [
        "January 2024",
        "February 2024",
        "March 2024",
    ]
    content = page.content.decode()
    assert '<option value="2023-04" selected>April 2023</option>' in content
    assert '<option value="2024-03" selected>March 2024</option>' in content
    # Blank months still mean the whole programme.
    everything = client.get(URL, {"from": "", "to": ""}).context["report"]
    assert (everything.from_month, everything.to_month) == (None, None)
    assert everything.totals.reaudits.allocated == 2


def test_work_not_yet_due_is_left_out_of_the_rate_and_said_so(client_for, people, small):  # noqa: F811
    # On 15 April 2024 audit no. 5 (in progress, due 1 May) is not yet due: 3 of 6, not 3 of 7.
    client = client_for(people.qa_lead)
    with clock.set_to(datetime.date(2024, 4, 15)):
        page = client.get(URL, {"from": "2024-01", "to": ""})
    audits = page.context["report"].totals.audits
    assert (audits.allocated, audits.completed, audits.rate, audits.not_yet_due) == (6, 3, 50, 1)
    assert "Not yet due, and so not counted: 1 audit and 0 re-audits." in page.content.decode()
    # A re-audit due next year does not make this year's figures 0%.
    Audit.objects.filter(kind=AuditKind.REAUDIT, status=AuditStatus.ALLOCATED).update(
        due_date=datetime.date(2025, 1, 10)
    )
    later = client.get(URL, {"from": "", "to": ""}).context["report"]
    assert later.totals.reaudits.not_yet_due == 1
    assert (later.totals.reaudits.allocated, later.totals.reaudits.rate) == (1, 100)


def test_the_page_draws_the_trend_above_the_table_by_month(client_for, people, small):  # noqa: F811
    page = client_for(people.qa_lead).get(URL).content.decode()
    chart = re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', page)
    assert chart, "no trend chart"
    assert chart.group(1).startswith(
        "Line chart of the compliance rate for audits and re-audits by month from January 2024 "
        "to April 2024."
    )
    assert page.index("Line chart of the compliance rate") < page.index("Compliance by month")


def test_a_period_with_nothing_due_has_no_chart(client_for, people, small):  # noqa: F811
    page = client_for(people.qa_lead).get(URL, {"from": "2023-09", "to": "2023-12"})
    assert page.context["chart_src"] == ""
    assert "no trend to show" in page.content.decode()


def test_every_table_scrolls_in_its_own_labelled_region(client_for, people, small):  # noqa: F811
    page = client_for(people.qa_lead).get(URL).content.decode()
    regions = re.findall(
        r'<div class="ca-scroll" tabindex="0" role="region" aria-labelledby="(\w+)">', page
    )
    assert regions == ["by_month", "by_area", "by_service", "by_team", "by_auditor"]
    for name in regions:
        assert f'id="{name}"' in page


def test_the_figures_download_as_csv_for_the_same_period(client_for, people, small):  # noqa: F811
    client = client_for(people.qa_lead)
    page = client.get(URL, {"from": "2024-02", "to": "2024-03"}).content.decode()
    assert f'href="{CSV_URL}?from=2024-02&amp;to=2024-03"' in page
    response = client.get(CSV_URL, {"from": "2024-02", "to": "2024-03"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="compliance-2024-02-2024-03.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Table", "Line", "Audits allocated", "Audits completed"]
    assert len(rows[0]) == 16
    assert rows[1][:5] == ["Compliance by month", "February 2024", "2", "0", "0"]
    total = next(row for row in rows if row[:2] == ["Compliance by month", "Total"])
    assert total[2:5] == ["4", "1", "25"]
    # A rate with nothing due is empty, not "–".
    assert rows[1][2 + 7 + 2] == ""


def test_names_in_the_csv_cannot_run_as_formulas(client_for, people, small):  # noqa: F811
    small.county.name = "=HYPERLINK(1)"
    small.county.save()
    response = client_for(people.qa_lead).get(CSV_URL)
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("qa_lead", 200), ("director", 200), ("north_manager", 403), ("councillor", 403)],
)
def test_who_may_download_the_csv(client_for, people, small, persona, status):  # noqa: F811
    assert client_for(getattr(people, persona)).get(CSV_URL).status_code == status


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
