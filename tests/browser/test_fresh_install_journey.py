"""A fresh installation, in Chromium: the installer's account (no council yet) signs in, finds
"Set up your council" on the home page, makes a mistake, then creates the council and imports
its first Annex A return, and lands on the import's page. Every page checked with axe."""

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from caseaudit.accounts.models import User
from caseaudit.cases.tests.test_import import small_return
from caseaudit.organisation.models import Council

from .test_journeys import check_page, follow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long installer password"  # noqa: S105


def test_the_installer_sets_up_the_council_from_the_web(page, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.UPLOAD_DIR = tmp_path / "uploads"
    User.objects.create_superuser("installer", "installer@example.org", PASSWORD)
    team = SimpleNamespace(pk=1, name="Northshire Assessment Team 1")
    spec = SimpleNamespace(teams=[team], practitioners={1: [SimpleNamespace(name="Ann Example")]})
    path = small_return(tmp_path / "Northshire Annex A.xlsx", spec)
    assert not Council.objects.exists()

    check_page(page, sign_in(page, "installer", PASSWORD))
    check_page(page, follow(page, page.get_by_role("link", name="Set up your council")))

    # A code that is not a DfE code: the error is beside the field, and nothing is made.
    page.get_by_label("Council code").fill("NS")
    page.get_by_label("Council name").fill("Northshire County Council")
    page.get_by_label("Annex A return").set_input_files(path)
    check_page(page, follow(page, page.get_by_role("button", name="Create the council")))
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("three-digit local-authority")
    assert not Council.objects.exists()

    page.get_by_label("Council code").fill("977")
    page.get_by_label("Annex A return").set_input_files(path)
    check_page(page, follow(page, page.get_by_role("button", name="Create the council")))
    expect(page.locator("main")).to_contain_text(
        "Northshire County Council is created, and you are its administrator."
    )
    expect(page.locator("main")).to_contain_text("Northshire Annex A.xlsx")
    expect(page.locator("main")).to_contain_text("12 new")
    council = Council.objects.get()
    assert (council.code, council.name) == ("977", "Northshire County Council")
    # An administrator of the council now: the case data pages are in their navigation.
    check_page(page, page.goto("/"))
    expect(page.get_by_role("link", name="Set up your council")).to_have_count(0)
