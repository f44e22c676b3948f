"""A thematic audit's progress per team, and the days left until its end date."""

import datetime

import pytest
from django.urls import reverse

from caseaudit.audits.actions import workflow
from caseaudit.audits.tests.test_workflow import fill_in
from caseaudit.core import clock
from caseaudit.thematic.querysets import days_remaining, team_progress

pytestmark = pytest.mark.django_db


def _submit(audit):
    fill_in(audit, by=audit.auditor)
    workflow.submit_audit(audit, by=audit.auditor)


def test_progress_counts_each_teams_audits(thematic, running):
    audit, audits = running[0], running[1]
    _submit(audits[0])
    rows = team_progress(audit)
    assert sum(r.sampled for r in rows) == 6 and sum(r.allocated for r in rows) == 6
    assert sum(r.completed for r in rows) == 1
    done_team = audits[0].team.name
    assert next(r for r in rows if r.team == done_team).completed == 1
    assert [r.team for r in rows] == sorted(r.team for r in rows)


def test_the_page_shows_progress_and_days_remaining(client_for, thematic, running):
    audit = running[0]
    page = client_for(thematic.lead).get(audit.get_absolute_url()).content.decode()
    assert "Progress by team" in page and "Audits completed" in page and "All teams" in page
    left = (audit.period_end - clock.today()).days
    assert days_remaining(audit) == left
    if left > 0:
        assert f"{left} day" in page and "remaining" in page
    else:
        assert "passed" in page or "ends today" in page


def test_days_remaining_counts_to_the_end_date(thematic):
    audit = thematic.audit
    assert days_remaining(audit, audit.period_end - datetime.timedelta(days=3)) == 3
    assert days_remaining(audit, audit.period_end + datetime.timedelta(days=2)) == -2


def test_progress_is_one_query(thematic, running, django_assert_num_queries):
    with django_assert_num_queries(1):
        team_progress(running[0])


def test_a_team_manager_or_an_outsider_cannot_see_it(client_for, people, running):
    url = reverse("thematic:detail", args=[running[0].pk])
    assert client_for(people.north_manager).get(url).status_code == 403
    assert client_for(people.outsider).get(url).status_code == 404
