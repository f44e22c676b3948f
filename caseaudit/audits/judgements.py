"""The programme's judgements: which audits' grades count, and how they are counted.

One rule for every page and report that shows grades (the highlight report's judgements and
domain results, a team's grades beside its performance indicators): a judgement is the
auditor's overall grade of a completed audit (submitted or moderated) of the programme, on
the four-point scale; re-audits are follow-ups of Inadequate cases and count in compliance
only. A domain's grades are the practice tool's grade answers of those same audits. Audits
count in their reporting month (``compliance.reporting_month``).
"""

import datetime

from django.db.models import Count, F, QuerySet

from caseaudit.audits import compliance
from caseaudit.audits.choices import AuditKind, AuditStatus
from caseaudit.audits.models import Answer
from caseaudit.core.grades import ORDER
from caseaudit.tools.choices import QuestionKind

GRADES = [grade.value for grade in ORDER]


def judged(audits: QuerySet) -> QuerySet:
    """Completed audits (not re-audits) with an overall grade."""
    return audits.filter(compliance.COMPLETED, kind=AuditKind.AUDIT, overall_grade__in=GRADES)


def grade_counts(values: dict[str, int]) -> list[int]:
    """Counts by grade (a dict of grade value to count) in the scale's order."""
    return [values.get(grade, 0) for grade in GRADES]


def domain_answers(council, from_month: datetime.date, to_month: datetime.date) -> QuerySet:
    """The grade answers of the council's judged audits counting in the months given, with
    their ``answer_month`` (reporting month) to group by."""
    month = compliance.reporting_month("audit__")
    return (
        Answer.objects.filter(
            audit__council=council,
            audit__kind=AuditKind.AUDIT,
            audit__status__in=AuditStatus.completed(),
            question__kind=QuestionKind.GRADE,
            value__in=GRADES,
        )
        .filter(compliance.could_count_in(council, from_month, to_month, "audit__"))
        .alias(answer_month=month)
        .filter(answer_month__gte=from_month, answer_month__lte=to_month)
    )


def team_grades(council, team, from_month: datetime.date, to_month: datetime.date) -> dict:
    """A team's judgements in the months given: ``overall``, counts by grade in the scale's
    order, and ``domains``, (domain, counts by grade) by domain title. Two grouped queries."""
    audits = compliance.counted_audits(council, from_month=from_month, to_month=to_month)
    overall = dict(
        judged(audits.filter(team=team))
        .values("overall_grade")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("overall_grade", "n")
    )
    by_domain: dict[str, dict[str, int]] = {}
    for row in (
        domain_answers(council, from_month, to_month)
        .filter(audit__team=team)
        .values("value", domain_title=F("question__domain__title"))
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_domain.setdefault(row["domain_title"], {})[row["value"]] = row["n"]
    return {
        "overall": grade_counts(overall),
        "domains": [(title, grade_counts(by_domain[title])) for title in sorted(by_domain)],
    }
