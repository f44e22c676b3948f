"""Signing in with a council account in Chromium, through a local OpenID Connect provider
(caseaudit/accounts/tests/oidc_provider.py): the sign-in page's button, the provider's
/authorize and back. The sign-in page and the refusal page must pass axe."""

import re

import pytest
from playwright.sync_api import expect

from caseaudit.accounts.models import AccessLog
from caseaudit.accounts.tests.oidc_provider import TENANT
from caseaudit.accounts.tests.test_single_sign_on import provider  # noqa: F401 (a fixture)

from .test_journeys import SIGN_IN, check_page, follow

pytestmark = pytest.mark.browser

COUNCIL_ACCOUNT = "Sign in with your council account"


def test_signing_in_with_a_council_account(page, people, provider):  # noqa: F811
    people.qa_lead.email = "qa.lead@council.example.gov.uk"
    people.qa_lead.save()
    provider.next_claims = {
        "oid": "qa-lead-object-id",
        "tid": TENANT,
        "preferred_username": "qa.lead@council.example.gov.uk",
    }
    check_page(page, page.goto(SIGN_IN))
    response = follow(page, page.get_by_role("button", name=COUNCIL_ACCOUNT))
    assert response.status == 200
    expect(page).to_have_url(re.compile(r"https?://[^/]+/$"))
    people.qa_lead.refresh_from_db()
    assert people.qa_lead.sso_subject == "qa-lead-object-id"

    follow(page, page.get_by_role("button", name="Sign out"))
    provider.next_claims = {
        "oid": "a-stranger",
        "tid": TENANT,
        "preferred_username": "stranger@council.example.gov.uk",
    }
    response = follow(page, page.get_by_role("button", name=COUNCIL_ACCOUNT))
    check_page(page, response, status=403)
    expect(page.locator("main")).to_contain_text("ask your QA lead or administrator")
    refusal = AccessLog.objects.filter(action="denied").latest("sequence")
    assert (refusal.username, refusal.record_id) == (
        "stranger@council.example.gov.uk",
        "unknown-person",
    )
