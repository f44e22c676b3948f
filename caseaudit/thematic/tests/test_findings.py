"""A finding's life: identified → confirmed or dismissed → assigned → actions → closed, each step
guarded, recorded and shown on the thematic audit's page."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from caseaudit.core import clock
from caseaudit.core.history import history_of
from caseaudit.thematic import actions
from caseaudit.thematic.choices import ActionStatus, FindingKind, FindingStatus

pytestmark = pytest.mark.django_db


def test_an_area_for_improvement_lives_to_closure(
    client_for, thematic, people, running, django_capture_on_commit_callbacks
):
    audit, _, finding, theirs, _ = running
    lead = thematic.lead
    people.north_manager.email = "north.manager@example.org"
    people.north_manager.save(update_fields=["email"])
    client = client_for(lead)
    client.post(reverse("thematic:move_finding", args=[audit.pk, finding.pk]), {"to": "confirmed"})
    page = client.get(audit.get_absolute_url()).content.decode()
    assert "Assign<span" in page

    due = clock.today() + datetime.timedelta(days=40)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("thematic:assign_finding", args=[audit.pk, finding.pk]),
            {
                "owner": people.north_manager.pk,
                "due_date_0": due.day,
                "due_date_1": due.month,
                "due_date_2": due.year,
                "severity": "medium",
            },
        )
    assert response.status_code == 302, response.content.decode()
    finding.refresh_from_db()
    assert (finding.status, finding.owner, finding.due_date, finding.severity) == (
        FindingStatus.ASSIGNED,
        people.north_manager,
        due,
        "medium",
    )
    assert mail.outbox, [m.subject for m in mail.outbox]
    assert mail.outbox[-1].subject.startswith("A finding of a thematic audit")
    page = client.get(audit.get_absolute_url()).content.decode()
    assert "0 of 1 done" in page and people.north_manager.display_name in page

    # Not closed while its action is open.
    with pytest.raises(ValidationError, match="actions not done"):
        actions.move_finding(finding, FindingStatus.CLOSED, by=lead)
    actions.update_action(theirs, status=ActionStatus.DONE, evidence="Done", by=lead)
    assert "1 of 1 done" in client.get(audit.get_absolute_url()).content.decode()
    client.post(reverse("thematic:move_finding", args=[audit.pk, finding.pk]), {"to": "closed"})
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED
    moves = [(h.before.get("status"), h.after.get("status")) for h in history_of(finding)]
    assert {("identified", "confirmed"), ("confirmed", "assigned"), ("assigned", "closed")} <= set(
        moves
    )
    # A closed finding takes no more actions.
    with pytest.raises(ValidationError, match="closed"):
        actions.add_action(
            audit,
            action="More",
            intended_outcome="More",
            owner=lead,
            due_date=clock.today(),
            finding=finding,
            by=lead,
        )


def test_assigning_is_guarded(thematic, people, running):
    audit, _, finding, _, _ = running
    lead = thematic.lead
    due = clock.today() + datetime.timedelta(days=5)
    with pytest.raises(ValidationError, match="identified, so it cannot be assigned"):
        actions.assign_finding(
            finding, owner=people.north_manager, due_date=due, severity="low", by=lead
        )
    actions.move_finding(finding, FindingStatus.CONFIRMED, by=lead)
    with pytest.raises(ValidationError):
        actions.assign_finding(
            finding, owner=people.outsider, due_date=due, severity="low", by=lead
        )
    with pytest.raises(ValidationError):
        actions.assign_finding(
            finding,
            owner=people.north_manager,
            due_date=clock.today() - datetime.timedelta(days=1),
            severity="low",
            by=lead,
        )
    with pytest.raises(PermissionDenied, match="Only the lead"):
        actions.assign_finding(
            finding, owner=people.north_manager, due_date=due, severity="low", by=people.area_lead
        )
    strength = actions.add_finding(audit, kind=FindingKind.STRENGTH, summary="Good", by=lead)
    actions.move_finding(strength, FindingStatus.CONFIRMED, by=lead)
    with pytest.raises(ValidationError, match="Only an area for improvement"):
        actions.assign_finding(
            strength, owner=people.north_manager, due_date=due, severity="low", by=lead
        )
    # A strength closes once confirmed, with no owner.
    assert actions.move_finding(strength, FindingStatus.CLOSED, by=lead).status == "closed"


def test_a_dismissed_finding_keeps_its_reason_and_takes_no_actions(thematic, running):
    audit, _, finding, _, _ = running
    lead = thematic.lead
    dismissed = actions.move_finding(
        finding, FindingStatus.DISMISSED, reason="Seen in one case only", by=lead
    )
    assert dismissed.dismissed_reason == "Seen in one case only"
    with pytest.raises(ValidationError, match="dismissed"):
        actions.add_action(
            audit,
            action="More",
            intended_outcome="More",
            owner=lead,
            due_date=clock.today(),
            finding=finding,
            by=lead,
        )


@pytest.mark.parametrize("who", ["north_manager", "outsider", "area_lead"])
def test_only_the_lead_assigns(client_for, people, running, who):
    audit, _, finding, _, _ = running
    url = reverse("thematic:assign_finding", args=[audit.pk, finding.pk])
    assert client_for(getattr(people, who)).get(url).status_code in (403, 404)


def test_the_assign_form_shows_govuk_errors(client_for, thematic, running):
    audit, _, finding, _, _ = running
    actions.move_finding(finding, FindingStatus.CONFIRMED, by=thematic.lead)
    page = client_for(thematic.lead).post(
        reverse("thematic:assign_finding", args=[audit.pk, finding.pk]), {}
    )
    html = page.content.decode()
    assert "There is a problem" in html and "Select the owner" in html
