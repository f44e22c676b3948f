"""The performance compendium in Chromium, every page checked with axe.

A QA lead opens the dashboard and an indicator by area, service and team; a team manager
drills from their team's figure to their team's children and to its indicators beside its
audit grades (and not another team's); an elected member sees the same
figures suppressed and is refused the drill-down.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from caseaudit.conftest import PASSWORD
from caseaudit.performance.tests.test_pages import FEBRUARY, drill_url, load
from caseaudit.reports.models import KindReport
from caseaudit.reports.tests.conftest import make_programme

from .test_journeys import check_page, follow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
INDICATOR = "Children on a child protection plan"


@pytest.fixture
def case_data(council, people, tmp_path):
    """North has 4 children on a plan, South 9: North's is a small number. And a programme
    with graded audits in January 2024."""
    load(council, tmp_path, FEBRUARY, north=4, south=9)
    make_programme(council, people)


def open_indicator(page):
    check_page(
        page, follow(page, page.locator("#navigation").get_by_role("link", name="Performance"))
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Performance")
    check_page(page, follow(page, page.get_by_role("link", name=INDICATOR, exact=True)))
    expect(page.get_by_role("heading", level=1)).to_have_text(INDICATOR)


def team_row(page, team):
    return page.get_by_role("table", name="By team").get_by_role(
        "row", name=re.compile(re.escape(team.name))
    )


def test_performance_for_a_qa_lead_a_team_manager_and_an_elected_member(
    page, people, case_data, publishing_at_once
):
    north, south = people.north_team, people.south_team

    # QA lead: the dashboard and the indicator broken down, every figure exact.
    sign_in(page, "qa.lead", PASSWORD)
    open_indicator(page)
    for caption in ("By area", "By service", "By team", "Monthly trend"):
        expect(page.get_by_role("table", name=caption)).to_be_visible()
    expect(team_row(page, north)).to_contain_text("4")
    expect(team_row(page, south)).to_contain_text("9")
    expect(page.get_by_role("img", name=re.compile("^Line chart of children"))).to_be_visible()

    # The QA lead prepares and publishes the select-committee pack from the dashboard.
    check_page(
        page, follow(page, page.locator("#navigation").get_by_role("link", name="Performance"))
    )
    check_page(
        page, follow(page, page.get_by_role("link", name="Prepare the select-committee pack"))
    )
    check_page(page, follow(page, page.get_by_role("button", name="Preview the pack")))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.get_by_label("29 February 2024").check()
    check_page(page, follow(page, page.get_by_role("button", name="Preview the pack")))
    # Published as the request commits (no worker here), the files written before the page
    # answers: on a busy machine that can take longer than a click usually may.
    publish = page.get_by_role("button", name="Publish this report")
    check_page(page, follow(page, publish, timeout=60_000))
    pack = KindReport.objects.get()
    assert pack.is_published
    follow(page, page.get_by_role("button", name="Sign out"))

    # North's team manager: from their team's figure to their team's children, no one else's.
    sign_in(page, "north.manager", PASSWORD)
    open_indicator(page)
    expect(team_row(page, south).get_by_role("link")).to_have_count(0)
    children = team_row(page, north).get_by_role("link", name=f"{north.name} children")
    check_page(page, follow(page, children))
    expect(page.get_by_role("table")).to_contain_text("4 records")
    expect(page.locator("main tbody tr")).to_have_count(4)
    # And to the team's indicators beside its audit grades from the programme.
    check_page(
        page, follow(page, page.get_by_role("link", name=re.compile("indicators and audit grades")))
    )
    grades = page.get_by_role("table", name=re.compile("^Overall grades"))
    expect(grades).to_contain_text("Requires Improvement")
    expect(page.get_by_role("table", name=re.compile("^Indicators as at"))).to_contain_text(
        INDICATOR
    )
    check_page(page, page.goto(reverse("performance:team", args=[south.pk])), status=404)
    follow(page, page.get_by_role("button", name="Sign out"))

    # An elected member: North's 4 hidden, and South's 9 with it, or 13 less 9 would tell.
    sign_in(page, "councillor", PASSWORD)
    open_indicator(page)
    expect(team_row(page, north)).to_contain_text("c")
    expect(team_row(page, north)).not_to_contain_text("4")
    expect(team_row(page, south)).not_to_contain_text("9")
    expect(page.get_by_role("table", name="By team").get_by_role("link")).to_have_count(0)
    check_page(page, page.goto(drill_url(north)), status=403)
    check_page(page, page.goto(reverse("performance:team", args=[north.pk])), status=403)

    # They download the published pack from the dashboard's link, small numbers hidden.
    check_page(page, page.goto("/performance/"))
    check_page(
        page, follow(page, page.get_by_role("link", name="Published select-committee packs"))
    )
    check_page(page, follow(page, page.get_by_role("link", name=pack.title)))
    expect(page.get_by_role("table", name=f"{INDICATOR} by area")).to_contain_text("c")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^PDF")).click()
    assert download.value.suggested_filename.endswith(".pdf")
    check_page(page, page.goto("/reports/compendium/new/"), status=403)
