"""The text a QA lead may choose exemplars from: written answers of completed audits, feedback
that has consent to share, and reflection sheets, for a report's period. Child-level text, so
the page that lists it is access-logged and filtered by what the person may see."""

from caseaudit.audits.choices import AuditStatus
from caseaudit.audits.models import Answer, Audit, Feedback, ReflectionSheet
from caseaudit.reports.periods import in_period
from caseaudit.tools.choices import QuestionKind


def _in_period(queryset, report):
    return in_period(queryset, report.council, report.from_month, report.to_month)


def _audits(report, user):
    return Audit.objects.filter(
        council=report.council, status__in=AuditStatus.completed()
    ) & Audit.objects.visible_to(user)


def answers(report, user):
    return (
        _in_period(
            Answer.objects.filter(
                audit__in=_audits(report, user), question__kind=QuestionKind.TEXT
            ).exclude(text=""),
            report,
        )
        .select_related("audit__month__saved_cohort", "question__domain")
        .order_by(
            "audit__month__saved_cohort__name",
            "audit__month__cohort_key",
            "question__domain__position",
            "pk",
        )
    )


def feedback(report, user):
    return (
        _in_period(
            Feedback.objects.filter(audit__in=_audits(report, user), consent_to_share=True),
            report,
        )
        .select_related("audit__month__saved_cohort")
        .order_by("given_on", "pk")
    )


def reflections(report, user):
    return (
        _in_period(ReflectionSheet.objects.filter(audit__in=_audits(report, user)), report)
        .select_related("audit__month__saved_cohort")
        .order_by("met_on", "pk")
    )
