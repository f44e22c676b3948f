"""Inspection readiness in Chromium, every page checked with axe: the QA lead goes from the
home page to the inspection, its recommendations and one recommendation, links evidence,
adds an action and sets the RAG with a rationale, then reads 'know ourselves' for its area;
the councillor reads the RAG summary. The QA lead chooses whose audits count for the
council's own judgement area. The QA lead records a mock inspection and reaches the
thematic audit that carries it out; the councillor is refused it."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from caseaudit.cases.actions import save_cohort
from caseaudit.cases.cohorts import Condition
from caseaudit.cases.generator import DEFAULT_AS_AT, generate_council
from caseaudit.cases.importer import import_annex_a
from caseaudit.conftest import PASSWORD
from caseaudit.core import clock
from caseaudit.inspection import actions
from caseaudit.inspection.choices import InspectionKind, RagKind
from caseaudit.inspection.models import Inspection, JudgementArea, RagStatus
from caseaudit.thematic import actions as thematic
from caseaudit.tools.models import AuditTool

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


def test_the_qa_lead_chooses_whose_audits_count_for_the_councils_own_area(page, people, council):
    own = JudgementArea.objects.create(council=council.council, name="Our children in care")
    sign_in(page, "qa.lead", PASSWORD)
    check_page(page, page.goto("/inspection/"))
    check_page(page, follow(page, page.get_by_role("link", name="Our children in care")))
    expect(page.get_by_text("The cohort: Every service's audits.")).to_be_visible()
    check_page(page, follow(page, page.get_by_role("link", name="Change whose audits count")))
    page.get_by_label("Looked After Children").check()
    page.get_by_label("Fostering").check()
    check_page(page, follow(page, page.get_by_role("button", name="Save whose audits count")))
    expect(page.get_by_text("has been changed")).to_be_visible()
    expect(page.get_by_text("Looked After Children, Fostering")).to_be_visible()
    own.refresh_from_db()
    assert own.cohort_services == ["looked_after", "fostering"]


def test_the_qa_lead_records_a_mock_inspection_and_reaches_its_thematic_audit(
    page, people, council, tmp_path
):
    """From the inspections page: record a mock inspection (a GOV.UK error first), give its
    mock grades, see its sample summed up, and reach the thematic audit that carries it out."""
    c = council.council
    generated = generate_council(tmp_path, scale=0.05, fmt="csv")
    assert not import_annex_a(generated.path, council=c, as_at=DEFAULT_AS_AT).refused
    save_cohort(
        c,
        name="On a child protection plan",
        conditions=[Condition("cp.cp_plan_end_date", "blank")],
        by=people.qa_lead,
    )
    tool = AuditTool.objects.for_council(c.pk).order_by("pk").first()
    today = clock.today()

    sign_in(page, "qa.lead", PASSWORD)
    check_page(page, page.goto("/"))
    check_page(
        page, follow(page, page.locator("#navigation").get_by_role("link", name="Inspection"))
    )
    check_page(page, follow(page, page.get_by_role("link", name="Record a mock inspection")))
    page.get_by_label("Title").fill("Mock inspection: help and protection")
    page.get_by_label("Scope").fill("Rehearse the inspection of help and protection.")
    fill_date(page, "Start of the period", today)
    fill_date(page, "End of the period", today - datetime.timedelta(days=1))
    page.get_by_label("Cohort").select_option(label="On a child protection plan")
    page.get_by_label("Audit tool").select_option(label=f"{tool.name} (version 1)")
    check_page(page, follow(page, page.get_by_role("button", name="Save the mock inspection")))
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be after its start")
    fill_date(page, "End of the period", today + datetime.timedelta(days=30))
    check_page(page, follow(page, page.get_by_role("button", name="Save the mock inspection")))
    expect(page.get_by_role("heading", name="Mock inspection: help and protection")).to_be_visible()
    expect(page.get_by_text("No sample has been drawn yet.")).to_be_visible()

    check_page(page, follow(page, page.get_by_role("link", name="Record the mock grades")))
    page.get_by_label(
        "The experiences and progress of children who need help and protection"
    ).select_option(label="Requires Improvement")
    check_page(page, follow(page, page.get_by_role("button", name="Save the judgements")))
    expect(page.get_by_role("heading", name="Mock grades")).to_be_visible()

    # Its sample is drawn on the thematic audit (the thematic journey tests those pages).
    mock = Inspection.objects.mock().get()
    drawn = thematic.draw_sample(
        mock.thematic_audit, method="random_n", size=3, seed=7, by=people.qa_lead
    )
    thematic.confirm_sample(drawn, by=people.qa_lead)
    check_page(page, page.goto("/inspection/"))
    mocks = page.get_by_role("table", name="1 mock inspection")
    check_page(page, follow(page, mocks.get_by_role("link", name=re.compile("^Mock inspection"))))
    expect(page.get_by_text("3 children sampled")).to_be_visible()
    check_page(page, follow(page, page.get_by_role("link", name="See the sample and its audits")))
    expect(page.get_by_role("heading", name="Mock inspection: help and protection")).to_be_visible()
    expect(page.get_by_text("Confirmed sample: 3 children")).to_be_visible()

    # An elected member does not see the council's rehearsal.
    page.context.clear_cookies()
    sign_in(page, "councillor", PASSWORD)
    check_page(page, page.goto("/inspection/"))
    expect(page.get_by_text("Mock inspection: help and protection")).to_have_count(0)
    expect(page.get_by_role("heading", name="Mock inspections")).to_have_count(0)
    check_page(page, page.goto(mock.get_absolute_url()), status=403)
