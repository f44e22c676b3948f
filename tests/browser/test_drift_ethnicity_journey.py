"""Drift and disproportionality in Chromium, every page checked with axe: a QA lead reads
the exact figures, an elected member the same pages with small numbers hidden."""

import pytest
from playwright.sync_api import expect

from caseaudit.conftest import PASSWORD
from caseaudit.performance.actions import import_ethnic_population
from caseaudit.performance.tests.test_drift_and_ethnicity import AS_AT, POPULATION, build

from .test_journeys import check_page, follow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DRIFT = "Drift: days from child protection plan to becoming looked after"
BY_ETHNICITY = "See children in need, on a plan and looked after by ethnic group"


@pytest.fixture
def case_data(council, tmp_path):
    build(council, tmp_path)
    import_ethnic_population(council.council, POPULATION)


def open_dashboard(page):
    check_page(page, page.goto(f"/performance/?as_at={AS_AT}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Performance")


@pytest.mark.parametrize(("who", "asian"), [("qa.lead", "3"), ("councillor", "c")])
def test_drift_and_disproportionality_pages(page, people, case_data, who, asian):
    sign_in(page, who, PASSWORD)
    open_dashboard(page)
    check_page(page, follow(page, page.get_by_role("link", name=DRIFT, exact=True)))
    expect(page.get_by_role("heading", level=1)).to_have_text(DRIFT)
    expect(page.locator("main dl")).to_contain_text("104.0 days")
    open_dashboard(page)
    check_page(page, follow(page, page.get_by_role("link", name=BY_ETHNICITY)))
    caption = f"Children looked after by ethnic group as at {AS_AT:%-d %B %Y}"
    table = page.get_by_role("table", name=caption)
    row = table.get_by_role("row", name="Asian or Asian British")
    expect(row.locator("td").first).to_have_text(asian)
