"""The moderation pages: for the QA lead only, the form puts the action's refusals beside the
fields, and the lists cost the same however many audits there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseaudit.accounts.models import AccessLog
from caseaudit.audits.actions.moderation import (
    grade_field,
    graded_domains,
    reason_field,
    select_for_moderation,
)
from caseaudit.audits.choices import AuditStatus
from caseaudit.audits.models import Audit, Moderation
from caseaudit.audits.tests.test_moderation import moderated, submitted_audits

pytestmark = pytest.mark.django_db
LIST = reverse("audits:moderation")
AGREEMENT = reverse("audits:moderation_agreement")


def moderate_url(audit) -> str:
    return reverse("audits:moderation_audit", args=[audit.pk])


@pytest.fixture
def waiting(council, people):
    audits = submitted_audits(council, people, 12)
    select_for_moderation(council.council, audits=audits[:1], by=people.qa_lead)
    return audits


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("qa_lead", 200),
        ("director", 403),
        ("administrator", 403),
        ("area_lead", 403),
        ("north_manager", 403),
        ("south_manager", 403),
        ("social_worker", 403),
        ("councillor", 403),
    ],
)
def test_only_the_qa_lead_moderates(client_for, people, waiting, persona, status):
    client = client_for(getattr(people, persona))
    assert client.get(LIST).status_code == status
    assert client.get(AGREEMENT).status_code == status
    assert client.get(moderate_url(waiting[0])).status_code == status
    chose = client.post(reverse("audits:moderation_choose"), {"audit": waiting[1].pk})
    assert chose.status_code == (302 if status == 200 else 403)
    assert client.post(LIST, {"month": "", "seed": "1"}).status_code in (302, 403)
    if status == 403:
        assert Moderation.objects.count() == 1


def test_another_councils_qa_lead_sees_none_of_this_ones_audits(client_for, people, waiting):
    client = client_for(people.outsider)
    page = client.get(LIST).content.decode()
    assert waiting[0].child.la_child_id not in page
    assert client.get(moderate_url(waiting[0])).status_code == 404
    chose = client.post(reverse("audits:moderation_choose"), {"audit": waiting[1].pk})
    assert chose.status_code == 404
    assert not Moderation.objects.filter(audit=waiting[1]).exists()


def test_the_list_shows_what_is_selected_and_what_waits(client_for, people, waiting):
    client = client_for(people.qa_lead)
    selected = client.get(LIST).content.decode()  # the to-do tab first
    assert waiting[0].child.la_child_id in selected
    assert moderate_url(waiting[0]) in selected
    assert waiting[5].child.la_child_id not in selected
    assert "11 submitted audits not yet selected" in selected
    rest = client.get(LIST, {"tab": "waiting"}).content.decode()
    assert waiting[5].child.la_child_id in rest
    assert waiting[0].child.la_child_id not in rest
    assert AccessLog.objects.filter(action="listed", record_type="audits.audit").exists()


def test_selecting_a_random_10_percent(client_for, people, waiting):
    client = client_for(people.qa_lead)
    response = client.post(LIST, {"month": "", "seed": "99"}, follow=True)
    assert "2 audits selected for moderation (seed 99)." in response.content.decode()
    assert Moderation.objects.count() == 3  # the one already selected, and 10% of 11 rounded up
    bad = client.post(LIST, {"month": "1999-01", "seed": "x"})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "There is a problem" in body
    assert "Select a month from the list" in body
    assert "Enter the seed as a whole number, for example 1234" in body


def test_choosing_one_audit_goes_straight_to_its_moderation(client_for, people, waiting):
    response = client_for(people.qa_lead).post(
        reverse("audits:moderation_choose"), {"audit": waiting[3].pk}
    )
    assert response.status_code == 302 and response.url == moderate_url(waiting[3])
    assert Moderation.objects.filter(audit=waiting[3]).exists()
    twice = client_for(people.qa_lead).post(
        reverse("audits:moderation_choose"), {"audit": waiting[3].pk}, follow=True
    )
    assert "already selected for moderation" in twice.content.decode()


def test_the_form_shows_the_auditors_grades_beside_the_inputs(client_for, people, waiting):
    audit = waiting[0]
    page = client_for(people.qa_lead).get(moderate_url(audit)).content.decode()
    domain = graded_domains(audit).first()
    assert f"Moderated grade for {domain.title}</legend>" in page
    assert f"Comment on {domain.pk}" in page  # the auditor's comments
    assert "Steady progress for the child." in page  # and overall rationale
    assert page.count('class="govuk-fieldset"') == 11  # ten domains and overall
    assert 'name="overall_grade" type="radio" value="requires_improvement"' in page
    viewed = AccessLog.objects.order_by("-sequence").first()
    assert (viewed.action, viewed.record_type, viewed.record_id) == (
        "viewed",
        "audits.audit",
        str(audit.pk),
    )


def test_an_audit_not_selected_is_not_moderated_by_url(client_for, people, waiting):
    assert client_for(people.qa_lead).get(moderate_url(waiting[4])).status_code == 404


def _form(audit, *, overall="good", changes=None, reasons=None) -> dict:
    data = {grade_field(d.pk): "good" for d in graded_domains(audit)}
    data["overall_grade"] = overall
    for domain_id, grade in (changes or {}).items():
        data[grade_field(domain_id)] = grade
    for domain_id, reason in (reasons or {}).items():
        data[reason_field(domain_id)] = reason
    return data


def test_a_differing_grade_without_a_reason_is_refused_beside_the_field(
    client_for, people, waiting
):
    audit = waiting[0]
    client = client_for(people.qa_lead)
    domain = graded_domains(audit).first()
    refused = client.post(
        moderate_url(audit), _form(audit, overall="inadequate", changes={domain.pk: "outstanding"})
    )
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "There is a problem" in body
    message = f"Enter why the moderated grade for {domain.title} differs from the auditor&#x27;s"
    assert f'<a href="#id_{reason_field(domain.pk)}">{message}</a>' in body
    assert "Enter why the moderated overall grade differs" in body
    assert Audit.objects.get(pk=audit.pk).status == AuditStatus.SUBMITTED

    saved = client.post(
        moderate_url(audit),
        _form(
            audit,
            overall="inadequate",
            changes={domain.pk: "outstanding"},
            reasons={domain.pk: "The child's words shape the plan."},
        )
        | {"overall_reason": "The risks are not addressed."},
    )
    assert saved.status_code == 302 and saved.url == LIST
    assert Audit.objects.get(pk=audit.pk).status == AuditStatus.MODERATED
    after = client.get(moderate_url(audit)).content.decode()
    assert "The child&#x27;s words shape the plan." in after
    assert 'type="radio"' not in after  # done: shown, not offered again


def test_a_missing_grade_is_asked_for(client_for, people, waiting):
    audit = waiting[0]
    data = _form(audit)
    domain = graded_domains(audit).last()
    del data[grade_field(domain.pk)]
    refused = client_for(people.qa_lead).post(moderate_url(audit), data)
    assert f"Select the moderated grade for {domain.title}" in refused.content.decode()


def test_the_agreement_page(client_for, people, council):
    audits = submitted_audits(council, people, 4)
    moderated(audits, ["good", "good", "good", "inadequate"], people.qa_lead)
    page = client_for(people.qa_lead).get(AGREEMENT).content.decode()
    for group in ("auditor", "team", "month"):
        assert f"Agreement by {group}</h2>" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">75%</td>' in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def test_the_lists_cost_the_same_for_5_audits_or_300(client_for, council, people):
    client = client_for(people.qa_lead)
    _queries(client, LIST)
    few = submitted_audits(council, people, 5)
    select_for_moderation(council.council, audits=few[:2], by=people.qa_lead)
    moderated(submitted_audits(council, people, 3), ["good", "good", "inadequate"], people.qa_lead)
    counts = (_queries(client, LIST), _queries(client, AGREEMENT))
    many = submitted_audits(council, people, 200)
    select_for_moderation(council.council, audits=many[:40], by=people.qa_lead)
    moderated(submitted_audits(council, people, 92), ["good"] * 92, people.qa_lead)
    assert Audit.objects.count() == 300
    assert (_queries(client, LIST), _queries(client, AGREEMENT)) == counts
