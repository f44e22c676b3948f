"""The demo council's published highlight report for last month, made as a QA lead would at
month end: the month closed, narrative written, exemplars chosen from real (synthetic) audits,
then published."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from caseaudit.audits.actions import programme
from caseaudit.audits.compliance import default_period
from caseaudit.audits.models import ProgrammeMonth
from caseaudit.cases.models import Snapshot
from caseaudit.core.months import month_key
from caseaudit.inspection.models import JudgementArea, Recommendation
from caseaudit.reports import actions, candidates
from caseaudit.reports.choices import ExemplarKind, ReportKind, ReportStatus, Section
from caseaudit.reports.models import HighlightReport, KindReport
from caseaudit.reports.periods import STILL_OPEN, reportable_months
from caseaudit.thematic.choices import ThematicStatus
from caseaudit.thematic.models import ThematicAudit

NARRATIVE = {
    Section.INTRODUCTION: "This report sets out the findings of last month's case audits, "
    "the programme's compliance since it began, and what children, families and social "
    "workers told us.",
    Section.RECOMMENDATIONS: "Record the child's lived experience in their own words. "
    "Make every plan's actions specific, with an owner and a date.",
    Section.STANDARDS: "Supervision records show reflection and the decision made. "
    "Chronologies are kept up to date at every change of worker.",
}


@transaction.atomic
def publish_last_month(council, *, qa_lead, today: datetime.date) -> HighlightReport | None:
    """Once: if the council has a published report already, nothing is done."""
    if HighlightReport.objects.filter(council=council, status=ReportStatus.PUBLISHED).exists():
        return None
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    # A report is for a closed month: at month end the QA lead closes last month first.
    last = ProgrammeMonth.objects.filter(council=council, month=month, status__in=STILL_OPEN)
    for still_open in last:
        programme.close_month(still_open, by=qa_lead)
    if month not in reportable_months(council, today):
        return None
    report = actions.start_report(council, from_month=month, to_month=month, by=qa_lead)
    for section, text in NARRATIVE.items():
        actions.save_narrative(council, month=month, section=section, text=text, by=qa_lead)
    chosen_grades = set()
    for answer in candidates.answers(report, qa_lead)[:200]:
        grade = answer.audit.overall_grade
        if grade in chosen_grades or grade not in ("inadequate", "requires_improvement", "good"):
            continue
        _choose(answer.audit, kind=ExemplarKind.DESCRIPTOR, grade=grade, answer=answer, by=qa_lead)
        chosen_grades.add(grade)
    for feedback in candidates.feedback(report, qa_lead)[:2]:
        kind = ExemplarKind.STRENGTH if feedback.what_was_good else ExemplarKind.IMPROVEMENT
        _choose(feedback.audit, kind=kind, feedback=feedback, by=qa_lead)
    for sheet, question in zip(
        candidates.reflections(report, qa_lead)[:2], ("went_well", "do_differently"), strict=False
    ):
        _choose(sheet.audit, kind=ExemplarKind.REFLECTION, question=question, by=qa_lead)
    return actions.publish_report(report, by=qa_lead)


def _choose(audit, **choice) -> None:
    try:
        actions.choose_exemplar(audit, **choice)
    except ValidationError as error:
        # Two audits can share the same synthetic sentence: one exemplar of it is enough.
        # Any other refusal is a fault in the demo, and must not pass unseen.
        if "already been chosen" not in " ".join(error.messages):
            raise


def publish_thematic_overview(council, *, qa_lead, today: datetime.date) -> KindReport | None:
    """Once: the QA lead's overview of the thematic audits that have reported (the seeds'
    overview reports cover the audits finished and in reporting)."""
    if KindReport.objects.filter(
        council=council, kind=ReportKind.THEMATIC, status=ReportStatus.PUBLISHED
    ).exists():
        return None
    ids = list(
        ThematicAudit.objects.filter(
            council=council, status__in=(ThematicStatus.REPORTING, ThematicStatus.COMPLETE)
        ).values_list("pk", flat=True)
    )
    if not ids:
        return None
    draft = actions.start_kind_report(
        council, kind=ReportKind.THEMATIC, parameters={"audits": ids}, by=qa_lead
    )
    return actions.publish_kind_report(draft, by=qa_lead, today=today)


def publish_select_committee_pack(council, *, qa_lead, today: datetime.date) -> KindReport | None:
    """Once: the pack for the latest case data, as the QA lead prepares it for the committee."""
    if KindReport.objects.filter(
        council=council, kind=ReportKind.COMPENDIUM, status=ReportStatus.PUBLISHED
    ).exists():
        return None
    latest = Snapshot.objects.filter(council=council).order_by("-as_at").first()
    if latest is None:
        return None
    draft = actions.start_kind_report(
        council,
        kind=ReportKind.COMPENDIUM,
        parameters={"as_at": latest.as_at.isoformat()},
        by=qa_lead,
    )
    return actions.publish_kind_report(draft, by=qa_lead, today=today)


def publish_help_and_protection_self_evaluation(
    council, *, qa_lead, today: datetime.date
) -> KindReport | None:
    """Once: the QA lead's self-evaluation for help and protection over the last 12 complete
    months, as it would go to the committee before an inspection."""
    if KindReport.objects.filter(
        council=council, kind=ReportKind.SELF_EVALUATION, status=ReportStatus.PUBLISHED
    ).exists():
        return None
    # The area the last inspection's recommendations answer to, else the one judged now.
    areas = JudgementArea.objects.for_council(council.pk).filter(
        name__icontains="help and protection"
    )
    answered = Recommendation.objects.filter(inspection__council=council).values("area")
    area = areas.filter(pk__in=answered).first() or areas.active_on(today).first()
    if area is None:
        return None
    first, last = default_period(today)
    draft = actions.start_kind_report(
        council,
        kind=ReportKind.SELF_EVALUATION,
        parameters={"area": area.pk, "from": month_key(first), "to": month_key(last)},
        by=qa_lead,
    )
    return actions.publish_kind_report(draft, by=qa_lead, today=today)
