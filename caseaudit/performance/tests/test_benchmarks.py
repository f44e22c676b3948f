"""Benchmarks: imported from CSV all or nothing, and shown beside each figure."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from caseaudit.core.models import ChangeRecord
from caseaudit.performance.actions import import_benchmarks
from caseaudit.performance.benchmarks import benchmarks_for
from caseaudit.performance.models import Benchmark
from caseaudit.performance.tests.test_pages import FEBRUARY, index_url, indicator_url, load

pytestmark = pytest.mark.django_db

LAYOUT = """Indicator,Year,Statistical neighbours,Region,England
cla_rate_per_10k,2023,48,53,65
cla_rate_per_10k,2024,49,54,70
re_referrals_12m_pct,2024,,21.4,22.4
"""


def test_a_csv_in_the_documented_layout_is_imported(council):
    result = import_benchmarks(council.council, LAYOUT)
    assert result.problems == []
    assert result.written == 8
    found = benchmarks_for(council.council, datetime.date(2024, 3, 31), ["cla_rate_per_10k"])
    assert found["cla_rate_per_10k"] == {
        "statistical_neighbours": (2024, Decimal("49.0")),
        "region": (2024, Decimal("54.0")),
        "england": (2024, Decimal("70.0")),
    }
    # A date in an earlier year gets that year's figures, not later ones.
    earlier = benchmarks_for(council.council, datetime.date(2023, 6, 30), ["cla_rate_per_10k"])
    assert earlier["cla_rate_per_10k"]["england"] == (2023, Decimal("65.0"))


def test_a_later_import_replaces_a_figure_and_keeps_its_history(council, people):
    import_benchmarks(council.council, LAYOUT, by=people.qa_lead)
    again = "indicator,year,england\ncla_rate_per_10k,2024,71\n"
    assert import_benchmarks(council.council, again, by=people.qa_lead).written == 1
    figure = Benchmark.objects.get(indicator="cla_rate_per_10k", year=2024, comparator="england")
    assert figure.value == Decimal("71.0")
    changes = ChangeRecord.objects.filter(record_type="performance.benchmark")
    assert changes.filter(action="created").count() == 8
    changed = changes.get(action="changed")
    assert (changed.before["value"], changed.after["value"]) == ("70.0", "71.0")


def test_the_ten_neighbours_figures_give_their_median(council):
    neighbours = ",".join(f"neighbour_{n}" for n in range(1, 11))
    text = f"indicator,year,{neighbours}\ncp_rate_per_10k,2024,30,31,32,33,34,35,36,37,38,60\n"
    assert import_benchmarks(council.council, text).written == 1
    assert Benchmark.objects.get().value == Decimal("34.5")


def test_a_bad_row_writes_nothing_and_says_where(council):
    text = LAYOUT + "no_such_indicator,2024,1,2,3\ncla_open,20x4,1,2,3\ncla_open,2024,a lot,,\n"
    result = import_benchmarks(council.council, text)
    assert result.written == 0
    assert result.problems == [
        "Row 5, column indicator: 'no_such_indicator' is not an indicator code",
        "Row 6, column year: enter a year such as 2024",
        "Row 7, column statistical_neighbours: 'a lot' is not a number",
    ]
    assert not Benchmark.objects.exists()


def test_the_command_imports_or_refuses(council, tmp_path):
    good = tmp_path / "benchmarks.csv"
    good.write_text(LAYOUT, encoding="utf-8")
    call_command("benchmarks", str(good), council=council.council.code)
    assert Benchmark.objects.count() == 8
    bad = tmp_path / "bad.csv"
    bad.write_text("year\n2024\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no 'indicator' column"):
        call_command("benchmarks", str(bad), council=council.council.code)


def test_benchmarks_are_shown_beside_the_figures(people, council, tmp_path, client_for):
    load(council, tmp_path, FEBRUARY)
    import_benchmarks(council.council, "indicator,year,region,england\ncp_plans_open,2024,40,41\n")
    client = client_for(people.councillor)
    body = client.get(index_url(FEBRUARY)).content.decode()
    assert "Region 40.0" in body
    assert "England 41.0" in body
    page = client.get(indicator_url())
    assert page.context["benchmarks"] == [
        ("Region", 2024, Decimal("40.0")),
        ("England", 2024, Decimal("41.0")),
    ]
