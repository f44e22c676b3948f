"""A finding's life on the thematic audit page in Chromium, every page checked with axe: the
lead sees progress by team and a recurring finding, confirms and assigns it to a team manager,
and the plan's downloads; the team manager's home page says what is due and overdue."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from caseaudit.accounts.choices import Role, Scope
from caseaudit.audits.models import ProgrammeMonth
from caseaudit.cases.actions import save_cohort
from caseaudit.cases.cohorts import Condition
from caseaudit.cases.generator import DEFAULT_AS_AT, generate_council
from caseaudit.cases.importer import import_annex_a
from caseaudit.conftest import PASSWORD, make_user
from caseaudit.core import clock
from caseaudit.core.months import add_months
from caseaudit.reports.tests.conftest import make_programme
from caseaudit.thematic import actions
from caseaudit.thematic.choices import FindingKind, SampleMethod
from caseaudit.thematic.models import Finding
from caseaudit.tools.models import AuditTool

from .accessibility import assert_accessible
from .test_journeys import check_page, follow, sign_in
from .test_programme_journey import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_finding_is_assigned_and_its_owner_reminded(page, people, council, tmp_path):
    generated = generate_council(tmp_path, scale=0.05, fmt="csv")
    c = council.council
    assert not import_annex_a(generated.path, council=c, as_at=DEFAULT_AS_AT).refused
    lead = make_user(c, "inspection.lead", Role.INSPECTION_LEAD, Scope.COUNCIL)
    today = clock.today()
    cohort = save_cohort(
        c,
        name="Looked after",
        conditions=[Condition("cla.ceased_looked_after_date", "blank")],
        by=lead,
    )
    tool = AuditTool.objects.for_council(c.pk).order_by("pk").first().published()
    earlier = actions.create_thematic_audit(
        c,
        title="Care planning last year",
        lead=lead,
        purpose="Are plans current?",
        period_start=today - datetime.timedelta(days=400),
        period_end=today - datetime.timedelta(days=330),
        by=lead,
    )
    actions.add_finding(
        earlier,
        kind=FindingKind.IMPROVEMENT,
        summary="Plans lag behind events",
        theme="planning",
        severity="medium",
        by=lead,
    )
    audit = actions.create_thematic_audit(
        c,
        title="Placement stability",
        lead=lead,
        purpose="Why do placements end early?",
        period_start=today,
        period_end=today + datetime.timedelta(days=60),
        cohort=cohort,
        tool_version=tool,
        audits_due=today + datetime.timedelta(days=28),
        by=lead,
    )
    sample = actions.draw_sample(audit, method=SampleMethod.RANDOM_N, size=3, seed=7, by=lead)
    actions.confirm_sample(sample, by=lead)
    actions.allocate_audits(audit, by=lead)
    actions.add_finding(
        audit,
        kind=FindingKind.IMPROVEMENT,
        summary="Plans are not updated after a move",
        theme="planning",
        severity="high",
        by=lead,
    )
    actions.add_action(
        audit,
        action="Review plans after every move",
        intended_outcome="Plans stay current",
        owner=people.north_manager,
        due_date=today - datetime.timedelta(days=2),
        by=lead,
    )

    # The monthly programme's last three months, every audit grading the child's voice
    # Inadequate: a finding on voice was seen there too.
    programme = make_programme(council, people)
    for back, month in enumerate(sorted(programme.months.values(), key=lambda m: m.month)):
        ProgrammeMonth.objects.filter(pk=month.pk).update(
            month=add_months(today.replace(day=1), back - 3)
        )
    actions.add_finding(
        audit,
        kind=FindingKind.IMPROVEMENT,
        summary="Children's words are not recorded",
        theme="voice",
        severity="medium",
        by=lead,
    )

    sign_in(page, "inspection.lead", PASSWORD)
    check_page(page, page.goto(audit.get_absolute_url()))
    expect(page.get_by_role("table", name=re.compile("by the team"))).to_be_visible()
    expect(page.get_by_text("Recurring").first).to_be_visible()
    page.get_by_text(re.compile("monthly audit programme for finding 2")).click()
    expect(
        page.get_by_text(re.compile("graded Requires Improvement or Inadequate in Voice")).first
    ).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_role("link", name="Care planning last year")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^CSV"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Excel"))).to_be_visible()

    check_page(page, follow(page, page.get_by_role("button", name="Confirm finding 1")))
    check_page(page, follow(page, page.get_by_role("link", name="Assign finding 1")))
    page.get_by_label("Owner").select_option(label=people.north_manager.display_name)
    fill_date(page, "Due date", today + datetime.timedelta(days=30))
    page.get_by_label("Medium").check()
    check_page(page, follow(page, page.get_by_role("button", name="Assign the finding")))
    expect(page.get_by_text("The finding has been assigned.")).to_be_visible()
    assert Finding.objects.get(thematic_audit=audit, theme="planning").status == "assigned"

    page.context.clear_cookies()
    sign_in(page, "north.manager", PASSWORD)
    check_page(page, page.goto("/"))
    expect(
        page.get_by_text("You own 1 open action from thematic audits: 1 overdue.")
    ).to_be_visible()
