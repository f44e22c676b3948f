"""Mock inspections: recorded like thematic audits (cohort, sample, tool, findings, actions)
through the thematic audit each owns, graded per judgement area, never counted as Ofsted's
inspection, and shown person by person (STYLE.md habit 11)."""

import datetime
import random
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from caseaudit.cases.actions import save_cohort
from caseaudit.cases.cohorts import Condition
from caseaudit.cases.models import CohortDefinition
from caseaudit.core import clock
from caseaudit.core.history import history_of
from caseaudit.inspection import actions, mock
from caseaudit.inspection.choices import EvidenceKind, InspectionKind
from caseaudit.inspection.forms import EvidenceForm
from caseaudit.inspection.models import Inspection
from caseaudit.inspection.self_evaluation import build
from caseaudit.inspection.tests.conftest import area
from caseaudit.testing.queries import page_queries
from caseaudit.thematic import actions as thematic
from caseaudit.thematic.choices import ActionStatus, FindingKind, FindingStatus, SampleMethod
from caseaudit.thematic.demo import do_audits
from caseaudit.thematic.models import PlanAction, ThematicAudit
from caseaudit.thematic.querysets import rating_distribution, team_progress
from caseaudit.tools.models import AuditTool

pytestmark = pytest.mark.django_db

HELP = "The experiences and progress of children who need help and protection"
START, END = datetime.date(2024, 1, 8), datetime.date(2024, 2, 9)


def _details(council, qa, **changes):
    cohort = CohortDefinition.objects.filter(council=council).first() or save_cohort(
        council,
        name="On a child protection plan",
        conditions=[Condition("cp.cp_plan_end_date", "blank")],
        by=qa,
    )
    tool = AuditTool.objects.for_council(council.pk).order_by("pk").first().published()
    return {
        "title": "Mock inspection: help and protection",
        "lead": qa,
        "purpose": "Rehearse the inspection of help and protection.",
        "period_start": START,
        "period_end": END,
        "cohort": cohort,
        "tool_version": tool,
        **changes,
    }


@pytest.fixture
def recorded(council, people, case_data):
    c = council.council
    details = _details(c, people.qa_lead)
    inspection = actions.record_mock_inspection(
        c, auditors=[people.north_manager], by=people.qa_lead, **details
    )
    return SimpleNamespace(inspection=inspection, details=details)


@pytest.fixture
def carried_out(recorded, people):
    """Sampled, allocated and partly audited; findings (one dismissed) and an action plan
    (one done, one overdue, one not yet due); mock grades for two areas."""
    qa = people.qa_lead
    inspection = recorded.inspection
    audit = inspection.thematic_audit
    sample = thematic.draw_sample(audit, method=SampleMethod.RANDOM_N, size=8, seed=7, by=qa)
    thematic.confirm_sample(sample, by=qa)
    audits = thematic.allocate_audits(audit, due_date=clock.today(), by=qa)
    done = do_audits(audits[:5], weights=[0, 1, 1, 0], rng=random.Random(3), on=clock.today())
    thematic.add_finding(audit, kind=FindingKind.STRENGTH, summary="Children are seen alone", by=qa)
    weakness = thematic.add_finding(
        audit,
        kind=FindingKind.IMPROVEMENT,
        summary="Oversight misses drift",
        theme="oversight",
        severity="high",
        by=qa,
    )
    dismissed = thematic.add_finding(
        audit, kind=FindingKind.IMPROVEMENT, summary="Late court reports", severity="low", by=qa
    )
    thematic.move_finding(dismissed, FindingStatus.DISMISSED, reason="One case only", by=qa)
    thematic.move_finding(weakness, FindingStatus.CONFIRMED, by=qa)
    plan = [
        thematic.add_action(
            audit,
            action=what,
            intended_outcome="Drift is challenged",
            owner=owner,
            due_date=clock.today() + datetime.timedelta(days=days),
            finding=weakness,
            by=qa,
        )
        for what, owner, days in (
            ("Ask about drift in supervision", people.north_manager, 10),
            ("Dip-sample supervision monthly", people.director, -3),
            ("Report drift to the board", qa, 30),
        )
    ]
    thematic.update_action(plan[0], status=ActionStatus.DONE, evidence="Template changed", by=qa)
    actions.record_judgements(
        inspection,
        [
            (area(HELP), "requires_improvement"),
            (area("The experiences and progress of care leavers"), "good"),
        ],
        by=qa,
    )
    return SimpleNamespace(
        inspection=inspection, audit=audit, audits=audits, done=done, weakness=weakness, plan=plan
    )


# --- the actions --------------------------------------------------------------------------------


def test_recording_a_mock_inspection_makes_the_thematic_audit_that_carries_it_out(recorded, people):
    inspection = Inspection.objects.get(pk=recorded.inspection.pk)
    assert inspection.kind == InspectionKind.MOCK and inspection.is_mock
    audit = inspection.thematic_audit
    assert (audit.cohort, audit.tool_version) == (
        recorded.details["cohort"],
        recorded.details["tool_version"],
    )
    assert list(audit.auditors.all()) == [people.north_manager]
    assert (inspection.started_on, inspection.ended_on) == (START, END)
    assert (audit.period_start, audit.period_end) == (START, END)
    assert audit.status == "planned" and audit.lead == people.qa_lead
    # History for both, in the same transaction.
    assert history_of(inspection).filter(action="created").count() == 1
    assert history_of(audit).filter(action="created").count() == 1


def test_bad_input_is_refused_and_nothing_is_written(council, people, case_data):
    c, qa = council.council, people.qa_lead
    for changes, field, message in (
        ({"period_end": START - datetime.timedelta(days=1)}, "period_end", "must be after"),
        ({"cohort": None}, "cohort", "Select the cohort"),
        ({"tool_version": None}, "tool_version", "Select the audit tool"),
        ({"title": ""}, "title", "Enter the title"),
    ):
        with pytest.raises(ValidationError) as refused:
            actions.record_mock_inspection(c, by=qa, **_details(c, qa, **changes))
        assert message in " ".join(refused.value.message_dict[field]), changes
    assert not Inspection.objects.exists() and not ThematicAudit.objects.exists()
    # A mock inspection is never recorded as a plain one: it needs its cohort and tool.
    with pytest.raises(ValidationError, match="Record a mock inspection"):
        actions.record_inspection(c, kind=InspectionKind.MOCK, started_on=START, by=qa)


def test_only_the_qa_lead_records_and_changes_mock_inspections(recorded, council, people):
    c = council.council
    for person in (people.area_lead, people.director, people.north_manager, people.outsider):
        with pytest.raises(PermissionDenied):
            actions.record_mock_inspection(c, by=person, **_details(c, people.qa_lead))
        with pytest.raises(PermissionDenied):
            actions.edit_mock_inspection(recorded.inspection, title="Changed", by=person)


def test_changing_the_period_moves_the_inspections_dates_with_history(recorded, people):
    later = END + datetime.timedelta(days=14)
    changed = actions.edit_mock_inspection(
        recorded.inspection, period_end=later, title="Mock inspection (extended)", by=people.qa_lead
    )
    assert changed.ended_on == later
    changed.thematic_audit.refresh_from_db()
    assert changed.thematic_audit.period_end == later
    assert changed.thematic_audit.title == "Mock inspection (extended)"
    entry = history_of(changed).filter(action="changed").get()
    assert entry.before["ended_on"] == END.isoformat()
    # The thematic audit's own rule holds: the end before the start is refused.
    with pytest.raises(ValidationError, match="must be after"):
        actions.edit_mock_inspection(
            recorded.inspection, period_end=START - datetime.timedelta(days=1), by=people.qa_lead
        )
    with pytest.raises(ValidationError, match="Select the cohort"):
        actions.edit_mock_inspection(recorded.inspection, cohort=None, by=people.qa_lead)


def test_a_mock_inspection_is_never_the_last_inspection(recorded, inspection, council, people):
    real = inspection.inspection
    assert list(Inspection.objects.real()) == [real]
    assert list(Inspection.objects.mock()) == [recorded.inspection]
    # Its recommendations are its thematic audit's, never beside Ofsted's.
    with pytest.raises(ValidationError, match="thematic audit's"):
        actions.add_recommendation(
            recorded.inspection, number=1, text="Anything", area=None, by=people.qa_lead
        )
    built = build(council.council, area(inspection.recommendations[0].area.name), people.qa_lead,
                  today=clock.today())  # fmt: skip
    assert {r.inspection_id for r in built.recommendations} == {real.pk}


def test_the_summary_counts_as_the_thematic_page_does(carried_out):
    summary = mock.summarise(carried_out.audit)
    progress = team_progress(carried_out.audit)
    assert summary.sampled == sum(p.sampled for p in progress) == 8
    assert summary.allocated == len(carried_out.audits) == 8
    assert summary.completed == carried_out.done == 5
    assert summary.grades == rating_distribution(carried_out.audit)
    assert summary.graded == 5
    assert summary.findings == [("Strength", 1), ("Area for improvement", 1)]
    assert summary.dismissed == 1
    assert summary.actions == [("Not started", 2), ("In progress", 0), ("Done", 1)]
    assert summary.overdue == 1 == PlanAction.objects.overdue().count()


def test_a_mock_inspections_finding_is_evidence_for_a_recommendation(
    carried_out, inspection, council, people
):
    recommendation = inspection.recommendations[0]
    form = EvidenceForm(kind=EvidenceKind.THEMATIC_FINDING, council=council.council)
    assert carried_out.weakness in form.fields["finding"].queryset
    actions.link_evidence(
        recommendation,
        kind=EvidenceKind.THEMATIC_FINDING,
        finding=carried_out.weakness,
        by=people.qa_lead,
    )
    (reading,) = actions.readings_of(recommendation)
    assert reading.title == "Finding: Oversight misses drift"
    assert reading.link == carried_out.audit.get_absolute_url()
    actions.link_evidence(
        recommendation,
        kind=EvidenceKind.THEMATIC_AUDIT,
        thematic_audit=carried_out.audit,
        by=people.qa_lead,
    )
    assert recommendation.evidence.count() == 2


# --- the pages ------------------------------------------------------------------------------------


def test_the_qa_lead_reaches_the_mock_inspection_and_its_thematic_pages(
    client_for, carried_out, inspection, people
):
    client = client_for(people.qa_lead)
    index = client.get(reverse("inspection:index")).content.decode()
    mocks = index[index.index('id="mock-inspections"') :]
    assert "Mock inspection: help and protection" in mocks
    assert "Mock inspection: help and protection" not in index[: index.index("mock-inspections")]
    page = client.get(carried_out.inspection.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    thematic_url = carried_out.audit.get_absolute_url()
    for link in ("#sample", "#findings", "#action-plan"):
        assert f'href="{thematic_url}{link}"' in html
    assert carried_out.audit.cohort.get_absolute_url() in html
    assert "8 children sampled" in html and "8 audits allocated, 5 completed" in html
    assert "1 overdue" in html and "Not counting 1 dismissed" in html
    assert "Mock grades" in html and "Requires Improvement" in html
    assert reverse("inspection:edit_mock", args=[carried_out.inspection.pk]) in html
    assert "Add a recommendation" not in html
    # The thematic page it links to opens for the QA lead, and has the sections linked.
    thematic_page = client.get(thematic_url).content.decode()
    for anchor in ('id="sample"', 'id="findings"', 'id="action-plan"'):
        assert anchor in thematic_page
    # Which says what it is carried out for, and links back.
    assert "Carried out for" in thematic_page
    assert f'href="{carried_out.inspection.get_absolute_url()}"' in thematic_page


def test_the_qa_lead_records_a_mock_inspection_with_govuk_errors(
    client_for, council, people, case_data
):
    client = client_for(people.qa_lead)
    details = _details(council.council, people.qa_lead)
    assert client.get(reverse("inspection:create_mock")).status_code == 200
    form = {
        "title": details["title"],
        "lead": people.qa_lead.pk,
        "purpose": details["purpose"],
        "period_start_0": "9",
        "period_start_1": "2",
        "period_start_2": "2024",
        "period_end_0": "8",
        "period_end_1": "1",
        "period_end_2": "2024",
        "tool_version": details["tool_version"].pk,
    }
    page = client.post(reverse("inspection:create_mock"), form)
    html = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in html
    assert "Select the cohort the mock inspection samples" in html
    form["cohort"] = details["cohort"].pk
    html = client.post(reverse("inspection:create_mock"), form).content.decode()
    assert "The end of the period must be after its start" in html
    assert not Inspection.objects.exists()
    form.update(period_end_0="8", period_end_1="3")
    response = client.post(reverse("inspection:create_mock"), form)
    created = Inspection.objects.mock().get()
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    assert created.ended_on == datetime.date(2024, 3, 8)
    # And changes it from the same form.
    form["title"] = "Mock inspection: renamed"
    response = client.post(reverse("inspection:edit_mock", args=[created.pk]), form)
    assert response.status_code == 302
    created.thematic_audit.refresh_from_db()
    assert created.thematic_audit.title == "Mock inspection: renamed"


def test_who_may_open_a_mock_inspection(client_for, carried_out, people):
    url = carried_out.inspection.get_absolute_url()
    thematic_url = carried_out.audit.get_absolute_url()
    # Directors and inspection leads read it, without the thematic pages they may not open.
    for person in (people.director, people.area_lead):
        page = client_for(person).get(url)
        assert page.status_code == 200, person
        html = page.content.decode()
        assert "8 audits allocated, 5 completed" in html
        assert thematic_url not in html
        assert "Change the mock inspection" not in html
        assert client_for(person).get(thematic_url).status_code in (403, 404)
    # Elected members read Ofsted's judgements, not the council's rehearsal.
    councillor = client_for(people.councillor)
    assert councillor.get(url).status_code == 403
    assert "Mock inspection" not in councillor.get(reverse("inspection:index")).content.decode()
    # Team managers and social workers: refused; a team manager reaches their action of its
    # plan through the thematic rules (their own actions), and nothing else of it.
    for person in (people.north_manager, people.social_worker):
        assert client_for(person).get(url).status_code == 403, person
    # (Their action is done, so it is under the list's "Done" tab.)
    theirs = client_for(people.north_manager).get(reverse("thematic:your_actions"), {"tab": "done"})
    assert "Ask about drift in supervision" in theirs.content.decode()
    assert client_for(people.outsider).get(url).status_code == 404
    # Recording and changing: the QA lead only.
    edit = reverse("inspection:edit_mock", args=[carried_out.inspection.pk])
    for person in (people.director, people.area_lead, people.north_manager, people.councillor):
        assert client_for(person).get(reverse("inspection:create_mock")).status_code == 403
        assert client_for(person).get(edit).status_code == 403
    # It has no recommendations of its own to list or add.
    qa = client_for(people.qa_lead)
    pk = carried_out.inspection.pk
    assert qa.get(reverse("inspection:recommendations", args=[pk])).status_code == 404
    assert qa.get(reverse("inspection:add_recommendation", args=[pk])).status_code == 404


def test_the_mock_inspection_page_costs_the_same_however_large_the_sample(
    client_for, carried_out, people, django_assert_max_num_queries
):
    client = client_for(people.qa_lead)
    url = carried_out.inspection.get_absolute_url()
    small = page_queries(client, url)
    # Many more findings and actions: the page reads each table once.
    for n in range(6):
        thematic.add_finding(
            carried_out.audit, kind=FindingKind.STRENGTH, summary=f"More {n}", by=people.qa_lead
        )
        thematic.add_action(
            carried_out.audit,
            action=f"More {n}",
            intended_outcome="More",
            owner=people.director,
            due_date=clock.today(),
            by=people.qa_lead,
        )
    assert page_queries(client, url) == small
    with django_assert_max_num_queries(small):
        client.get(url)
