"""The grades audits gave each domain of the audit tool, by month: the one query the
highlight report's domain results and an inspection recommendation's audit evidence both
count with, and the one rule for whether a domain is improving.

Completed audits of the programme (not re-audits, which follow up Inadequate cases) count in
their reporting month (``compliance.reporting_month``); a domain is known by its title, so
every version of a tool counts together.
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

GOOD_OR_BETTER = (Grade.OUTSTANDING, Grade.GOOD)
IMPROVING, DECLINING, NO_CHANGE, TOO_FEW = (
    "improving",
    "declining",
    "no change",
    "not enough months to tell",
)


def graded_answers(
    council, from_month: datetime.date, to_month: datetime.date, *, domain_title: str = ""
) -> QuerySet:
    """Rows of (grade ``value``, ``reporting_month``, ``domain_title``, ``n``): how many
    times each grade was given to each domain in each month of the period."""
    month = compliance.reporting_month("audit__")
    answers = Answer.objects.filter(
        audit__council=council,
        audit__kind=AuditKind.AUDIT,
        audit__status__in=AuditStatus.completed(),
        question__kind=QuestionKind.GRADE,
        value__in=[grade.value for grade in ORDER],
    )
    if domain_title:
        answers = answers.filter(question__domain__title=domain_title)
    return (
        answers.filter(compliance.could_count_in(council, from_month, to_month, "audit__"))
        .alias(answer_month=month)
        .filter(answer_month__gte=from_month, answer_month__lte=to_month)
        .values("value", reporting_month=month, domain_title=F("question__domain__title"))
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
