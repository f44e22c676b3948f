"""The trend chart on an indicator's page: drawn from the figures as shown, with alt text, and
the table kept beneath it."""

import base64

import pytest

from caseaudit.performance import charts
from caseaudit.performance.tests.test_pages import FEBRUARY, JANUARY, indicator_url, load

pytestmark = pytest.mark.django_db


def svg(context) -> str:
    prefix = "data:image/svg+xml;base64,"
    assert context["chart_src"].startswith(prefix)
    return base64.b64decode(context["chart_src"][len(prefix) :]).decode()


def test_the_trend_is_drawn_above_its_table(people, council, tmp_path, client_for):
    load(council, tmp_path, JANUARY, north=6, south=7, name="january")
    load(council, tmp_path, FEBRUARY)
    response = client_for(people.qa_lead).get(indicator_url())
    context = response.context
    assert "<svg" in svg(context)
    assert context["chart_alt"] == (
        "Line chart of children on a child protection plan in each month's case data from "
        "31 January 2024 to 29 February 2024. The figures are in the table below."
    )
    body = response.content.decode()
    assert body.index('alt="Line chart') < body.index("Monthly trend: the figures")


def test_a_hidden_figure_has_no_point(people, council, tmp_path, client_for):
    # January: 3 on a plan, hidden from an elected member; February: 13, shown.
    load(council, tmp_path, JANUARY, north=2, south=1, name="january")
    load(council, tmp_path, FEBRUARY, north=4, south=9)
    context = client_for(people.councillor).get(indicator_url()).context
    assert [seen.value for _as_at, seen in context["history"]] == ["c", 13]
    assert "1 date with a hidden or no figure has no point." in context["chart_alt"]
    assert charts.plotted(context["history"]) == [(FEBRUARY, 13.0)]
    assert "<svg" in svg(context)
