"""The thematic audit and cohort pages, person by person (STYLE.md habit 11)."""

import pytest
from django.urls import reverse

from caseaudit.cases.models import CohortDefinition
from caseaudit.core import clock
from caseaudit.core.history import history_of
from caseaudit.core.months import add_months
from caseaudit.testing.queries import page_queries
from caseaudit.thematic import actions
from caseaudit.thematic.choices import ActionStatus, SampleMethod, ThematicStatus

pytestmark = pytest.mark.django_db


def test_the_lead_runs_the_audit_from_its_page(client_for, thematic, running):
    audit, audits, finding, theirs, _ = running
    client = client_for(thematic.lead)
    page = client.get(audit.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Plans are not updated after moves" in html and "Overdue" in html
    assert "Rating distribution" in html
    response = client.post(
        reverse("thematic:move_finding", args=[audit.pk, finding.pk]), {"to": "confirmed"}
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "confirmed"
    assert client.get(reverse("thematic:forward_plan")).status_code == 200


def test_forms_show_govuk_errors(client_for, thematic, running):
    audit = running[0]
    client = client_for(thematic.lead)
    page = client.post(reverse("thematic:create"), {})
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    assert "Enter the title" in page.content.decode()
    page = client.post(reverse("thematic:dismiss_finding", args=[audit.pk, running[2].pk]), {})
    assert "Enter the reason for dismissing the finding" in page.content.decode()
    page = client.post(reverse("thematic:update_action", args=[running[4].pk]), {"status": "done"})
    assert "Enter the evidence that the action is complete" in page.content.decode()


def test_an_inspection_lead_sees_only_the_thematic_audits_they_lead(client_for, people, running):
    audit = running[0]
    client = client_for(people.area_lead)
    assert audit.title not in client.get(reverse("thematic:index")).content.decode()
    assert client.get(audit.get_absolute_url()).status_code == 404
    # The QA lead sees every thematic audit of the council.
    qa = client_for(people.qa_lead)
    assert audit.title in qa.get(reverse("thematic:index")).content.decode()


def test_a_team_manager_sees_only_their_actions_and_their_audits(client_for, people, running):
    audit, audits, _, theirs, own = running
    client = client_for(people.north_manager)
    assert client.get(reverse("thematic:index")).status_code == 403
    assert client.get(audit.get_absolute_url()).status_code == 403
    assert client.get(reverse("thematic:forward_plan")).status_code == 403
    listed = client.get(reverse("thematic:your_actions")).content.decode()
    assert theirs.action in listed and own.action not in listed and "Overdue" in listed
    assert client.get(reverse("thematic:update_action", args=[own.pk])).status_code == 404
    home = client.get(reverse("home")).content.decode()
    assert "You own 1 open action from thematic audits: 1 overdue." in home
    response = client.post(
        reverse("thematic:update_action", args=[theirs.pk]),
        {"status": "done", "evidence": "All 14 plans reviewed"},
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.status == ActionStatus.DONE and theirs.completed_on == clock.today()
    mine = [a for a in audits if a.auditor_id == people.north_manager.pk]
    for allocated in mine:
        assert client.get(reverse("audits:audit", args=[allocated.pk])).status_code == 200


@pytest.mark.parametrize("who", ["social_worker", "councillor", "director"])
def test_others_are_refused(client_for, people, running, who):
    client = client_for(getattr(people, who))
    for url in (
        reverse("thematic:index"),
        running[0].get_absolute_url(),
        reverse("cases:cohorts"),
        reverse("cases:cohort_new"),
    ):
        assert client.get(url).status_code == 403, url


def test_another_councils_lead_cannot_see_it(client_for, people, running):
    client = client_for(people.outsider)
    assert client.get(running[0].get_absolute_url()).status_code == 404
    assert client.get(reverse("cases:cohort", args=[running[0].cohort_id])).status_code == 404


def test_moving_through_the_statuses_sets_the_rereview(client_for, thematic, running):
    audit = running[0]
    client = client_for(thematic.lead)
    audit.refresh_from_db()
    assert audit.status == ThematicStatus.IN_PROGRESS  # allocation started it
    client.post(reverse("thematic:move_on", args=[audit.pk]))
    client.post(reverse("thematic:move_on", args=[audit.pk]))
    audit.refresh_from_db()
    assert audit.status == ThematicStatus.COMPLETE
    assert audit.rereview_due == add_months(clock.today(), 6)
    assert [h.action for h in history_of(audit)][:3] == ["changed", "changed", "changed"]
    plan = client.get(reverse("thematic:forward_plan")).content.decode()
    assert "Re-review due" in plan and audit.title in plan


def test_the_detail_page_cost_does_not_grow_with_the_sample(client_for, thematic, people):
    audit, lead = thematic.audit, thematic.lead
    client = client_for(lead)

    def page_with(size):
        actions.draw_sample(audit, method=SampleMethod.RANDOM_N, size=size, seed=1, by=lead)
        return page_queries(client, audit.get_absolute_url())

    assert page_with(3) == page_with(20)


def test_the_cohort_builder_shows_the_size_and_saves(client_for, people, thematic):
    client = client_for(people.qa_lead)
    data = {
        "name": "Three or more placements",
        "c-TOTAL_FORMS": "2",
        "c-INITIAL_FORMS": "0",
        "c-0-field": "cla.placements_last_12_months",
        "c-0-op": "gte",
        "c-0-value": "3",
        "c-1-field": "",
    }
    size = client.post(reverse("cases:cohort_new"), data, headers={"HX-Request": "true"})
    assert "children as at" in size.content.decode() or "child as at" in size.content.decode()
    bad = client.post(reverse("cases:cohort_new"), {**data, "c-0-value": "three", "save": "1"})
    assert "There is a problem" in bad.content.decode()
    assert "whole number" in bad.content.decode()
    saved = client.post(reverse("cases:cohort_new"), {**data, "save": "1"})
    cohort = CohortDefinition.objects.get(name="Three or more placements")
    assert saved.status_code == 302 and saved["Location"] == cohort.get_absolute_url()
    page = client.get(cohort.get_absolute_url()).content.decode()
    assert "Age band" in page and "Legal status" in page and "13–17" in page
