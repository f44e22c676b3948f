"""A thematic finding seen in the monthly programme: months whose audits graded the domain the
finding's theme stands for (``choices.PROGRAMME_DOMAIN_THEMES``) as the finding says, linked for
the QA lead, in one query."""

import datetime

import pytest
from django.urls import reverse

from caseaudit.audits.models import Answer
from caseaudit.reports.tests.conftest import JAN, MAR, make_programme
from caseaudit.testing.queries import page_queries
from caseaudit.thematic import actions
from caseaudit.thematic.choices import PROGRAMME_DOMAIN_THEMES, FindingKind, FindingTheme
from caseaudit.thematic.querysets import programme_recurrences

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(council, people, thematic):
    """January (a cross-section) and March 2024 (children missing) of the programme, inside the
    thematic audit's period (January to March 2024). Every audit graded the voice domain
    Inadequate; recording is made Good in March, Inadequate in January."""
    made = make_programme(council, people)
    Answer.objects.filter(
        question__domain__title="Recording", audit__month=made.months[MAR]
    ).update(value="good")
    Answer.objects.filter(
        question__domain__title="Recording", audit__month=made.months[JAN]
    ).update(value="inadequate")
    return made


def _finding(thematic, theme: str, kind=FindingKind.IMPROVEMENT):
    return actions.add_finding(
        thematic.audit,
        kind=kind,
        summary=f"About {theme}",
        theme=theme,
        severity="medium" if kind == FindingKind.IMPROVEMENT else "",
        by=thematic.lead,
    )


def test_months_whose_audits_graded_the_domain_as_the_finding_says(thematic, programme):
    voice = _finding(thematic, "voice")
    recording_weak = _finding(thematic, "recording")
    recording_strong = _finding(thematic, "recording", kind=FindingKind.STRENGTH)
    voice_strong = _finding(thematic, "voice", kind=FindingKind.STRENGTH)
    found = programme_recurrences(
        thematic.audit, [voice, recording_weak, recording_strong, voice_strong]
    )
    completed_in = {
        month: sum(1 for a in programme.completed if a.month_id == programme.months[month].pk)
        for month in (JAN, MAR)
    }
    # Newest first, every completed audit of the month graded Inadequate in the voice domain.
    assert [(r.month, r.domain, r.matching, r.graded) for r in found[voice.pk]] == [
        (MAR, "Voice and lived experience of the child", completed_in[MAR], completed_in[MAR]),
        (JAN, "Voice and lived experience of the child", completed_in[JAN], completed_in[JAN]),
    ]
    assert found[voice.pk][0].grades == "Requires Improvement or Inadequate"
    assert [r.month for r in found[recording_weak.pk]] == [JAN]
    assert [(r.month, r.grades) for r in found[recording_strong.pk]] == [
        (MAR, "Good or Outstanding")
    ]
    # No month graded voice Good or better.
    assert voice_strong.pk not in found


def test_a_theme_no_domain_stands_for_or_a_blank_one_never_matches(thematic, programme):
    assert FindingTheme.STABILITY not in PROGRAMME_DOMAIN_THEMES.values()
    findings = [_finding(thematic, "stability"), _finding(thematic, "")]
    assert programme_recurrences(thematic.audit, findings) == {}


def test_months_outside_the_window_or_below_the_share_do_not_count(thematic, programme):
    voice = _finding(thematic, "voice")
    # A thematic audit of 2026 looks back to 2025 only: 2024's months are too old.
    thematic.audit.period_start = datetime.date(2026, 1, 1)
    thematic.audit.period_end = datetime.date(2026, 3, 31)
    assert programme_recurrences(thematic.audit, [voice]) == {}
    thematic.audit.refresh_from_db()
    # Fewer than half the audits graded it below Good in March: March no longer shows it.
    march = Answer.objects.filter(
        question__domain__title="Voice and lived experience of the child",
        question__kind="grade",
        audit__month=programme.months[MAR],
    ).order_by("pk")
    keep = len(march) // 2 - 1
    Answer.objects.filter(pk__in=[a.pk for a in march[keep:]]).update(value="good")
    assert [r.month for r in programme_recurrences(thematic.audit, [voice])[voice.pk]] == [JAN]


def test_one_query_however_many_findings(thematic, programme, django_assert_max_num_queries):
    findings = [_finding(thematic, theme) for theme in ("voice", "recording", "planning") * 3]
    with django_assert_max_num_queries(1):
        found = programme_recurrences(thematic.audit, findings)
    assert len(found) >= 6


def test_the_page_shows_the_months_and_links_them_for_the_qa_lead(
    client_for, thematic, people, programme
):
    _finding(thematic, "voice")
    month_url = reverse("audits:programme_month", args=[programme.months[MAR].pk])
    page = client_for(people.qa_lead).get(thematic.audit.get_absolute_url()).content.decode()
    assert "Recurring" in page and "Also seen in programme months" in page
    assert "2 months of the monthly audit programme" in page
    assert month_url in page and "March 2024" in page
    assert "graded Requires Improvement or Inadequate in Voice and lived experience" in page
    # The inspection lead leading it is told the months, without a link to a page of the
    # programme they may not open.
    page = client_for(thematic.lead).get(thematic.audit.get_absolute_url()).content.decode()
    assert "March 2024" in page and month_url not in page
    assert client_for(thematic.lead).get(month_url).status_code == 403
    # The page's cost does not grow with more findings seen in more months.
    client = client_for(people.qa_lead)
    url = thematic.audit.get_absolute_url()
    small = page_queries(client, url)
    for theme in ("recording", "planning", "assessment"):
        _finding(thematic, theme)
    assert page_queries(client, url) == small
