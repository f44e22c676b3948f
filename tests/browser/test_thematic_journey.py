"""A thematic audit, end to end in Chromium, every page checked with axe: the lead builds a
cohort (its size shown as they choose), plans the thematic audit with a bespoke tool, draws,
confirms and allocates the sample; an auditor's audit evidences a finding; the lead confirms
it and adds an action owned by a team manager, who marks it done with evidence."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from caseaudit.accounts.choices import Role, Scope
from caseaudit.audits.actions import workflow
from caseaudit.audits.tests.test_workflow import fill_in
from caseaudit.cases.generator import DEFAULT_AS_AT, generate_council
from caseaudit.cases.importer import import_annex_a
from caseaudit.conftest import PASSWORD, make_user
from caseaudit.core import clock
from caseaudit.reports.models import KindReport
from caseaudit.thematic.models import PlanAction, ThematicAudit
from caseaudit.tools.models import AuditTool

from .test_journeys import check_page, follow, sign_in
from .test_programme_journey import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_runs_a_thematic_audit_end_to_end(
    page, people, council, tmp_path, publishing_at_once
):
    generated = generate_council(tmp_path, scale=0.05, fmt="csv")
    assert not import_annex_a(generated.path, council=council.council, as_at=DEFAULT_AS_AT).refused
    make_user(council.council, "inspection.lead", Role.INSPECTION_LEAD, Scope.COUNCIL)
    tool = AuditTool.objects.for_council(council.council.pk).order_by("pk").first()
    today = clock.today()

    # The lead builds a cohort; its size shows as soon as a condition is complete.
    sign_in(page, "inspection.lead", PASSWORD)
    check_page(page, follow(page, page.locator("#navigation").get_by_role("link", name="Cohorts")))
    check_page(page, follow(page, page.get_by_role("link", name="Build a cohort")))
    page.get_by_label("Name of the cohort").fill("Children looked after now")
    condition = page.get_by_role("group", name="Condition 1")
    condition.get_by_label("Field").select_option("cla.ceased_looked_after_date")
    condition.get_by_label("Comparison").select_option("blank")
    expect(page.locator("[data-cohort-size]")).to_contain_text(re.compile(r"\d+ child"))
    # Every change asks for the size again: let the last answer arrive before saving (the
    # test server shares one SQLite connection between its threads).
    page.wait_for_load_state("networkidle")
    check_page(page, follow(page, page.get_by_role("button", name="Save the cohort")))
    expect(page.get_by_role("table", name="Age band")).to_be_visible()

    # It plans the thematic audit with the bespoke tool, then draws and confirms the sample.
    check_page(
        page, follow(page, page.locator("#navigation").get_by_role("link", name="Thematic audits"))
    )
    check_page(page, follow(page, page.get_by_role("link", name="Plan a thematic audit")))
    page.get_by_label("Title").fill("Placement stability")
    page.get_by_label("Purpose").fill("Why do some placements end early?")
    fill_date(page, "Start of the period", today)
    fill_date(page, "End of the period", today + datetime.timedelta(days=60))
    page.get_by_label("Cohort").select_option(label="Children looked after now")
    page.get_by_label("Audit tool").select_option(label=f"{tool.name} (version 1)")
    fill_date(page, "Date the audits are due", today + datetime.timedelta(days=28))
    check_page(page, follow(page, page.get_by_role("button", name="Save")))
    check_page(page, follow(page, page.get_by_role("link", name="Draw the sample")))
    page.get_by_label("A random number of children").check()
    page.get_by_label("Number or percentage").fill("3")
    page.get_by_label("Seed (optional)").fill("7")
    check_page(page, follow(page, page.get_by_role("button", name="Draw the sample")))
    check_page(page, follow(page, page.get_by_role("button", name="Confirm the sample")))
    check_page(page, follow(page, page.get_by_role("link", name="Allocate the audits")))
    check_page(page, follow(page, page.get_by_role("button", name="Allocate the audits")))
    thematic = ThematicAudit.objects.get()
    assert thematic.status == "in_progress"

    # An auditor does one audit (the audit page's own journey is tested elsewhere).
    audit = thematic.samples.get().children.exclude(audit=None).first().audit
    fill_in(audit, by=audit.auditor, grade="requires_improvement", overall="requires_improvement")
    workflow.submit_audit(audit, by=audit.auditor)

    # The lead records a finding evidenced by it, confirms it and plans an action.
    page.reload()
    expect(page.get_by_role("row", name=re.compile("Requires Improvement 1"))).to_be_visible()
    check_page(page, follow(page, page.get_by_role("link", name="Add a finding")))
    page.get_by_label("Area for improvement").check()
    page.get_by_label("Finding", exact=True).fill("Plans are not updated after a move")
    page.get_by_label("High").check()
    page.locator("input[name=evidence]").first.check()
    check_page(page, follow(page, page.get_by_role("button", name="Add the finding")))
    check_page(page, follow(page, page.get_by_role("button", name="Confirm finding 1")))
    check_page(page, follow(page, page.get_by_role("link", name="Add an action")))
    page.get_by_label("Action", exact=True).fill("Review plans after every move")
    page.get_by_label("Intended outcome").fill("Plans stay current")
    page.get_by_label("Owner").select_option(label=people.north_manager.display_name)
    fill_date(page, "Due date", today + datetime.timedelta(days=14))
    check_page(page, follow(page, page.get_by_role("button", name="Add the action")))

    # The team manager who owns it marks it done, with the evidence.
    page.context.clear_cookies()
    sign_in(page, "north.manager", PASSWORD)
    check_page(page, page.goto("/thematic/your-actions/"))
    check_page(page, follow(page, page.get_by_role("link", name="Review plans after every move")))
    page.get_by_label("Done").check()
    page.get_by_label("Evidence of completion").fill("All 14 plans reviewed")
    check_page(page, follow(page, page.get_by_role("button", name="Update the action")))
    assert PlanAction.objects.get().status == "done"
    check_page(page, page.goto(thematic.get_absolute_url()), status=403)

    # The lead publishes an overview report of it from the thematic audits page; an elected
    # member reads it, and may not prepare one.
    page.context.clear_cookies()
    sign_in(page, "inspection.lead", PASSWORD)
    check_page(page, page.goto("/thematic/"))
    check_page(page, follow(page, page.get_by_role("link", name="Overview report")))
    check_page(page, follow(page, page.get_by_role("button", name="Preview the report")))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.get_by_label(re.compile("Placement stability")).check()
    check_page(page, follow(page, page.get_by_role("button", name="Preview the report")))
    expect(page.get_by_role("heading", name="Overall judgements")).to_be_visible()
    # Published as the request commits (no worker here), the files written before the page
    # answers: on a busy machine that can take longer than a click usually may.
    publish = page.get_by_role("button", name="Publish this report")
    check_page(page, follow(page, publish, timeout=60_000))
    report = KindReport.objects.get()
    assert report.is_published
    expect(page.get_by_role("link", name=re.compile("^PDF"))).to_be_visible()
    page.context.clear_cookies()
    sign_in(page, "councillor", PASSWORD)
    check_page(page, page.goto("/reports/"))
    check_page(page, follow(page, page.get_by_role("link", name=report.title)))
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Word")).click()
    assert download.value.suggested_filename.endswith(".docx")
    check_page(page, page.goto("/reports/thematic/new/"), status=403)
