"""The programme's judgements: which audits' grades count, and how they are counted.

One rule for every page and report that shows grades (the highlight report's judgements and
domain results, a team's grades beside its performance indicators): a judgement is the
auditor's overall grade of a completed audit (submitted or moderated) of the programme, on
the four-point scale; re-audits are follow-ups of Inadequate cases and count in compliance
only. A domain's grades are the practice tool's grade answers of those same audits. Audits
count in their reporting month (``compliance.reporting_month``). A domain is known by its
title, so every version of a tool counts together; whether it is improving is ``direction``
(an inspection recommendation's audit evidence reads the same figures through
``domain_grades``).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, QuerySet

from caseaudit.audits import compliance
from caseaudit.audits.choices import AuditKind, AuditStatus
from caseaudit.audits.models import Answer
from caseaudit.core.grades import ORDER, Grade
from caseaudit.core.months import months_between
from caseaudit.tools.choices import QuestionKind

GRADES = [grade.value for grade in ORDER]
GOOD_OR_BETTER = (Grade.OUTSTANDING, Grade.GOOD)
IMPROVING, DECLINING, NO_CHANGE, TOO_FEW = (
    "improving",
    "declining",
    "no change",
    "not enough months to tell",
)


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


def graded_answers(
    council, from_month: datetime.date, to_month: datetime.date, *, domain_title: str = ""
) -> QuerySet:
    """Rows of (grade ``value``, ``reporting_month``, ``domain_title``, ``n``): how many
    times each grade was given to each domain in each month of the period."""
    answers = domain_answers(council, from_month, to_month)
    if domain_title:
        answers = answers.filter(question__domain__title=domain_title)
    return (
        answers.values(
            "value",
            reporting_month=compliance.reporting_month("audit__"),
            domain_title=F("question__domain__title"),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )


def direction(shares: list[int | None]) -> str:
    """Improving when the last month's share good or better is above the first month's,
    declining when below; months with no grades are left out."""
    known = [value for value in shares if value is not None]
    if len(known) < 2:
        return TOO_FEW
    if known[-1] == known[0]:
        return NO_CHANGE
    return IMPROVING if known[-1] > known[0] else DECLINING


@dataclass
class DomainGrades:
    """One domain's grades over a period: counts best grade first, the share good or
    better, and that share month by month."""

    title: str
    from_month: datetime.date
    to_month: datetime.date
    counts: list[int] = field(default_factory=lambda: [0] * len(ORDER))
    months: list[tuple[datetime.date, int | None]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def good_or_better(self) -> int | None:
        return compliance.whole_percent(self.counts[0] + self.counts[1], self.total)

    @property
    def direction(self) -> str:
        return direction([share for _, share in self.months])

    @property
    def by_grade(self) -> list[tuple[str, int]]:
        return [(grade.label, count) for grade, count in zip(ORDER, self.counts, strict=True)]


def domain_grades(
    council, domain_title: str, from_month: datetime.date, to_month: datetime.date
) -> DomainGrades:
    """The grades one domain was given over the period, in one query."""
    result = DomainGrades(domain_title, from_month, to_month)
    monthly: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    ranks = {grade.value: index for index, grade in enumerate(ORDER)}
    for row in graded_answers(council, from_month, to_month, domain_title=domain_title):
        result.counts[ranks[row["value"]]] += row["n"]
        good, total = monthly[row["reporting_month"]]
        in_good = row["value"] in GOOD_OR_BETTER
        monthly[row["reporting_month"]] = [good + (row["n"] if in_good else 0), total + row["n"]]
    result.months = [
        (month, compliance.whole_percent(*monthly[month]) if month in monthly else None)
        for month in months_between(from_month, to_month)
    ]
    return result
