"""Compliance: completed ÷ allocated, for audits and re-audits, by month, area, service, team
and auditor — the seeds' 80% and 79%, counted in the database."""

import datetime
import json
import random
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse

from caseaudit.audits.choices import AuditKind, AuditStatus
from caseaudit.audits.compliance import (
    compliance_rate,
    compliance_report,
    default_period,
    format_rate,
    reporting_months,
    whole_percent,
)
from caseaudit.audits.models import Audit, ProgrammeMonth
from caseaudit.cases.models import Child
from caseaudit.organisation.choices import ServiceKind
from caseaudit.organisation.models import Service, Team
from caseaudit.tools.choices import ToolKind
from caseaudit.tools.models import AuditTool

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 4, 15)


# Test data: audits made directly, as the sampling and workflow code would leave them. ----------


def practice_tool():
    return AuditTool.objects.get(council__isnull=True, kind=ToolKind.PRACTICE).published()


def programme_months(council, *months: datetime.date) -> dict[datetime.date, ProgrammeMonth]:
    version = practice_tool()
    made = ProgrammeMonth.objects.bulk_create(
        ProgrammeMonth(
            council=council,
            month=month,
            status="open",
            tool_version=version,
            due_date=month + datetime.timedelta(days=27),
        )
        for month in months
    )
    return {pm.month: pm for pm in ProgrammeMonth.objects.filter(pk__in=[m.pk for m in made])}


def make_children(council, count: int, prefix: str = "C") -> list[Child]:
    Child.objects.bulk_create(
        Child(council=council, la_child_id=f"{prefix}{number:05d}") for number in range(count)
    )
    return list(Child.objects.filter(council=council, la_child_id__startswith=prefix))


def new_audit(council, *, child, team, auditor, due_date, **fields) -> Audit:
    """An unsaved audit, for bulk_create."""
    status = fields.setdefault("status", AuditStatus.ALLOCATED)
    if status in AuditStatus.completed():
        fields.setdefault(
            "submitted_at", datetime.datetime.combine(due_date, datetime.time(12), datetime.UTC)
        )
        fields.setdefault("overall_grade", "good")
    return Audit(
        council=council,
        child=child,
        team=team,
        tool_version=fields.pop("tool_version", None) or practice_tool(),
        auditor=auditor,
        due_date=due_date,
        **fields,
    )


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def seeds_programme(council, people) -> None:
    """Seed 003: since December 2018, up to and including September 2020, 1,632 cases
    allocated and 1,298 completed; since March 2019, 456 re-audits allocated, 361 completed.
    Spread over the months, both teams and both auditors, with some exempted, in progress,
    not started and (not counted at all) cancelled."""
    c = council.council
    version = practice_tool()
    months = programme_months(
        c, *months_between(datetime.date(2018, 12, 1), datetime.date(2020, 9, 1))
    )
    month_list = sorted(months)
    teams = council.teams
    auditors = [people.north_manager, people.south_manager]
    children = make_children(c, 40)
    dice = random.Random(3)

    statuses = (
        [AuditStatus.SUBMITTED] * 1100
        + [AuditStatus.MODERATED] * 198
        + [AuditStatus.EXEMPTED] * 90
        + [AuditStatus.IN_PROGRESS] * 80
        + [AuditStatus.ALLOCATED] * 164
        + [AuditStatus.CANCELLED] * 37
    )
    dice.shuffle(statuses)
    audits = []
    for number, status in enumerate(statuses):
        month = month_list[number % len(month_list)]
        audits.append(
            new_audit(
                c,
                child=children[number % len(children)],
                team=teams[number % len(teams)],
                auditor=auditors[(number // 2) % 2],
                due_date=months[month].due_date,
                month=months[month],
                status=status,
                tool_version=version,
            )
        )
    re_statuses = (
        [AuditStatus.SUBMITTED] * 300
        + [AuditStatus.MODERATED] * 61
        + [AuditStatus.IN_PROGRESS] * 40
        + [AuditStatus.ALLOCATED] * 55
        + [AuditStatus.CANCELLED] * 9
    )
    dice.shuffle(re_statuses)
    re_months = months_between(datetime.date(2019, 3, 1), datetime.date(2020, 9, 1))
    for number, status in enumerate(re_statuses):
        audits.append(
            new_audit(
                c,
                kind=AuditKind.REAUDIT,
                child=children[number % len(children)],
                team=teams[(number + 1) % len(teams)],
                auditor=auditors[number % 2],
                due_date=re_months[number % len(re_months)] + datetime.timedelta(days=14),
                status=status,
                tool_version=version,
            )
        )
    Audit.objects.bulk_create(audits, batch_size=500)


@pytest.fixture
def small(council, people):
    """A hand-made set whose every figure is worked out in the comments below."""
    c = council.council
    lac = Service.objects.create(
        council=c, name="Looked After Children", kind=ServiceKind.LOOKED_AFTER
    )
    county = Team.objects.create(council=c, area=None, service=lac, name="County Reviewing")
    jan, feb, mar = (datetime.date(2024, m, 1) for m in (1, 2, 3))
    months = programme_months(c, jan, feb, mar)
    child = make_children(c, 1)[0]
    north, south = people.north_team, people.south_team
    nm, sm = people.north_manager, people.south_manager

    def a(month, team, auditor, status, due=None, **fields):
        pm = months.get(month)
        return new_audit(
            c,
            child=child,
            team=team,
            auditor=auditor,
            month=pm,
            due_date=due or pm.due_date,
            status=status,
            **fields,
        )

    Audit.objects.bulk_create(
        [
            a(jan, north, sm, AuditStatus.SUBMITTED),  # 1
            a(jan, north, sm, AuditStatus.MODERATED),  # 2
            a(jan, south, nm, AuditStatus.EXEMPTED),  # 3
            a(feb, south, nm, AuditStatus.ALLOCATED, datetime.date(2024, 3, 1)),  # 4 overdue
            a(feb, county, nm, AuditStatus.IN_PROGRESS, datetime.date(2024, 5, 1)),  # 5
            a(feb, north, sm, AuditStatus.CANCELLED),  # 6 counted nowhere
            a(mar, county, sm, AuditStatus.SUBMITTED),  # 7
            # 8: a re-audit in no programme month, due in March and overdue.
            a(None, north, nm, AuditStatus.ALLOCATED, datetime.date(2024, 3, 20), kind="reaudit"),
            # 9: a re-audit counts in the month it was due, not its programme month.
            a(jan, north, sm, AuditStatus.SUBMITTED, datetime.date(2024, 4, 10), kind="reaudit"),
            # 10: an audit in progress, due today: not overdue yet.
            # (No. 5, in progress and due 1 May, is not yet due on TODAY, 15 April: it counts
            # only as not yet due, and in the rest once it is due.)
            a(mar, county, sm, AuditStatus.IN_PROGRESS, TODAY),
        ]
    )
    return SimpleNamespace(county=county, lac=lac)


def figures(row) -> tuple:
    """(allocated, completed, rate, in progress, overdue, exempted) for audits, then re-audits."""
    return tuple(
        (f.allocated, f.completed, f.rate, f.in_progress, f.overdue, f.exempted)
        for f in (row.audits, row.reaudits)
    )


def by_label(table) -> dict:
    return {row.label: figures(row) for row in table.rows}


# The rule --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("completed", "allocated", "rate", "text"),
    [
        (1298, 1632, 80, "80%"),  # 79.53…
        (361, 456, 79, "79%"),  # 79.17…
        (1, 2, 50, "50%"),
        (1, 8, 13, "13%"),  # 12.5 rounds half up, not to even
        (5, 200, 3, "3%"),  # 2.5 likewise
        (2, 3, 67, "67%"),
        (0, 7, 0, "0%"),
        (7, 7, 100, "100%"),
        (0, 0, None, "–"),
    ],
)
def test_the_rate_is_completed_over_allocated_to_a_whole_percent_half_up(
    completed, allocated, rate, text
):
    assert compliance_rate(completed, allocated) == rate
    assert whole_percent(completed, allocated) == rate
    assert format_rate(rate) == text


# The seeds -------------------------------------------------------------------------------------


def test_the_seeds_numbers_say_80_and_79_percent(council, people):
    seeds_programme(council, people)
    report = compliance_report(council.council, today=datetime.date(2020, 10, 15))
    audits, reaudits = report.totals.audits, report.totals.reaudits
    assert (audits.allocated, audits.completed, audits.rate) == (1632, 1298, 80)
    assert (reaudits.allocated, reaudits.completed, reaudits.rate) == (456, 361, 79)
    assert report.headline == [
        "Since December 2018 and up to and including September 2020, 1,632 children's cases "
        "have been allocated to team managers. Of the 1,632 cases that have been allocated, "
        "1,298 audits have been completed. The audit programme has an overall compliance rate "
        "of 80%.",
        "Since March 2019, 456 re-audits have been allocated and 361 completed, giving an "
        "overall re-audit compliance rate of 79%.",
    ]
    # Every table adds up to the totals.
    for table in report.tables:
        for kind in ("audits", "reaudits"):
            for name in ("allocated", "completed", "exempted", "in_progress", "overdue"):
                column = sum(getattr(getattr(row, kind), name) for row in table.rows)
                assert column == getattr(getattr(report.totals, kind), name), (table.name, name)
    assert len(report.table("by_month").rows) == 22
    assert report.table("by_month").rows[0].label == "December 2018"


# Grouping on a small hand-made set -------------------------------------------------------------


def test_by_month_counts_audits_in_their_programme_month_and_reaudits_when_due(council, small):
    report = compliance_report(council.council, today=TODAY)
    assert by_label(report.table("by_month")) == {
        #               audits: alloc, done, rate, in progress, overdue, exempted; re-audits
        "January 2024": ((3, 2, 67, 0, 0, 1), (0, 0, None, 0, 0, 0)),
        "February 2024": ((1, 0, 0, 0, 1, 0), (0, 0, None, 0, 0, 0)),
        "March 2024": ((2, 1, 50, 1, 0, 0), (1, 0, 0, 0, 1, 0)),
        "April 2024": ((0, 0, None, 0, 0, 0), (1, 1, 100, 0, 0, 0)),
    }
    assert [row.key for row in report.table("by_month").rows] == [
        "2024-01",
        "2024-02",
        "2024-03",
        "2024-04",
    ]
    assert figures(report.totals) == ((6, 3, 50, 1, 1, 1), (2, 1, 50, 0, 1, 0))
    assert report.totals.audits.not_yet_due == 1
    assert report.table("by_month").rows[1].audits.not_yet_due == 1


def test_by_area_service_team_and_auditor(council, people, small):
    report = compliance_report(council.council, today=TODAY)
    assert by_label(report.table("by_area")) == {
        "North": ((2, 2, 100, 0, 0, 0), (2, 1, 50, 0, 1, 0)),
        "South": ((2, 0, 0, 0, 1, 1), (0, 0, None, 0, 0, 0)),
        "No area (countywide teams)": ((2, 1, 50, 1, 0, 0), (0, 0, None, 0, 0, 0)),
    }
    assert [row.label for row in report.table("by_area").rows][-1] == "No area (countywide teams)"
    assert by_label(report.table("by_service")) == {
        "Family Safeguarding": ((4, 2, 50, 0, 1, 1), (2, 1, 50, 0, 1, 0)),
        "Looked After Children": ((2, 1, 50, 1, 0, 0), (0, 0, None, 0, 0, 0)),
    }
    assert by_label(report.table("by_team")) == {
        "County Reviewing": ((2, 1, 50, 1, 0, 0), (0, 0, None, 0, 0, 0)),
        people.north_team.name: ((2, 2, 100, 0, 0, 0), (2, 1, 50, 0, 1, 0)),
        people.south_team.name: ((2, 0, 0, 0, 1, 1), (0, 0, None, 0, 0, 0)),
    }
    assert by_label(report.table("by_auditor")) == {
        "North": ((2, 0, 0, 0, 1, 1), (1, 0, 0, 0, 1, 0)),
        "South": ((4, 3, 75, 1, 0, 0), (1, 1, 100, 0, 0, 0)),
    }
    assert report.table("by_auditor").rows[0].key == people.north_manager.pk


def test_overdue_is_derived_from_the_due_date_and_today(council, small):
    def overdue(today):
        totals = compliance_report(council.council, today=today).totals
        return totals.audits.overdue, totals.reaudits.overdue

    assert overdue(datetime.date(2024, 2, 29)) == (0, 0)
    assert overdue(datetime.date(2024, 3, 2)) == (1, 0)  # no. 4, due 1 March
    assert overdue(TODAY) == (1, 1)  # and re-audit no. 8; no. 10 is due today
    assert overdue(datetime.date(2024, 4, 16)) == (2, 1)  # now no. 10 too
    assert overdue(datetime.date(2024, 6, 1)) == (3, 1)  # and no. 5; submitted ones never


def test_the_period_is_from_and_to_months_inclusive(council, small):
    report = compliance_report(
        council.council,
        from_month=datetime.date(2024, 2, 1),
        to_month=datetime.date(2024, 3, 1),
        today=TODAY,
    )
    assert figures(report.totals) == ((3, 1, 33, 1, 1, 0), (1, 0, 0, 0, 1, 0))
    assert [row.label for row in report.table("by_month").rows] == ["February 2024", "March 2024"]
    assert report.headline[0].startswith(
        "Since February 2024 and up to and including March 2024, 3 children's cases"
    )
    assert report.headline[1] == (
        "Since March 2024, 1 re-audit has been allocated and 0 completed, giving an overall "
        "re-audit compliance rate of 0%."
    )
    march = compliance_report(
        council.council,
        from_month=datetime.date(2024, 3, 1),
        to_month=datetime.date(2024, 3, 1),
        today=TODAY,
    )
    assert march.headline[0] == (
        "In March 2024, 2 children's cases have been allocated to team managers. Of the 2 cases "
        "that have been allocated, 1 audit has been completed. The audit programme has an "
        "overall compliance rate of 50%."
    )
    only_april = compliance_report(council.council, from_month=datetime.date(2024, 4, 1))
    assert only_april.totals.audits.allocated == 0
    assert only_april.headline[0] == "No cases have been allocated for audit in this period."
    assert reporting_months(council.council) == [datetime.date(2024, m, 1) for m in (1, 2, 3, 4)]


def test_work_not_yet_due_counts_only_as_not_yet_due_until_it_is_due(council, small):
    def totals(today):
        audits = compliance_report(council.council, today=today).totals.audits
        return audits.allocated, audits.in_progress, audits.overdue, audits.not_yet_due, audits.rate

    # No. 5 (in progress, due 1 May) and no. 10 (in progress, due 15 April).
    assert totals(datetime.date(2024, 4, 14)) == (5, 0, 1, 2, 60)
    assert totals(TODAY) == (6, 1, 1, 1, 50)  # no. 10 is due today
    assert totals(datetime.date(2024, 5, 1)) == (7, 2, 2, 0, 43)
    # Work finished early is not "not yet due": it counts as completed.
    Audit.objects.filter(status=AuditStatus.IN_PROGRESS).update(status=AuditStatus.SUBMITTED)
    assert totals(datetime.date(2024, 1, 1)) == (6, 0, 0, 1, 83)  # no. 4 is still to do


def test_the_default_period_is_the_last_12_complete_months():
    assert default_period(datetime.date(2026, 12, 6)) == (
        datetime.date(2025, 12, 1),
        datetime.date(2026, 11, 1),
    )
    assert default_period(datetime.date(2024, 1, 31)) == (
        datetime.date(2023, 1, 1),
        datetime.date(2023, 12, 1),
    )
    assert default_period(datetime.date(2024, 3, 1)) == (
        datetime.date(2023, 3, 1),
        datetime.date(2024, 2, 1),
    )


def test_a_person_sees_the_compliance_of_what_their_scope_allows(council, people, small):
    area = compliance_report(council.council, user=people.area_lead, today=TODAY)
    assert figures(area.totals) == ((2, 2, 100, 0, 0, 0), (2, 1, 50, 0, 1, 0))
    assert [row.label for row in area.table("by_team").rows] == [people.north_team.name]
    elsewhere = compliance_report(council.council, user=people.outsider, today=TODAY)
    assert elsewhere.totals.audits.allocated == 0
    assert elsewhere.table("by_month").rows == []


def test_no_audits_means_no_rate(council):
    report = compliance_report(council.council)
    assert report.totals.audits.rate is None
    assert report.totals.audits.rate_text == "–"
    assert all(table.rows == [] for table in report.tables)


# The command -----------------------------------------------------------------------------------


def test_the_command_prints_the_same_figures_as_the_page(
    client_for, council, people, small, capsys
):
    call_command("programme", "compliance", "--json", "--council", "901", "--from", "2024-02")
    out = json.loads(capsys.readouterr().out)
    page = client_for(people.qa_lead).get(reverse("audits:compliance"), {"from": "2024-02"})
    assert page.status_code == 200
    assert out == page.context["report"].as_json()
    assert out["from"] == "2024-02" and out["to"] is None
    audits = out["totals"]["audits"]
    assert (audits["allocated"], audits["completed"], audits["rate"]) == (4, 1, 25)
    assert [row["label"] for row in out["by_month"]] == [
        "February 2024",
        "March 2024",
        "April 2024",
    ]


def test_the_command_in_words_and_its_refusals(council, small, capsys):
    call_command(
        "programme", "compliance", "--council", "901", "--from", "2024-01", "--to", "2024-03"
    )
    out = capsys.readouterr().out
    assert "overall compliance rate of 43%" in out
    assert "January 2024" in out
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("programme", "compliance", "--council", "901", "--from", "March")
    with pytest.raises(CommandError, match="before"):
        call_command(
            "programme", "compliance", "--council", "901", "--from", "2024-03", "--to", "2024-01"
        )
    with pytest.raises(CommandError, match="No council has the code"):
        call_command("programme", "compliance", "--council", "999")
