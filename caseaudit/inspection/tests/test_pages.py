"""The inspection pages: who may open each, what each shows, and the forms on them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from caseaudit.core.history import history_of
from caseaudit.inspection import actions
from caseaudit.inspection.choices import EvidenceKind, InspectionKind, RagKind
from caseaudit.inspection.models import (
    Evidence,
    Inspection,
    JudgementArea,
    RagStatus,
    RecommendationAction,
)
from caseaudit.performance import published
from caseaudit.performance.indicators import INDICATORS
from caseaudit.performance.tests.test_pages import two_months  # noqa: F401
from caseaudit.testing.queries import page_queries
from caseaudit.thematic.choices import ActionStatus

pytestmark = pytest.mark.django_db
DUE = datetime.date(2030, 1, 31)


def urls(inspection) -> dict[str, str]:
    recommendation = inspection.recommendations[0]
    return {
        "index": reverse("inspection:index"),
        "detail": reverse("inspection:detail", args=[inspection.inspection.pk]),
        "recommendations": reverse("inspection:recommendations", args=[inspection.inspection.pk]),
        "recommendation": reverse("inspection:recommendation", args=[recommendation.pk]),
        "add_action": reverse("inspection:add_action", args=[recommendation.pk]),
        "link_evidence": reverse(
            "inspection:link_evidence", args=[recommendation.pk, EvidenceKind.INDICATOR]
        ),
    }


# Who may open what: 200, 403 (not for their role) or 404 (not their council's).
MAY = {
    "qa_lead": {"index": 200, "detail": 200, "recommendations": 200, "recommendation": 200,
                "add_action": 200, "link_evidence": 200},
    "director": {"index": 200, "detail": 200, "recommendations": 200, "recommendation": 200,
                 "add_action": 403, "link_evidence": 403},
    "area_lead": {"index": 200, "detail": 200, "recommendations": 200, "recommendation": 200,
                  "add_action": 403, "link_evidence": 403},
    "councillor": {"index": 200, "detail": 200, "recommendations": 200, "recommendation": 403,
                   "add_action": 403, "link_evidence": 403},
    "north_manager": {"index": 403, "detail": 403, "recommendations": 403,
                      "recommendation": 403, "add_action": 403, "link_evidence": 403},
    "social_worker": {"index": 403, "detail": 403, "recommendations": 403,
                      "recommendation": 403, "add_action": 403, "link_evidence": 403},
    "administrator": {"index": 403, "detail": 403, "recommendations": 403,
                      "recommendation": 403, "add_action": 403, "link_evidence": 403},
    "outsider": {"index": 200, "detail": 404, "recommendations": 404, "recommendation": 404,
                 "add_action": 404, "link_evidence": 404},
}  # fmt: skip


@pytest.mark.parametrize("persona", list(MAY))
def test_who_may_open_each_page(client_for, people, inspection, persona):
    client = client_for(getattr(people, persona))
    for name, url in urls(inspection).items():
        assert client.get(url).status_code == MAY[persona][name], (persona, name)


def test_the_outsider_sees_none_of_this_councils_inspections(client_for, people, inspection):
    page = client_for(people.outsider).get(reverse("inspection:index")).content.decode()
    assert "SC-TEST-2018" not in page
    assert "No inspections have been recorded yet." in page


def test_the_inspection_shows_its_judgements(client_for, people, inspection):
    page = client_for(people.director).get(urls(inspection)["detail"]).content.decode()
    assert "Children who need help and protection" in page
    assert "Inadequate" in page and "Good" in page
    assert "3 recommendations" in page


def _set_rag(client, inspection, rag="amber", rationale="Under way.", lock_version=0):
    return client.post(
        urls(inspection)["recommendation"],
        {"rag_value": rag, "rationale": rationale, "lock_version": lock_version},
    )


def test_the_qa_lead_sets_a_rag_and_the_history_shows_both(client_for, people, inspection):
    client = client_for(people.qa_lead)
    response = _set_rag(client, inspection, rationale="Oversight audits show early change.")
    assert response.status_code == 302
    page = client.get(urls(inspection)["recommendation"]).content.decode()
    assert "Oversight audits show early change." in page
    assert "Confirmed by" in page and "Proposed from the evidence" in page
    assert RagStatus.objects.filter(kind=RagKind.CONFIRMED, rag="amber").count() == 1


def test_a_rag_without_a_rationale_says_so(client_for, people, inspection):
    response = _set_rag(client_for(people.qa_lead), inspection, rationale="")
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter why the recommendation has this RAG status" in page
    assert not RagStatus.objects.exists()


def test_a_rag_set_from_an_old_page_is_refused_with_a_reason(client_for, people, inspection):
    client = client_for(people.qa_lead)
    _set_rag(client, inspection, rag="red", rationale="First")
    response = _set_rag(client, inspection, rag="green", rationale="Second", lock_version=0)
    assert response.status_code == 200
    assert "Someone else set this recommendation" in response.content.decode()
    assert RagStatus.objects.filter(kind=RagKind.CONFIRMED).count() == 1


def test_only_the_qa_lead_may_set_the_rag(client_for, people, inspection):
    assert _set_rag(client_for(people.director), inspection).status_code == 403
    assert not RagStatus.objects.exists()


def test_the_qa_lead_adds_an_action_and_links_evidence(client_for, people, inspection):
    client = client_for(people.qa_lead)
    response = client.post(
        urls(inspection)["add_action"],
        {
            "action": "Monthly oversight audit",
            "owner": people.north_manager.pk,
            "due_date_0": "31",
            "due_date_1": "1",
            "due_date_2": "2030",
        },
    )
    assert response.status_code == 302
    assert RecommendationAction.objects.get().owner == people.north_manager
    response = client.post(
        urls(inspection)["link_evidence"],
        {"indicator_code": "icpc_15wd_pct", "target": "85", "note": "Conferences on time"},
    )
    assert response.status_code == 302
    linked = Evidence.objects.get()
    assert linked.indicator_code == "icpc_15wd_pct" and linked.target == 85
    page = client.get(urls(inspection)["recommendation"]).content.decode()
    assert "Monthly oversight audit" in page
    assert "Initial child protection conferences within 15 working days" in page
    assert reverse("performance:indicator", args=["icpc_15wd_pct"]) in page
    assert "How close the targets are" in page


def test_the_evidence_form_says_what_is_missing(client_for, people, inspection):
    url = reverse(
        "inspection:link_evidence",
        args=[inspection.recommendations[0].pk, EvidenceKind.AUDIT_DOMAIN],
    )
    response = client_for(people.qa_lead).post(url, {})
    assert response.status_code == 200
    assert "Select the audit domain" in response.content.decode()
    unknown = reverse("inspection:link_evidence", args=[inspection.recommendations[0].pk, "x"])
    assert client_for(people.qa_lead).get(unknown).status_code == 404


def test_a_councillor_reads_the_rag_summary_only(client_for, people, inspection):
    actions.confirm_rag(
        inspection.recommendations[0],
        rag_value="amber",
        rationale="Internal working notes",
        lock_version=0,
        by=people.qa_lead,
    )
    page = client_for(people.councillor).get(urls(inspection)["recommendations"])
    text = page.content.decode()
    assert "Amber" in text and "Improve the quality of management oversight" in text
    assert "Internal working notes" not in text
    assert "Latest evidence" not in text
    assert urls(inspection)["recommendation"] not in text


def test_staff_see_actions_done_and_overdue_and_the_latest_evidence(client_for, people, inspection):
    recommendation = inspection.recommendations[0]
    for due in (datetime.date(2019, 1, 1), DUE):
        actions.add_action(
            recommendation, action="Act", owner=people.director, due_date=due, by=people.qa_lead
        )
    actions.link_evidence(
        recommendation, kind=EvidenceKind.INDICATOR, indicator_code="cla_open", by=people.qa_lead
    )
    text = client_for(people.director).get(urls(inspection)["recommendations"]).content.decode()
    assert "0 of 2 done" in text and "1 overdue" in text
    assert "Performance indicator" in text


def test_the_recommendation_list_costs_the_same_however_many(client_for, people, inspection):
    client = client_for(people.qa_lead)
    url = urls(inspection)["recommendations"]

    actions.link_evidence(
        inspection.recommendations[0],
        kind=EvidenceKind.INDICATOR,
        indicator_code="cla_open",
        by=people.qa_lead,
    )
    few = page_queries(client, url)
    for number in range(20, 40):
        added = actions.add_recommendation(
            inspection.inspection, number=number, text="More", area=None, by=people.qa_lead
        )
        actions.add_action(added, action="Act", owner=people.director, due_date=DUE, by=None)
        actions.link_evidence(
            added, kind=EvidenceKind.INDICATOR, indicator_code="cla_open", by=people.qa_lead
        )
    assert page_queries(client, url) == few


def test_a_team_manager_sees_and_updates_the_actions_they_own(client_for, people, inspection):
    recommendation = inspection.recommendations[0]
    mine = actions.add_action(
        recommendation, action="Mine", owner=people.north_manager, due_date=DUE, by=people.qa_lead
    )
    theirs = actions.add_action(
        recommendation, action="Theirs", owner=people.south_manager, due_date=DUE, by=None
    )
    client = client_for(people.north_manager)
    home = client.get(reverse("home")).content.decode()
    assert "You own 1 open action answering inspection recommendations" in home
    listed = client.get(reverse("inspection:your_actions")).content.decode()
    assert "Mine" in listed and "Theirs" not in listed
    assert client.get(reverse("inspection:update_action", args=[theirs.pk])).status_code == 404
    response = client.post(
        reverse("inspection:update_action", args=[mine.pk]),
        {"status": ActionStatus.DONE, "evidence": "Done and dusted"},
    )
    assert response.status_code == 302
    assert response.url == reverse("inspection:your_actions")
    mine.refresh_from_db()
    assert mine.status == ActionStatus.DONE
    social = client_for(people.social_worker)
    assert social.get(reverse("inspection:your_actions")).status_code == 403


def test_the_qa_lead_records_an_inspection_its_judgements_and_recommendations(
    client_for, people, council
):
    client = client_for(people.qa_lead)
    assert "Record an inspection" in client.get(reverse("inspection:index")).content.decode()
    missing = client.post(reverse("inspection:create"), {"kind": InspectionKind.STANDARD})
    assert "Enter the first day of the inspection" in missing.content.decode()
    response = client.post(
        reverse("inspection:create"),
        {
            "kind": InspectionKind.STANDARD,
            "started_on_0": "26",
            "started_on_1": "2",
            "started_on_2": "2018",
            "reference": "SC-NEW",
        },
    )
    assert response.status_code == 302
    recorded = Inspection.objects.get(reference="SC-NEW")
    url = reverse("inspection:judgements", args=[recorded.pk])
    form = client.get(url).content.decode()
    # The areas in force in February 2018, not those of later frameworks.
    assert "Adoption performance" in form
    assert "The experiences and progress of care leavers<" not in form
    adoption = JudgementArea.objects.get(council=None, name="Adoption performance")
    overall = JudgementArea.objects.get(council=None, name="Overall effectiveness")
    response = client.post(url, {f"area_{adoption.pk}": "good", f"area_{overall.pk}": ""})
    assert response.status_code == 302
    assert dict(recorded.judgements.values_list("area__name", "grade")) == {
        "Adoption performance": "good"
    }
    add = reverse("inspection:add_recommendation", args=[recorded.pk])
    response = client.post(add, {"number": "1", "text": "Do better", "area": adoption.pk})
    assert response.status_code == 302
    again = client.post(add, {"number": "1", "text": "Again"})
    assert "There is already a recommendation 1" in again.content.decode()
    assert recorded.recommendations.count() == 1


def test_a_visit_without_grades_has_no_judgements_page(client_for, people, council):
    visit = actions.record_inspection(
        council.council,
        kind=InspectionKind.MONITORING_VISIT,
        started_on=datetime.date(2019, 1, 10),
        by=people.qa_lead,
    )
    client = client_for(people.qa_lead)
    assert client.get(reverse("inspection:judgements", args=[visit.pk])).status_code == 404
    assert "does not grade" in client.get(visit.get_absolute_url()).content.decode()


def test_only_the_qa_lead_records(client_for, people, inspection):
    pk = inspection.inspection.pk
    for persona in ("director", "area_lead", "councillor", "north_manager"):
        client = client_for(getattr(people, persona))
        assert client.get(reverse("inspection:create")).status_code == 403
        assert client.get(reverse("inspection:judgements", args=[pk])).status_code == 403
        assert client.get(reverse("inspection:add_recommendation", args=[pk])).status_code == 403


def test_an_administrator_keeps_their_councils_own_judgement_areas(client_for, people, council):
    JudgementArea.objects.create(council=council.council, name="Our local heading")
    JudgementArea.objects.create(council=people.other.council, name="Their local heading")
    client = client_for(people.administrator)
    page = client.get(reverse("admin:inspection_judgementarea_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Our local heading" in text and "Their local heading" not in text
    response = client.post(
        reverse("admin:inspection_judgementarea_add"),
        {"name": "Next framework: help and protection", "order": "5", "framework": "2027"},
    )
    assert response.status_code == 302
    added = JudgementArea.objects.get(name="Next framework: help and protection")
    assert added.council == council.council
    assert client_for(people.qa_lead).get(
        reverse("admin:inspection_judgementarea_changelist")
    ).status_code in (302, 403)


@pytest.mark.usefixtures("two_months")
def test_members_see_how_close_the_targets_are_as_the_indicator_page_shows_them(
    client_for, people, inspection, council
):
    code = "cp_second_or_subsequent_pct"
    actions.link_evidence(
        inspection.recommendations[1],
        kind=EvidenceKind.INDICATOR,
        indicator_code=code,
        target=Decimal("40"),
        by=people.qa_lead,
    )
    url = urls(inspection)["recommendations"]
    for person in (people.councillor, people.director):
        text = client_for(person).get(url).content.decode()
        shown = published.history(council.council, INDICATORS[code], person)[-1][1].value
        assert f"Second or subsequent child protection plans: {shown:.1f}% against 40.0%" in text
    # 6 of 13 in January, 7 of 15 in February: lower is better. (A councillor may not be
    # shown January's figure, whose team breakdown is small numbers: then there is no trend.)
    assert "46.7% against 40.0%, worsening" in text


def test_know_ourselves_pulls_an_areas_evidence_together(client_for, people, inspection):
    recommendation = inspection.recommendations[0]
    actions.add_action(
        recommendation,
        action="Quarterly oversight re-audit",
        owner=people.director,
        due_date=DUE,
        by=people.qa_lead,
    )
    for _ in range(2):  # linked twice, shown once
        actions.link_evidence(
            recommendation,
            kind=EvidenceKind.INDICATOR,
            indicator_code="icpc_15wd_pct",
            target=Decimal("85"),
            by=people.qa_lead,
        )
    actions.link_evidence(
        recommendation,
        kind=EvidenceKind.AUDIT_DOMAIN,
        domain_title="Planning and review",
        from_month=datetime.date(2024, 1, 1),
        to_month=datetime.date(2024, 3, 1),
        by=people.qa_lead,
    )
    area = recommendation.area
    index = client_for(people.director).get(reverse("inspection:index")).content.decode()
    url = reverse("inspection:know_ourselves", args=[area.pk])
    # The 2018 area is listed because recommendations still answer to it.
    assert url in index
    text = client_for(people.director).get(url).content.decode()
    for question in (
        "1. What do we know about the quality and impact of practice?",
        "2. How do we know?",
        "3. What will we do in the next 12 months?",
    ):
        assert question in text
    assert "Audits: Planning and review, January 2024 to March 2024" in text
    # Linked twice, one piece of evidence: the programme's judgements (E1), its feedback (E2),
    # then the linked audit domain and the indicator; each claim links to its row.
    assert 'id="E4"' in text and 'id="E5"' not in text
    assert text.count('href="#E3"') == 1 and text.count('href="#E4"') == 2
    # The audit evidence speaks for March 2024: more than 12 months ago, so stale.
    assert "Stale" in text
    assert "Quarterly oversight re-audit" in text
    assert "Improve the quality of management oversight" in text
    assert client_for(people.councillor).get(url).status_code == 403
    # A national area: another council's QA lead opens it, and sees only their own council's.
    theirs = client_for(people.outsider).get(url).content.decode()
    assert "Improve the quality of management oversight" not in theirs
    assert "No recommendation has been linked to this area." in theirs


def test_a_recommendation_is_mapped_onto_the_next_frameworks_area(client_for, people, inspection):
    recommendation = inspection.recommendations[0]
    later = JudgementArea.objects.get(
        council=None,
        name="The experiences and progress of children who need help and protection",
    )
    url = reverse("inspection:map_recommendation", args=[recommendation.pk])
    assert client_for(people.director).post(url, {"area": later.pk}).status_code == 403
    theirs = JudgementArea.objects.create(council=people.other.council, name="Theirs")
    refused = client_for(people.qa_lead).post(url, {"area": theirs.pk})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    response = client_for(people.qa_lead).post(url, {"area": later.pk})
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.area == later
    change = history_of(recommendation).first()
    assert change.before["area"] != change.after["area"] == later.pk
    # Its evidence now counts towards the current area's 'know ourselves'.
    page = client_for(people.qa_lead).get(reverse("inspection:know_ourselves", args=[later.pk]))
    assert "Improve the quality of management oversight" in page.content.decode()
