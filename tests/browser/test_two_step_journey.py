"""Two-step sign-in in Chromium: turning it on from the account page, then signing in with a
code. Every page on the way, and each error state, must pass axe."""

import datetime
import re

import pyotp
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseaudit.conftest import PASSWORD

from .test_journeys import SIGN_IN, check_page, follow

pytestmark = pytest.mark.browser


def test_turning_on_two_step_sign_in_and_signing_in_with_a_code(page, people):
    page.goto(SIGN_IN)
    page.get_by_label("Username").fill("qa.lead")
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name="Sign in"))

    check_page(page, page.goto("/account/"))
    check_page(page, follow(page, page.get_by_role("link", name="Turn on two-step sign-in")))
    expect(page.locator("img[src^='data:image/svg+xml']")).to_have_attribute(
        "alt", re.compile("QR code")
    )
    secret = page.locator("#setup-key").inner_text().replace(" ", "")
    code = page.get_by_label("Code from your authenticator app")
    code.fill("000000")
    response = follow(page, page.get_by_role("button", name="Turn on two-step sign-in"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not correct")
    check_page(page, response)
    code.fill(pyotp.TOTP(secret).now())
    check_page(page, follow(page, page.get_by_role("button", name="Turn on two-step sign-in")))
    expect(page.locator("h1")).to_have_text("Your account")
    expect(page.locator("main")).to_contain_text("Two-step sign-in is on")
    expect(page.locator("main")).not_to_contain_text(secret[:8])
    check_page(page, page.goto("/account/two-step/off/"))

    page.goto("/")
    follow(page, page.get_by_role("button", name="Sign out"))
    page.get_by_label("Username").fill("qa.lead")
    page.get_by_label("Password").fill(PASSWORD)
    response = follow(page, page.get_by_role("button", name="Sign in"))
    expect(page).to_have_url(re.compile(r"/account/sign-in/code/$"))
    check_page(page, response)
    page.get_by_label("Code from your authenticator app").fill("12ab")
    response = follow(page, page.get_by_role("button", name="Continue"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the code as 6 digits")
    check_page(page, response)
    # The code that turned it on is spent; the app's next one is accepted (one step of drift).
    later = timezone.now() + datetime.timedelta(seconds=30)
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).at(later))
    check_page(page, follow(page, page.get_by_role("button", name="Continue")))
    expect(page).to_have_url(re.compile(r"https?://[^/]+/$"))
