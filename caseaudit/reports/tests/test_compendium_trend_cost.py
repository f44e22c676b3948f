"""The select-committee pack's cost as the case data imported grows month by month: its trend
reads every date's figures and breakdowns together, so a month more of case data adds no
queries (it used to add a full evaluation and its breakdowns, about forty queries a month)."""

import datetime

import pytest

from caseaudit.core.months import add_months
from caseaudit.performance.tests.test_pages import load
from caseaudit.reports.compendium_pack import TREND_MONTHS, build_compendium
from caseaudit.reports.document import tables
from caseaudit.testing.queries import query_count

pytestmark = pytest.mark.django_db
FIRST = datetime.date(2024, 1, 31)


def month_ends(count: int) -> list[datetime.date]:
    return [add_months(FIRST, n) for n in range(count)]


def test_the_packs_queries_do_not_grow_with_the_months_in_its_trend(council, people, tmp_path):
    dates = month_ends(4)
    for n, as_at in enumerate(dates):
        load(council, tmp_path, as_at, north=6 + n, south=7, name=f"m{n}")
    costs = [query_count(lambda d=d: build_compendium(council.council, d)) for d in dates]
    # One date, two, three, four: the same queries (the trend's dates are read together).
    assert len(set(costs)) == 1, costs


def test_the_trend_covers_the_same_month_a_year_before_and_no_further(council, people, tmp_path):
    dates = month_ends(TREND_MONTHS + 2)
    for n, as_at in enumerate(dates):
        load(council, tmp_path, as_at, north=6, south=7 + n % 3, name=f"m{n}")
    data = build_compendium(council.council, dates[-1])
    title = "Children on a child protection plan: trend"
    trend = next(t for t in tables(data) if t["title"] == title)
    shown = [row[0] for row in trend["rows"]]
    assert len(shown) == TREND_MONTHS == 13
    assert shown[0] == f"{add_months(dates[-1], -12):%-d %B %Y}"
    assert shown[-1] == f"{dates[-1]:%-d %B %Y}"
