"""The headers every page carries: a Content-Security-Policy, and no-store once signed in."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
TEMPLATE_FOLDERS = [
    Path(settings.BASE_DIR) / "caseaudit" / "templates",
    *sorted((Path(settings.BASE_DIR) / "caseaudit").glob("*/templates")),
]


def test_every_page_has_the_content_security_policy(client, people):
    assert settings.CONTENT_SECURITY_POLICY == POLICY
    # Signed out: the sign-in page, and the redirect to it.
    assert client.get(reverse("accounts:login"))["Content-Security-Policy"] == POLICY
    assert client.get(reverse("home"))["Content-Security-Policy"] == POLICY
    client.force_login(people.qa_lead)
    for url in (reverse("home"), reverse("accounts:account"), "/no-such-page/", "/admin/"):
        assert client.get(url)["Content-Security-Policy"] == POLICY, url


def test_every_page_says_which_browser_features_it_may_not_use(client, people):
    """Permissions-Policy, Referrer-Policy and the other headers Django's SecurityMiddleware
    sets, signed in or not, on pages and on errors."""
    client.force_login(people.qa_lead)
    for url in (reverse("accounts:login"), reverse("home"), "/no-such-page/"):
        response = client.get(url)
        policy = dict(
            feature.strip().split("=") for feature in response["Permissions-Policy"].split(",")
        )
        assert {"camera", "microphone", "geolocation", "payment"} <= set(policy), url
        assert set(policy.values()) == {"()"}, url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


def test_pages_for_a_signed_in_person_are_never_stored(client, people):
    client.force_login(people.qa_lead)
    for url in (reverse("home"), reverse("organisation:index"), "/no-such-page/"):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url


def test_static_files_keep_their_caching(people, settings):
    """WhiteNoise answers before the signed-in rule runs."""
    # Serve from the app folders, as production serves from STATIC_ROOT; read when a new
    # client first loads the middleware.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()
    client.force_login(people.qa_lead)
    assert finders.find("caseaudit/caseaudit.css")
    response = client.get("/static/caseaudit/caseaudit.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "pattern",
    [
        # A <script> element with no src: inline script.
        r"<script(?![^>]*\bsrc=)[^>]*>",
        r"<style\b",
        r"\son[a-z]+\s*=",
        r"\sstyle\s*=",
        r"javascript:",
    ],
)
def test_no_template_has_inline_script_or_style(pattern):
    """The policy would block them; a page that needs one would break in silence."""
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for folder in TEMPLATE_FOLDERS
        for path in folder.rglob("*.html")
        # The downloadable report file is a document of its own with its own policy.
        if path.name != "document.html"
        for match in re.finditer(pattern, path.read_text(), re.IGNORECASE)
    ]
    assert not found, found
