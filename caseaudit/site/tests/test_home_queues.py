"""Home pages as work queues (issue 16, item 1): each role's queues, counted in its own scope,
with status tags and GOV.UK dates; the headline for directors and (suppressed) elected members;
a bounded number of queries for every role."""

import datetime
import re

import pytest
from django.urls import reverse

from caseaudit.audits.actions import reflection, workflow
from caseaudit.audits.tests.test_followup import SHEET, submitted
from caseaudit.audits.tests.test_workflow import import_children, make_audit
from caseaudit.core import clock
from caseaudit.core.dates import govuk_date

pytestmark = pytest.mark.django_db
TODAY = clock.today()
# Two months on, so this month's audits fall in the headline's last 12 complete months.
LATER = TODAY + datetime.timedelta(days=62)


@pytest.fixture
def audits(people, council, tmp_path):
    """N1 (the social worker's case) and N2 for the south manager, S1 for the north manager,
    overdue; N1 submitted, graded Good, and its reflection recorded."""
    children = import_children(people, council, tmp_path)
    made = {
        "N1": make_audit(children["N1"], people.south_manager),
        "N2": make_audit(
            children["N2"], people.south_manager, due=TODAY + datetime.timedelta(days=10)
        ),
        "S1": make_audit(
            children["S1"], people.north_manager, due=TODAY - datetime.timedelta(days=1)
        ),
    }
    submitted(made["N1"], people)
    reflection.record_reflection(made["N1"], met_on=TODAY, by=people.south_manager, **SHEET)
    return made


def queue(page: str, key: str) -> str:
    """The HTML of one queue on the home page."""
    found = re.search(rf'<section[^>]*data-queue="{key}".*?</section>', page, re.S)
    assert found, f"no {key} queue on the page"
    return found.group(0)


def count_of(section: str) -> int:
    return int(re.search(r"<strong[^>]*data-count>([\d,]+)</strong>", section).group(1))


def home(client_for, person) -> str:
    response = client_for(person).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_team_managers_queue_is_their_open_audits_soonest_due_first(client_for, people, audits):
    south = queue(home(client_for, people.south_manager), "audits")
    # N1 is submitted: only N2 is still to do.
    assert count_of(south) == 1
    assert str(audits["N2"].child) in south and str(audits["N1"].child) not in south
    assert govuk_date(audits["N2"].due_date) in south
    assert '<strong class="govuk-tag govuk-tag--grey">Not started</strong>' in south
    assert reverse("audits:your_audits") in south

    north = queue(home(client_for, people.north_manager), "audits")
    assert count_of(north) == 1 and "1</strong> overdue" in north
    assert 'govuk-tag--red">Overdue' in north
    # Never another team's audits.
    assert str(audits["N2"].child) not in north


def test_the_qa_leads_queues_overdue_requests_moderation_and_the_months_stage(
    client_for, people, audits
):
    workflow.request_extension(
        audits["N2"],
        new_due_date=TODAY + datetime.timedelta(days=40),
        reason="The family asked to meet later.",
        by=people.south_manager,
    )
    page = home(client_for, people.qa_lead)
    overdue = queue(page, "overdue")
    assert count_of(overdue) == 1 and str(audits["S1"].child) in overdue
    requests = queue(page, "requests")
    assert count_of(requests) == 1 and f"Extension for {audits['N2'].child}" in requests
    assert reverse("audits:requests") in requests
    assert "No audit is waiting to be moderated." in queue(page, "moderation")
    assert "No import needs attention." in queue(page, "imports")
    assert f"{TODAY:%B %Y} has no programme month yet." in page
    assert '<strong class="govuk-tag govuk-tag--grey">Not set up</strong>' in page


def test_a_social_worker_sees_every_reflection_waiting_and_the_audits_of_their_cases(
    client_for, people, audits
):
    page = home(client_for, people.social_worker)
    waiting = queue(page, "reflections")
    assert count_of(waiting) == 1
    assert f"Reflection on the audit of {audits['N1'].child}" in waiting
    assert f"Met on {govuk_date(TODAY)}" in waiting
    mine = queue(page, "my_cases")
    assert count_of(mine) == 1
    assert str(audits["N1"].child) in mine and str(audits["N2"].child) not in mine
    assert '<strong class="govuk-tag govuk-tag--green">Submitted</strong>' in mine


def test_the_directors_headline_is_counted_and_the_councillors_suppressed(
    client_for, people, audits
):
    with clock.set_to(LATER):
        director = home(client_for, people.director)
        councillor = home(client_for, people.councillor)
    figure = r'data-figure="{}">([^<]*)<'
    assert re.search(figure.format("allocated"), director).group(1) == "3"
    assert re.search(figure.format("completed"), director).group(1) == "1"
    assert re.search(figure.format("rate"), director).group(1) == "33%"
    assert 'data-grade="Good">1<' in director
    assert "data:image/svg+xml;base64," in director
    # An elected member: the same figures, every one from 1 to 5 hidden, and no child.
    for name in ("allocated", "completed", "rate"):
        assert re.search(figure.format(name), councillor).group(1) == "c"
    assert 'data-grade="Good">c<' in councillor and 'data-grade="Total">c<' in councillor
    for audit in audits.values():
        assert str(audit.child) not in councillor
    assert "data-queue=" not in councillor


def test_the_latest_published_report_is_linked_for_the_director(client_for, people, audits):
    from caseaudit.reports.choices import ReportStatus
    from caseaudit.reports.models import HighlightReport

    month = TODAY.replace(day=1)
    # Publishing renders every format; the home page needs only the published row.
    report = HighlightReport.objects.create(
        council=people.qa_lead.council,
        from_month=month,
        to_month=month,
        status=ReportStatus.PUBLISHED,
        created_by=people.qa_lead,
        published_by=people.qa_lead,
        published_at=clock.now(),
    )
    for person in (people.director, people.councillor):
        page = home(client_for, person)
        assert reverse("reports:report", args=[report.pk]) in page
        assert f"published {govuk_date(clock.now())}" in page


@pytest.mark.parametrize(
    ("persona", "most"),
    [
        # The QA lead's includes the data-quality warning count (one query per Annex A list).
        ("qa_lead", 51),
        ("north_manager", 28),
        ("south_manager", 28),
        ("social_worker", 20),
        ("director", 15),
        ("councillor", 11),
        ("administrator", 35),
    ],
)
def test_home_pages_cost_a_bounded_number_of_queries_however_much_work_waits(
    client_for, people, audits, persona, most, django_assert_max_num_queries
):
    def cost() -> int:
        client = client_for(getattr(people, persona))
        with django_assert_max_num_queries(most) as captured:
            assert client.get(reverse("home")).status_code == 200
        return len(captured)

    with clock.set_to(LATER):
        before = cost()
    # More of every kind of work: the queues still show the first few, at the same cost.
    for audit in list(audits.values()) * 3:
        for auditor in (people.north_manager, people.south_manager):
            more = make_audit(audit.child, auditor, due=TODAY - datetime.timedelta(days=3))
            workflow.request_exemption(more, reason="The family moved away.", by=auditor)
    with clock.set_to(LATER):
        assert cost() == before
