"""An audit's pages in Chromium: autosave as you work, and nothing lost when the session ends.

Skipped where there is no Chromium (as the tests in tests/browser are).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connections
from django.test import Client
from django.urls import reverse

from caseaudit.audits.models import Answer, Audit
from caseaudit.audits.tests.test_workflow import grade_question, import_children, make_audit

CHROMIUM = Path(os.environ.get("CASEAUDIT_CHROMIUM") or "/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"Chromium not found at {CHROMIUM}"),
]


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's loop runs in this thread; the test and the browser take turns.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()
        # Django's connections belong to the context they were opened in, and Playwright's
        # event loop makes a context of its own: close the ones opened inside it, or the
        # test database cannot be dropped at the end of the run.
        connections.close_all()


def signed_in(context, user, live_server):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_answers_save_as_you_work_and_survive_the_session_ending(
    browser, live_server, people, council, tmp_path
):
    from tests.browser.accessibility import assert_accessible

    children = import_children(people, council, tmp_path)
    audit = make_audit(children["N1"], people.south_manager)
    voice = grade_question(audit)
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    signed_in(context, people.south_manager, live_server)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(reverse("audits:audit", args=[audit.pk]))
    assert_accessible(page)
    page.get_by_role("link", name="1. Voice and lived experience of the child").click()
    page.get_by_role("heading", name="Voice and lived experience of the child").wait_for()
    assert_accessible(page)

    # A choice saves a second after it is made; the form then carries the new version.
    page.locator(f"#id_q_{voice.pk}-2").check()
    page.locator("#autosave-status").get_by_text("Saved at").wait_for()
    assert Answer.objects.get(audit=audit, question=voice).value == "good"
    assert page.locator("#lock-version").input_value() == "1"

    # The session ends while they type the judgement: the server saves nothing and the page
    # says so ...
    last = reverse("audits:part", args=[audit.pk, 11])
    page.goto(last)
    Session.objects.all().delete()
    page.locator("#id_overall_rationale").fill("Words typed after the session ended")
    page.locator("#id_overall_rationale").press("End")
    page.get_by_text("You have been signed out").wait_for()
    assert Audit.objects.get(pk=audit.pk).overall_rationale == ""

    # ... and after signing in again the page puts their words back, with a notice.
    signed_in(context, people.south_manager, live_server)
    page.reload()
    page.get_by_text("We have put back answers you typed on this device").wait_for()
    assert page.locator("#id_overall_rationale").input_value() == (
        "Words typed after the session ended"
    )
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Your draft is saved.").wait_for()
    assert page.url.endswith(last)
    assert Audit.objects.get(pk=audit.pk).overall_rationale == "Words typed after the session ended"
    # Once the server has them, the browser's copy is gone.
    key = f"caseaudit:audit:{audit.pk}:{people.south_manager.pk}:11"
    assert page.evaluate(f"window.localStorage.getItem('{key}')") is None

    # Submitting too soon lists the sections to finish, each linked to its page.
    page.goto(reverse("audits:check", args=[audit.pk]))
    page.get_by_role("button", name="Submit audit").click()
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Finish 2. Assessment and analysis").click()
    page.get_by_role("heading", name="Assessment and analysis").wait_for()
    assert page.url.endswith(reverse("audits:part", args=[audit.pk, 2]))
    page.goto(reverse("audits:your_audits"))
    assert_accessible(page)
    assert not errors
    context.close()
