"""Each demo login, in Chromium: sign in, every page in the service navigation, the
organisation browser three levels down, sign out; and the refusals. Every page must answer
as expected (never a server error), have one h1 and pass axe's WCAG 2.2 AA rules (see
accessibility.py). The qa.lead journey saves a screenshot of its home page to SCREENSHOT."""

import re

import pytest
from playwright.sync_api import expect

from caseaudit.accounts.demo import DEMO_LOGINS, DEMO_PASSWORD
from caseaudit.accounts.models import User
from caseaudit.organisation.models import Assignment

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser

SIGN_IN = "/account/sign-in/"
ADMIN = "/admin/"
# One home page, saved for a person to look at (outside the repository).
SCREENSHOT, SCREENSHOT_OF = "/tmp/browser-home.png", "qa.lead"  # noqa: S108

# Of the sections not everyone has, the ones each role must find in its service navigation.
# Other items come as the service grows: the crawl visits whatever is there.
RESTRICTED_SECTIONS = {
    "Organisation",
    "Your audits",
    "Audit programme",
    "Audit tools",
    "Requests",
    "Compliance",
    "Moderation",
    "Reports",
    "Trackers",
    "Access log",
    "Administration",
}
SECTIONS_SEEN = {
    "qa.lead": {
        "Organisation",
        "Audit programme",
        "Audit tools",
        "Requests",
        "Compliance",
        "Moderation",
        "Reports",
        "Trackers",
    },
    "team.manager": {"Organisation", "Your audits", "Reports", "Trackers"},
    "social.worker": {"Trackers"},
    "inspection.lead": {"Organisation", "Compliance", "Reports", "Trackers"},
    "director": {"Organisation", "Compliance", "Reports", "Trackers"},
    "councillor": {"Reports"},
    "administrator": {
        "Organisation",
        "Compliance",
        "Reports",
        "Trackers",
        "Access log",
        "Administration",
    },
}
FORBIDDEN = "You do not have access to this page"
NOT_FOUND = "Page not found"


def check_page(page, response, *, status=200):
    """The page answered with ``status``, has one h1 with words in it, and passes axe."""
    __tracebackhide__ = True
    assert response is not None, f"no response for {page.url}"
    assert response.status == status, f"{page.url} answered {response.status}, not {status}"
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).not_to_be_empty()
    assert_accessible(page)


def follow(page, link, *, timeout: float | None = None):
    """Click a link (or button) and return the response to the navigation it starts."""
    with page.expect_navigation(timeout=timeout) as navigation:
        link.click(timeout=timeout)
    return navigation.value


def sign_in(page, username, password=DEMO_PASSWORD):
    """Through the real form, by its labels; returns the response of the page it lands on."""
    page.goto(SIGN_IN)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    response = follow(page, page.get_by_role("button", name="Sign in"))
    assert re.fullmatch(r"https?://[^/]+/", page.url), f"{username} landed on {page.url}"
    return response


def navigation_links(page) -> list[tuple[str, str]]:
    return [
        (" ".join(link.inner_text().split()), link.get_attribute("href"))
        for link in page.locator("#navigation a").all()
    ]


def explore_organisation(page):
    """From the organisation index, click down to an area, a team in it and a worker in that
    team; then, from the index again, to a service."""
    for path in ("areas", "teams", "workers", "services"):
        if path in ("areas", "services"):
            page.goto("/organisation/")
        response = follow(page, page.locator(f'main a[href^="/organisation/{path}/"]').first)
        assert f"/organisation/{path}/" in page.url
        check_page(page, response)


def test_the_sign_in_page_and_its_error_summary_are_accessible(page):
    check_page(page, page.goto(SIGN_IN))
    response = follow(page, page.get_by_role("button", name="Sign in"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your username")
    expect(summary).to_contain_text("Enter your password")
    expect(page).to_have_title(re.compile(r"^Error: "))
    # GOV.UK Frontend's script moves focus to the summary, so a screen reader reads it first.
    expect(summary).to_be_focused()
    check_page(page, response)


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=lambda login: login.username)
def test_every_role_can_use_every_page_in_its_navigation(page, demo_council, login):
    check_page(page, sign_in(page, login.username))
    expect(page.locator("#navigation a[aria-current]")).to_have_text("Home")
    if login.username == SCREENSHOT_OF:
        page.screenshot(path=SCREENSHOT, full_page=True)

    links = navigation_links(page)
    labels = [label for label, _ in links]
    assert labels[0] == "Home", labels
    assert RESTRICTED_SECTIONS.intersection(labels) == SECTIONS_SEEN[login.username], labels
    for label, href in links[1:]:  # Home was checked on arrival
        check_page(page, page.goto(href))
        # Django's admin has its own templates, without the service navigation.
        if not href.startswith(ADMIN):
            expect(page.locator("#navigation a[aria-current]")).to_have_text(label)

    if "Organisation" in labels:
        explore_organisation(page)
    # Your account is in the header, under your name.
    check_page(page, follow(page, page.get_by_role("link", name=re.compile("your account"))))
    expect(page.locator("h1")).to_have_text("Your account")

    page.goto("/")
    follow(page, page.get_by_role("button", name="Sign out"))
    expect(page).to_have_url(re.compile(re.escape(SIGN_IN) + "$"))
    # Signed out means signed out: home sends you back to sign in.
    page.goto("/")
    expect(page).to_have_url(re.compile(re.escape(SIGN_IN) + r"\?next=/$"))


def test_an_elected_member_is_refused_staff_pages(page, demo_council):
    sign_in(page, "councillor")
    for path in ("/organisation/", "/account/access-log/", "/performance/trackers/", ADMIN):
        check_page(page, page.goto(path), status=403)
        expect(page.locator("h1")).to_have_text(FORBIDDEN)


def test_a_team_manager_cannot_open_another_teams_pages(page, demo_council):
    manager = User.objects.get(username="team.manager")
    current = Assignment.objects.current().select_related("worker", "team")
    own = current.filter(team=manager.scope_team).exclude(worker=manager.worker).first()
    other = current.exclude(team=manager.scope_team).first()

    sign_in(page, manager.username)
    # Their own team's worker opens, so the refusals below are the scope, not broken links.
    check_page(page, page.goto(own.worker.get_absolute_url()))
    for record in (other.worker, other.team):
        check_page(page, page.goto(record.get_absolute_url()), status=404)
        expect(page.locator("h1")).to_have_text(NOT_FOUND)
        expect(page.locator("main")).not_to_contain_text(str(record))


def test_the_accessibility_check_can_fail(page):
    """Guards against a checker that passes everything: break a page that passes, on purpose."""
    page.goto(SIGN_IN)
    assert_accessible(page)
    page.locator("main").evaluate(
        """main => main.insertAdjacentHTML(
            'beforeend', '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input>'
        )"""
    )
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    message = str(failure.value)
    assert "image-alt (critical)" in message
    assert "label (critical)" in message
    assert page.url in message
