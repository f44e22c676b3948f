"""The report benchmark's steps on a tiny council, so the bench cannot rot unnoticed. No
timing is asserted: only that each format is built and the data build's queries are bounded."""

import pytest

from bench import programme_bench, report_bench

pytestmark = pytest.mark.django_db


def test_the_report_bench_builds_every_format_from_its_council():
    bench = programme_bench.build(scale=0.05, months=3, team_size=0.05)
    added = report_bench.add_what_reports_read(bench.council)
    assert added["answers"] > 0 and added["reflections"] > 0
    result = report_bench.time_report(bench.council, programme_bench.LAST_HISTORY_MONTH)
    # The build's queries (caseaudit/reports/tests/test_build.py holds them) and the
    # transaction's own statements.
    assert result["build_queries"] <= 20
    for fmt in report_bench.FORMATS:
        assert result[f"{fmt}_bytes"] > 1000
        assert result[f"{fmt}_seconds"] >= result["build_seconds"]
