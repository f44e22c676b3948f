"""The audit pages: who may see and change what, the form itself, autosave, and requests."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from caseaudit.accounts.models import AccessLog
from caseaudit.audits.actions import workflow
from caseaudit.audits.choices import AuditStatus, Decision
from caseaudit.audits.models import Answer, Audit, Exemption
from caseaudit.audits.tests.test_workflow import (
    full_answers,
    grade_question,
    import_children,
    make_audit,
    questions,
)
from caseaudit.testing.queries import page_queries

pytestmark = pytest.mark.django_db
CONFLICT = "This audit was changed by someone else since you opened it."


@pytest.fixture
def children(people, council, tmp_path):
    return import_children(people, council, tmp_path)


@pytest.fixture
def audit(children, people):
    """Child N1 is our social worker's case; the south manager audits it."""
    return make_audit(children["N1"], people.south_manager)


def page_of(audit):
    return reverse("audits:audit", args=[audit.pk])


def form_data(audit, answers=None, *, lock_version=None, **extra):
    data = {f"q_{pk}": value for pk, value in (answers or {}).items()}
    data["lock_version"] = audit.lock_version if lock_version is None else lock_version
    data.update(extra)
    return data


# Who may -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "editable"),
    [
        ("south_manager", 200, True),  # the allocated auditor
        ("north_manager", 404, False),  # another auditor
        ("social_worker", 200, False),  # the child's own worker: read only
        ("qa_lead", 200, False),  # QA: read only
        ("councillor", 403, False),
        ("outsider", 404, False),
    ],
)
def test_who_may_open_an_audit(client_for, people, audit, persona, status, editable):
    response = client_for(getattr(people, persona)).get(page_of(audit))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert ("Submit audit" in html) == editable
        assert "Child N1" in html


def test_opening_is_logged_and_a_refusal_is_logged_too(client_for, people, audit):
    client_for(people.south_manager).get(page_of(audit))
    viewed = AccessLog.objects.order_by("-sequence").first()
    assert (viewed.action, viewed.record_type, viewed.record_id) == (
        "viewed",
        "audits.audit",
        str(audit.pk),
    )
    client_for(people.north_manager).get(page_of(audit))
    denied = AccessLog.objects.order_by("-sequence").first()
    assert (denied.action, denied.username, denied.record_id) == (
        "denied",
        "north.manager",
        str(audit.pk),
    )


def test_a_social_worker_sees_only_audits_of_their_own_cases(client_for, people, children):
    colleagues = make_audit(children["N2"], people.south_manager)
    assert client_for(people.social_worker).get(page_of(colleagues)).status_code == 404


def test_only_the_auditor_may_save(client_for, people, audit):
    data = form_data(audit)
    assert (
        client_for(people.qa_lead).post(reverse("audits:save", args=[audit.pk]), data).status_code
        == 403
    )
    assert (
        client_for(people.north_manager)
        .post(reverse("audits:save", args=[audit.pk]), data)
        .status_code
        == 404
    )
    assert (
        client_for(people.qa_lead)
        .post(reverse("audits:autosave", args=[audit.pk]), data)
        .status_code
        == 403
    )
    assert Audit.objects.get(pk=audit.pk).lock_version == 0


# The form ------------------------------------------------------------------------------------


def test_the_form_follows_the_tool_with_descriptors_as_hints(client_for, people, audit):
    html = client_for(people.south_manager).get(page_of(audit)).content.decode()
    voice = grade_question(audit)
    assert "1. Voice and lived experience of the child" in html
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Grade for voice' in html
    )
    # Each grade's descriptor is the hint under that option, tied to it for screen readers.
    assert f'id="id_q_{voice.pk}" name="q_{voice.pk}" type="radio" value="outstanding"' in html
    hint = f"id_q_{voice.pk}-4-item-hint"
    assert f'aria-describedby="{hint}"' in html
    assert "The child is not seen or not seen alone" in html
    assert html.index("Outstanding") < html.index("Requires Improvement") < html.index("Inadequate")
    assert 'hx-trigger="change delay:1s, keyup delay:3s"' in html
    assert reverse("audits:autosave", args=[audit.pk]) in html
    assert "audits/autosave.js" in html
    assert 'name="lock_version" value="0"' in html or 'value="0" id="lock-version"' in html


def test_save_draft_works_without_javascript(client_for, people, audit):
    voice = grade_question(audit)
    client = client_for(people.south_manager)
    response = client.post(
        reverse("audits:save", args=[audit.pk]),
        form_data(audit, {voice.pk: "good"}, action="save", overall_rationale="So far so good"),
    )
    assert response.status_code == 302 and response.url == page_of(audit)
    audit.refresh_from_db()
    assert (audit.status, audit.lock_version, audit.overall_rationale) == (
        AuditStatus.IN_PROGRESS,
        1,
        "So far so good",
    )
    html = client.get(page_of(audit)).content.decode()
    assert "Your draft is saved." in html
    assert f'id="id_q_{voice.pk}-2" name="q_{voice.pk}" type="radio" value="good" checked' in html


def test_submitting_an_incomplete_audit_shows_each_problem_linked_to_its_field(
    client_for, people, audit
):
    voice = grade_question(audit)
    response = client_for(people.south_manager).post(
        reverse("audits:save", args=[audit.pk]), form_data(audit, action="submit")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "There is a problem" in html
    assert (
        f'<a href="#id_q_{voice.pk}">Select a grade for Voice and lived experience of the child</a>'
        in html
    )
    assert '<a href="#id_overall_grade">Select an overall judgement</a>' in html
    assert f'<p id="id_q_{voice.pk}-error" class="govuk-error-message">' in html
    # The draft was saved all the same, and the form carries the new version.
    audit.refresh_from_db()
    assert (audit.status, audit.lock_version) == (AuditStatus.IN_PROGRESS, 1)
    assert 'value="1"' in html


def test_a_complete_audit_submits_from_the_page(client_for, people, audit):
    client = client_for(people.south_manager)
    data = form_data(
        audit,
        full_answers(audit),
        action="submit",
        overall_grade="good",
        overall_rationale="Consistent, purposeful work.",
    )
    response = client.post(reverse("audits:save", args=[audit.pk]), data)
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED
    html = client.get(page_of(audit)).content.decode()
    assert "Audit submitted." in html and "Submit audit" not in html
    assert "Consistent, purposeful work." in html  # now shown read-only


def test_a_stale_form_is_refused_and_keeps_what_was_typed(client_for, people, audit):
    voice = grade_question(audit)
    client = client_for(people.south_manager)
    client.post(reverse("audits:save", args=[audit.pk]), form_data(audit, {voice.pk: "good"}))
    stale = form_data(
        audit, {voice.pk: "inadequate"}, lock_version=0, overall_rationale="My careful words"
    )
    response = client.post(reverse("audits:save", args=[audit.pk]), stale)
    html = response.content.decode()
    assert response.status_code == 409
    assert CONFLICT in html and "My careful words" in html
    assert Answer.objects.get(audit=audit, question=voice).value == "good"


# Autosave ------------------------------------------------------------------------------------


def test_autosave_answers_a_status_and_the_new_version(client_for, people, audit):
    voice = grade_question(audit)
    client = client_for(people.south_manager)
    url = reverse("audits:autosave", args=[audit.pk])
    response = client.post(url, form_data(audit, {voice.pk: "good"}), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Saved at {timezone.localtime():%H:}" in html
    assert 'name="lock_version" id="lock-version" value="1" hx-swap-oob="true"' in html
    assert response["X-Autosave-Status"] == "saved"
    # A second tab still on version 0 is refused, and nothing of it is saved.
    stale = client.post(url, form_data(audit, {voice.pk: "inadequate"}, lock_version=0))
    assert stale.status_code == 409
    assert CONFLICT in stale.content.decode()
    assert Answer.objects.get(audit=audit, question=voice).value == "good"


def test_autosave_after_the_session_ends_says_so_and_saves_nothing(client, people, audit):
    voice = grade_question(audit)
    url = reverse("audits:autosave", args=[audit.pk])
    response = client.post(url, form_data(audit, {voice.pk: "good"}), HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert "You have been signed out" in response.content.decode()
    assert response["X-Autosave-Status"] == "not-saved"
    assert not Answer.objects.exists()
    # The full form sends them to sign in and back to the audit (the browser kept a copy).
    full = client.post(reverse("audits:save", args=[audit.pk]), form_data(audit))
    assert full.status_code == 302 and "next=" + page_of(audit) in full.url


def test_autosave_of_someone_elses_audit_is_refused_and_logged(client_for, people, audit):
    url = reverse("audits:autosave", args=[audit.pk])
    assert client_for(people.north_manager).post(url, form_data(audit)).status_code == 404
    denied = AccessLog.objects.order_by("-sequence").first()
    assert (denied.action, denied.username) == ("denied", "north.manager")


# Your audits ---------------------------------------------------------------------------------


def test_your_audits_lists_yours_with_overdue_tags(client_for, people, children):
    late = make_audit(
        children["N1"], people.south_manager, due=timezone.localdate() - datetime.timedelta(days=1)
    )
    on_time = make_audit(children["N2"], people.south_manager)
    not_mine = make_audit(children["S1"], people.north_manager)
    html = client_for(people.south_manager).get(reverse("audits:your_audits")).content.decode()
    assert page_of(late) in html and page_of(on_time) in html
    assert page_of(not_mine) not in html
    assert html.count('govuk-tag--red">Overdue') == 1
    assert html.index(page_of(on_time)) < html.index(page_of(late))  # newest first
    by_due = client_for(people.south_manager).get(
        reverse("audits:your_audits"), {"sort": "due", "order": "asc"}
    )
    html = by_due.content.decode()
    assert html.index(page_of(late)) < html.index(page_of(on_time))  # soonest due first
    assert AccessLog.objects.filter(action="listed", record_type="audits.audit").exists()


def test_elected_members_have_no_audit_pages(client_for, people, audit):
    client = client_for(people.councillor)
    assert client.get(reverse("audits:your_audits")).status_code == 403
    assert client.get(page_of(audit)).status_code == 403


def test_your_audits_cost_the_same_whatever_the_number(client_for, people, children):
    client = client_for(people.south_manager)
    url = reverse("audits:your_audits")
    page_queries(client, url)  # a session's first request does more

    def with_more_audits(count: int) -> int:
        for number in range(count):
            make_audit(children[("N1", "N2", "S1")[number % 3]], people.south_manager)
        return page_queries(client, url)

    assert with_more_audits(1) == with_more_audits(8)


# Exemptions, extensions and QA's decisions ---------------------------------------------------


def test_an_auditor_asks_for_an_exemption_and_qa_approves_it(client_for, people, audit):
    auditor = client_for(people.south_manager)
    url = reverse("audits:request_exemption", args=[audit.pk])
    assert "Why should this audit be exempted?" in auditor.get(url).content.decode()
    empty = auditor.post(url, {"reason": ""}).content.decode()
    assert '<a href="#id_reason">Enter why this audit should be exempted</a>' in empty
    assert auditor.post(url, {"reason": "The case closed."}).status_code == 302
    exemption = Exemption.objects.get(audit=audit)
    assert auditor.get(reverse("audits:requests")).status_code == 403
    decide = reverse("audits:decide_exemption", args=[exemption.pk])
    assert auditor.post(decide, {"decision": "approve"}).status_code == 403

    qa = client_for(people.qa_lead)
    listing = qa.get(reverse("audits:requests")).content.decode()
    assert "The case closed." in listing and decide in listing
    refused = qa.post(decide, {"decision": "refuse", "note": ""}).content.decode()
    assert '<a href="#id_note">Enter why the request is refused</a>' in refused
    assert qa.post(decide, {"decision": "approve"}).status_code == 302
    audit.refresh_from_db()
    assert audit.status == AuditStatus.EXEMPTED
    assert "No exemption is waiting" in qa.get(reverse("audits:requests")).content.decode()
    again = client_for(people.south_manager).post(url, {"reason": "x"}).content.decode()
    assert "This audit is exempted, so you cannot ask for an exemption." in again


def test_only_the_auditor_may_ask_for_more_time(client_for, people, audit):
    url = reverse("audits:request_extension", args=[audit.pk])
    assert client_for(people.qa_lead).get(url).status_code == 403
    auditor = client_for(people.south_manager)
    same_day = audit.due_date
    html = auditor.post(
        url,
        {
            "new_due_date_0": same_day.day,
            "new_due_date_1": same_day.month,
            "new_due_date_2": same_day.year,
            "reason": "Leave",
        },
    ).content.decode()
    assert '<a href="#id_new_due_date">The new due date must be after the current due date' in html
    bad = auditor.post(
        url,
        {"new_due_date_0": "31", "new_due_date_1": "2", "new_due_date_2": "2030", "reason": "x"},
    ).content.decode()
    assert "The new due date must be a real date" in bad
    later = audit.due_date + datetime.timedelta(days=14)
    ok = auditor.post(
        url,
        {
            "new_due_date_0": later.day,
            "new_due_date_1": later.month,
            "new_due_date_2": later.year,
            "reason": "The worker is on leave",
        },
    )
    assert ok.status_code == 302
    extension = audit.extensions.get()
    assert extension.decision == Decision.PENDING
    decide = reverse("audits:decide_extension", args=[extension.pk])
    assert client_for(people.qa_lead).post(decide, {"decision": "approve"}).status_code == 302
    audit.refresh_from_db()
    assert audit.due_date == later


def test_qa_cancels_an_audit_with_a_reason(client_for, people, audit):
    url = reverse("audits:cancel", args=[audit.pk])
    assert client_for(people.south_manager).get(url).status_code == 403
    qa = client_for(people.qa_lead)
    assert "Cancel this audit" in qa.get(page_of(audit)).content.decode()
    assert "Enter why the audit is cancelled" in qa.post(url, {"reason": ""}).content.decode()
    assert qa.post(url, {"reason": "Drawn in error"}).status_code == 302
    assert Audit.objects.get(pk=audit.pk).status == AuditStatus.CANCELLED


def test_read_only_pages_show_answers_in_words(client_for, people, audit):
    workflow.save_answers(
        audit,
        answers={q.pk: v for q, v in zip(questions(audit), ["good", "partly"], strict=False)},
        lock_version=0,
        by=people.south_manager,
    )
    html = client_for(people.qa_lead).get(page_of(audit)).content.decode()
    assert ">Good</dd>" in html and ">Partly</dd>" in html
    assert "Not answered" in html
