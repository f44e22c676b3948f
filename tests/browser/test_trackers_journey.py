"""The practice-standard trackers in Chromium, every page checked with axe.

The QA lead imports a tracker events file that has a bad row and is shown every problem; a
team manager opens the trackers from the navigation, sees their team's children overdue a
permanence planning meeting and narrows the list to those overdue; an elected member is
refused.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from caseaudit.conftest import PASSWORD
from caseaudit.performance.tests.test_trackers import AS_AT, KIDS, by_hand, load

from .test_journeys import check_page, follow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PPM = "Permanence planning meetings"


@pytest.fixture
def case_data(council, people, tmp_path):
    load(council, tmp_path, KIDS)


def sign_out(page):
    follow(page, page.get_by_role("button", name="Sign out"))


def test_a_team_manager_sees_their_overdue_children(page, people, case_data, tmp_path):
    north = people.north_team
    expected = {kid: late for kid, (_due, late) in by_hand("ppm", KIDS).items() if kid[0] == "N"}
    overdue = {kid for kid, late in expected.items() if late}
    assert overdue and overdue != set(expected)

    # The QA lead imports a file with a bad row: nothing is imported, the row is named.
    sign_in(page, "qa.lead", PASSWORD)
    check_page(page, page.goto(reverse("performance:tracker_import")))
    bad = tmp_path / "events.csv"
    bad.write_text("la_child_id,event,date\nN1,ppm,2025-04-01\nN9,coffee,2025-13-01\n")
    page.get_by_label("Tracker events CSV").set_input_files(bad)
    check_page(page, follow(page, page.get_by_role("button", name="Import")))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Row 3, column la_child_id: There is no child")
    expect(summary).to_contain_text("Row 3, column event: 'coffee' is not an event")
    expect(summary).to_contain_text("Row 3, column date: '2025-13-01' is not a real date")
    sign_out(page)

    # North's team manager: the trackers from the navigation, their team only.
    sign_in(page, "north.manager", PASSWORD)
    check_page(page, follow(page, page.locator("#navigation").get_by_role("link", name="Trackers")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice-standard trackers")
    by_team = page.get_by_role("table", name=re.compile("by team"))
    expect(by_team.locator("tbody tr")).to_have_count(1)
    expect(by_team).to_contain_text(north.name)
    check_page(page, follow(page, page.get_by_role("link", name=PPM)))
    expect(page.get_by_role("heading", level=1)).to_have_text(PPM)
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(len(expected))
    for kid in overdue:
        expect(rows.filter(has_text=kid)).to_contain_text(str(expected[kid]))

    page.get_by_label("Children").select_option("yes")
    page.get_by_label("Sort by").select_option("overdue")
    check_page(page, follow(page, page.get_by_role("button", name="Show")))
    expect(rows).to_have_count(len(overdue))
    most_late = max(overdue, key=lambda kid: expected[kid])
    expect(rows.first).to_contain_text(most_late)
    expect(page.get_by_role("table")).to_contain_text(f"{len(overdue)} children overdue")
    # Each child links to their record.
    check_page(page, follow(page, rows.first.get_by_role("link", name=most_late)))
    expect(page.locator("main")).to_contain_text(most_late)
    sign_out(page)

    # An elected member: no Trackers in the navigation, and refused the page.
    sign_in(page, "councillor", PASSWORD)
    expect(page.locator("#navigation").get_by_role("link", name="Trackers")).to_have_count(0)
    check_page(page, page.goto(f"{reverse('performance:trackers')}?as_at={AS_AT}"), status=403)
