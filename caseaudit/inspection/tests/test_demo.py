"""The demo's inspection (seed 004) on a small council: every one of the 18 recommendations
has actions, evidence and a RAG history proposed then confirmed. The full demo is tested in
site/tests/test_demo_council.py."""

import datetime

import pytest

from caseaudit.accounts.choices import Role, Scope
from caseaudit.conftest import make_user
from caseaudit.core import clock
from caseaudit.inspection.choices import RagKind
from caseaudit.inspection.demo import (
    MOCK_GRADES,
    RECOMMENDATIONS,
    build_inspection,
    build_mock_inspection,
)
from caseaudit.inspection.mock import summarise
from caseaudit.inspection.models import Inspection, Recommendation
from caseaudit.thematic.choices import ActionStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def demo_logins(council, people):
    make_user(council.council, "team.manager", Role.AUDITOR, Scope.TEAM,
              scope_team=people.north_team)  # fmt: skip
    make_user(council.council, "inspection.lead", Role.INSPECTION_LEAD, Scope.COUNCIL)


@pytest.mark.usefixtures("demo_logins")
def test_the_demo_loads_seed_004s_inspection_once(council):
    built = build_inspection(council.council, today=TODAY)
    assert built.recommendations == len(RECOMMENDATIONS) == 18
    inspection = built.inspection
    grades = dict(inspection.judgements.values_list("area__name", "grade"))
    assert grades["Children who need help and protection"] == "inadequate"
    assert grades["Adoption performance"] == "good"
    for recommendation in Recommendation.objects.filter(inspection=inspection):
        assert recommendation.actions.exists(), recommendation
        assert recommendation.evidence.exists(), recommendation
        kinds = list(
            recommendation.rag_history.order_by("decided_at", "pk").values_list("kind", flat=True)
        )
        assert kinds[:2] == [RagKind.PROPOSED, RagKind.CONFIRMED], recommendation
        assert kinds.count(RagKind.CONFIRMED) == 2
    assert Recommendation.objects.get(number=9).text.startswith(
        "The local authority should ensure rigorous adherence with the police"
    )
    # Some actions done late, some current ones overdue.
    actions = inspection.recommendations.model.actions.rel.related_model.objects
    assert actions.filter(status=ActionStatus.DONE).count() >= 18
    assert actions.overdue(TODAY).exists()
    assert build_inspection(council.council, today=TODAY).inspection is None


@pytest.mark.usefixtures("demo_logins", "case_data")
def test_the_demo_carries_out_a_mock_inspection_once(council, people):
    c = council.council
    build_inspection(c, today=TODAY)
    with clock.set_to(TODAY):
        mock = build_mock_inspection(c, today=TODAY)
    assert mock.is_mock and Inspection.objects.real().count() == 1
    carried_out = mock.thematic_audit
    carried_out.refresh_from_db()
    assert carried_out.status == "reporting" and carried_out.cohort and carried_out.tool_version
    summary = summarise(carried_out, today=TODAY)
    assert summary.sampled == summary.allocated == summary.completed > 0
    assert summary.graded == summary.completed
    assert dict(summary.findings) == {"Strength": 1, "Area for improvement": 1}
    assert dict(summary.actions)["Done"] == 1 and summary.overdue == 1
    grades = dict(mock.judgements.values_list("area__name", "grade"))
    assert grades[MOCK_GRADES[1][0]] == "requires_improvement" and len(grades) == 4
    # Its area for improvement is evidence for recommendation 4 of the last inspection.
    four = Recommendation.objects.get(number=4)
    assert four.evidence.filter(finding__thematic_audit=carried_out).count() == 1
    # The standard inspection is still the one the demo loads once.
    assert build_inspection(c, today=TODAY).inspection is None
    assert build_mock_inspection(c, today=TODAY) is None
