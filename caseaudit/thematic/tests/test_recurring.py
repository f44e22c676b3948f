"""Recurring findings: the same theme and kind found in another thematic audit of the council,
linked where the person may open it."""

import datetime

import pytest
from django.urls import reverse

from caseaudit.core.history import history_of
from caseaudit.thematic import actions
from caseaudit.thematic.choices import FindingKind, FindingStatus
from caseaudit.thematic.querysets import recurrences

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier(thematic, people):
    """An earlier thematic audit led by the QA lead, with a finding on planning."""
    audit = actions.create_thematic_audit(
        thematic.audit.council,
        title="Care planning 2023",
        lead=people.qa_lead,
        purpose="Are plans current?",
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 3, 31),
        by=people.qa_lead,
    )
    finding = actions.add_finding(
        audit,
        kind=FindingKind.IMPROVEMENT,
        summary="Plans lag behind events",
        theme="planning",
        severity="medium",
        by=people.qa_lead,
    )
    return audit, finding


def _planning(thematic, **extra):
    return actions.add_finding(
        thematic.audit,
        kind=extra.pop("kind", FindingKind.IMPROVEMENT),
        summary="Plans are not updated after moves",
        theme=extra.pop("theme", "planning"),
        severity="high",
        by=thematic.lead,
    )


def test_the_same_theme_and_kind_recurs(thematic, people, earlier):
    other_audit, _ = earlier
    finding = _planning(thematic)
    found = recurrences(thematic.audit, [finding], people.qa_lead)
    assert [(r.thematic_audit_id, r.may_open) for r in found[finding.pk]] == [
        (other_audit.pk, True)
    ]
    assert history_of(finding)[0].after["theme"] == "planning"


def test_another_theme_another_kind_or_no_theme_does_not(thematic, people, earlier):
    findings = [
        _planning(thematic, theme="recording"),
        _planning(thematic, kind=FindingKind.STRENGTH),
        _planning(thematic, theme=""),
    ]
    assert recurrences(thematic.audit, findings, people.qa_lead) == {}


def test_a_dismissed_finding_does_not_count(thematic, people, earlier):
    _, old = earlier
    actions.move_finding(old, FindingStatus.DISMISSED, reason="Not borne out", by=people.qa_lead)
    assert recurrences(thematic.audit, [_planning(thematic)], people.qa_lead) == {}


def test_the_page_links_only_what_the_person_may_open(client_for, thematic, people, earlier):
    other_audit, _ = earlier
    _planning(thematic)
    # The inspection lead does not lead the earlier audit: told it recurs, not what it is.
    page = client_for(thematic.lead).get(thematic.audit.get_absolute_url()).content.decode()
    assert "Recurring" in page and "A thematic audit you cannot open" in page
    assert other_audit.title not in page
    # The QA lead sees every thematic audit, and gets the link.
    page = client_for(people.qa_lead).get(thematic.audit.get_absolute_url()).content.decode()
    assert other_audit.get_absolute_url() in page and other_audit.title in page


def test_recurrence_costs_two_queries_however_many_findings(
    thematic, people, earlier, django_assert_num_queries
):
    findings = [_planning(thematic) for _ in range(5)]
    with django_assert_num_queries(2):
        found = recurrences(thematic.audit, findings, people.qa_lead)
    assert len(found) == 5


def test_an_unknown_theme_is_refused(thematic):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _planning(thematic, theme="made_up")


def test_the_lead_gives_an_older_finding_its_theme(client_for, thematic, people, earlier):
    finding = _planning(thematic, theme="")
    client = client_for(thematic.lead)
    url = reverse("thematic:finding_theme", args=[thematic.audit.pk, finding.pk])
    assert url in client.get(thematic.audit.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 200
    assert client.post(url, {"theme": "planning"}).status_code == 302
    finding.refresh_from_db()
    assert finding.theme == "planning"
    assert history_of(finding)[0].before == {"theme": ""}
    assert recurrences(thematic.audit, [finding], people.qa_lead)
    # A team manager or another lead may not.
    assert client_for(people.north_manager).get(url).status_code == 403
    assert client_for(people.area_lead).get(url).status_code == 404
