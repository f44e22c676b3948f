"""A month of the audit programme, end to end in Chromium, every page checked with axe.

The QA lead adds a month (prefilled with the next month), then works down its task list:
draws the sample, swaps a case out with a reason, confirms the sample, previews the
allocation and confirms it, and opens the month; a team manager
completes an audit, records the reflection meeting and the family's feedback, and raises a
practice action; QA moderates the audit; the compliance page moves from 0% to 50%.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from caseaudit.audits.models import Audit, Feedback, ReflectionSheet, SwappedCase
from caseaudit.audits.tests.test_programme_helpers import AS_AT, Case, import_cases
from caseaudit.conftest import PASSWORD
from caseaudit.core import clock
from caseaudit.core.months import month_end

from .test_journeys import check_page, follow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_date(page, legend: str, day: datetime.date | None, *, month_only=False):
    group = page.get_by_role("group", name=re.compile(legend))
    if not month_only:
        group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def this_month_on_the_compliance_page(page, month: datetime.date):
    """The compliance page shows the last 12 complete months unless asked: ask for this one."""
    check_page(
        page, follow(page, page.locator("#navigation").get_by_role("link", name="Compliance"))
    )
    page.get_by_label("From").select_option(f"{month:%Y-%m}")
    page.get_by_label("To").select_option(f"{month:%Y-%m}")
    check_page(
        page, follow(page, page.get_by_role("button", name="Show compliance for this period"))
    )


def answer_every_question(page, grade="Good"):
    """Choose ``grade`` (or Yes / Green) in every radio group and write in every text box."""
    for group in page.locator("main form .govuk-radios").all():
        options = group.locator(".govuk-radios__label").all_inner_texts()
        wanted = next(
            (o for o in options if o.strip() in (grade, "Yes", "Green")), options[0]
        ).strip()
        group.get_by_label(wanted, exact=True).check()
    for box in page.locator("main form textarea").all():
        box.fill("The child's wishes are recorded and shape the plan.")


def complete_the_audit(page, grade="Good"):
    """From the audit's task list: each part in turn ('Save and continue' goes on to the next),
    every page checked, ending on check your answers."""
    check_page(page, follow(page, page.locator(".govuk-task-list__link").first))
    while page.get_by_role("button", name="Save and continue").count():
        answer_every_question(page, grade)
        check_page(page, follow(page, page.get_by_role("button", name="Save and continue")))
    expect(page.locator("h1")).to_have_text("Check your answers before submitting the audit")


@pytest.fixture
def spare_north_case(month_to_run, people, council, tmp_path):
    """A second child in the north team, so a north case can be swapped for another."""
    north, south = people.north_team, people.south_team
    cases = [
        Case("N1", north, people.social_worker.worker),
        Case("N2", north, people.social_worker.worker),
        Case("S1", south, council.practitioners[south.pk][0]),
    ]
    # The next day's return: the latest case data, which samples are drawn from.
    (tmp_path / "spare").mkdir()
    import_cases(council.council, tmp_path / "spare", cases, as_at=AS_AT + datetime.timedelta(1))
    return month_to_run


def task_status(page, task: str):
    return page.locator(".govuk-task-list__item", has_text=task).locator(".govuk-task-list__status")


def test_a_qa_lead_runs_a_month_end_to_end(page, people, council, spare_north_case):
    month_to_run = spare_north_case
    today = clock.today()

    # QA lead: add the month, then work down its task list.
    sign_in(page, "qa.lead", PASSWORD)
    check_page(
        page, follow(page, page.locator("#navigation").get_by_role("link", name="Audit programme"))
    )
    check_page(page, follow(page, page.get_by_role("link", name="Add a month")))
    # No month yet: this month is suggested, due by its last day.
    month_group = page.get_by_role("group", name=re.compile("Programme month"))
    expect(month_group.get_by_label("Month")).to_have_value(str(month_to_run.month))
    expect(month_group.get_by_label("Year")).to_have_value(str(month_to_run.year))
    due_group = page.get_by_role("group", name=re.compile("Date the audits are due"))
    expect(due_group.get_by_label("Day")).to_have_value(str(month_end(month_to_run).day))
    fill_date(page, "Date the audits are due", today + datetime.timedelta(days=28))
    check_page(page, follow(page, page.get_by_role("button", name="Create the month")))
    expect(task_status(page, "Draw the sample")).to_have_text("Not started")
    expect(task_status(page, "Open the month")).to_have_text("Cannot start yet")
    expect(page.get_by_role("button", name="Open the month")).to_have_count(0)

    check_page(page, follow(page, page.get_by_role("link", name="Draw a sample")))
    page.get_by_label("Seed (optional)").fill("7")
    check_page(page, follow(page, page.get_by_role("button", name="Draw a sample")))
    expect(page.get_by_role("heading", name="Preview of the sample")).to_be_visible()
    expect(task_status(page, "Draw the sample")).to_have_text("Completed")
    expect(task_status(page, "Check and confirm the sample")).to_have_text("Not started")

    # Swap the north case out: first without a reason, then with one.
    swap = page.get_by_role("link", name=re.compile(r"Swap out child N"))
    swapped_out = swap.inner_text().split()[-1]
    check_page(page, follow(page, swap))
    check_page(page, follow(page, page.get_by_role("button", name="Swap the case")))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the reason for swapping the case out"
    )
    page.get_by_label("Why is this case being swapped out?").fill("Moving to another council.")
    check_page(page, follow(page, page.get_by_role("button", name="Swap the case")))
    expect(page.locator("main")).to_contain_text("1 case swapped out")
    expect(page.locator("main")).to_contain_text("Moving to another council.")
    swap_row = SwappedCase.objects.select_related("child", "replacement").get()
    assert swap_row.child.la_child_id == swapped_out
    north_child = swap_row.replacement.la_child_id
    assert north_child in ("N1", "N2") and north_child != swapped_out

    check_page(page, follow(page, page.get_by_role("button", name="Confirm sample")))
    expect(task_status(page, "Allocate the audits")).to_have_text("Not started")
    check_page(page, follow(page, page.get_by_role("link", name="Preview the allocation")))
    expect(page.locator("main")).to_contain_text("Nothing has been allocated yet")
    assert not Audit.objects.exists()
    check_page(page, follow(page, page.get_by_role("button", name="Confirm allocation")))
    expect(task_status(page, "Allocate the audits")).to_have_text("Completed")
    check_page(page, follow(page, page.get_by_role("button", name="Open the month")))
    expect(page.locator("main")).to_contain_text("is now open")
    expect(task_status(page, "Open the month")).to_have_text("Completed")
    audits = list(Audit.objects.order_by("pk"))
    assert len(audits) == 2, "one case from each of the two teams with children"
    assert {a.child.la_child_id for a in audits} == {north_child, "S1"}

    # This month's audits are not due yet: they count as that, never as 0%.
    this_month_on_the_compliance_page(page, month_to_run)
    expect(page.locator("main")).to_contain_text(
        "No cases have been allocated for audit in this period."
    )
    expect(page.locator("main")).to_contain_text(
        "Not yet due, and so not counted: 2 audits and 0 re-audits."
    )
    follow(page, page.get_by_role("button", name="Sign out"))

    # The auditor of the north child: their list, the audit, then what follows it.
    audit = next(a for a in audits if a.child.la_child_id == north_child)
    assert audit.auditor == people.south_manager
    sign_in(page, "south.manager", PASSWORD)
    check_page(
        page, follow(page, page.locator("#navigation").get_by_role("link", name="Your audits"))
    )
    check_page(page, follow(page, page.get_by_role("link", name=re.compile(north_child))))
    complete_the_audit(page)
    check_page(page, follow(page, page.get_by_role("button", name="Submit audit")))
    expect(page.locator(".govuk-panel")).to_contain_text("Audit submitted")

    check_page(page, follow(page, page.get_by_role("link", name="Record the reflection meeting")))
    fill_date(page, "Date of the reflection meeting", today)
    for box in page.locator("main form textarea").all():
        box.fill("Direct work with the child went well.")
    check_page(page, follow(page, page.get_by_role("button", name="Save reflection")))

    check_page(page, follow(page, page.get_by_role("link", name="Record feedback")))
    page.get_by_label("Parent", exact=True).check()
    page.get_by_label("Phone call").check()
    fill_date(page, "Date given", today)
    page.get_by_label("What was good?").fill("She listened to us.")
    page.get_by_label("A quote in their own words").fill("She listened.")
    page.get_by_label(re.compile("agree to this being shared")).check()
    check_page(page, follow(page, page.get_by_role("button", name="Save feedback")))

    check_page(page, follow(page, page.get_by_role("link", name="Add a practice action")))
    page.get_by_label("What needs to be done?").fill("Update the chronology.")
    page.get_by_label("Who will do it?").select_option(label=str(people.social_worker.worker))
    fill_date(page, "Date it must be done by", today + datetime.timedelta(days=14))
    check_page(page, follow(page, page.get_by_role("button", name="Add action")))
    expect(page.locator("main")).to_contain_text("Update the chronology.")
    follow(page, page.get_by_role("button", name="Sign out"))
    assert ReflectionSheet.objects.get().audit == audit
    assert Feedback.objects.get().consent_to_share

    # QA lead: moderate it, and the compliance page has moved.
    sign_in(page, "qa.lead", PASSWORD)
    check_page(
        page, follow(page, page.locator("#navigation").get_by_role("link", name="Moderation"))
    )
    check_page(
        page,
        follow(
            page,
            page.get_by_role("button", name=re.compile(f"Moderate the audit of {north_child}")),
        ),
    )
    for group in page.locator("main form .govuk-radios").all():
        group.get_by_label("Good", exact=True).check()
    check_page(page, follow(page, page.get_by_role("button", name="Save moderation")))
    audit.refresh_from_db()
    assert audit.status == "moderated"
    # Done early, it counts as done; the other is still not due.
    this_month_on_the_compliance_page(page, month_to_run)
    expect(page.locator("main")).to_contain_text("overall compliance rate of 100%")
    expect(page.locator("main")).to_contain_text(
        "Not yet due, and so not counted: 1 audit and 0 re-audits."
    )


@pytest.fixture
def audited_month(allocated_audits, people):
    """The month's audits all submitted, and the month closed: a report is for a closed month."""
    from caseaudit.audits.actions import programme, workflow
    from caseaudit.audits.tests.test_workflow import fill_in

    for audit in allocated_audits:
        fill_in(audit, by=audit.auditor, grade="requires_improvement", overall="inadequate")
        workflow.submit_audit(audit, by=audit.auditor)
    month = allocated_audits[0].month
    if month.status == "planned":
        month = programme.open_month(month, by=people.qa_lead)
    return programme.close_month(month, by=people.qa_lead)


def test_a_qa_lead_publishes_the_highlight_report_and_a_director_reads_it(
    page, people, audited_month
):
    from caseaudit.reports.models import HighlightReport

    sign_in(page, "qa.lead", PASSWORD)
    check_page(page, follow(page, page.locator("#navigation").get_by_role("link", name="Reports")))
    check_page(page, follow(page, page.get_by_role("button", name="Start a highlight report")))
    page.get_by_label("Month", exact=True).select_option(label=f"{audited_month.month:%B %Y}")
    check_page(page, follow(page, page.get_by_role("button", name="Continue")))
    expect(page.locator("main")).to_contain_text("Overall judgements by month")

    check_page(page, follow(page, page.get_by_role("link", name=re.compile("Write the narrative"))))
    page.get_by_label("Introduction").fill("This month the programme looked at two cases.")
    check_page(page, follow(page, page.get_by_role("button", name="Save the narrative")))
    expect(page.locator("main")).to_contain_text("This month the programme looked at two cases.")

    check_page(page, follow(page, page.get_by_role("link", name=re.compile("Choose descriptors"))))
    check_page(page, follow(page, page.get_by_role("link", name="Back to the draft")))
    check_page(page, follow(page, page.get_by_role("button", name="Publish this report")))
    # Publishing renders the PDF, Word and Excel files before the page answers: on a busy
    # machine that can take longer than a click usually may.
    publish = page.get_by_role("button", name="Publish the report")
    check_page(page, follow(page, publish, timeout=60_000))
    report = HighlightReport.objects.get()
    assert report.status == "published"
    follow(page, page.get_by_role("button", name="Sign out"))

    sign_in(page, "director", PASSWORD)
    check_page(page, follow(page, page.locator("#navigation").get_by_role("link", name="Reports")))
    check_page(page, follow(page, page.get_by_role("link", name=report.period_label)))
    expect(page.locator("main")).to_contain_text("This month the programme looked at two cases.")
    pdf = page.get_by_role("link", name=re.compile(r"^PDF"))
    response = page.request.get(pdf.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")
