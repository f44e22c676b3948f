"""The RAG rule (``inspection.rag``): what a recommendation's chain proposes."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from caseaudit.audits.judgements import DomainGrades
from caseaudit.core import clock
from caseaudit.inspection.evidence import IndicatorReading, Reading
from caseaudit.inspection.rag import propose
from caseaudit.performance.indicators import INDICATORS

TODAY = datetime.date(2025, 6, 1)
BEFORE, AFTER = datetime.date(2025, 3, 1), datetime.date(2025, 9, 1)
HEALTH = INDICATORS["cla_health_assessment_pct"]  # higher is better
REREFERRALS = INDICATORS["re_referrals_12m_pct"]  # lower is better


def action(status="done", due=BEFORE, completed=BEFORE):
    """An action as the rule reads it (the model's own properties, on plain values)."""
    from caseaudit.inspection.models import RecommendationAction

    return RecommendationAction(
        status=status, due_date=due, completed_on=completed if status == "done" else None
    )


def indicator(ind, values, target=None):
    points = [(datetime.date(2025, m, 28), v) for m, v in enumerate(values, start=1)]
    return Reading(SimpleNamespace(), ind.name, "", indicator=IndicatorReading(ind, target, points))


def grades(shares):
    months = [(datetime.date(2025, m, 1), share) for m, share in enumerate(shares, start=1)]
    found = DomainGrades("Management oversight", months[0][0], months[-1][0], [1, 2, 3, 4], months)
    return Reading(SimpleNamespace(), "Audits", "", domain=found)


@pytest.fixture(autouse=True)
def today():
    with clock.set_to(TODAY):
        yield


def test_nothing_done_yet_is_red():
    proposal = propose([], [])
    assert proposal.rag == "red"
    assert proposal.reasons == ["No action answers this recommendation yet."]


def test_every_action_done_on_time_and_no_measure_worse_is_green():
    proposal = propose(
        [action(), action()], [indicator(HEALTH, [70.0, 92.5], target=Decimal("90"))]
    )
    assert proposal.rag == "green"
    assert proposal.reasons[0] == "2 of 2 actions done, 2 on time."
    assert "92.5% against a target of 90.0% (met); trend improving" in proposal.reasons[1]


def test_done_but_a_target_not_met_is_amber():
    proposal = propose([action()], [indicator(HEALTH, [92.0, 80.0], target=Decimal("90"))])
    assert proposal.rag == "amber"
    assert "(not met); trend worsening" in proposal.rationale


def test_done_late_is_amber():
    late = action(due=BEFORE, completed=BEFORE + datetime.timedelta(days=10))
    proposal = propose([late], [])
    assert proposal.rag == "amber"
    assert proposal.reasons[0] == "1 of 1 action done, 0 on time."


def test_most_actions_overdue_is_red():
    overdue = [action("not_started", due=BEFORE), action("in_progress", due=BEFORE)]
    proposal = propose([*overdue, action()], [])
    assert proposal.rag == "red"
    assert "2 overdue" in proposal.reasons[0]


def test_some_overdue_and_measures_going_the_wrong_way_is_red():
    proposal = propose(
        [action("in_progress", due=BEFORE), action(), action("not_started", due=AFTER)],
        [indicator(REREFERRALS, [20.0, 24.0]), grades([60, None, 40])],
    )
    assert proposal.rag == "red"
    assert "Re-referrals within 12 months: 24.0%, worsening, no target set." in proposal.reasons
    assert "Audit grades for Management oversight: 30% good or better, declining." in (
        proposal.reasons
    )


def test_some_overdue_but_measures_improving_is_amber():
    proposal = propose(
        [action("in_progress", due=BEFORE), action(), action("not_started", due=AFTER)],
        [indicator(REREFERRALS, [24.0, 20.0]), grades([40, 60])],
    )
    assert proposal.rag == "amber"


def test_lower_is_better_targets_are_met_from_below():
    met = indicator(REREFERRALS, [25.0, 18.0], target=Decimal("20")).indicator
    assert met.target_met is True and met.trend == "improving"
    missed = indicator(REREFERRALS, [18.0, 22.0], target=Decimal("20")).indicator
    assert missed.target_met is False and missed.trend == "worsening"


def test_one_value_has_no_trend_and_demand_has_no_target_to_meet():
    single = indicator(HEALTH, [88.0], target=Decimal("90")).indicator
    assert single.trend == "no earlier value to compare" and single.target_met is False
    demand = indicator(INDICATORS["cp_plans_open"], [100, 120], target=Decimal("90")).indicator
    assert demand.trend == "rising" and demand.target_met is None
