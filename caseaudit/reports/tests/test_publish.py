"""Drafts, narrative and publication: a published report is frozen, and every change is in
the history."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from caseaudit.audits.choices import AuditStatus
from caseaudit.audits.models import Audit
from caseaudit.core.history import history_of
from caseaudit.reports import actions
from caseaudit.reports.choices import Edition, Format, ReportStatus, Section
from caseaudit.reports.models import HighlightReport, Narrative
from caseaudit.reports.tests.conftest import FEB, JAN, MAR

pytestmark = pytest.mark.django_db


def test_a_period_has_one_draft(council, people):
    first = actions.start_report(council.council, from_month=JAN, to_month=MAR, by=people.qa_lead)
    again = actions.start_report(council.council, from_month=JAN, to_month=MAR, by=people.qa_lead)
    assert first == again
    assert [(r.action, r.reason) for r in history_of(first)] == [
        ("created", "Draft highlight report started")
    ]
    with pytest.raises(ValidationError, match="before the last month"):
        actions.start_report(council.council, from_month=MAR, to_month=JAN, by=people.qa_lead)


def test_narrative_is_kept_per_month_with_its_history(council, people):
    c, qa = council.council, people.qa_lead
    actions.save_narrative(c, month=MAR, section=Section.INTRODUCTION, text=" First. ", by=qa)
    saved = actions.save_narrative(
        c, month=MAR, section=Section.INTRODUCTION, text="Second.", by=qa
    )
    actions.save_narrative(c, month=FEB, section=Section.INTRODUCTION, text="February.", by=qa)
    assert Narrative.objects.get(council=c, month=MAR, section="introduction").text == "Second."
    history = list(history_of(saved))
    assert [record.action for record in history] == ["changed", "created"]
    assert history[0].before["text"] == "First."
    assert history[0].after["text"] == "Second."
    # A section left blank that was never written keeps no record.
    assert actions.save_narrative(c, month=MAR, section=Section.THEMES, text=" ", by=qa) is None
    assert not Narrative.objects.filter(section=Section.THEMES).exists()
    with pytest.raises(ValidationError):
        actions.save_narrative(
            c, month=datetime.date(2024, 3, 2), section="introduction", text="x", by=qa
        )


def test_a_published_report_does_not_change_when_the_data_does(council, people, programme):
    c, qa = council.council, people.qa_lead
    actions.save_narrative(c, month=MAR, section=Section.RECOMMENDATIONS, text="Supervise.", by=qa)
    draft = actions.start_report(c, from_month=JAN, to_month=MAR, by=qa)
    report = actions.publish_report(draft, by=qa)
    assert report.status == ReportStatus.PUBLISHED
    assert report.published_by == qa
    assert [(r.action, r.reason) for r in history_of(report)] == [
        ("changed", "Published"),
        ("created", "Draft highlight report started"),
    ]
    assert history_of(report)[0].after["status"] == "published"
    frozen = HighlightReport.objects.get(pk=report.pk)
    files = {(f.edition, f.format): bytes(f.content) for f in frozen.files.all()}
    # Both editions, every format.
    assert set(files) == {(e, f) for e in Edition.values for f in Format.values}
    assert files[Edition.PUBLIC, Format.PDF].startswith(b"%PDF")
    assert b"INTERNAL: NOT FOR PUBLICATION" in files[Edition.INTERNAL, Format.HTML]
    assert b"not for publication" not in files[Edition.PUBLIC, Format.HTML]
    counts = frozen.data["judgements"]["months"][0]["counts"]

    # Afterwards: every January grade becomes Inadequate, a new audit is completed, and the
    # narrative is rewritten.
    Audit.objects.filter(month__month=JAN).exclude(overall_grade="").update(
        overall_grade="inadequate"
    )
    Audit.objects.filter(status=AuditStatus.ALLOCATED, month__month=JAN).update(
        status=AuditStatus.SUBMITTED, overall_grade="good"
    )
    actions.save_narrative(c, month=MAR, section=Section.RECOMMENDATIONS, text="Changed.", by=qa)

    again = HighlightReport.objects.get(pk=report.pk)
    assert again.data == frozen.data
    assert again.data["judgements"]["months"][0]["counts"] == counts
    assert again.data["narrative"]["recommendations"] == "Supervise."
    assert again.html == frozen.html
    assert {(f.edition, f.format): bytes(f.content) for f in again.files.all()} == files
    # A draft built now sees the change: the published copy is not rebuilt.
    live = actions.preview(actions.start_report(c, from_month=JAN, to_month=MAR, by=qa))
    assert live["judgements"]["months"][0]["counts"] != counts


def test_a_report_is_published_once(council, people, programme):
    draft = actions.start_report(council.council, from_month=MAR, to_month=MAR, by=people.qa_lead)
    actions.publish_report(draft, by=people.qa_lead)
    with pytest.raises(ValidationError, match="already been published"):
        actions.publish_report(draft, by=people.qa_lead)
