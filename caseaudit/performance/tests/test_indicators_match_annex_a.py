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
from django.db import transaction

from caseaudit.cases.generator import generate_council
from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import Snapshot
from caseaudit.performance.caseloads import caseloads
from caseaudit.performance.indicators import INDICATORS, evaluate
from caseaudit.performance.models import ChildPopulation
from caseaudit.performance.tests.annex_a_by_hand import (
    POPULATION,
    ByHand,
    caseloads_by_hand,
    read_lists,
    value_of,
)
from caseaudit.testing.factories import CouncilFactory

# The database is set up for marked tests only; the module fixture writes in it first.
pytestmark = pytest.mark.django_db

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
        summary = import_annex_a(generated.path, council=council, as_at=generated.as_at)
        assert not summary.refused, summary.problems[:3]
        snapshot = Snapshot.objects.get(council=council, as_at=generated.as_at)
        figures = evaluate(snapshot)
        held = caseloads(snapshot)
        out = io.StringIO()
        call_command(
            "indicators", as_at=generated.as_at.isoformat(), council="960", json=True, stdout=out
        )
        transaction.set_rollback(True)
    by_hand = ByHand(read_lists(generated.path), generated.as_at)
    return figures, json.loads(out.getvalue()), by_hand, generated.as_at, held


def test_every_indicator_has_a_second_computation():
    assert all(hasattr(ByHand, code) for code in INDICATORS)


@pytest.mark.parametrize("code", list(INDICATORS))
def test_indicator_equals_a_computation_from_the_files(imported, code):
    figures, _printed, by_hand, _as_at, _held = imported
    numerator, denominator = getattr(by_hand, code)()
    figure = figures[code]
    assert (figure.numerator, figure.denominator) == (numerator, denominator)
    assert figure.value == value_of(figure.indicator.kind, numerator, denominator)
    # A figure that counts nothing would prove nothing.
    assert numerator > 0


def test_the_command_prints_every_indicator_as_the_checks_read_it(imported):
    figures, printed, _by_hand, as_at, held = imported
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
    *_rest, by_hand, _as_at, held = imported
    counts = caseloads_by_hand(by_hand)
    assert (held.children, held.workers) == (sum(counts), len(counts))
    mean = Decimal(sum(counts)) / Decimal(len(counts))
    assert held.mean == float(mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    assert held.median == float(statistics.median(counts))
    assert sum(workers for _band, workers in held.distribution) == len(counts)
    assert dict(held.distribution)["11 to 15"] == sum(1 for n in counts if 11 <= n <= 15)
