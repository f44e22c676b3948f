"""An import with problems, in Chromium: the QA lead goes from the home page to the case data,
opens the import, reads its problems rule by rule (each list named as the Annex A guide names
it) and page by page, then its own data-quality report, whose total is the home page's count.
Every page checked with axe."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import ImportProblem, ImportRun
from caseaudit.cases.tests.test_import_pages import quality_return
from caseaudit.conftest import PASSWORD

from .test_journeys import check_page, follow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_qa_lead_reads_an_imports_problems_and_its_quality_report(
    page, people, council, tmp_path
):
    summary = import_annex_a(
        quality_return(tmp_path / "q.xlsx", council),
        council=council.council,
        as_at=datetime.date(2024, 1, 31),
    )
    run = ImportRun.objects.get(pk=summary.run_id)
    # Enough of one rule's problems to page them.
    ImportProblem.objects.bulk_create(
        ImportProblem(
            run=run,
            severity="warning",
            sheet="List 8",
            row=row,
            column="Placement Type",
            value="Z9",
            message=f"Row {row}: 'Z9' is not a placement type. Left blank.",
        )
        for row in range(3, 130)
    )

    check_page(page, sign_in(page, "qa.lead", PASSWORD))
    home_text = page.locator("main").inner_text()
    warnings = int(re.search(r"with ([\d,]+) data-quality warnings?", home_text).group(1))
    check_page(page, follow(page, page.get_by_role("link", name="Case data").first))
    check_page(page, follow(page, page.get_by_role("link", name="q.xlsx").first))
    by_rule = page.locator("table", has_text="Problems by rule")
    expect(by_rule).to_contain_text("List 8: Children in care")
    expect(by_rule).not_to_contain_text("cla")

    check_page(page, follow(page, by_rule.get_by_role("link", name=re.compile("^Placement Type"))))
    expect(page.locator("#problems")).to_have_text("List 8: Children in care: Placement Type")
    pages = page.get_by_role("navigation", name="Pages of these problems")
    check_page(page, follow(page, pages.get_by_role("link", name="Page 3")))
    expect(pages.locator("[aria-current=page]")).to_have_text("3")

    check_page(
        page, follow(page, page.get_by_role("link", name="Data-quality report for this import"))
    )
    expect(page.locator("main")).to_contain_text("as at 31 January 2024")
    total = page.locator("tr", has_text="Total").locator("td")
    expect(total).to_have_text(str(warnings))
