"""An auditor does an audit as a GOV.UK task list, in Chromium, every page checked with axe.

From the home page to their audit, through its parts one at a time (each says when it was
saved), to check your answers, a change made from there, the submission and what happens next.
"""

import re

import pytest
from playwright.sync_api import expect

from caseaudit.accounts.models import AccessLog
from caseaudit.audits.models import Audit
from caseaudit.conftest import PASSWORD

from .test_journeys import check_page, follow, sign_in
from .test_programme_journey import answer_every_question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def status_of(page, title: str) -> str:
    row = page.locator(".govuk-task-list__item").filter(has_text=title)
    return " ".join(row.locator(".govuk-task-list__status").inner_text().split())


def test_an_auditor_completes_an_audit_part_by_part_and_submits(page, people, allocated_audits):
    audit = next(a for a in allocated_audits if a.auditor == people.south_manager)
    child = audit.child.la_child_id
    sign_in(page, "south.manager", PASSWORD)
    check_page(
        page, follow(page, page.locator("#navigation").get_by_role("link", name="Your audits"))
    )
    check_page(page, follow(page, page.get_by_role("link", name=re.compile(child))))

    # The task list: every part not started, checking cannot start yet.
    parts = page.locator(".govuk-task-list__link")
    count = parts.count()
    assert count == 11  # ten domains and the overall judgement
    expect(page.locator("main")).to_contain_text(f"You have completed 0 of {count} sections.")
    assert status_of(page, "1. Voice and lived experience of the child") == "Not started"
    assert status_of(page, "Check your answers and submit") == "Cannot start yet"

    # The child's record is a link away, and opening it is logged.
    check_page(page, follow(page, page.get_by_role("link", name=f"Child {child}'s record")))
    opened = AccessLog.objects.filter(
        username="south.manager", action="viewed", record_type="cases.child"
    )
    assert opened.filter(record_id=str(audit.child.pk)).exists()
    page.go_back()

    # The first part: answered, saved as a draft, and the page says when.
    check_page(page, follow(page, parts.first))
    expect(page.locator("#autosave-status")).to_contain_text("Not saved yet")
    answer_every_question(page, "Requires Improvement")
    check_page(page, follow(page, page.get_by_role("button", name="Save draft")))
    expect(page.locator("#autosave-status")).to_contain_text("Saved at")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your draft is saved."
    )
    check_page(page, follow(page, page.get_by_role("link", name="Return to the task list")))
    assert status_of(page, "1. Voice and lived experience of the child") == "Completed"
    assert status_of(page, "2. Assessment and analysis") == "Not started"
    expect(page.locator("main")).to_contain_text(f"You have completed 1 of {count} sections.")

    # The rest, one after another with 'Save and continue', to check your answers.
    check_page(page, follow(page, parts.nth(1)))
    while page.get_by_role("button", name="Save and continue").count():
        answer_every_question(page)
        check_page(page, follow(page, page.get_by_role("button", name="Save and continue")))
    expect(page.locator("h1")).to_have_text("Check your answers before submitting the audit")
    first = page.locator(".govuk-summary-card").first
    expect(first).to_contain_text("Requires Improvement")

    # A change from check your answers goes to that part's page, and back again.
    check_page(page, follow(page, first.locator(".govuk-summary-card__actions a")))
    expect(page.locator("h1")).to_have_text("Voice and lived experience of the child")
    grade = page.get_by_role("group", name=re.compile("^Grade for"))
    grade.get_by_label("Good", exact=True).check()
    check_page(page, follow(page, page.get_by_role("button", name="Save and continue")))
    expect(page.locator("h1")).to_have_text("Check your answers before submitting the audit")
    expect(page.locator(".govuk-summary-card").first).not_to_contain_text("Requires Improvement")
    # The task list agrees: every part done, checking can start.
    check_page(page, follow(page, page.get_by_role("link", name="Return to the task list")))
    assert status_of(page, "1. Voice and lived experience of the child") == "Completed"
    assert status_of(page, "Check your answers and submit") == "Not started"
    check_page(page, follow(page, page.get_by_role("link", name="Check your answers and submit")))

    # Submitted: a confirmation, what happens next, and the way back to their audits.
    check_page(page, follow(page, page.get_by_role("button", name="Submit audit")))
    expect(page.locator(".govuk-panel")).to_contain_text("Audit submitted")
    expect(page.locator("main")).to_contain_text("What happens next")
    expect(page.get_by_role("link", name="Record the reflection meeting")).to_be_visible()
    assert Audit.objects.get(pk=audit.pk).status == "submitted"
    check_page(page, follow(page, page.get_by_role("link", name="Back to your audits")))
    expect(page.locator("h1")).to_have_text("Your audits")
