"""Inspection readiness in Chromium, every page checked with axe: the QA lead goes from the
home page to the inspection, its recommendations and one recommendation, links evidence,
adds an action and sets the RAG with a rationale, then reads 'know ourselves' for its area;
the councillor reads the RAG summary."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from caseaudit.conftest import PASSWORD
from caseaudit.core import clock
from caseaudit.inspection import actions
from caseaudit.inspection.choices import InspectionKind, RagKind
from caseaudit.inspection.models import JudgementArea, RagStatus

from .test_journeys import check_page, follow, sign_in
from .test_programme_journey import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def record(council, qa):
    inspection = actions.record_inspection(
        council,
        kind=InspectionKind.STANDARD,
        started_on=datetime.date(2018, 2, 26),
        ended_on=datetime.date(2018, 3, 22),
        reference="SC-JOURNEY",
        by=qa,
    )
    help_and_protection = JudgementArea.objects.get(
        council=None, name="Children who need help and protection"
    )
    actions.record_judgement(inspection, area=help_and_protection, grade="inadequate", by=qa)
    actions.add_recommendation(
        inspection,
        number=6,
        text="Ensure initial child protection conferences are held promptly.",
        area=help_and_protection,
        by=qa,
    )
    return inspection


def test_the_qa_lead_sets_a_recommendations_rag(page, people, council):
    record(council.council, people.qa_lead)
    sign_in(page, "qa.lead", PASSWORD)
    check_page(page, page.goto("/"))
    check_page(
        page, follow(page, page.locator("#navigation").get_by_role("link", name="Inspection"))
    )
    check_page(page, follow(page, page.get_by_role("link", name="Standard inspection")))
    expect(page.get_by_text("Children who need help and protection")).to_be_visible()
    check_page(page, follow(page, page.get_by_role("link", name="See the recommendations")))
    check_page(page, follow(page, page.get_by_role("link", name=re.compile("^Ensure initial"))))

    check_page(page, follow(page, page.get_by_role("link", name="Performance indicator")))
    page.get_by_label("Indicator").select_option(
        label="Initial child protection conferences within 15 working days"
    )
    page.get_by_label("Target (optional)").fill("85")
    check_page(page, follow(page, page.get_by_role("button", name="Link the evidence")))
    expect(page.get_by_text("The evidence has been linked.")).to_be_visible()
    expect(page.get_by_role("table", name="How close the targets are")).to_be_visible()

    check_page(page, follow(page, page.get_by_role("link", name="Add an action")))
    page.get_by_label("Action").fill("Track every conference's date weekly")
    page.get_by_label("Owner").select_option(label=people.north_manager.display_name)
    fill_date(page, "Due date", clock.today() + datetime.timedelta(days=60))
    check_page(page, follow(page, page.get_by_role("button", name="Add the action")))

    # A rationale is required: the error is shown the GOV.UK way, and the page stays clean.
    page.get_by_label("Amber").check()
    check_page(page, follow(page, page.get_by_role("button", name="Set the RAG status")))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why")
    page.get_by_label("Amber").check()
    page.get_by_label("Rationale").fill("Tracking has started; conferences are not yet on time.")
    check_page(page, follow(page, page.get_by_role("button", name="Set the RAG status")))
    expect(page.get_by_text("Tracking has started").first).to_be_visible()
    kinds = set(RagStatus.objects.values_list("kind", flat=True))
    assert kinds == {RagKind.PROPOSED, RagKind.CONFIRMED}

    # Know ourselves for the area the recommendation answers to.
    check_page(page, page.goto("/inspection/"))
    area = page.get_by_role("link", name="Children who need help and protection", exact=True)
    check_page(page, follow(page, area))
    expect(page.get_by_text("Track every conference's date weekly")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, "councillor", PASSWORD)
    check_page(page, page.goto("/inspection/"))
    check_page(page, follow(page, page.get_by_role("link", name="Standard inspection")))
    check_page(page, follow(page, page.get_by_role("link", name="See the recommendations")))
    expect(page.locator("table").get_by_text("Amber")).to_be_visible()
    expect(page.get_by_text("Tracking has started")).to_have_count(0)
