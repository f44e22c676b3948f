"""Pages work under the Content-Security-Policy: nothing they need is inline.

The ``page`` fixture fails any browser test that meets a policy violation; this module walks
the pages most likely to meet one (the admin's own scripts, an htmx autosave, a child's
record) and proves the watch catches a violation when there is one.
"""

import re

import pytest
from playwright.sync_api import expect

from caseaudit.audits.models import Audit
from caseaudit.conftest import PASSWORD

from .conftest import CHROMIUM_ARGS, TIMEOUT_MS, watch_content_security_policy  # noqa: F401
from .test_journeys import SIGN_IN, follow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def allocated_audit(allocated_audits):
    return Audit.objects.select_related("auditor", "child").order_by("pk").first()


def test_pages_run_without_breaking_the_policy(page, people, allocated_audit):
    """The ``page`` fixture fails the test on any violation met on the way."""
    policy = page.goto(SIGN_IN).headers["content-security-policy"]
    assert "script-src 'self'" in policy

    # GOV.UK Frontend's scripts ran: js-enabled comes from a file, not an inline script.
    sign_in(page, "qa.lead", PASSWORD)
    expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b"))
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    for path in (
        "/case-data/children/",
        allocated_audit.child.get_absolute_url(),
        "/audits/compliance/",
        "/reports/",
    ):
        assert page.goto(path).status == 200, path
    follow(page, page.get_by_role("button", name="Sign out"))

    # An htmx autosave: the request goes and its answer is swapped in.
    sign_in(page, allocated_audit.auditor.username, PASSWORD)
    page.goto(f"/audits/{allocated_audit.pk}/part/1/")
    with page.expect_response(re.compile(r"/autosave")) as saved:
        page.locator("main form .govuk-radios__label").first.click()
    assert saved.value.ok
    expect(page.locator("#autosave-status")).not_to_be_empty()
    follow(page, page.get_by_role("button", name="Sign out"))

    # The Django admin: its index, a list and a form with its widgets' scripts.
    sign_in(page, "administrator", PASSWORD)
    for path in ("/admin/", "/admin/organisation/team/", "/admin/organisation/worker/add/"):
        assert page.goto(path).status == 200, path
        expect(page.locator("#content")).to_be_visible()


def test_the_watch_catches_a_violation(chromium, live_server):
    """Script the page did not come with is refused, and the refusal is caught."""
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    violations = watch_content_security_policy(context, page)
    try:
        page.goto(SIGN_IN)
        ran = page.evaluate(
            """() => {
                window.injected = false;
                const script = document.createElement("script");
                script.textContent = "window.injected = true";
                document.body.append(script);
                return window.injected;
            }"""
        )
        page.wait_for_timeout(200)
    finally:
        context.close()
    assert ran is False, "inline script ran: the policy is not in force"
    assert any("script-src" in violation for violation in violations), violations
