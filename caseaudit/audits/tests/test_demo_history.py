"""The demo's programme history: replayed through the actions, dated by the clock."""

import datetime

import pytest

from caseaudit.audits.choices import AuditStatus, MonthStatus
from caseaudit.audits.demo import build_history
from caseaudit.audits.models import Audit, ProgrammeMonth
from caseaudit.audits.tests.test_programme_helpers import (
    add_team,
    auditor_for,
    import_cases,
    team_cases,
)
from caseaudit.core.models import ChangeRecord
from caseaudit.tools.choices import ToolKind

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2020, 7, 10)


@pytest.fixture
def history(council, people, tmp_path):
    """Four teams, each with a team manager who audits, so re-audits have someone to go to."""
    teams = {team: council.practitioners[team.pk] for team in council.teams}
    for name, area in (
        ("North Safeguarding 2", council.north),
        ("South Safeguarding 2", council.south),
    ):
        team, manager, workers = add_team(council, name, area=area)
        auditor_for(council, manager, team, f"manager.{team.pk}")
        teams[team] = workers
    cases = []
    for number, (team, workers) in enumerate(teams.items()):
        cases += team_cases(team, workers, 12, f"T{number}-")
    import_cases(council.council, tmp_path, cases)
    return build_history(council.council, today=TODAY, seed=3)


def test_the_history_runs_from_november_2018_with_the_2020_pause(history, council):
    months = {m.month: m for m in ProgrammeMonth.objects.filter(council=council.council)}
    assert min(months) == datetime.date(2018, 11, 1) and max(months) == datetime.date(2020, 7, 1)
    assert history.months == len(months) == 21
    paused = {m for m, row in months.items() if row.status == MonthStatus.PAUSED}
    assert paused == {datetime.date(2020, m, 1) for m in (3, 4, 5)}
    assert not Audit.objects.filter(month__status=MonthStatus.PAUSED).exists()
    assert months[datetime.date(2020, 6, 1)].tool_version.tool.kind == ToolKind.LIGHT_TOUCH
    # Old months are closed; the last two are still open.
    assert months[datetime.date(2019, 1, 1)].status == MonthStatus.CLOSED
    assert months[datetime.date(2020, 7, 1)].status == MonthStatus.OPEN


def test_everything_is_dated_when_it_happened_and_nothing_after_today(history):
    audits = Audit.objects.all()
    assert audits.count() == history.audits + Audit.objects.filter(kind="reaudit").count()
    for audit in audits.filter(status__in=AuditStatus.completed()):
        assert audit.allocated_at.date() <= audit.submitted_at.date() <= TODAY
    assert audits.filter(allocated_at__date__lt=datetime.date(2019, 1, 1)).exists()


def test_it_was_made_through_the_actions_so_every_audit_has_its_history(history):
    made = {
        int(r)
        for r in ChangeRecord.objects.filter(record_type="audits.audit").values_list(
            "record_id", flat=True
        )
    }
    assert (
        set(Audit.objects.filter(status__in=AuditStatus.completed()).values_list("pk", flat=True))
        <= made
    )


def test_compliance_and_judgements_are_in_the_seeds_range(history):
    done = Audit.objects.filter(kind="audit", status__in=AuditStatus.completed()).count()
    allocated = Audit.objects.filter(kind="audit").exclude(status="cancelled").count()
    assert 0.65 <= done / allocated <= 0.95, (done, allocated)
    grades = history.grades
    graded = sum(n for g, n in grades.items() if g != "light touch")
    assert grades["requires_improvement"] / graded > 0.4
    assert grades["inadequate"] > 0 and history.reaudits > 0
    assert history.reflections and history.feedback and history.moderated


def test_the_demo_team_manager_gets_an_open_alert_once(history, council, people):
    from caseaudit.audits.demo import alert_for_demo_manager
    from caseaudit.audits.models import SafeguardingAlert

    alert_for_demo_manager(council.council, username="north.manager", today=TODAY)
    [alert] = SafeguardingAlert.objects.open().filter(recipients=people.north_manager)
    assert alert.audit.child.allocated_team == people.north_team
    assert alert_for_demo_manager(council.council, username="north.manager", today=TODAY) is None
