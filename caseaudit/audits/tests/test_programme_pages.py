"""The programme pages: only the QA lead may use them; each step works from the page; every
page that lists children is logged; and the pages cost the same however many rows."""

import datetime

import pytest
from django.urls import reverse

from caseaudit.accounts.models import AccessLog
from caseaudit.audits.actions.allocation import allocate_sample
from caseaudit.audits.actions.sampling import confirm_sample, draw_sample
from caseaudit.audits.models import Audit, ProgrammeMonth, Sample
from caseaudit.audits.tests.test_programme_helpers import (
    add_team,
    auditor_for,
    import_cases,
    make_month,
    practice_tool,
    team_cases,
)
from caseaudit.testing.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def children(council, people, tmp_path):
    north, south = people.north_team, people.south_team
    cases = team_cases(north, council.practitioners[north.pk], 3, "N") + team_cases(
        south, council.practitioners[south.pk], 3, "S"
    )
    return import_cases(council.council, tmp_path, cases)


@pytest.fixture
def month(council, children):
    return make_month(council.council, cohort_key="children_in_need")


@pytest.fixture
def allocated(month):
    sample = confirm_sample(draw_sample(month, per_team=1, seed=4, by=None), by=None)
    allocate_sample(sample, by=None)
    return sample


def _pages(month, allocated):
    audit = Audit.objects.first()
    return [
        reverse("audits:programme"),
        reverse("audits:programme_month_create"),
        reverse("audits:programme_month", args=[month.pk]),
        reverse("audits:programme_draw", args=[month.pk]),
        reverse("audits:programme_allocation_preview", args=[allocated.pk]),
        reverse("audits:programme_reallocate", args=[audit.pk]),
    ]


def _posts(month, sample):
    return [
        reverse("audits:programme_month_move", args=[month.pk, "open"]),
        reverse("audits:programme_draw", args=[month.pk]),
        reverse("audits:programme_confirm", args=[sample.pk]),
        reverse("audits:programme_allocate", args=[sample.pk]),
    ]


def test_the_qa_lead_may_see_every_page(client_for, people, month, allocated):
    client = client_for(people.qa_lead)
    for url in _pages(month, allocated):
        response = client.get(url)
        # The preview of an allocated sample sends the QA lead back to the month.
        assert response.status_code == (302 if "allocation" in url else 200), url
    # With two teams, each case's only other team manager already has it.
    reallocating = client.get(_pages(month, allocated)[-1]).content.decode()
    assert "No other team manager may audit this case" in reallocating
    assert 'name="reason"' not in reallocating


@pytest.mark.parametrize(
    "persona", ["north_manager", "social_worker", "director", "councillor", "administrator"]
)
def test_no_one_else_may_see_or_use_them(client_for, people, month, allocated, persona):
    client = client_for(getattr(people, persona))
    for url in _pages(month, allocated):
        assert client.get(url).status_code == 403, url
    for url in _posts(month, allocated):
        assert client.post(url, {"per_team": 1}).status_code == 403, url
    month.refresh_from_db()
    assert month.status == "planned"


def test_anyone_not_signed_in_is_sent_to_sign_in(client, month, allocated):
    for url in _pages(month, allocated):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_another_councils_qa_lead_finds_nothing_of_this_one(client_for, people, month, allocated):
    client = client_for(people.outsider)
    overview = client.get(reverse("audits:programme"))
    assert "March 2024" not in overview.content.decode()
    for url in _pages(month, allocated)[2:] + _posts(month, allocated)[2:]:
        method = client.post if "samples" in url else client.get
        assert method(url).status_code == 404, url


def test_changes_must_be_posted(client_for, people, month, allocated):
    client = client_for(people.qa_lead)
    for url in _posts(month, allocated):
        if "draw" not in url:  # the draw's GET is its form
            assert client.get(url).status_code == 405, url


def _month_fields(month="4", year="2024", due=("30", "4", "2024"), cohort="missing"):
    """The posted form, less the audit tool (which needs the database)."""
    return {
        "month_0": month,
        "month_1": year,
        "cohort_key": cohort,
        "due_date_0": due[0],
        "due_date_1": due[1],
        "due_date_2": due[2],
    }


def test_a_month_is_added_from_the_page(client_for, people):
    client = client_for(people.qa_lead)
    form = client.get(reverse("audits:programme_month_create")).content.decode()
    assert f"{practice_tool().tool.name} (version 1)" in form
    fields = _month_fields() | {"tool_version": practice_tool().pk}
    response = client.post(reverse("audits:programme_month_create"), fields)
    month = ProgrammeMonth.objects.get()
    assert response.url == reverse("audits:programme_month", args=[month.pk])
    assert (month.month, month.due_date, month.cohort_key) == (
        datetime.date(2024, 4, 1),
        datetime.date(2024, 4, 30),
        "missing",
    )
    page = client.get(response.url).content.decode()
    assert "April 2024 has been added to the programme." in page
    assert "Children reported missing" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (_month_fields(month="", year=""), "Enter the month and year, for example 4 2026"),
        (_month_fields(month="13"), "The month must be a number from 1 to 12"),
        (_month_fields(due=("", "", "")), "Enter the date the audits are due"),
        (_month_fields(due=("1", "3", "2024")), "The due date must be on or after the start"),
        (_month_fields(month="3"), "There is already a programme month for March 2024"),
    ],
)
def test_a_month_with_problems_is_refused_with_the_error_summary(
    client_for, people, month, fields, message
):
    fields = fields | {"tool_version": practice_tool().pk}
    response = client_for(people.qa_lead).post(reverse("audits:programme_month_create"), fields)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert page.count(message) == 2  # in the summary and beside the field
    assert "<title>Error:" in page
    assert ProgrammeMonth.objects.count() == 1


def test_a_sample_is_drawn_confirmed_allocated_and_reallocated_from_the_pages(
    client_for, council, people, month, children
):
    client = client_for(people.qa_lead)
    page_url = reverse("audits:programme_month", args=[month.pk])
    start = client.get(page_url).content.decode()
    assert reverse("audits:programme_draw", args=[month.pk]) in start
    form = client.get(reverse("audits:programme_draw", args=[month.pk])).content.decode()
    assert 'name="per_team"' in form
    drawn = client.post(
        reverse("audits:programme_draw", args=[month.pk]),
        {"per_team": "1", "cohort_key": "children_in_need", "exclude_audited_months": "6"},
    )
    assert drawn.url == page_url
    sample = Sample.objects.get()
    preview = client.get(page_url).content.decode()
    assert f"drawn with seed {sample.seed}" in preview
    for case in sample.cases.select_related("child"):
        assert reverse("cases:child", args=[case.child_id]) in preview
        assert case.reason in preview
    assert "Confirm sample" in preview and "Draw again" in preview
    logged = AccessLog.objects.filter(action="listed", record_type="cases.child")
    assert logged.filter(route__contains="programme_month").exists()

    again = {"per_team": "1", "cohort_key": "children_in_need", "exclude_audited_months": "6"}
    client.post(reverse("audits:programme_draw", args=[month.pk]), again)
    sample = Sample.objects.get()  # drawing again replaced the preview
    client.post(reverse("audits:programme_confirm", args=[sample.pk]))
    confirmed = client.get(page_url).content.decode()
    assert "The sample is confirmed" in confirmed
    assert "Preview the allocation" in confirmed and "Confirm sample" not in confirmed
    redraw = client.get(reverse("audits:programme_draw", args=[month.pk])).content.decode()
    assert 'name="per_team"' not in redraw  # no more drawing

    client.post(reverse("audits:programme_allocate", args=[sample.pk]))
    allocated = client.get(page_url).content.decode()
    assert "2 audits allocated to 2 team managers" in allocated
    north_audit = Audit.objects.get(team=people.north_team)
    assert north_audit.auditor == people.south_manager
    assert reverse("audits:programme_reallocate", args=[north_audit.pk]) in allocated

    third, third_manager, _ = add_team(council, "North Safeguarding 2")
    auditor_for(council, third_manager, third, "third.manager")
    url = reverse("audits:programme_reallocate", args=[north_audit.pk])
    form = client.get(url).content.decode()
    assert "Third (0 open)" in form
    assert "North (" not in form  # the child's own team manager is not offered
    refused = client.post(url, {"to_user": third_manager.user.pk, "reason": ""})
    assert "Enter the reason for reallocating the audit" in refused.content.decode()
    moved = client.post(url, {"to_user": third_manager.user.pk, "reason": "Annual leave"})
    assert moved.url == page_url
    north_audit.refresh_from_db()
    assert north_audit.auditor.username == "third.manager"


def test_the_month_is_opened_paused_and_closed_from_its_page(client_for, people, month, allocated):
    client = client_for(people.qa_lead)
    url = reverse("audits:programme_month", args=[month.pk])
    assert "Open the month" in client.get(url).content.decode()
    client.post(reverse("audits:programme_month_move", args=[month.pk, "open"]))
    client.post(reverse("audits:programme_month_move", args=[month.pk, "pause"]))
    page = client.get(url).content.decode()
    assert "March 2024 is now paused." in page
    assert "Resume the month" in page and "Close the month" not in page
    assert "it takes no new sample" in page and "Swap out<span" not in page
    refused = client.post(reverse("audits:programme_month_move", args=[month.pk, "close"]))
    assert "paused, so it cannot be closed" in client.get(refused.url).content.decode()
    unknown = client.post(reverse("audits:programme_month_move", args=[month.pk, "x"]))
    assert unknown.status_code == 404
    month.refresh_from_db()
    assert month.status == "paused"


def test_a_bad_draw_is_shown_with_the_error_summary(client_for, people, month):
    client = client_for(people.qa_lead)
    response = client.post(
        reverse("audits:programme_draw", args=[month.pk]),
        {"per_team": "x", "cohort_key": "", "exclude_audited_months": "6"},
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the cases per team as a whole number, like 1" in page
    none_left = client.post(
        reverse("audits:programme_draw", args=[month.pk]),
        {"per_team": "1", "cohort_key": "cp_sexual_abuse", "exclude_audited_months": "6"},
    )
    assert "No open case in the cohort" in none_left.content.decode()
    assert not Sample.objects.exists()


def test_the_overview_costs_the_same_however_many_months(client_for, people, council):
    client = client_for(people.qa_lead)
    page_queries(client, reverse("audits:programme"))  # a session's first request does more

    def months_added(count: int, first: int) -> int:
        for number in range(first, first + count):
            month = make_month(council.council, month=datetime.date(2023, number, 1))
            Sample.objects.create(month=month, seed=1, status="confirmed")
        return page_queries(client, reverse("audits:programme"))

    assert months_added(1, 1) == months_added(5, 2)


def test_the_month_page_costs_the_same_however_many_cases(client_for, people, council, tmp_path):
    client = client_for(people.qa_lead)
    north, south = people.north_team, people.south_team
    cases = team_cases(north, council.practitioners[north.pk], 4, "N") + team_cases(
        south, council.practitioners[south.pk], 4, "S"
    )
    import_cases(council.council, tmp_path, cases)

    def month_page(month: datetime.date, per_team: int) -> int:
        programme_month = make_month(council.council, month=month)
        sample = draw_sample(programme_month, per_team=per_team, seed=1, by=None)
        allocate_sample(confirm_sample(sample, by=None), by=None)
        page_queries(client, reverse("audits:programme_month", args=[programme_month.pk]))
        return page_queries(client, reverse("audits:programme_month", args=[programme_month.pk]))

    one_each = month_page(datetime.date(2024, 3, 1), 1)
    assert Audit.objects.count() == 2
    assert month_page(datetime.date(2024, 4, 1), 3) == one_each
    assert Audit.objects.count() == 2 + 6


def test_a_form_submitted_blank_shows_its_errors(client_for, people):
    from django.urls import reverse

    page = client_for(people.qa_lead).post(reverse("audits:programme_month_create"), {})
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
