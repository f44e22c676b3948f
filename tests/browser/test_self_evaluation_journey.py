"""The self-evaluation in Chromium, every page checked with axe: the QA lead goes from the
inspection pages to 'know ourselves' for help and protection, reads the three questions with
each claim's evidence, and publishes it as a report; a director reads the published copy."""

import re

import pytest
from playwright.sync_api import expect

from caseaudit.conftest import PASSWORD
from caseaudit.reports.models import KindReport

from .test_inspection_journey import record
from .test_journeys import check_page, follow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_qa_lead_publishes_the_self_evaluation(page, people, council, publishing_at_once):
    record(council.council, people.qa_lead)
    sign_in(page, "qa.lead", PASSWORD)
    check_page(page, page.goto("/"))
    check_page(
        page, follow(page, page.locator("#navigation").get_by_role("link", name="Inspection"))
    )
    area = page.get_by_role("link", name="Children who need help and protection", exact=True)
    check_page(page, follow(page, area.first))
    for question in (
        "1. What do we know about the quality and impact of practice?",
        "2. How do we know?",
        "3. What will we do in the next 12 months?",
    ):
        expect(page.get_by_role("heading", name=question)).to_be_visible()
    expect(page.get_by_text("Ensure initial child protection conferences")).to_be_visible()
    # A period written wrongly is said so, the GOV.UK way.
    page.get_by_label("From").fill("January")
    check_page(page, follow(page, page.get_by_role("button", name="Show this period")))
    expect(page.locator(".govuk-error-summary")).to_contain_text("for example 2025-12")

    publish = page.get_by_role("button", name="Publish this self-evaluation as a report")
    check_page(page, follow(page, publish))
    check_page(page, follow(page, page.get_by_role("button", name="Preview the self-evaluation")))
    expect(page.get_by_role("heading", name=re.compile("How do we know"))).to_be_visible()
    # Published as the request commits (no worker here): the files take a while.
    done = page.get_by_role("button", name="Publish this report")
    check_page(page, follow(page, done, timeout=60_000))
    report = KindReport.objects.get(kind="self-evaluation")
    assert report.is_published and report.files.count() == 8
    expect(page.get_by_role("link", name=re.compile("^PDF"))).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, "director", PASSWORD)
    check_page(page, page.goto("/reports/"))
    check_page(page, follow(page, page.get_by_role("link", name=report.title)))
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Word")).click()
    assert download.value.suggested_filename.endswith(".docx")
    check_page(page, page.goto("/reports/self-evaluation/new/"), status=403)
