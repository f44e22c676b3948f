"""No page scrolls sideways on a 390-pixel-wide phone (WCAG 1.4.10, Reflow), for any role.

One Chromium and one sign-in per demo login, on the demo council with its case data and two
months of audit programme (a report, thematic audits): the home page, every page in the
service navigation, and one of each kind of page they link to (a team, a child, an audit, a
month, a report…). A page passes when ``document.documentElement.scrollWidth`` is at most its
``clientWidth``: wide tables scroll inside their own region (``.ca-scroll``, focusable and
named, wide-tables.js), long words wrap. Every page visited is checked with axe as well, at
that width. The failures name the elements that stick out, so a failing page says what to fix.
"""

import datetime
import io
import re

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test import Client

from caseaudit.accounts.demo import DEMO_LOGINS
from caseaudit.accounts.models import User
from caseaudit.core import clock

from .accessibility import assert_accessible
from .conftest import (
    FAST_PASSWORD_HASHERS,
    TIMEOUT_MS,
    restore_shipped_tools,
    watch_content_security_policy,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Not pages: downloads, the admin site (Django's own, not ours to change), signing out.
SKIP = re.compile(r"^/admin/|sign-out|\.(csv|xlsx|docx|pdf|zip|html)(\?|$)")

OVERFLOW = """() => {
  const page = document.documentElement;
  if (page.scrollWidth <= page.clientWidth) return null;
  // What sticks out of the screen, or whose content (a long word) spills out of it; of those,
  // the innermost, which are the ones to fix.
  const spills = (element) => element.scrollWidth > element.clientWidth
    && getComputedStyle(element).overflowX === 'visible';
  const found = [...document.body.querySelectorAll('*')].filter((element) =>
    element.getBoundingClientRect().right > page.clientWidth + 1
    || (spills(element) && element.clientWidth > 0));
  const innermost = found.filter((element) =>
    !found.some((other) => other !== element && element.contains(other)));
  return {
    scrollWidth: page.scrollWidth,
    clientWidth: page.clientWidth,
    sticking_out: innermost.slice(0, 5).map((element) =>
      `<${element.tagName.toLowerCase()} class="${element.className}">`
      + ` ${element.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60)}`),
  };
}"""


def pattern(path: str) -> str:
    """One of each kind of page: /teams/12/ and /teams/13/ are the same kind."""
    return re.sub(r"\d+", "N", path.split("?")[0])


def links(page, selector: str) -> list[str]:
    hrefs = page.locator(selector).evaluate_all(
        "links => links.filter((a) => !a.hasAttribute('download'))"
        ".map((a) => a.getAttribute('href'))"
    )
    return [href.split("#")[0] for href in hrefs if href and href.startswith("/")]


@pytest.fixture
def demo_with_programme(demo_council, settings, tmp_path):
    """The demo council as ``caseaudit demo`` leaves it, with two months of programme: the
    organisation comes from the session's snapshot, the rest is built here."""
    settings.DATA_DIR = tmp_path
    # An earlier live-server test's flush took the shipped audit tools with it.
    restore_shipped_tools()
    start = f"{clock.today().replace(day=1) - datetime.timedelta(days=1):%Y-%m}"
    call_command("demo", stdout=io.StringIO(), programme_from=start)
    return demo_council


def signed_in(context, user, base_url: str) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


# Layout is the templates' and the style sheet's, the same whichever database serves them, and
# this walk over every role's pages takes minutes: it runs once, on SQLite, to keep CI's two
# suites (which run side by side) inside their time.
@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="page layout does not depend on the database; checked on SQLite",
)
def test_no_page_scrolls_sideways_at_390_pixels(chromium, live_server, demo_with_programme):
    django_settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS
    failures, problems, visited = [], [], 0
    seen_deeper: set[str] = set()
    for login in DEMO_LOGINS:
        context = chromium.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
        context.set_default_timeout(TIMEOUT_MS)
        signed_in(context, User.objects.get(username=login.username), live_server.url)
        page = context.new_page()
        policy = watch_content_security_policy(context, page)
        page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))

        def visit(path: str, login=login, page=page) -> None:
            nonlocal visited
            response = page.goto(path)
            visited += 1
            assert response is not None and response.status < 400, (
                f"{login.username}: {path} answered {response and response.status}"
            )
            overflow = page.evaluate(OVERFLOW)
            if overflow:
                failures.append(f"{login.username} {path}: {overflow}")
            assert_accessible(page)

        visit("/")
        main_pages = [path for path in links(page, "#navigation a") if not SKIP.search(path)]
        seen = {pattern("/")}
        deeper = []
        for path in main_pages:
            if pattern(path) in seen:
                continue
            seen.add(pattern(path))
            visit(path)
            deeper += links(page, "main a")
        # One of each kind of page the main pages link to, for the first role that sees it.
        for path in deeper:
            kind = pattern(path)
            if SKIP.search(path) or kind in seen or kind in seen_deeper:
                continue
            seen.add(kind)
            seen_deeper.add(kind)
            visit(path)
        context.close()
        problems.extend(policy)
    assert not problems, "\n".join(problems)
    assert not failures, f"{len(failures)} of {visited} pages scroll sideways:\n" + "\n".join(
        failures
    )
    assert visited > 40  # a crawl that found nothing would pass: it did not


def test_the_check_can_fail(chromium, live_server):
    """A page made wider than the phone on purpose is caught, and the culprit named."""
    context = chromium.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.goto("/account/sign-in/")
    assert page.evaluate(OVERFLOW) is None
    page.locator("main").evaluate(
        "main => main.insertAdjacentHTML('beforeend', '<p id=wide>' + 'x'.repeat(300) + '</p>')"
    )
    page.locator("#wide").evaluate("p => { p.style.overflowWrap = 'normal'; }")
    overflow = page.evaluate(OVERFLOW)
    assert overflow and overflow["scrollWidth"] > 390
    assert any("xxxx" in element for element in overflow["sticking_out"])
    context.close()
