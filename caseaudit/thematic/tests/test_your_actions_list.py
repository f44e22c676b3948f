"""Your thematic actions as a long list: the inspection's tests cover the shared listing in
full (inspection/tests/test_your_actions_list.py); here, the thematic audit's own column, the
tabs and a filter, and a refusal."""

import datetime

import pytest
from django.urls import reverse

from caseaudit.testing.lists import order_on_page
from caseaudit.thematic import actions
from caseaudit.thematic.choices import ActionStatus
from caseaudit.thematic.models import PlanAction

pytestmark = pytest.mark.django_db
URL = reverse("thematic:your_actions")


def test_your_thematic_actions(client_for, people, thematic, running):
    audit, _audits, _finding, theirs, _own = running
    later = actions.add_action(
        audit,
        action="Check the plans again",
        intended_outcome="Plans stay current",
        owner=people.north_manager,
        due_date=datetime.date(2031, 5, 1),
        by=thematic.lead,
    )
    PlanAction.objects.filter(pk=theirs.pk).update(
        created_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    labels = [theirs.action, later.action]
    client = client_for(people.north_manager)
    html = client.get(URL).content.decode()
    assert order_on_page(html, labels) == [later.action, theirs.action]  # newest first
    assert "To do (2)" in html and "Placement stability" in html and "Overdue" in html
    by_audit = client.get(URL, {"sort": "audit", "order": "desc", "month": "2031-05"})
    assert order_on_page(by_audit.content.decode(), labels) == [later.action]
    PlanAction.objects.filter(pk=later.pk).update(status=ActionStatus.DONE)
    done = client.get(URL, {"tab": "done"}).content.decode()
    assert order_on_page(done, labels) == [later.action]
    bad = client.get(URL, {"status": "x", "sort": "x", "tab": "x"}).content.decode()
    assert "Select a status in the list" in bad and order_on_page(bad, labels) == [theirs.action]
    assert client_for(people.social_worker).get(URL).status_code == 403
