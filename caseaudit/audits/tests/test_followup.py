"""After the audit: safeguarding alerts, practice actions, the reflection sheet and feedback."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caseaudit.accounts.choices import Role, Scope
from caseaudit.audits.actions import feedback, practice, reflection, safeguarding, workflow
from caseaudit.audits.choices import ActionStatus, AuditStatus
from caseaudit.audits.models import Feedback, PracticeAction, ReflectionSheet, SafeguardingAlert
from caseaudit.audits.tests.test_workflow import fill_in, import_children, make_audit
from caseaudit.conftest import make_user
from caseaudit.core import clock
from caseaudit.core.history import history_of
from caseaudit.organisation.choices import JobRole
from caseaudit.organisation.models import Assignment

pytestmark = pytest.mark.django_db
TODAY = clock.today()


@pytest.fixture
def children(people, council, tmp_path):
    return import_children(people, council, tmp_path)


@pytest.fixture
def service_manager(council, people):
    """The north team manager's own manager, with an account."""
    worker = council.hire(people.north_team, JobRole.SERVICE_MANAGER)
    Assignment.objects.current().filter(worker=people.north_manager.worker).update(manager=worker)
    return make_user(
        council.council, "service.manager", Role.SENIOR_MANAGER, Scope.COUNCIL, worker=worker
    )


@pytest.fixture
def audit(children, people):
    """Child N1 (north, our social worker's case), audited by the south manager."""
    return make_audit(children["N1"], people.south_manager)


def submitted(audit, people):
    fill_in(audit, by=people.south_manager)
    return workflow.submit_audit(audit, by=people.south_manager).audit


# Safeguarding alerts -------------------------------------------------------------------------


def test_an_alert_reaches_the_childs_team_manager_and_service_manager_by_email(
    audit, people, service_manager, mailoutbox, django_capture_on_commit_callbacks
):
    people.north_manager.email = "north@example.org"
    people.north_manager.save()
    service_manager.email = "service@example.org"
    service_manager.save()
    with django_capture_on_commit_callbacks(execute=True):
        alert = safeguarding.raise_alert(
            audit, concern="Bruising seen at the last visit, no follow-up.", by=people.south_manager
        )
    assert set(alert.recipients.all()) == {people.north_manager, service_manager}
    assert sorted(m.to[0] for m in mailoutbox) == ["north@example.org", "service@example.org"]
    assert all("N1" not in m.body and "Bruising" not in m.body for m in mailoutbox)
    assert history_of(alert).get().action == "created"


def test_an_alert_needs_a_concern_and_a_live_audit_and_the_right_person(audit, people):
    with pytest.raises(ValidationError) as blank:
        safeguarding.raise_alert(audit, concern="  ", by=people.south_manager)
    assert blank.value.message_dict == {"concern": ["Enter what you are worried about and why"]}
    with pytest.raises(PermissionDenied):
        safeguarding.raise_alert(audit, concern="Worried", by=people.north_manager)
    workflow.cancel_audit(audit, reason="Drawn in error", by=people.qa_lead)
    with pytest.raises(ValidationError, match="cancelled"):
        safeguarding.raise_alert(audit, concern="Worried", by=people.qa_lead)
    assert not SafeguardingAlert.objects.exists()


def test_with_no_manager_to_tell_the_alert_goes_to_qa(children, people):
    audit = make_audit(children["N1"], people.south_manager)
    people.north_manager.is_active = False
    people.north_manager.save()
    alert = safeguarding.raise_alert(audit, concern="Worried", by=people.south_manager)
    assert list(alert.recipients.all()) == [people.qa_lead]


def test_the_action_taken_is_recorded_once_by_someone_told_of_it(audit, people, service_manager):
    alert = safeguarding.raise_alert(audit, concern="Worried", by=people.south_manager)
    assert list(SafeguardingAlert.objects.open()) == [alert]
    with pytest.raises(PermissionDenied):
        safeguarding.record_action_taken(alert, action_taken="Visited", by=people.social_worker)
    with pytest.raises(ValidationError):
        safeguarding.record_action_taken(alert, action_taken="", by=service_manager)
    safeguarding.record_action_taken(alert, action_taken="Visited today", by=service_manager)
    alert.refresh_from_db()
    assert (alert.action_taken, alert.closed_by) == ("Visited today", service_manager)
    assert not SafeguardingAlert.objects.open().exists()
    with pytest.raises(ValidationError, match="already"):
        safeguarding.record_action_taken(alert, action_taken="Again", by=people.north_manager)
    assert [r.action for r in history_of(alert)] == ["changed", "created"]


# Practice actions ----------------------------------------------------------------------------


def test_a_practice_action_is_owned_by_someone_in_the_childs_team(audit, people, council):
    worker = people.social_worker.worker
    made = practice.add_action(
        audit,
        action="Update the child's plan with their wishes",
        owner=worker,
        due_date=TODAY + datetime.timedelta(days=14),
        by=people.south_manager,
    )
    assert (made.status, made.created_by) == (ActionStatus.OPEN, people.south_manager)
    stranger = council.practitioners[people.south_team.pk][0]
    with pytest.raises(ValidationError) as bad:
        practice.add_action(
            audit,
            action="",
            owner=stranger,
            due_date=TODAY - datetime.timedelta(days=1),
            by=people.south_manager,
        )
    assert set(bad.value.message_dict) == {"action", "owner", "due_date"}
    with pytest.raises(PermissionDenied):
        practice.add_action(
            audit, action="x", owner=worker, due_date=TODAY, by=people.north_manager
        )
    assert PracticeAction.objects.count() == 1


def test_overdue_actions_surface_for_the_owner_and_their_manager(audit, people):
    with clock.set_to(TODAY - datetime.timedelta(days=30)):
        made = practice.add_action(
            audit,
            action="Visit",
            owner=people.social_worker.worker,
            due_date=TODAY - datetime.timedelta(days=2),
            by=people.south_manager,
        )
    assert list(PracticeAction.objects.overdue()) == [made]
    for person in (people.social_worker, people.north_manager):
        assert list(PracticeAction.objects.owned_or_managed_by(person).overdue()) == [made]
        assert list(PracticeAction.objects.visible_to(person)) == [made]
    assert not PracticeAction.objects.owned_or_managed_by(people.south_manager).exists()
    assert not PracticeAction.objects.visible_to(people.councillor).exists()


def test_closing_an_action_done_or_no_longer_needed(audit, people):
    made = practice.add_action(
        audit,
        action="Visit",
        owner=people.social_worker.worker,
        due_date=TODAY,
        by=people.south_manager,
    )
    with pytest.raises(PermissionDenied):
        practice.close_action(made, done=True, by=people.director)
    with pytest.raises(ValidationError):
        practice.close_action(made, done=False, note="", by=people.north_manager)
    practice.close_action(made, done=True, by=people.north_manager)  # the owner's manager
    made.refresh_from_db()
    assert made.status == ActionStatus.DONE and made.completed_at
    with pytest.raises(ValidationError, match="already"):
        practice.close_action(made, done=False, note="Not needed", by=people.social_worker)


# Reflection ----------------------------------------------------------------------------------

SHEET = {
    "went_well": "Direct work with the child.",
    "challenges": "Caseload.",
    "tools_needed": "Mostly.",
    "do_differently": "Record the child's words.",
}


def test_the_reflection_follows_a_submitted_audit_and_needs_all_four_answers(audit, people):
    with pytest.raises(ValidationError, match="submit the audit first"):
        reflection.record_reflection(audit, met_on=TODAY, by=people.south_manager, **SHEET)
    submitted(audit, people)
    with pytest.raises(ValidationError) as missing:
        reflection.record_reflection(audit, met_on=None, by=people.south_manager)
    assert set(missing.value.message_dict) == {"met_on", *reflection.QUESTIONS}
    sheet = reflection.record_reflection(audit, met_on=TODAY, by=people.south_manager, **SHEET)
    assert sheet.recorded_by == people.south_manager
    changed = reflection.record_reflection(
        audit, met_on=TODAY, by=people.south_manager, **{**SHEET, "challenges": "Time."}
    )
    assert changed.pk == sheet.pk and ReflectionSheet.objects.get().challenges == "Time."
    assert [r.action for r in history_of(sheet)] == ["changed", "created"]


def test_only_the_social_worker_responds(audit, people):
    submitted(audit, people)
    sheet = reflection.record_reflection(audit, met_on=TODAY, by=people.south_manager, **SHEET)
    with pytest.raises(PermissionDenied):
        reflection.respond(sheet, response="Mine", by=people.south_manager)
    with pytest.raises(ValidationError):
        reflection.respond(sheet, response=" ", by=people.social_worker)
    reflection.respond(sheet, response="I agree, and I need more time.", by=people.social_worker)
    sheet.refresh_from_db()
    assert sheet.worker_response.startswith("I agree") and sheet.responded_at


# Feedback ------------------------------------------------------------------------------------


def test_feedback_records_who_how_when_and_consent(audit, people):
    made = feedback.record_feedback(
        audit,
        given_by="parent",
        method="phone",
        given_on=TODAY,
        what_was_good="She listened.",
        quote="She listened to us.",
        consent_to_share=True,
        by=people.south_manager,
    )
    assert made.consent_to_share and made.agency == ""
    with pytest.raises(ValidationError) as bad:
        feedback.record_feedback(
            audit,
            given_by="partner",
            method="fax",
            given_on=TODAY + datetime.timedelta(days=1),
            by=people.south_manager,
        )
    assert set(bad.value.message_dict) == {"agency", "method", "given_on", "what_was_good"}
    with pytest.raises(PermissionDenied):
        feedback.record_feedback(
            audit,
            given_by="parent",
            method="phone",
            given_on=TODAY,
            quote="x",
            by=people.social_worker,
        )
    assert Feedback.objects.count() == 1


def test_the_clock_dates_what_actions_stamp(audit, people):
    """The demo replays history through the actions: the dates they stamp follow the clock."""
    then = datetime.date(2019, 3, 4)
    with clock.set_to(then):
        fill_in(audit, by=people.south_manager)
        done = workflow.submit_audit(audit, by=people.south_manager).audit
    assert done.status == AuditStatus.SUBMITTED
    assert done.submitted_at.date() == then and done.started_at.date() == then
