"""A small audit programme for the highlight report: January 2024 (a cross-section of teams),
February 2024 (paused) and March 2024 (children reported missing), with grades, domain grades,
written comments, feedback and reflection sheets. Made directly, as the programme's actions
would leave them."""

import datetime
from itertools import cycle
from types import SimpleNamespace

import pytest

from caseaudit.audits.choices import (
    AuditKind,
    AuditStatus,
    FeedbackFrom,
    FeedbackMethod,
    MonthStatus,
)
from caseaudit.audits.models import Answer, Audit, Feedback, ProgrammeMonth, ReflectionSheet
from caseaudit.audits.tests.test_compliance import make_children, new_audit, practice_tool
from caseaudit.core.grades import ORDER
from caseaudit.thematic.tests.conftest import generated, thematic  # noqa: F401  (fixtures)
from caseaudit.tools.choices import QuestionKind
from caseaudit.tools.models import Question

JAN, FEB, MAR = (datetime.date(2024, month, 1) for month in (1, 2, 3))
TODAY = datetime.date(2024, 4, 15)
# Every audit's status, in turn: four of every six count as completed, one is cancelled.
STATUSES = (
    AuditStatus.SUBMITTED,
    AuditStatus.MODERATED,
    AuditStatus.SUBMITTED,
    AuditStatus.ALLOCATED,
    AuditStatus.SUBMITTED,
    AuditStatus.CANCELLED,
)


def child_id(number: int, prefix: str) -> str:
    return f"{prefix}{number:05d}"


def make_programme(council, people, *, per_team: int = 6, prefix: str = "HR") -> SimpleNamespace:
    """``per_team`` audits for each team in January and in March, and two re-audits a team."""
    c = council.council
    version = practice_tool()
    months = {}
    for month, status, cohort in (
        (JAN, MonthStatus.CLOSED, ""),
        (FEB, MonthStatus.PAUSED, ""),
        (MAR, MonthStatus.CLOSED, "missing"),
    ):
        months[month] = ProgrammeMonth.objects.create(
            council=c,
            month=month,
            status=status,
            tool_version=version,
            cohort_key=cohort,
            due_date=month + datetime.timedelta(days=27),
        )
    teams = council.teams
    count = per_team * len(teams) * 2 + 2 * len(teams)
    children = make_children(c, count, prefix=prefix)
    auditors = cycle([people.north_manager, people.south_manager])
    statuses = cycle(STATUSES)
    grades = cycle([*ORDER, ORDER[1], ORDER[2]])
    audits = []
    kids = iter(children)
    for month in (JAN, MAR):
        for team in teams:
            for _ in range(per_team):
                status = next(statuses)
                audits.append(
                    new_audit(
                        c,
                        child=next(kids),
                        team=team,
                        auditor=next(auditors),
                        month=months[month],
                        due_date=months[month].due_date,
                        status=status,
                        overall_grade=next(grades).value
                        if status in AuditStatus.completed()
                        else "",
                        tool_version=version,
                    )
                )
    for team in teams:
        for status in (AuditStatus.SUBMITTED, AuditStatus.ALLOCATED):
            audits.append(
                new_audit(
                    c,
                    kind=AuditKind.REAUDIT,
                    child=next(kids),
                    team=team,
                    auditor=next(auditors),
                    due_date=datetime.date(2024, 3, 20),
                    status=status,
                    tool_version=version,
                )
            )
    Audit.objects.bulk_create(audits)
    completed = list(
        Audit.objects.filter(council=c, status__in=AuditStatus.completed(), kind=AuditKind.AUDIT)
        .select_related("child")
        .order_by("pk")
    )
    grade_questions = list(
        Question.objects.filter(domain__version=version, kind=QuestionKind.GRADE).order_by(
            "domain__position"
        )
    )
    comment = Question.objects.get(
        domain__version=version, domain__position=1, kind=QuestionKind.TEXT
    )
    answers, feedback, reflections = [], [], []
    for number, audit in enumerate(completed):
        for position, question in enumerate(grade_questions):
            # Domain 1 is weakest (always Inadequate), the last domain strongest.
            if position == 0:
                value = "inadequate"
            elif position == len(grade_questions) - 1:
                value = "outstanding"
            else:
                value = ORDER[(number + position) % 4].value
            answers.append(Answer(audit=audit, question=question, value=value))
        answers.append(
            Answer(
                audit=audit,
                question=comment,
                text=f"Child {audit.child.la_child_id} was seen alone and their views recorded.",
            )
        )
        feedback.append(
            Feedback(
                audit=audit,
                given_by=FeedbackFrom.PARENT if number % 2 else FeedbackFrom.PARTNER,
                method=FeedbackMethod.PHONE,
                given_on=audit.due_date,
                what_was_good="The social worker listened.",
                could_be_better="Visits were sometimes cancelled.",
                quote=f"{audit.child.la_child_id}'s worker is the best in the world.",
                consent_to_share=number % 3 != 0,
                recorded_by=audit.auditor,
            )
        )
        reflections.append(
            ReflectionSheet(
                audit=audit,
                met_on=audit.due_date,
                went_well="Direct work with the child.",
                challenges="Caseload pressure.",
                tools_needed="Yes, mostly.",
                do_differently="Hold the core group sooner.",
                recorded_by=audit.auditor,
            )
        )
    Answer.objects.bulk_create(answers)
    Feedback.objects.bulk_create(feedback)
    ReflectionSheet.objects.bulk_create(reflections)
    return SimpleNamespace(months=months, completed=completed, comment=comment)


@pytest.fixture
def programme(council, people):
    return make_programme(council, people)
