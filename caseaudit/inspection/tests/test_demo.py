"""The demo's inspection (seed 004) on a small council: every one of the 18 recommendations
has actions, evidence and a RAG history proposed then confirmed. The full demo is tested in
site/tests/test_demo_council.py."""

import datetime

import pytest

from caseaudit.accounts.choices import Role, Scope
from caseaudit.conftest import make_user
from caseaudit.inspection.choices import RagKind
from caseaudit.inspection.demo import RECOMMENDATIONS, build_inspection
from caseaudit.inspection.models import Recommendation
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
