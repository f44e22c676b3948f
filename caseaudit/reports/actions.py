"""Every change to a highlight report, its narrative and its exemplars: one function each, with
history written in the same transaction (STYLE.md habits 1–3). Views, the command line and
tests call these."""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from caseaudit.audits.choices import AuditStatus
from caseaudit.audits.models import Answer, Audit, Feedback, ReflectionSheet
from caseaudit.core import clock, transitions, versioning
from caseaudit.core.grades import Grade
from caseaudit.core.guards import Rule
from caseaudit.core.history import record_change, snapshot
from caseaudit.core.months import month_label
from caseaudit.reports import formats, kinds, periods
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
from caseaudit.reports.models import Exemplar, HighlightReport, KindReport, Narrative, ReportFile
from caseaudit.reports.render_html import render_body, render_kind_body
from caseaudit.reports.sections import redact_child
from caseaudit.reports.transitions import REPORT

NARRATIVE_FIELDS = ["council", "month", "section", "text"]
EXEMPLAR_FIELDS = ["council", "audit", "kind", "grade", "answer", "feedback", "question", "text"]
REPORT_FIELDS = ["council", "from_month", "to_month", "status", "published_by", "published_at"]
MAX_EXEMPLAR_LENGTH = 2000
logger = logging.getLogger(__name__)


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
    periods.check_reportable(council, to_month)
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


# The kinds of report ``PUBLISHERS`` publishes in the background, as the task names them.
HIGHLIGHT, KIND = "highlight", "kind"
# Publishing takes two builds (the public and the internal edition) and a file for each format
# of each: the steps the publishing page counts.
PUBLISH_STEPS = len(Edition) * (1 + len(Format))
# A publication queued this long ago and not finished has lost its worker: it may be asked for
# again.
PUBLISH_TIMEOUT = datetime.timedelta(minutes=15)
PUBLISH_FAILED = (
    "The report could not be published: something went wrong while it was being written. "
    "Nothing was published. Try again, and tell the administrator if it happens again."
)
NOT_QUEUED = (
    "The report could not be sent for publishing: the background queue did not take it. "
    "Nothing was published. Try again, and tell the administrator if it happens again."
)


@transaction.atomic
def queue_publication(report: HighlightReport | KindReport, *, by):
    """Ask the background worker to publish the draft (``tasks.publish_in_background``): the
    PDF and Word files take longer than a page should. Any kind of report (``PUBLISHERS``).
    One request at a time: a second is refused while the first is running, unless it failed
    or its worker was lost."""
    which = publisher_of(report)
    publisher = PUBLISHERS[which]
    report = publisher.model.objects.get(pk=report.pk)
    publisher.rule.check(by, report)
    now = clock.now()
    queued = (
        publisher.model.objects.filter(pk=report.pk, status=ReportStatus.DRAFT)
        .filter(
            Q(publish_queued_at__isnull=True)
            | Q(publish_queued_at__lt=now - PUBLISH_TIMEOUT)
            | ~Q(publish_failure="")
        )
        .update(publish_queued_by=by, publish_queued_at=now, publish_progress=0, publish_failure="")
    )
    if not queued:
        raise ValidationError("This report is already being published.")
    transaction.on_commit(lambda: _queue(report.pk, which))
    return publisher.model.objects.get(pk=report.pk)


def _queue(report_id: int, which: str) -> None:
    from caseaudit.reports.tasks import publish_in_background

    try:
        publish_in_background.enqueue(report_id, which)
    except Exception:
        logger.exception("Report %s (%s) could not be queued for publishing", report_id, which)
        publication_failed(report_id, NOT_QUEUED, which)


def publication_failed(report_id: int, message: str, which: str = HIGHLIGHT) -> None:
    PUBLISHERS[which].model.objects.filter(pk=report_id, status=ReportStatus.DRAFT).update(
        publish_failure=message
    )


def publication_progress(report_id: int, step: int, which: str = HIGHLIGHT) -> None:
    """Outside the publication's own transaction, so the publishing page sees it."""
    PUBLISHERS[which].model.objects.filter(pk=report_id).update(publish_progress=step)


def is_publishing(report, now: datetime.datetime | None = None) -> bool:
    return (
        report.status == ReportStatus.DRAFT
        and report.publish_queued_at is not None
        and not report.publish_failure
        and report.publish_queued_at >= (now or clock.now()) - PUBLISH_TIMEOUT
    )


def _steps(progress):
    """``done()`` after each of ``PUBLISH_STEPS``, telling ``progress`` if given."""
    steps = iter(range(1, PUBLISH_STEPS + 1))

    def done() -> None:
        step = next(steps)
        if progress is not None:
            progress(step)

    return done


def _frozen_files(editions: dict, done) -> list[ReportFile]:
    """Every format of both editions, rendered: the files a published report keeps (the
    internal edition as files only, for the QA service)."""
    files = []
    for edition, built in editions.items():
        for fmt in Format.values:
            content = formats.render(built, fmt)
            files.append(
                ReportFile(
                    edition=edition,
                    format=fmt,
                    filename=formats.filename(built, fmt),
                    content_type=formats.RENDERINGS[fmt].content_type,
                    content=content,
                    size=len(content),
                )
            )
            done()
    return files


def publish_report(report: HighlightReport, *, by, progress=None) -> HighlightReport:
    """Build the report once more, freeze the data and the rendered page and files, and make it
    readable: nothing that happens to the audits afterwards changes a published report.

    The building and writing come first, outside any transaction (``progress(step)`` after
    each of ``PUBLISH_STEPS``); then one short transaction publishes it all or nothing."""
    report = HighlightReport.objects.select_related("council", "created_by").get(pk=report.pk)
    rules.PUBLISH_REPORT.check(by, report)
    done = _steps(progress)
    editions = {}
    for edition in (Edition.PUBLIC, Edition.INTERNAL):
        editions[edition] = preview(report, edition)
        done()
    files = _frozen_files(editions, done)
    data = editions[Edition.PUBLIC]
    with transaction.atomic():
        before = snapshot(report, REPORT_FIELDS)
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
        for file in files:
            file.report = report
        ReportFile.objects.bulk_create(files)
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


# Every other kind of report (``reports.kinds``) ------------------------------------------------

KIND_REPORT_FIELDS = ["council", "kind", "parameters", "title", "status", "published_by"]


@transaction.atomic
def start_kind_report(council, *, kind: str, parameters: dict, by) -> KindReport:
    """A draft of ``kind`` covering ``parameters`` (checked by the kind, for ``by``)."""
    if kind not in kinds.KINDS:
        raise ValidationError("Choose a kind of report.")
    chosen = kinds.KINDS[kind]
    if by is not None and not chosen.may_prepare(by):
        raise PermissionDenied(f"You cannot prepare a {chosen.label.lower()}.")
    parameters = chosen.clean(council, parameters, by)
    report = KindReport.objects.create(
        council=council,
        kind=kind,
        parameters=parameters,
        title=chosen.title(parameters),
        created_by=by,
    )
    record_change(
        report,
        by=by,
        action="created",
        after=snapshot(report, KIND_REPORT_FIELDS),
        reason=f"Draft {chosen.label.lower()} started",
    )
    return report


def preview_kind(report: KindReport, edition: str = Edition.PUBLIC) -> dict:
    return kinds.build(report, edition=edition)


def publish_kind_report(report: KindReport, *, by, today=None, progress=None) -> KindReport:
    """Build the report once more and freeze it, its page and its files (both editions): nothing
    that happens to the data afterwards changes it. Built and rendered first, outside any
    transaction (``progress(step)`` after each of ``PUBLISH_STEPS``, as for a highlight
    report); then one short transaction publishes it all or nothing. The pages queue it for
    the background worker (``queue_publication``); the demo calls it directly."""
    report = KindReport.objects.select_related("council").get(pk=report.pk)
    rules.PUBLISH_KIND_REPORT.check(by, report)
    done = _steps(progress)
    editions = {}
    for edition in (Edition.PUBLIC, Edition.INTERNAL):
        editions[edition] = kinds.build(report, edition=edition, today=today)
        done()
    files = _frozen_files(editions, done)
    data = editions[Edition.PUBLIC]
    with transaction.atomic():
        before = snapshot(report, KIND_REPORT_FIELDS)
        report, _ = transitions.move_row(
            report,
            ReportStatus.PUBLISHED,
            transitions=REPORT,
            data=data,
            html=render_kind_body(data),
            title=data["title"],
            published_by=by,
            published_at=clock.now(),
        )
        for file in files:
            file.kind_report = report
        ReportFile.objects.bulk_create(files)
        record_change(
            report,
            by=by,
            action="changed",
            before=before,
            after=snapshot(report, KIND_REPORT_FIELDS),
            reason="Published",
        )
    return report


# Publishing in the background, for every kind of report ---------------------------------------


@dataclass(frozen=True)
class Publisher:
    """What ``queue_publication`` and ``tasks.publish_in_background`` need to know of a kind of
    report: its model, who may publish it now, and the action that publishes it."""

    model: type[HighlightReport] | type[KindReport]
    rule: Rule
    publish: Callable


PUBLISHERS = {
    HIGHLIGHT: Publisher(HighlightReport, rules.PUBLISH_REPORT, publish_report),
    KIND: Publisher(KindReport, rules.PUBLISH_KIND_REPORT, publish_kind_report),
}


def publisher_of(report) -> str:
    return KIND if isinstance(report, KindReport) else HIGHLIGHT
