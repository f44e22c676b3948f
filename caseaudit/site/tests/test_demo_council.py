import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from caseaudit.accounts.demo import DEMO_LOGINS, DEMO_PASSWORD
from caseaudit.accounts.models import User
from caseaudit.audits.judgements import judged
from caseaudit.audits.models import Audit, ProgrammeMonth
from caseaudit.cases.models import Child, ImportRun, Snapshot
from caseaudit.core.models import ChangeRecord
from caseaudit.core.suppression import unsuppressed
from caseaudit.inspection.models import Inspection, RecommendationAction
from caseaudit.organisation.choices import JobRole
from caseaudit.organisation.generator import build_council
from caseaudit.organisation.models import Assignment, Council, Service, Team, Worker
from caseaudit.performance import pages
from caseaudit.performance.disproportionality import disproportionality
from caseaudit.performance.indicators import INDICATORS, evaluate
from caseaudit.performance.models import PracticeEvent, TrackerImport
from caseaudit.performance.trackers import TRACKERS, every_tracker
from caseaudit.reports.models import HighlightReport, KindReport
from caseaudit.thematic.models import Finding, PlanAction, ThematicAudit
from caseaudit.thematic.querysets import programme_recurrences

DRIFT_CODES = ("referral_to_cp_plan_days", "referral_to_cla_days", "cp_plan_to_cla_days")


def test_the_generated_council_has_the_seeds_shape():
    spec = build_council(seed=1)
    assert spec.areas == ("North West", "North East", "South West", "South East")
    area_teams = [team for team in spec.teams if team.area]
    assert 36 <= len(area_teams) <= 48
    staff = list(spec.workers())
    assert 350 <= len(staff) <= 450
    assert len({w.staff_id for w in staff}) == len(staff)
    assert len({w.name for w in staff}) == len(staff)
    for team in area_teams:
        if team.practitioners:
            assert all(w.manager_staff_id == team.manager.staff_id for w in team.practitioners)


def test_the_generator_is_repeatable_and_the_seed_matters():
    assert build_council(seed=7) == build_council(seed=7)
    assert [w.name for w in build_council(seed=7).workers()] != [
        w.name for w in build_council(seed=8).workers()
    ]


def test_scale_multiplies_the_teams():
    assert len(build_council(scale=3).teams) > 2.5 * len(build_council(scale=1).teams) - 20


@pytest.mark.django_db
def test_demo_builds_once_and_a_second_run_changes_nothing(settings, tmp_path, client):
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    # Two months of audit programme: the full history (from 2018) takes minutes, and is
    # tested at small scale in audits/tests/test_demo_history.py.
    start = f"{timezone.localdate().replace(day=1) - datetime.timedelta(days=1):%Y-%m}"
    call_command("demo", stdout=out, programme_from=start)
    assert "Building the demo council" in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()
    counts = (Council.objects.count(), Team.objects.count(), Worker.objects.count())
    history = ChangeRecord.objects.count()
    assert counts[1] >= 40 and counts[2] >= 400
    # Its case data came through the real importer, matched to its own organisation.
    run = ImportRun.objects.get()
    assert run.status == "loaded" and run.rows_read > 40_000
    assert Child.objects.count() > 15_000
    assert not run.summary["teams_added"] and not run.summary["workers_added"]
    assert Child.objects.filter(allocated_worker__isnull=False).count() > 5_000

    again = io.StringIO()
    call_command("demo", stdout=again, programme_from=start)
    assert "already built" in again.getvalue()
    assert (Council.objects.count(), Team.objects.count(), Worker.objects.count()) == counts
    assert ChangeRecord.objects.count() == history
    assert ImportRun.objects.count() == 1
    assert TrackerImport.objects.count() == 1

    # One login per role, each able to sign in, staff logins tied to a fitting worker.
    users = {u.username: u for u in User.objects.all()}
    assert {login.role for login in DEMO_LOGINS} == {u.role for u in users.values()}
    for login in DEMO_LOGINS:
        assert users[login.username].check_password(DEMO_PASSWORD)
    manager = users["team.manager"]
    assert manager.worker.current_assignment().team == manager.scope_team
    assert manager.worker.current_assignment().job_role == JobRole.TEAM_MANAGER
    # Some staff moved team, so the demo shows history.
    assert Assignment.objects.filter(ends_on__isnull=False).count() > 5
    # Every team manager audits, and the programme has run since ``start``.
    assert User.objects.filter(role="auditor").count() >= 40
    assert ProgrammeMonth.objects.count() == 2 and Audit.objects.count() >= 40
    # Last month's highlight report is published, once; last month's focus was a cohort the QA
    # lead saved, and the report's practice themes name it.
    report = HighlightReport.objects.get()
    assert report.status == "published"
    focused = ProgrammeMonth.objects.get(saved_cohort__isnull=False)
    assert focused.month == report.to_month
    assert [t["title"] for t in report.data["themes"]] == [focused.saved_cohort.name]
    # Four thematic audits shaped like the seeds', at four stages, with actions some done and
    # some overdue.
    statuses = set(ThematicAudit.objects.values_list("status", flat=True))
    assert statuses == {"planned", "in_progress", "reporting", "complete"}
    assert PlanAction.objects.filter(status="done").exists()
    assert PlanAction.objects.overdue().exists()
    assert ThematicAudit.objects.get(status="complete").rereview_due > timezone.localdate()
    # Every practice-standard tracker has children overdue, and the team manager's own team has
    # some (a family safeguarding team: core groups and family group conferences).
    snapshot = Snapshot.objects.get()
    assert PracticeEvent.objects.count() > 500
    rows = every_tracker(snapshot, Child.objects.all())
    for code in TRACKERS:
        assert any(row.overdue for row in rows[code]), code
    their_team = Child.objects.visible_to(manager).filter(allocated_team=manager.scope_team)
    theirs = every_tracker(snapshot, their_team)
    assert any(row.overdue for shown in theirs.values() for row in shown)
    # A team's indicators beside its audit grades: the programme's months fall within the
    # case data's six months, so the team manager's team (and others) show both.
    audited = judged(Audit.objects.filter(council=snapshot.council)).values("team").distinct()
    graded = [pages.team_view(snapshot, team) for team in Team.objects.filter(pk__in=audited)]
    assert graded and all(view.judged and view.domains for view in graded)
    assert all(any(row.team for row in view.figures) for view in graded)
    # Findings at each stage of their life.
    stages = set(Finding.objects.values_list("status", flat=True))
    assert {"identified", "dismissed", "assigned", "closed"} <= stages
    # A finding on planning recurs across two thematic audits.
    planning = Finding.objects.filter(theme="planning", kind="improvement")
    assert planning.values("thematic_audit").distinct().count() >= 2
    # And in the monthly programme: last month's audits graded planning below Good.
    youth = planning.get(thematic_audit__title__startswith="Youth offending")
    months = programme_recurrences(youth.thematic_audit, [youth])[youth.pk]
    assert report.to_month in [seen.month for seen in months]
    # The QA lead's thematic overview of the audits that have reported, published once.
    overview = KindReport.objects.get(kind="thematic")
    assert overview.status == "published" and overview.files.count() == 8
    assert "Placement stability" in overview.html and "Youth offending service" in overview.html
    # And the select-committee pack for the latest case data.
    pack = KindReport.objects.get(kind="compendium")
    assert pack.status == "published" and pack.files.count() == 8
    assert "Children on a child protection plan" in pack.html
    # The last inspection (seed 004): each of its 18 recommendations shows, to the QA lead,
    # linked actions, evidence and its RAG history, proposed then confirmed.
    inspection = Inspection.objects.real().get()
    assert inspection.judgements.count() == 6
    client.force_login(users["qa.lead"])
    recommendations = list(inspection.recommendations.order_by("number"))
    assert [r.number for r in recommendations] == list(range(1, 19))
    for recommendation in recommendations:
        page = client.get(reverse("inspection:recommendation", args=[recommendation.pk]))
        text = page.content.decode()
        assert page.status_code == 200
        assert "No action answers this recommendation yet." not in text, recommendation
        assert escape(recommendation.actions.first().action) in text
        assert "No evidence is linked yet." not in text, recommendation
        assert "Proposed from the evidence" in text and "Confirmed by" in text, recommendation
    assert RecommendationAction.objects.overdue().exists()
    # 'Know ourselves' for help and protection pulls the evidence of its recommendations.
    help_and_protection = recommendations[3].area
    page = client.get(reverse("inspection:know_ourselves", args=[help_and_protection.pk]))
    assert page.status_code == 200
    assert "Audits: Supervision and management oversight" in page.content.decode()
    # Its cohort: the demo's services of the kinds the area names (its migration's data).
    cohort = page.context["built"].services
    assert cohort and set(
        Service.objects.filter(council=inspection.council, name__in=cohort).values_list(
            "kind", flat=True
        )
    ) <= set(help_and_protection.cohort_services)
    # A mock inspection of help and protection, carried out through its own thematic audit,
    # in its own section of the inspections page; its page sums up the thematic audit's work.
    mock = Inspection.objects.mock().get()
    index = client.get(reverse("inspection:index")).content.decode()
    assert index.index("Mock inspection: help and protection") > index.index("mock-inspections")
    page = client.get(mock.get_absolute_url()).content.decode()
    assert "Mock grades" in page and mock.thematic_audit.get_absolute_url() in page
    assert "1 overdue" in page
    # And its self-evaluation is published, frozen: the three questions, casework first.
    evaluation = KindReport.objects.get(kind="self-evaluation")
    assert evaluation.status == "published" and evaluation.files.count() == 8
    assert evaluation.parameters["area"] == help_and_protection.pk
    for question in (
        "What do we know about the quality and impact of practice?",
        "How do we know?",
        "What will we do in the next 12 months?",
    ):
        assert question in evaluation.html
    assert "Overall judgements by month" in evaluation.html
    assert "No casework evidence" not in evaluation.html
    # The team manager owns some of the actions, and sees them on their home page.
    client.force_login(manager)
    assert "answering inspection recommendations" in client.get(reverse("home")).content.decode()
    # With drift, disproportionality by ethnicity and caseloads, each with figures.
    for section in ("Drift: days from", "Disproportionality by ethnicity", "Caseloads by service"):
        assert section in pack.html, section
    figures = evaluate(snapshot, [INDICATORS[code] for code in DRIFT_CODES])
    assert all(figure.denominator > 5 and figure.value for figure in figures.values()), figures
    with unsuppressed():
        found = disproportionality(snapshot)
    assert found.population_year == snapshot.as_at.year
    assert all(row.rri for row in found.tables["cla"] if row.group != "not_known"), found
