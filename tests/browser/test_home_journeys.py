"""Issue 16: each role starts at its home page and reaches its main task by clicking links
only (no typed address after signing in), every page on the way checked with axe.

The small council's month is drawn and allocated (tests/browser/conftest.py): the south
manager audits N1 (the social worker's case), the north manager S1."""

import re

import pytest
from playwright.sync_api import expect

from caseaudit.audits.actions import reflection, workflow
from caseaudit.audits.models import Audit
from caseaudit.audits.tests.test_followup import SHEET
from caseaudit.audits.tests.test_workflow import fill_in
from caseaudit.conftest import PASSWORD
from caseaudit.core import clock

from .test_journeys import check_page, follow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def start_at_home(page, username):
    """Sign in through the form; the home page is where everyone lands."""
    check_page(page, sign_in(page, username, PASSWORD))
    expect(page.locator("h1")).to_be_visible()


def queue(page, key):
    return page.locator(f'section[data-queue="{key}"]')


def test_the_qa_lead_goes_from_home_to_this_months_programme(page, people, allocated_audits):
    start_at_home(page, "qa.lead")
    month = clock.today().replace(day=1)
    stage = page.locator("main dl").filter(has_text=f"{month:%B %Y}")
    expect(stage).to_contain_text("2 audits allocated.")
    expect(queue(page, "overdue")).to_contain_text("No audit is overdue.")
    check_page(page, follow(page, page.get_by_role("link", name=f"Open {month:%B %Y}")))
    expect(page.locator("h1")).to_contain_text(f"{month:%B %Y}")


def test_a_team_manager_goes_from_home_to_the_audit_they_must_do(page, people, allocated_audits):
    mine = Audit.objects.get(auditor=people.south_manager)
    start_at_home(page, "south.manager")
    audits = queue(page, "audits")
    expect(audits.locator("[data-count]")).to_have_text("1")
    expect(audits).to_contain_text("Not started")
    check_page(page, follow(page, audits.get_by_role("link", name=re.compile(str(mine.child)))))
    assert page.url.endswith(f"/audits/{mine.pk}/")
    expect(page.locator("main")).to_contain_text(mine.child.la_child_id)


def test_a_social_worker_goes_from_home_to_the_reflection_waiting_for_them(
    page, people, allocated_audits
):
    mine = Audit.objects.get(auditor=people.south_manager)
    fill_in(mine, by=people.south_manager)
    workflow.submit_audit(mine, by=people.south_manager)
    reflection.record_reflection(
        Audit.objects.get(pk=mine.pk), met_on=clock.today(), by=people.south_manager, **SHEET
    )
    start_at_home(page, "social.worker")
    waiting = queue(page, "reflections")
    expect(waiting.locator("[data-count]")).to_have_text("1")
    check_page(page, follow(page, waiting.get_by_role("link").first))
    assert page.url.endswith(f"/audits/{mine.pk}/")
    expect(page.get_by_role("link", name="Add your response")).to_be_visible()


def test_a_director_goes_from_the_headline_to_compliance(page, people, allocated_audits):
    start_at_home(page, "director")
    expect(page.get_by_role("heading", name="The audit programme at a glance")).to_be_visible()
    check_page(page, follow(page, page.get_by_role("link", name="See compliance in full")))
    expect(page.locator("h1")).to_have_text("Audit compliance")


def test_a_councillor_goes_from_the_headline_to_the_published_reports(
    page, people, allocated_audits
):
    start_at_home(page, "councillor")
    main = page.locator("main")
    expect(main).to_contain_text("Counts from 1 to 5 show as c")
    expect(main).not_to_contain_text("Child ")
    check_page(page, follow(page, page.get_by_role("link", name="See all reports")))
    expect(page.locator("h1")).to_have_text("Audit highlight reports")


def test_an_administrator_goes_from_home_to_the_imports(page, people, allocated_audits):
    start_at_home(page, "administrator")
    imports = queue(page, "imports")
    expect(imports).to_contain_text("No import needs attention.")
    check_page(page, follow(page, imports.get_by_role("link", name="See all imports")))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.url.endswith("/case-data/imports/")
