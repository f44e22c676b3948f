"""For a generated council imported through the real importer, every indicator equals the same
figure worked out a second way from the generator's own Annex A files (annex_a_by_hand.py).

The council is generated and imported once for the module, inside a transaction rolled back at
the end, so each indicator's test only compares: one test per indicator."""

import io
import json
import statistics
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from caseaudit.cases.generator import generate_council
from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import Snapshot
from caseaudit.core.suppression import unsuppressed
from caseaudit.performance.caseloads import caseloads
from caseaudit.performance.disproportionality import disproportionality
from caseaudit.performance.indicators import INDICATORS, breakdowns, evaluate
from caseaudit.performance.models import ChildPopulation, EthnicPopulation
from caseaudit.performance.tests.annex_a_by_hand import (
    ETHNIC_POPULATION,
    POPULATION,
    ByHand,
    by_ethnicity_by_hand,
    caseloads_by_hand,
    median_of,
    read_lists,
    value_of,
)
from caseaudit.testing.factories import CouncilFactory

# The database is set up for marked tests only; the module fixture writes in it first.
pytestmark = pytest.mark.django_db

DRIFT = ("referral_to_cp_plan_days", "referral_to_cla_days", "cp_plan_to_cla_days")
# Big enough that every indicator counts something (a few children on a plan for sexual abuse).
SCALE = 0.2


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker, tmp_path_factory):
    generated = generate_council(tmp_path_factory.mktemp("indicators"), scale=SCALE, fmt="csv")
    with django_db_blocker.unblock(), transaction.atomic():
        council = CouncilFactory(name="Generated County Council", code="960")
        ChildPopulation.objects.create(
            council=council, year=generated.as_at.year, children=POPULATION
        )
        for group, children in ETHNIC_POPULATION.items():
            EthnicPopulation.objects.create(
                council=council, year=generated.as_at.year, group=group, children=children
            )
        summary = import_annex_a(generated.path, council=council, as_at=generated.as_at)
        assert not summary.refused, summary.problems[:3]
        snapshot = Snapshot.objects.get(council=council, as_at=generated.as_at)
        figures = evaluate(snapshot)
        held = caseloads(snapshot)
        drift = [INDICATORS[code] for code in DRIFT]
        with CaptureQueriesContext(connection) as evaluating:
            evaluate(snapshot, drift)
        with CaptureQueriesContext(connection) as breaking_down:
            by_team = breakdowns(snapshot, drift, "team")
        with CaptureQueriesContext(connection) as by_ethnicity, unsuppressed():
            ethnicity = disproportionality(snapshot)
        extra = {
            "ethnicity": ethnicity,
            "drift_by_team": {
                code: {name: figure for _pk, name, figure in found.rows}
                for code, found in by_team.items()
            },
            "queries": {
                "evaluate": len(evaluating),
                "breakdowns": len(breaking_down),
                "ethnicity": len(by_ethnicity),
            },
        }
        out = io.StringIO()
        call_command(
            "indicators", as_at=generated.as_at.isoformat(), council="960", json=True, stdout=out
        )
        transaction.set_rollback(True)
    by_hand = ByHand(read_lists(generated.path), generated.as_at)
    return figures, json.loads(out.getvalue()), by_hand, generated.as_at, held, extra


def test_every_indicator_has_a_second_computation():
    assert all(hasattr(ByHand, code) for code in INDICATORS)


@pytest.mark.parametrize("code", list(INDICATORS))
def test_indicator_equals_a_computation_from_the_files(imported, code):
    figures, _printed, by_hand, _as_at, _held, _extra = imported
    figure = figures[code]
    if figure.indicator.kind == "days":
        days = getattr(by_hand, code)()
        assert (figure.numerator, figure.denominator) == (None, len(days))
        assert figure.value == median_of(days)
        assert days
        return
    numerator, denominator = getattr(by_hand, code)()
    assert (figure.numerator, figure.denominator) == (numerator, denominator)
    assert figure.value == value_of(figure.indicator.kind, numerator, denominator)
    # A figure that counts nothing would prove nothing.
    assert numerator > 0


def test_the_command_prints_every_indicator_as_the_checks_read_it(imported):
    figures, printed, _by_hand, as_at, held, _extra = imported
    assert printed["as_at"] == as_at.isoformat()
    required = {
        "referrals",
        "re_referrals_12m_pct",
        "cp_plans_open",
        "cp_plans_open_sexual_abuse",
        "cla_open",
        "cla_3plus_placements_12m",
        "assessments_45wd_pct",
        "icpc_15wd_pct",
        "cp_second_or_subsequent_pct",
        "cla_rate_per_10k",
    }
    assert required <= set(printed["indicators"])
    for code, figure in figures.items():
        assert printed["indicators"][code] == {
            "value": figure.value,
            "numerator": figure.numerator,
            "denominator": figure.denominator,
            "definition": figure.indicator.definition,
        }
    for code, figure in held.as_json().items():
        assert printed["indicators"][code] == figure


def test_caseloads_equal_a_count_from_the_files(imported):
    *_rest, by_hand, _as_at, held, _extra = imported
    counts = caseloads_by_hand(by_hand)
    assert (held.children, held.workers) == (sum(counts), len(counts))
    mean = Decimal(sum(counts)) / Decimal(len(counts))
    assert held.mean == float(mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    assert held.median == float(statistics.median(counts))
    assert sum(workers for _band, workers in held.distribution) == len(counts)
    assert dict(held.distribution)["11 to 15"] == sum(1 for n in counts if 11 <= n <= 15)


@pytest.mark.parametrize("code", DRIFT)
def test_drift_by_team_equals_the_files_grouped_by_the_later_rows_team(imported, code):
    *_rest, by_hand, _as_at, _held, extra = imported
    later = {
        "referral_to_cp_plan_days": (7, "Child Protection Plan Start Date"),
        "referral_to_cla_days": (8, "Date Started to be Looked After"),
        "cp_plan_to_cla_days": (8, "Date Started to be Looked After"),
    }
    number, column = later[code]
    every = getattr(by_hand, code)()
    teams = {r["Allocated Team"] for r in by_hand.lists[number]}
    expected = {}
    for team in teams:
        # The same waits, with only the team's rows as the later events.
        only = {
            **by_hand.lists,
            number: [r for r in by_hand.lists[number] if r["Allocated Team"] == team],
        }
        days = getattr(ByHand(only, by_hand.as_at), code)()
        if days:
            expected[team or "Not allocated"] = (median_of(days), len(days))
    found = {
        name: (figure.value, figure.denominator)
        for name, figure in extra["drift_by_team"][code].items()
    }
    assert found == expected
    assert sum(n for _median, n in found.values()) == len(every)


def test_drift_takes_a_fixed_number_of_queries(imported):
    *_rest, extra = imported
    # One ordered query per indicator, however many children: evaluating and breaking down.
    assert extra["queries"]["evaluate"] == len(DRIFT)
    assert extra["queries"]["breakdowns"] == len(DRIFT)


@pytest.mark.parametrize("population", ["cin", "cp", "cla"])
def test_rates_by_ethnicity_equal_a_count_from_the_files(imported, population):
    _figures, printed, by_hand, _as_at, _held, extra = imported
    expected = by_ethnicity_by_hand(by_hand)[population]
    found = {
        row.group: (row.children, row.rate, row.rri)
        for row in extra["ethnicity"].tables[population]
        if row.group != "not_known"
    }
    assert found == expected
    # Every child counted is in a group or not known: the groups add up to the indicator.
    code = {"cin": "cin_open", "cp": "cp_plans_open", "cla": "cla_open"}[population]
    total = sum(row.children for row in extra["ethnicity"].tables[population])
    assert total == printed["indicators"][code]["numerator"]
    # Some children of a group other than White British, or the index would prove nothing.
    assert any(
        children for group, (children, _r, _i) in expected.items() if group != "white_british"
    )
    for group, (_children, rate, rri) in expected.items():
        assert printed["indicators"][f"{population}_rate_per_10k_{group}"]["value"] == rate
        assert printed["indicators"][f"{population}_rri_{group}"]["value"] == rri


def test_rates_by_ethnicity_take_a_fixed_number_of_queries(imported):
    *_rest, extra = imported
    # The population, then one for each population of children.
    assert extra["queries"]["ethnicity"] == 4
