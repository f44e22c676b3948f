"""The programme benchmark's own steps on a tiny council, so the bench cannot rot unnoticed.

No timing is asserted (the machine is shared): only that each step runs, reports what
``python -m bench programme`` prints, and stays within a bounded number of queries.
"""

import datetime

import pytest

from bench import programme_bench
from caseaudit.audits.choices import AuditKind, SampleStatus
from caseaudit.audits.models import Audit, Sample

pytestmark = pytest.mark.django_db

MONTHS = 5


@pytest.fixture
def bench():
    return programme_bench.build(scale=0.05, months=MONTHS, team_size=0.05)


def test_the_bench_council_has_teams_children_auditors_and_a_programme_history(bench):
    assert bench.case_teams == 24  # one team per service per area: the smallest council
    assert bench.open_children >= bench.case_teams
    assert bench.children > bench.open_children
    assert bench.auditors == bench.case_teams + 1  # and the reviewing service's manager
    audits = Audit.objects.filter(council=bench.council)
    assert audits.filter(kind=AuditKind.AUDIT).count() == bench.audits > 0
    assert audits.filter(kind=AuditKind.REAUDIT).count() == bench.reaudits > 0
    confirmed = Sample.objects.filter(month__council=bench.council, status=SampleStatus.CONFIRMED)
    assert confirmed.count() == MONTHS


def test_compliance_is_measured_in_a_bounded_number_of_queries(bench):
    result = programme_bench.bench_compliance(bench, months=MONTHS, repeat=1)
    assert result["audits"] == bench.audits + bench.reaudits
    assert 0 < result["allocated"] <= bench.audits
    assert 0 <= result["rate"] <= 100
    assert result["overdue"] > 0  # every history month is past due on the bench's "today"
    assert result["report_queries"] <= 6
    assert result["reporting_months_queries"] == 1
    assert result["months_with_counts_queries"] == 1
    assert result["floor_groups"] > 0
    assert result["report_over_floor"] is None or result["report_over_floor"] > 0


def test_drawing_confirming_and_allocating_are_measured(bench):
    month = programme_bench.FIRST_SAMPLE_MONTH
    drawn = programme_bench.bench_sampling(bench, month=month, per_team=2, repeat=2)
    # Every team with an eligible child gives up to two; the floor read the same children.
    assert 0 < drawn["teams"] <= bench.case_teams
    assert drawn["teams"] <= drawn["sample_size"] <= 2 * drawn["teams"]
    assert drawn["eligible"] >= drawn["sample_size"]
    assert len(drawn["draw_runs"]) == 2
    assert drawn["draw_queries"] <= 20  # the same however many teams and children
    assert drawn["confirm_queries"] <= 15
    sample = Sample.objects.get(month__council=bench.council, month__month=month)
    assert sample.status == SampleStatus.CONFIRMED

    allocated = programme_bench.bench_allocation(bench, month=month)
    assert allocated["audits"] == drawn["sample_size"]
    assert allocated["auditors"] == bench.auditors
    assert allocated["balance_seconds"] >= 0
    # Linear in the audits (a history entry each), never worse.
    assert allocated["queries"] <= 6 * allocated["audits"] + 20
    assert Audit.objects.filter(month__month=month).count() == allocated["audits"]


def test_the_scaling_ratios_compare_the_largest_scale_with_the_smallest(bench):
    drawn = programme_bench.bench_sampling(
        bench, month=datetime.date(2026, 6, 1), per_team=1, repeat=1
    )
    drawn.update(allocate_seconds_per_audit=0.01, allocate_queries_per_audit=5.0)
    compliance = {"audits": 100, "report_seconds": 0.5}
    small = {"database": "sqlite", "scale": 1.0, "sampling": [drawn], "compliance": compliance}
    large = {**small, "scale": 50.0}
    draws, reports = programme_bench._scaling([large, small])
    assert draws["scales"] == [1.0, 50.0]
    assert draws["draw_seconds_per_team_ratio"] == 1.0
    assert draws["allocate_seconds_per_audit_ratio"] == 1.0
    assert reports["report_seconds_per_1000_audits_ratio"] == 1.0
