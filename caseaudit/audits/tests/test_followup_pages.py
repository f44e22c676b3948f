"""The pages after an audit: who reaches them, who is refused, errors, and the home pages."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from caseaudit.accounts.choices import AccessAction
from caseaudit.accounts.models import AccessLog
from caseaudit.audits.actions import practice, reflection, safeguarding
from caseaudit.audits.models import Feedback, PracticeAction, ReflectionSheet, SafeguardingAlert
from caseaudit.audits.tests.test_followup import SHEET, submitted
from caseaudit.audits.tests.test_workflow import import_children, make_audit
from caseaudit.core import clock

pytestmark = pytest.mark.django_db
TODAY = clock.today()


@pytest.fixture
def audit(people, council, tmp_path):
    children = import_children(people, council, tmp_path)
    return make_audit(children["N1"], people.south_manager)


def date_fields(name, day: datetime.date) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("south_manager", 200),  # the auditor
        ("qa_lead", 200),
        ("north_manager", 404),  # cannot see this audit at all
        ("social_worker", 403),  # can see the audit, cannot raise from it
        ("councillor", 403),
        ("outsider", 404),
    ],
)
def test_who_may_raise_an_alert_add_actions_and_feedback(
    client_for, people, audit, persona, status
):
    client = client_for(getattr(people, persona))
    for name in ("raise_alert", "add_action", "add_feedback"):
        assert client.get(reverse(f"audits:{name}", args=[audit.pk])).status_code == status


def test_raising_an_alert_from_the_page_puts_it_on_the_managers_home_until_acted_on(
    client_for, people, audit
):
    url = reverse("audits:raise_alert", args=[audit.pk])
    auditor = client_for(people.south_manager)
    blank = auditor.post(url, {"concern": ""})
    assert "Enter what you are worried about and why" in blank.content.decode()
    assert blank.content.decode().count('href="#id_concern"') == 1
    assert not SafeguardingAlert.objects.exists()
    response = auditor.post(url, {"concern": "No visit for 10 weeks."})
    assert response.status_code == 302
    alert = SafeguardingAlert.objects.get()

    manager = client_for(people.north_manager)
    home = manager.get(reverse("home")).content.decode()
    assert "safeguarding alert needs" in home and reverse("audits:alert", args=[alert.pk]) in home
    # The manager is not this audit's auditor, but was told of the alert, so may open it.
    page = manager.get(reverse("audits:alert", args=[alert.pk]))
    assert page.status_code == 200 and "No visit for 10 weeks." in page.content.decode()
    assert AccessLog.objects.filter(
        record_type="audits.safeguardingalert", record_id=str(alert.pk), action=AccessAction.VIEWED
    ).exists()
    assert (
        manager.post(reverse("audits:alert", args=[alert.pk]), {"action_taken": ""}).status_code
        == 200
    )
    manager.post(reverse("audits:alert", args=[alert.pk]), {"action_taken": "Visited today."})
    alert.refresh_from_db()
    assert alert.closed_by == people.north_manager
    assert "safeguarding alert needs" not in manager.get(reverse("home")).content.decode()


def test_the_alert_page_is_refused_to_those_not_told_and_not_seeing_the_audit(
    client_for, people, audit
):
    alert = safeguarding.raise_alert(audit, concern="Worried", by=people.south_manager)
    url = reverse("audits:alert", args=[alert.pk])
    assert client_for(people.south_manager).get(url).status_code == 200
    assert client_for(people.outsider).get(url).status_code == 404
    assert client_for(people.councillor).get(url).status_code == 403
    # QA may record the action when no one else does; the social worker sees it, cannot close it.
    worker = client_for(people.social_worker)
    assert worker.get(url).status_code == 200
    assert worker.post(url, {"action_taken": "Done"}).status_code == 403


def test_a_practice_action_added_on_the_page_shows_for_the_owner_and_their_manager(
    client_for, people, audit
):
    auditor = client_for(people.south_manager)
    url = reverse("audits:add_action", args=[audit.pk])
    blank = auditor.post(url, {"action": "", "owner": ""})
    assert blank.status_code == 200 and "Enter what needs to be done" in blank.content.decode()
    auditor.post(
        url,
        {
            "action": "Hear the child's wishes before the review",
            "owner": people.social_worker.worker.pk,
            **date_fields("due_date", TODAY),
        },
    )
    made = PracticeAction.objects.get()
    with clock.set_to(TODAY + datetime.timedelta(days=3)):
        for person in (people.social_worker, people.north_manager):
            client = client_for(person)
            listing = client.get(reverse("audits:practice_actions")).content.decode()
            assert "Hear the child" in listing and "Overdue" in listing
            assert "overdue" in client.get(reverse("home")).content.decode()
    worker = client_for(people.social_worker)
    page = reverse("audits:practice_action", args=[made.pk])
    worker.post(page, {"outcome": "done"})
    made.refresh_from_db()
    assert made.status == "done"
    assert client_for(people.outsider).get(page).status_code == 404


def test_the_reflection_and_the_social_workers_response(client_for, people, audit):
    auditor = client_for(people.south_manager)
    url = reverse("audits:reflection", args=[audit.pk])
    early = auditor.post(url, {**SHEET, **date_fields("met_on", TODAY)}, follow=True)
    assert "submit the audit first" in early.content.decode()
    assert not ReflectionSheet.objects.exists()
    submitted(audit, people)
    blank = auditor.post(url, {})
    assert blank.content.decode().count("govuk-error-message") == 5
    auditor.post(url, {**SHEET, **date_fields("met_on", TODAY), "lock_version": 0})
    sheet = ReflectionSheet.objects.get()

    worker = client_for(people.social_worker)
    home = worker.get(reverse("home")).content.decode()
    assert f"Reflection on the audit of {audit.child}" in home
    page = worker.get(reverse("audits:audit", args=[audit.pk])).content.decode()
    assert "Record the child&#x27;s words." in page and "Add your response" in page
    respond = reverse("audits:reflection_response", args=[audit.pk])
    assert client_for(people.south_manager).get(respond).status_code == 403
    worker = client_for(people.social_worker)
    worker.post(respond, {"response": "I would add that the school helped."})
    sheet.refresh_from_db()
    assert sheet.worker_response == "I would add that the school helped."
    home = worker.get(reverse("home")).content.decode()
    assert "No reflection is waiting for your response." in home
    assert f"Reflection on the audit of {audit.child}" not in home


def test_feedback_from_the_page(client_for, people, audit):
    auditor = client_for(people.south_manager)
    url = reverse("audits:add_feedback", args=[audit.pk])
    bad = auditor.post(url, {"given_by": "partner"}).content.decode()
    assert "Enter the name of the partner agency" not in bad  # the form's own errors come first
    assert "Select how the feedback was given" in bad
    auditor.post(
        url,
        {
            "given_by": "partner",
            "agency": "Oak Primary School",
            "method": "written",
            **date_fields("given_on", TODAY),
            "what_was_good": "Quick to call us back.",
            "consent_to_share": "on",
        },
    )
    saved = Feedback.objects.get()
    assert (saved.agency, saved.consent_to_share) == ("Oak Primary School", True)
    page = auditor.get(reverse("audits:audit", args=[audit.pk])).content.decode()
    assert "Oak Primary School" in page


def test_the_audit_page_query_count_does_not_grow_with_what_follows_it(
    client_for, people, audit, django_assert_max_num_queries
):
    submitted(audit, people)
    reflection.record_reflection(audit, met_on=TODAY, by=people.south_manager, **SHEET)
    client = client_for(people.south_manager)
    url = reverse("audits:audit", args=[audit.pk])

    def add(n):
        for _ in range(n):
            safeguarding.raise_alert(audit, concern="Worried", by=people.south_manager)
            practice.add_action(
                audit,
                action="Visit",
                owner=people.social_worker.worker,
                due_date=TODAY,
                by=people.south_manager,
            )

    add(1)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add(4)
    with django_assert_max_num_queries(len(one)):
        client.get(url)


def _loaded_version(page) -> str:
    return re.search(r'name="lock_version" value="(\d+)"', page.content.decode()).group(1)


@pytest.mark.parametrize("sheet_exists", [False, True])
def test_a_stale_reflection_save_is_refused_and_the_first_is_kept(people, audit, sheet_exists):
    submitted(audit, people)
    if sheet_exists:
        reflection.record_reflection(audit, met_on=TODAY, by=people.south_manager, **SHEET)
    url = reverse("audits:reflection", args=[audit.pk])
    first, second = Client(), Client()
    first.force_login(people.south_manager)
    second.force_login(people.qa_lead)
    # Both open the page before either saves.
    first_version, second_version = (
        _loaded_version(first.get(url)),
        _loaded_version(second.get(url)),
    )
    day = date_fields("met_on", TODAY)

    saved = first.post(
        url, {**SHEET, **day, "went_well": "The first words.", "lock_version": first_version}
    )
    assert saved.status_code == 302
    refused = second.post(
        url, {**SHEET, **day, "went_well": "The second words.", "lock_version": second_version}
    )
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "There is a problem" in page
    assert "The reflection was changed by someone else since you opened this page" in page
    assert "The second words." in page  # what they typed, to keep
    assert "What is saved now" in page and "The first words." in page
    assert ReflectionSheet.objects.get().went_well == "The first words."

    # Having seen both, saving again from the refused page goes ahead.
    again = second.post(
        url, {**SHEET, **day, "went_well": "Both.", "lock_version": _loaded_version(refused)}
    )
    assert again.status_code == 302
    assert ReflectionSheet.objects.get().went_well == "Both."
