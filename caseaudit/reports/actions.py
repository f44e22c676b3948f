"""Every change to a highlight report, its narrative and its exemplars: one function each, with
history written in the same transaction (STYLE.md habits 1–3). Views, the command line and
tests call these."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from caseaudit.audits.choices import AuditStatus
from caseaudit.audits.models import Answer, Audit, Feedback, ReflectionSheet
from caseaudit.core import clock, transitions, versioning
from caseaudit.core.grades import Grade
from caseaudit.core.history import record_change, snapshot
from caseaudit.core.months import month_label
from caseaudit.reports import formats
from caseaudit.reports import permissions as rules
from caseaudit.reports.build import build_highlight
from caseaudit.reports.choices import (
    Edition,
    ExemplarKind,
    Format,
    ReflectionQuestion,
    ReportStatus,
    Section,
)
from caseaudit.reports.models import Exemplar, HighlightReport, Narrative, ReportFile
from caseaudit.reports.render_html import render_body
from caseaudit.reports.sections import redact_child
from caseaudit.reports.transitions import REPORT

NARRATIVE_FIELDS = ["council", "month", "section", "text"]
EXEMPLAR_FIELDS = ["council", "audit", "kind", "grade", "answer", "feedback", "question", "text"]
REPORT_FIELDS = ["council", "from_month", "to_month", "status", "published_by", "published_at"]
MAX_EXEMPLAR_LENGTH = 2000


# Reports ---------------------------------------------------------------------------------------


@transaction.atomic
def start_report(
    council, *, from_month: datetime.date, to_month: datetime.date, by
) -> HighlightReport:
    """The draft report for the period: the one already started, or a new one."""
    if from_month.day != 1 or to_month.day != 1:
        raise ValidationError("A report's period runs from the first day of a month.")
    if from_month > to_month:
        raise ValidationError("The first month must be the same as or before the last month.")
    report = HighlightReport.objects.filter(
        council=council, from_month=from_month, to_month=to_month, status=ReportStatus.DRAFT
    ).first()
    if report is not None:
        return report
    try:
        with transaction.atomic():
            report = HighlightReport.objects.create(
                council=council, from_month=from_month, to_month=to_month, created_by=by
            )
    except IntegrityError:
        # Someone started the same draft a moment ago: theirs is the one.
        return HighlightReport.objects.get(
            council=council, from_month=from_month, to_month=to_month, status=ReportStatus.DRAFT
        )
    record_change(
        report,
        by=by,
        action="created",
        after=snapshot(report, REPORT_FIELDS),
        reason="Draft highlight report started",
    )
    return report


def preview(report: HighlightReport, edition: str = Edition.PUBLIC) -> dict:
    """A draft's data, built from the data as it is now."""
    return build_highlight(
        report.council,
        from_month=report.from_month,
        to_month=report.to_month,
        author=report.created_by,
        edition=edition,
    )


def before_publishing(report: HighlightReport) -> list[str]:
    """What the QA lead should know before publishing: a report already published for the
    same period (publishing again adds a second one, and the first stays as it was), and a
    narrative with nothing written (the report would go out with no commentary)."""
    notes = []
    earlier = (
        HighlightReport.objects.filter(
            council_id=report.council_id,
            from_month=report.from_month,
            to_month=report.to_month,
            status=ReportStatus.PUBLISHED,
        )
        .select_related("published_by")
        .order_by("-published_at")
        .first()
    )
    if earlier is not None:
        who = earlier.published_by.display_name if earlier.published_by else "someone"
        on = timezone.localtime(earlier.published_at)
        notes.append(
            f"A report for {report.period_label} was already published on {on:%-d %B %Y} by "
            f"{who}. Publishing this one adds a second report for the same period; the first "
            "stays as it was."
        )
    written = Narrative.objects.filter(council_id=report.council_id, month=report.to_month).exclude(
        text=""
    )
    if not written.exists():
        notes.append(
            f"Nothing has been written in the narrative for {month_label(report.to_month)}: "
            "the report would go out with no commentary."
        )
    return notes


@transaction.atomic
def publish_report(report: HighlightReport, *, by) -> HighlightReport:
    """Build the report once more, freeze the data and the rendered page and files, and make it
    readable: nothing that happens to the audits afterwards changes a published report."""
    report = HighlightReport.objects.get(pk=report.pk)
    rules.PUBLISH_REPORT.check(by, report)
    before = snapshot(report, REPORT_FIELDS)
    data, internal = (preview(report, edition) for edition in (Edition.PUBLIC, Edition.INTERNAL))
    # One conditional UPDATE: of two people publishing at once, one wins and the other is
    # told the report is already published. The history row (below) leaves out the frozen
    # data and page, which the report itself keeps.
    report, _ = transitions.move_row(
        report,
        ReportStatus.PUBLISHED,
        transitions=REPORT,
        data=data,
        html=render_body(data),
        published_by=by,
        published_at=clock.now(),
    )
    # Both editions are frozen: the internal one as files only, for the QA service.
    ReportFile.objects.bulk_create(
        ReportFile(
            report=report,
            edition=edition,
            format=fmt,
            filename=formats.filename(built, fmt),
            content_type=formats.RENDERINGS[fmt].content_type,
            content=content,
            size=len(content),
        )
        for edition, built in ((Edition.PUBLIC, data), (Edition.INTERNAL, internal))
        for fmt, content in ((fmt, formats.render(built, fmt)) for fmt in Format.values)
    )
    record_change(
        report,
        by=by,
        action="changed",
        before=before,
        after=snapshot(report, REPORT_FIELDS),
        reason="Published",
    )
    return report


# Narrative -------------------------------------------------------------------------------------


NARRATIVE_CHANGED = (
    "The narrative was changed by someone else since you opened this page. Your changes have "
    "not been saved. What you typed is still in the form, and what is saved now is shown above "
    "it: check both, then save again."
)


class NarrativeChanged(versioning.ChangedSinceOpened):
    def __init__(self):
        super().__init__(NARRATIVE_CHANGED)


def narrative_versions(council, month: datetime.date) -> dict[str, int]:
    """Each section's ``lock_version`` for the narrative form; 0 where there is no text yet."""
    saved = dict(
        Narrative.objects.filter(council=council, month=month).values_list(
            "section", "lock_version"
        )
    )
    return {section.value: saved.get(section.value, 0) for section in Section}


@transaction.atomic
def save_month_narrative(
    council, *, month: datetime.date, texts: dict[str, str], versions: dict[str, int], by
) -> None:
    """Every section from the narrative page, all or none: if anyone has saved any section
    since the page was loaded at ``versions``, ``NarrativeChanged`` and nothing is written."""
    for section in Section:
        save_narrative(
            council,
            month=month,
            section=section,
            text=texts.get(section.value, ""),
            lock_version=versions.get(section.value, 0),
            by=by,
        )


@transaction.atomic
def save_narrative(
    council,
    *,
    month: datetime.date,
    section: str,
    text: str,
    by,
    lock_version: int | None = None,
) -> Narrative | None:
    """The QA lead's text for one section of one month's report.

    ``lock_version`` is the section's version when the form was loaded (0 if it had no
    text); None skips the check, for callers that edit no form (the demo, the command line).
    """
    if section not in Section.values:
        raise ValidationError("Choose a section of the report.")
    if month.day != 1:
        raise ValidationError("Narrative is kept per month: give the first day of the month.")
    text = text.strip()
    narrative = (
        Narrative.objects.select_for_update()
        .filter(council=council, month=month, section=section)
        .first()
    )
    if narrative is None:
        if lock_version:
            raise NarrativeChanged()  # it had text when the form was loaded
        if not text:
            return None
        narrative = Narrative(council=council, month=month, section=section)
        before = {}
    else:
        if lock_version is None:
            lock_version = narrative.lock_version
        if narrative.lock_version != lock_version:
            raise NarrativeChanged()
        if narrative.text == text:
            return narrative
        if not versioning.claim(Narrative.objects.all(), narrative.pk, lock_version):
            raise NarrativeChanged()
        narrative.lock_version = lock_version + 1
        before = snapshot(narrative, NARRATIVE_FIELDS)
    narrative.text = text
    narrative.updated_by = by
    narrative.updated_at = clock.now()
    try:
        with transaction.atomic():
            narrative.save()
    except IntegrityError:
        raise NarrativeChanged() from None  # someone else wrote the section's first text
    record_change(
        narrative,
        by=by,
        action="changed" if before else "created",
        before=before,
        after=snapshot(narrative, NARRATIVE_FIELDS),
    )
    return narrative


# Exemplars -------------------------------------------------------------------------------------


def _source_text(kind: str, *, answer, feedback, reflection, question) -> str:
    if kind == ExemplarKind.DESCRIPTOR:
        return answer.text if answer else ""
    if kind == ExemplarKind.STRENGTH:
        return feedback.quote or feedback.what_was_good
    if kind == ExemplarKind.IMPROVEMENT:
        return feedback.could_be_better or feedback.quote
    return getattr(reflection, question, "") if reflection else ""


@transaction.atomic
def choose_exemplar(
    audit: Audit,
    *,
    kind: str,
    by,
    text: str = "",
    grade: str = "",
    answer: Answer | None = None,
    feedback: Feedback | None = None,
    question: str = "",
) -> Exemplar:
    """Use text from a real audit in the highlight report of the audit's month: a descriptor
    of practice at ``grade`` (from ``answer``, or written by QA), a feedback quote that has
    consent to share, or a reflection answer to one of the four questions. ``text`` is what
    the report shows (the source's text when blank); the child's LA child ID is removed."""
    if kind not in ExemplarKind.values:
        raise ValidationError("Choose where the text goes in the report.")
    if audit.status not in AuditStatus.completed():
        raise ValidationError("Choose text from a completed audit.")
    reflection = None
    if kind == ExemplarKind.DESCRIPTOR:
        if grade not in Grade.values:
            raise ValidationError("Select the grade the text describes.")
        if answer is not None and answer.audit_id != audit.pk:
            raise ValidationError("That answer is not from this audit.")
        feedback, question = None, ""
    elif kind in (ExemplarKind.STRENGTH, ExemplarKind.IMPROVEMENT):
        if feedback is None or feedback.audit_id != audit.pk:
            raise ValidationError("Choose feedback given about this audit.")
        if not feedback.consent_to_share:
            raise ValidationError(
                "This feedback cannot be quoted: the person did not consent to share it."
            )
        answer, grade, question = None, "", ""
    else:
        if question not in ReflectionQuestion.values:
            raise ValidationError("Select one of the four reflection questions.")
        reflection = ReflectionSheet.objects.filter(audit=audit).first()
        if reflection is None:
            raise ValidationError("No reflection has been recorded for this audit.")
        answer, feedback, grade = None, None, ""
    text = (text or "").strip() or _source_text(
        kind, answer=answer, feedback=feedback, reflection=reflection, question=question
    ).strip()
    if not text:
        raise ValidationError("Enter the text to show in the report.")
    if len(text) > MAX_EXEMPLAR_LENGTH:
        raise ValidationError(
            f"The text must be {MAX_EXEMPLAR_LENGTH} characters or fewer: shorten it."
        )
    text = redact_child(text, audit.child.la_child_id)
    if Exemplar.objects.filter(
        audit=audit,
        kind=kind,
        grade=grade,
        answer=answer,
        feedback=feedback,
        question=question,
        text=text,
    ).exists():
        raise ValidationError("This text has already been chosen for the report.")
    exemplar = Exemplar.objects.create(
        council_id=audit.council_id,
        audit=audit,
        kind=kind,
        grade=grade,
        answer=answer,
        feedback=feedback,
        question=question,
        text=text,
        chosen_by=by,
    )
    record_change(
        exemplar,
        by=by,
        action="created",
        after=snapshot(exemplar, EXEMPLAR_FIELDS),
        reason=f"Chosen for the highlight report: {exemplar.get_kind_display().lower()}",
    )
    return exemplar


@transaction.atomic
def remove_exemplar(exemplar: Exemplar, *, by) -> None:
    before = snapshot(exemplar, EXEMPLAR_FIELDS)
    record_change(exemplar, by=by, action="deleted", before=before, after={})
    exemplar.delete()
