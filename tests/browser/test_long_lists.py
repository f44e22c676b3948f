"""Long lists in Chromium (issue 16, item 4): the QA lead sorts, filters and pages the
moderation queue, and a team manager does the same with their audits, each from the home page
through the navigation, every page checked with axe (and none wider than a phone at 390 px)."""

import datetime

import pytest
from playwright.sync_api import expect

from caseaudit.audits.choices import AuditStatus
from caseaudit.audits.models import Audit
from caseaudit.audits.tests.test_moderation import submitted_audits
from caseaudit.conftest import PASSWORD

from .test_journeys import check_page, follow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def spread(audits, field: str):
    """One a day from 1 January 2026, so newest first is a real order."""
    for number, audit in enumerate(audits):
        setattr(
            audit,
            field,
            datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.UTC) + datetime.timedelta(days=number),
        )
    Audit.objects.bulk_update(audits, [field])


def first_child(page) -> str:
    return page.locator("main table tbody tr").first.locator("th, td").first.inner_text().split()[0]


def narrow_fits(page) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_the_qa_lead_sorts_filters_and_pages_the_moderation_queue(page, people, council):
    waiting = submitted_audits(council, people, 60)
    spread(waiting, "submitted_at")
    check_page(page, sign_in(page, "qa.lead", PASSWORD))
    check_page(
        page, follow(page, page.locator("#navigation").get_by_role("link", name="Moderation"))
    )
    check_page(page, follow(page, page.get_by_role("link", name="Not yet selected (60)")))
    expect(page.get_by_role("columnheader", name="Submitted")).to_have_attribute(
        "aria-sort", "descending"
    )
    assert first_child(page) == waiting[-1].child.la_child_id  # newest submission first

    check_page(
        page, follow(page, page.locator("thead").get_by_role("link", name="Child", exact=True))
    )
    expect(page.get_by_role("columnheader", name="Child")).to_have_attribute(
        "aria-sort", "ascending"
    )
    assert first_child(page) == waiting[0].child.la_child_id
    check_page(
        page, follow(page, page.locator("thead").get_by_role("link", name="Child", exact=True))
    )
    expect(page.get_by_role("columnheader", name="Child")).to_have_attribute(
        "aria-sort", "descending"
    )
    assert first_child(page) == waiting[-1].child.la_child_id

    page.get_by_label("Team").select_option(label=people.north_team.name)
    check_page(page, follow(page, page.get_by_role("button", name="Apply filters")))
    expect(page.locator("main")).to_contain_text("60 audits match the filters")
    pages = page.get_by_role("navigation", name="Pages of the moderation queue")
    check_page(page, follow(page, pages.get_by_role("link", name="Page 3")))
    expect(pages.locator("[aria-current=page]")).to_have_text("3")
    assert "sort=child" in page.url and f"team={people.north_team.pk}" in page.url
    assert first_child(page) == waiting[9].child.la_child_id  # 60 … 51, 50 … 26, then 25 …
    expect(page.locator("main table tbody tr")).to_have_count(10)
    narrow_fits(page)

    # A value no one offered: an error beside the filter, and the list as if unfiltered.
    check_page(page, page.goto(page.url.split("?")[0] + "?tab=waiting&month=1999-01&sort=x&page=y"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a month in the list")


def test_a_team_manager_sorts_filters_and_pages_their_audits(page, people, council):
    to_do = submitted_audits(council, people, 55, status=AuditStatus.ALLOCATED)
    spread(to_do, "allocated_at")
    done = submitted_audits(council, people, 3)
    check_page(page, sign_in(page, "south.manager", PASSWORD))
    check_page(
        page, follow(page, page.locator("#navigation").get_by_role("link", name="Your audits"))
    )
    expect(page.get_by_role("link", name="To do (55)")).to_have_attribute("aria-current", "page")
    assert first_child(page) == to_do[-1].child.la_child_id  # newest first

    check_page(
        page,
        follow(page, page.locator("thead").get_by_role("link", name="Allocated on", exact=True)),
    )
    expect(page.get_by_role("columnheader", name="Allocated on")).to_have_attribute(
        "aria-sort", "ascending"
    )
    assert first_child(page) == to_do[0].child.la_child_id
    pages = page.get_by_role("navigation", name="Pages of your audits")
    check_page(page, follow(page, pages.get_by_role("link", name="Next")))
    assert first_child(page) == to_do[50].child.la_child_id

    page.get_by_label("Status").select_option(label="In progress")
    check_page(page, follow(page, page.get_by_role("button", name="Apply filters")))
    expect(page.locator("main")).to_contain_text("None of your audits match these filters.")
    check_page(page, follow(page, page.get_by_role("link", name="Clear filters")))
    check_page(page, follow(page, page.get_by_role("link", name="Done (3)")))
    expect(page.locator("main table tbody tr")).to_have_count(3)
    assert {first_child(page)} <= {audit.child.la_child_id for audit in done}
    narrow_fits(page)
