"""The text a QA lead may choose exemplars from: written answers of completed audits, feedback
that has consent to share, and reflection sheets, for a report's period. Child-level text, so
the page that lists it is access-logged and filtered by what the person may see."""

from caseaudit.audits.choices import AuditStatus
from caseaudit.audits.compliance import reporting_month
from caseaudit.audits.models import Answer, Audit, Feedback, ReflectionSheet
from caseaudit.tools.choices import QuestionKind


def _in_period(queryset, report, prefix: str):
    return queryset.alias(counted_month=reporting_month(prefix)).filter(
        counted_month__gte=report.from_month, counted_month__lte=report.to_month
    )


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
            "audit__",
        )
        .select_related("audit__month", "question__domain")
        .order_by("audit__month__cohort_key", "question__domain__position", "pk")
    )


def feedback(report, user):
    return (
        _in_period(
            Feedback.objects.filter(audit__in=_audits(report, user), consent_to_share=True),
            report,
            "audit__",
        )
        .select_related("audit__month")
        .order_by("given_on", "pk")
    )


def reflections(report, user):
    return (
        _in_period(
            ReflectionSheet.objects.filter(audit__in=_audits(report, user)), report, "audit__"
        )
        .select_related("audit__month")
        .order_by("met_on", "pk")
    )
