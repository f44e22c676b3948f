"""Evidence reads the rest of caseaudit as it is now: the audits' grades for a domain, and an
indicator's values at each snapshot, equal to what the audit and performance pages count."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse

from caseaudit.audits.choices import AuditKind, AuditStatus
from caseaudit.audits.models import Answer
from caseaudit.cases.models import Snapshot
from caseaudit.core import clock
from caseaudit.core.grades import ORDER
from caseaudit.inspection import actions
from caseaudit.inspection.choices import EvidenceKind
from caseaudit.inspection.evidence import read
from caseaudit.performance.indicators import INDICATORS, evaluate
from caseaudit.performance.tests.test_pages import FEBRUARY, JANUARY, two_months  # noqa: F401
from caseaudit.reports import sections
from caseaudit.reports.tests.conftest import JAN, MAR, make_programme
from caseaudit.tools.choices import QuestionKind

pytestmark = pytest.mark.django_db
DOMAIN = "Planning and review"


def test_audit_grades_are_the_programmes_own_count(council, people, inspection):
    make_programme(council, people)
    linked = actions.link_evidence(
        inspection.recommendations[2],
        kind=EvidenceKind.AUDIT_DOMAIN,
        domain_title=DOMAIN,
        from_month=JAN,
        to_month=MAR,
        by=people.qa_lead,
    )
    shown = read(linked, council.council)
    # Counted by hand: every grade given to the domain by a completed audit (not a re-audit).
    by_hand = Counter(
        Answer.objects.filter(
            audit__council=council.council,
            audit__kind=AuditKind.AUDIT,
            audit__status__in=AuditStatus.completed(),
            question__kind=QuestionKind.GRADE,
            question__domain__title=DOMAIN,
        ).values_list("value", flat=True)
    )
    assert shown.domain.counts == [by_hand[grade.value] for grade in ORDER]
    assert shown.domain.total > 0
    # The highlight report's domain results say the same of the same period.
    report, _ = sections.domains(council.council, JAN, MAR, "January to March 2024", JAN)
    row = next(d for d in report["all"] if d["title"] == DOMAIN)
    assert row["direction"] == shown.domain.direction
    assert shown.link.endswith("?from=2024-01&to=2024-03")
    assert f"{shown.domain.total} grades given" in shown.detail


@pytest.mark.usefixtures("two_months")
def test_an_indicator_reads_its_value_at_each_snapshot(council, people, inspection):
    code = "cp_second_or_subsequent_pct"
    linked = actions.link_evidence(
        inspection.recommendations[1],
        kind=EvidenceKind.INDICATOR,
        indicator_code=code,
        target=Decimal("40"),
        by=people.qa_lead,
    )
    shown = read(linked, council.council).indicator
    expected = [
        evaluate(Snapshot.objects.get(council=council.council, as_at=day), [INDICATORS[code]])[
            code
        ].value
        for day in (JANUARY, FEBRUARY)
    ]
    assert [value for _, value in shown.values] == expected
    assert shown.latest_on == FEBRUARY
    # 6 of 13 in January, 7 of 15 in February: more repeat plans, and lower is better.
    assert shown.trend == "worsening"
    assert shown.target_met is False


def test_an_indicator_with_no_case_data_yet_reads_nothing(council, people, inspection):
    linked = actions.link_evidence(
        inspection.recommendations[1],
        kind=EvidenceKind.INDICATOR,
        indicator_code="icpc_15wd_pct",
        by=people.qa_lead,
    )
    shown = read(linked, council.council).indicator
    assert shown.latest is None and shown.trend == "no earlier value to compare"


def test_evidence_older_than_a_year_is_flagged_stale(council, people, inspection, client_for):
    linked = actions.link_evidence(
        inspection.recommendations[0],
        kind=EvidenceKind.AUDIT_DOMAIN,
        domain_title=DOMAIN,
        from_month=JAN,
        to_month=MAR,
        by=people.qa_lead,
    )
    shown = read(linked, council.council)
    assert shown.as_of == datetime.date(2024, 3, 31)
    assert not shown.is_stale(datetime.date(2025, 3, 31))
    assert shown.is_stale(datetime.date(2025, 4, 1))
    with clock.set_to(datetime.date(2026, 1, 5)):
        page = client_for(people.qa_lead).get(
            reverse("inspection:recommendation", args=[inspection.recommendations[0].pk])
        )
    assert "Stale" in page.content.decode()
    assert "more than 12 months ago" in page.content.decode()
