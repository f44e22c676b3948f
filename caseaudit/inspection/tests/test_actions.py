"""Recording inspections, judgements, recommendations, actions, evidence and the RAG status:
the rules each action keeps, and the history each writes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caseaudit.core.history import history_of
from caseaudit.core.versioning import ChangedSinceOpened
from caseaudit.inspection import actions
from caseaudit.inspection.choices import EvidenceKind, InspectionKind, RagKind
from caseaudit.inspection.models import Judgement, JudgementArea, RagStatus
from caseaudit.inspection.tests.conftest import area
from caseaudit.thematic.choices import ActionStatus
from caseaudit.thematic.models import ThematicAudit

pytestmark = pytest.mark.django_db
DUE = datetime.date(2018, 9, 30)


def test_the_national_judgement_areas_are_data_with_the_dates_they_were_in_force(council):
    areas = JudgementArea.objects.for_council(council.council.pk)
    in_2018 = set(areas.active_on(datetime.date(2018, 3, 1)).values_list("name", flat=True))
    assert {"Adoption performance", "Leadership, management and governance"} <= in_2018
    assert "Overall effectiveness" in in_2018
    in_2025 = set(areas.active_on(datetime.date(2025, 6, 1)).values_list("name", flat=True))
    assert "The experiences and progress of care leavers" in in_2025
    assert "Adoption performance" not in in_2025
    assert "The experiences and progress of children in care and care leavers" not in in_2025
    # Ofsted stops judging overall effectiveness from April 2026.
    in_may_2026 = set(areas.active_on(datetime.date(2026, 5, 1)).values_list("name", flat=True))
    assert "Overall effectiveness" not in in_may_2026
    assert "The impact of leaders on social work practice with children and families" in (
        in_may_2026
    )


def test_a_council_may_add_its_own_area_which_no_other_council_sees(council, people):
    own = JudgementArea.objects.create(council=council.council, name="Local framework heading")
    assert JudgementArea.objects.for_council(council.council.pk).filter(pk=own.pk).exists()
    assert not JudgementArea.objects.for_council(people.other.council.pk).filter(pk=own.pk).exists()


def test_judgements_are_kept_with_their_history(inspection, people):
    done = inspection.inspection
    grades = dict(done.judgements.values_list("area__name", "grade"))
    assert grades["Adoption performance"] == "good"
    judgement = Judgement.objects.get(inspection=done, area__name="Adoption performance")
    actions.record_judgement(done, area=judgement.area, grade="outstanding", by=people.qa_lead)
    judgement.refresh_from_db()
    assert judgement.grade == "outstanding"
    change = history_of(judgement).first()
    assert change.before == {"grade": "good"} and change.after == {"grade": "outstanding"}


def test_a_judgement_must_be_an_area_in_force_at_the_inspection(inspection, people):
    later = area("The experiences and progress of care leavers")  # from January 2023
    with pytest.raises(ValidationError, match="was not a judgement area on 26 February 2018"):
        actions.record_judgement(inspection.inspection, area=later, grade="good", by=people.qa_lead)


def test_a_monitoring_visit_gives_no_judgements(council, people):
    visit = actions.record_inspection(
        council.council,
        kind=InspectionKind.MONITORING_VISIT,
        started_on=datetime.date(2019, 1, 10),
        by=people.qa_lead,
    )
    with pytest.raises(ValidationError, match="monitoring visit does not grade"):
        actions.record_judgement(
            visit, area=area("Overall effectiveness"), grade="good", by=people.qa_lead
        )


def test_a_report_reference_too_long_for_the_database_is_refused_in_words(council, people):
    with pytest.raises(ValidationError, match="100 characters or fewer"):
        actions.record_inspection(
            council.council,
            kind=InspectionKind.STANDARD,
            started_on=datetime.date(2018, 2, 26),
            reference="x" * 101,
            by=people.qa_lead,
        )


def test_only_the_qa_lead_records_inspections(council, people):
    for person in (people.director, people.area_lead, people.outsider):
        with pytest.raises(PermissionDenied):
            actions.record_inspection(
                council.council,
                kind=InspectionKind.MOCK,
                started_on=datetime.date(2020, 8, 1),
                by=person,
            )


def test_recommendation_numbers_are_the_reports_own_and_unique(inspection, people):
    with pytest.raises(ValidationError, match="already a recommendation 4"):
        actions.add_recommendation(
            inspection.inspection, number=4, text="Again", area=None, by=people.qa_lead
        )
    with pytest.raises(ValidationError, match="Enter the recommendation"):
        actions.add_recommendation(
            inspection.inspection, number=5, text="  ", area=None, by=people.qa_lead
        )


def test_actions_move_as_a_thematic_action_plans_do(inspection, people):
    recommendation = inspection.recommendations[0]
    action = actions.add_action(
        recommendation,
        action="Audit management oversight monthly",
        owner=people.north_manager,
        due_date=DUE,
        by=people.qa_lead,
    )
    assert action.status == ActionStatus.NOT_STARTED
    # Someone else's action: refused.
    with pytest.raises(PermissionDenied):
        actions.update_action(action, status=ActionStatus.IN_PROGRESS, by=people.south_manager)
    actions.update_action(action, status=ActionStatus.IN_PROGRESS, by=people.north_manager)
    with pytest.raises(ValidationError, match="evidence that the action is complete"):
        actions.update_action(action, status=ActionStatus.DONE, by=people.north_manager)
    done = actions.update_action(
        action, status=ActionStatus.DONE, evidence="Monthly reports", by=people.north_manager
    )
    assert done.completed_on is not None and done.evidence == "Monthly reports"
    with pytest.raises(ValidationError, match="done and cannot be changed"):
        actions.update_action(action, status=ActionStatus.IN_PROGRESS, by=people.qa_lead)
    assert history_of(done).count() == 3  # created, started, done


def test_an_action_is_owned_by_the_councils_own_staff(inspection, people):
    for owner in (people.outsider, people.councillor, people.social_worker):
        with pytest.raises(ValidationError, match="council's staff"):
            actions.add_action(
                inspection.recommendations[0],
                action="Something",
                owner=owner,
                due_date=DUE,
                by=people.qa_lead,
            )


def test_evidence_needs_what_its_kind_names(inspection, people):
    recommendation = inspection.recommendations[0]
    with pytest.raises(ValidationError, match="Select the audit domain"):
        actions.link_evidence(
            recommendation, kind=EvidenceKind.AUDIT_DOMAIN, by=people.qa_lead, domain_title=""
        )
    with pytest.raises(ValidationError, match="same as or after"):
        actions.link_evidence(
            recommendation,
            kind=EvidenceKind.AUDIT_DOMAIN,
            by=people.qa_lead,
            domain_title="Management oversight",
            from_month=datetime.date(2024, 3, 1),
            to_month=datetime.date(2024, 1, 15),
        )
    with pytest.raises(ValidationError, match="Select the indicator"):
        actions.link_evidence(
            recommendation, kind=EvidenceKind.INDICATOR, by=people.qa_lead, indicator_code="nope"
        )
    linked = actions.link_evidence(
        recommendation,
        kind=EvidenceKind.AUDIT_DOMAIN,
        by=people.qa_lead,
        domain_title="Management oversight",
        from_month=datetime.date(2024, 1, 15),
        to_month=datetime.date(2024, 3, 31),
    )
    # Months are kept as their first days.
    assert (linked.from_month, linked.to_month) == (
        datetime.date(2024, 1, 1),
        datetime.date(2024, 3, 1),
    )
    assert history_of(linked).exists()


def test_evidence_from_another_councils_thematic_audit_is_refused(inspection, people):
    thematic = ThematicAudit.objects.create(
        council=people.other.council,
        title="Theirs",
        lead=people.outsider,
        purpose="Not ours",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 3, 31),
    )
    with pytest.raises(ValidationError, match="council's thematic audits"):
        actions.link_evidence(
            inspection.recommendations[0],
            kind=EvidenceKind.THEMATIC_AUDIT,
            by=people.qa_lead,
            thematic_audit=thematic,
        )


def test_confirming_a_rag_records_the_proposal_beside_it(inspection, people):
    recommendation = inspection.recommendations[0]
    confirmed = actions.confirm_rag(
        recommendation,
        rag_value="amber",
        rationale="Work has begun; oversight audits show early change.",
        lock_version=recommendation.lock_version,
        by=people.qa_lead,
    )
    history = list(recommendation.rag_history.all())
    assert [(entry.kind, entry.rag) for entry in history] == [
        (RagKind.CONFIRMED, "amber"),
        (RagKind.PROPOSED, "red"),  # no action answered it yet
    ]
    assert confirmed.decided_by == people.qa_lead
    assert "No action answers this recommendation yet." in history[1].rationale
    assert history[1].decided_by is None
    assert history_of(confirmed).exists()


def test_a_rag_set_from_an_out_of_date_page_is_refused(inspection, people):
    recommendation = inspection.recommendations[0]
    seen = recommendation.lock_version
    actions.confirm_rag(
        recommendation, rag_value="red", rationale="First", lock_version=seen, by=people.qa_lead
    )
    with pytest.raises(ChangedSinceOpened):
        actions.confirm_rag(
            recommendation,
            rag_value="green",
            rationale="Second",
            lock_version=seen,
            by=people.qa_lead,
        )
    assert RagStatus.objects.filter(kind=RagKind.CONFIRMED).count() == 1


def test_a_rag_needs_a_rationale_and_the_qa_lead(inspection, people):
    recommendation = inspection.recommendations[0]
    with pytest.raises(ValidationError, match="Enter why"):
        actions.confirm_rag(
            recommendation, rag_value="red", rationale=" ", lock_version=0, by=people.qa_lead
        )
    with pytest.raises(PermissionDenied):
        actions.confirm_rag(
            recommendation, rag_value="red", rationale="x", lock_version=0, by=people.director
        )
    assert not RagStatus.objects.exists()


def test_a_proposal_is_added_only_when_it_changes(inspection, people):
    recommendation = inspection.recommendations[0]
    assert actions.record_proposal(recommendation) is not None
    assert actions.record_proposal(recommendation) is None
    actions.add_action(
        recommendation, action="Do it", owner=people.director, due_date=DUE, by=people.qa_lead
    )
    assert actions.record_proposal(recommendation) is not None
    assert recommendation.rag_history.filter(kind=RagKind.PROPOSED).count() == 2


def test_a_recommendation_maps_only_onto_the_councils_own_areas(inspection, people):
    theirs = JudgementArea.objects.create(council=people.other.council, name="Theirs")
    with pytest.raises(ValidationError, match="council's judgement areas"):
        actions.map_recommendation(inspection.recommendations[0], area=theirs, by=people.qa_lead)
    with pytest.raises(PermissionDenied):
        actions.map_recommendation(inspection.recommendations[0], area=None, by=people.director)
