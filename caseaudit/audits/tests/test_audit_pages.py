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
        assert ("govuk-task-list" in html) == editable
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


def part_of(audit, number):
    return reverse("audits:part", args=[audit.pk, number])


def check_of(audit):
    return reverse("audits:check", args=[audit.pk])


def domain_answers(audit, title, grade="good"):
    """Every question of one domain answered, as its page posts them."""
    return {
        q.pk: (grade if q.kind == "grade" else full_answers(audit)[q.pk])
        for q in questions(audit)
        if q.domain.title == title
    }


def domain_titles(audit):
    return list(audit.tool_version.domains.order_by("position").values_list("title", flat=True))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("qa_lead", 403),  # sees the audit, but it is not theirs to do
        ("social_worker", 403),  # the child's own worker: read only
        ("north_manager", 404),  # another auditor: not even seen
        ("councillor", 403),
        ("outsider", 404),
    ],
)
def test_only_the_auditor_may_open_or_post_the_parts_and_check_answers(
    client_for, people, audit, persona, status
):
    client = client_for(getattr(people, persona))
    voice = grade_question(audit)
    data = form_data(audit, {voice.pk: "good"}, action="save")
    for url in (part_of(audit, 1), check_of(audit), reverse("audits:submitted", args=[audit.pk])):
        assert client.get(url).status_code == status, url
    assert client.post(part_of(audit, 1), data).status_code == status
    assert client.post(check_of(audit)).status_code == status
    autosave = client.post(reverse("audits:autosave", args=[audit.pk]) + "?part=1", data)
    assert autosave.status_code in (403, 404)  # refused, as autosave.js can show it
    audit.refresh_from_db()
    assert (audit.status, audit.lock_version) == (AuditStatus.ALLOCATED, 0)
    assert not Answer.objects.exists()


# The task list -------------------------------------------------------------------------------


def test_the_task_list_has_a_part_per_domain_with_its_status(client_for, people, audit):
    titles = domain_titles(audit)
    client = client_for(people.south_manager)
    html = client.get(page_of(audit)).content.decode()
    assert len(titles) == 10
    for number, title in enumerate([*titles, "Overall judgement"], 1):
        assert f'href="{part_of(audit, number)}" aria-describedby="part-{number}-status">' in html
        assert f"{number}. {title}</a>" in html
    assert html.count('govuk-tag--blue">Not started') == 11
    assert "You have completed 0 of 11 sections." in html
    assert "Cannot start yet" in html and check_of(audit) not in html
    # The child's record is a link away (and opening it is logged on its own page).
    assert audit.child.get_absolute_url() in html

    # One domain done, one half done, and the judgement given: three statuses.
    workflow.save_answers(
        audit,
        answers={**domain_answers(audit, titles[0]), grade_question(audit, titles[1]).pk: "good"},
        overall_grade="good",
        overall_rationale="Purposeful work.",
        lock_version=0,
        by=people.south_manager,
    )
    html = client.get(page_of(audit)).content.decode()
    assert "You have completed 2 of 11 sections." in html
    assert 'id="part-1-status">Completed</div>' in html
    assert 'id="part-2-status"><strong class="govuk-tag govuk-tag--light-blue">In progress' in html
    assert 'id="part-3-status"><strong class="govuk-tag govuk-tag--blue">Not started' in html
    assert 'id="part-11-status">Completed</div>' in html
    assert f"Saved at {timezone.localtime():%H:}" in html


def test_once_every_part_is_done_check_your_answers_can_start(client_for, people, audit):
    from caseaudit.audits.tests.test_workflow import fill_in

    fill_in(audit, by=people.south_manager)
    html = client_for(people.south_manager).get(page_of(audit)).content.decode()
    assert "You have completed 11 of 11 sections." in html
    assert f'href="{check_of(audit)}" aria-describedby="check-status">' in html
    assert "Cannot start yet" not in html


# A domain's page -----------------------------------------------------------------------------


def test_a_domains_page_asks_only_its_questions_with_descriptors_as_hints(
    client_for, people, audit
):
    html = client_for(people.south_manager).get(part_of(audit, 1)).content.decode()
    voice = grade_question(audit)
    assessment = grade_question(audit, "Assessment and analysis")
    assert '<h1 class="govuk-heading-l">Voice and lived experience of the child</h1>' in html
    assert "section 1 of 11" in html
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Grade for voice' in html
    )
    assert f'name="q_{assessment.pk}"' not in html and 'name="overall_grade"' not in html
    # Each grade's descriptor is the hint under that option, tied to it for screen readers.
    assert f'id="id_q_{voice.pk}" name="q_{voice.pk}" type="radio" value="outstanding"' in html
    assert f'aria-describedby="id_q_{voice.pk}-4-item-hint"' in html
    assert "The child is not seen or not seen alone" in html
    assert html.index("Outstanding") < html.index("Requires Improvement") < html.index("Inadequate")
    # Save state near the top, before the first question; autosave of this part only.
    assert html.index("Not saved yet") < html.index("Grade for voice")
    assert 'hx-trigger="change delay:1s, keyup delay:3s"' in html
    assert reverse("audits:autosave", args=[audit.pk]) + "?part=1" in html
    assert "audits/autosave.js" in html
    assert 'value="0" id="lock-version"' in html
    assert audit.child.get_absolute_url() in html
    assert reverse("audits:raise_alert", args=[audit.pk]) in html  # from inside the audit
    assert "Save and continue" in html and "Save draft" in html


def test_saving_one_domain_keeps_the_others_and_the_judgement(client_for, people, audit):
    titles = domain_titles(audit)
    voice, assessment = grade_question(audit), grade_question(audit, titles[1])
    client = client_for(people.south_manager)
    workflow.save_answers(
        audit,
        answers={assessment.pk: "inadequate"},
        overall_grade="good",
        overall_rationale="Kept as it was",
        lock_version=0,
        by=people.south_manager,
    )
    response = client.post(part_of(audit, 1), form_data(audit, {voice.pk: "good"}, lock_version=1))
    # 'Save draft' (or no JavaScript's Enter): back to the same page, which says so.
    assert response.status_code == 302 and response.url == part_of(audit, 1)
    audit.refresh_from_db()
    assert (audit.status, audit.lock_version) == (AuditStatus.IN_PROGRESS, 2)
    assert (audit.overall_grade, audit.overall_rationale) == ("good", "Kept as it was")
    assert Answer.objects.get(audit=audit, question=assessment).value == "inadequate"
    assert Answer.objects.get(audit=audit, question=voice).value == "good"
    html = client.get(part_of(audit, 1)).content.decode()
    assert "Your draft is saved." in html
    assert f"Saved at {timezone.localtime():%H:}" in html
    assert f'id="id_q_{voice.pk}-2" name="q_{voice.pk}" type="radio" value="good" checked' in html


def test_save_and_continue_goes_to_the_next_part_then_to_check_your_answers(
    client_for, people, audit
):
    client = client_for(people.south_manager)
    titles = domain_titles(audit)
    response = client.post(
        part_of(audit, 1), form_data(audit, domain_answers(audit, titles[0]), action="continue")
    )
    assert response.url == part_of(audit, 2)
    # The last part, with parts unfinished: back to the task list.
    audit.refresh_from_db()
    last = form_data(
        audit, action="continue", overall_grade="good", overall_rationale="Purposeful work."
    )
    assert client.post(part_of(audit, 11), last).url == page_of(audit)
    audit.refresh_from_db()
    assert audit.overall_rationale == "Purposeful work."
    for number, title in enumerate(titles, 1):
        audit.refresh_from_db()
        client.post(
            part_of(audit, number),
            form_data(audit, domain_answers(audit, title), action="continue"),
        )
    audit.refresh_from_db()
    last["lock_version"] = audit.lock_version
    assert client.post(part_of(audit, 11), last).url == check_of(audit)


def test_an_error_on_a_domains_page_comes_back_on_its_address(client_for, people, audit):
    voice = grade_question(audit)
    client = client_for(people.south_manager)
    url = part_of(audit, 1)
    response = client.post(url, form_data(audit, {voice.pk: "brilliant"}, action="continue"))
    html = response.content.decode()
    assert response.status_code == 200 and response.request["PATH_INFO"] == url
    assert "<title>Error: " in html and "There is a problem" in html
    assert f'<a href="#id_q_{voice.pk}">Select one of the answers offered</a>' in html
    assert f'<p id="id_q_{voice.pk}-error" class="govuk-error-message">' in html
    assert not Answer.objects.exists()
    assert client.get(part_of(audit, 12)).status_code == 404


def test_a_stale_domain_page_is_refused_and_keeps_what_was_typed(client_for, people, audit):
    voice = grade_question(audit)
    client = client_for(people.south_manager)
    client.post(part_of(audit, 1), form_data(audit, {voice.pk: "good"}))
    stale = form_data(audit, lock_version=0, overall_rationale="My careful words")
    response = client.post(part_of(audit, 11), stale)
    html = response.content.decode()
    assert response.status_code == 409
    assert CONFLICT in html and "My careful words" in html
    assert Audit.objects.get(pk=audit.pk).overall_rationale == ""


def test_the_old_single_page_forms_address_leads_to_the_task_list(client_for, people, audit):
    response = client_for(people.south_manager).post(
        reverse("audits:save", args=[audit.pk]), form_data(audit)
    )
    assert response.status_code == 302 and response.url == page_of(audit)


def test_a_submitted_audits_parts_lead_to_its_answers(client_for, people, audit):
    from caseaudit.audits.tests.test_workflow import fill_in

    fill_in(audit, by=people.south_manager)
    workflow.submit_audit(audit, by=people.south_manager)
    client = client_for(people.south_manager)
    assert client.get(part_of(audit, 1)).url == page_of(audit)
    assert client.get(check_of(audit)).url == page_of(audit)
    html = client.get(page_of(audit)).content.decode()
    assert "govuk-task-list" not in html and ">Good</dd>" in html


# Check your answers and submit ---------------------------------------------------------------


def test_check_your_answers_lists_every_part_with_change_links(client_for, people, audit):
    from caseaudit.audits.tests.test_workflow import fill_in

    fill_in(audit, by=people.south_manager)
    voice = grade_question(audit)
    html = client_for(people.south_manager).get(check_of(audit)).content.decode()
    assert html.count('class="govuk-summary-card"') == 11
    assert '<h2 class="govuk-summary-card__title">1. Voice and lived experience' in html
    assert f'href="{part_of(audit, 1)}?from=check#id_q_{voice.pk}">Change' in html
    assert f'href="{part_of(audit, 11)}?from=check#id_overall_rationale">Change' in html
    assert "The plan is working and the child&#x27;s voice shapes it." in html
    assert "You cannot submit the audit yet" not in html and "Not answered" not in html

    # A change made from here comes back here, and the part's page says where it leads.
    client = client_for(people.south_manager)
    changing = client.get(part_of(audit, 1) + "?from=check").content.decode()
    assert f'action="{part_of(audit, 1)}?from=check"' in changing
    assert "Return to check your answers" in changing
    audit.refresh_from_db()
    data = form_data(audit, {voice.pk: "outstanding"}, action="continue")
    assert client.post(part_of(audit, 1) + "?from=check", data).url == check_of(audit)
    assert Answer.objects.get(audit=audit, question=voice).value == "outstanding"


def test_submitting_with_parts_unfinished_lists_them_on_check_your_answers(
    client_for, people, audit
):
    titles = domain_titles(audit)
    workflow.save_answers(
        audit,
        answers={
            pk: value for title in titles[1:] for pk, value in domain_answers(audit, title).items()
        },
        overall_grade="good",
        lock_version=0,
        by=people.south_manager,
    )
    client = client_for(people.south_manager)
    response = client.post(check_of(audit))
    html = response.content.decode()
    assert response.status_code == 200 and response.request["PATH_INFO"] == check_of(audit)
    assert "<title>Error: " in html and "There is a problem" in html
    assert "You cannot submit the audit until you finish 2 sections:" in html
    assert f'<a href="{part_of(audit, 1)}">Finish 1. {titles[0]}</a>' in html
    assert f'<a href="{part_of(audit, 11)}">Finish 11. Overall judgement</a>' in html
    assert f"Finish 2. {titles[1]}" not in html
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS and audit.submitted_at is None


def test_a_complete_audit_submits_and_says_what_happens_next(client_for, people, audit):
    from caseaudit.audits.tests.test_workflow import fill_in

    fill_in(audit, by=people.south_manager)
    client = client_for(people.south_manager)
    response = client.post(check_of(audit))
    assert response.status_code == 302
    assert response.url == reverse("audits:submitted", args=[audit.pk])
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED
    html = client.get(response.url).content.decode()
    assert "govuk-panel--confirmation" in html and "Audit submitted" in html
    assert "What happens next" in html and "moderation" in html
    assert reverse("audits:reflection", args=[audit.pk]) in html
    assert reverse("audits:your_audits") in html
    html = client.get(page_of(audit)).content.decode()
    assert "Submit audit" not in html
    assert "The plan is working and the child&#x27;s voice shapes it." in html  # read-only


# Cost ----------------------------------------------------------------------------------------


def test_the_task_list_and_a_domain_page_cost_the_same_however_far_the_audit_has_got(
    client_for, people, audit, django_assert_max_num_queries
):
    from caseaudit.audits.tests.test_workflow import fill_in

    client = client_for(people.south_manager)
    urls = (page_of(audit), part_of(audit, 1), part_of(audit, 11), check_of(audit))
    empty = {url: page_queries(client, url) for url in urls}
    fill_in(audit, by=people.south_manager)
    full = {url: page_queries(client, url) for url in urls}
    assert full == empty
    # And a ceiling: the task list, a domain's page, the judgement's, check your answers.
    for url, most in zip(urls, (28, 20, 20, 20), strict=True):
        with django_assert_max_num_queries(most):
            client.get(url)


# Autosave ------------------------------------------------------------------------------------


def test_autosave_answers_a_status_and_the_new_version(client_for, people, audit):
    voice = grade_question(audit)
    client = client_for(people.south_manager)
    url = reverse("audits:autosave", args=[audit.pk]) + "?part=1"
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


def test_autosave_of_one_part_leaves_the_rest_alone(client_for, people, audit):
    from caseaudit.audits.tests.test_workflow import fill_in

    fill_in(audit, by=people.south_manager)
    audit.refresh_from_db()
    voice = grade_question(audit)
    client = client_for(people.south_manager)
    url = reverse("audits:autosave", args=[audit.pk]) + "?part=1"
    assert client.post(url, form_data(audit, {voice.pk: "outstanding"})).status_code == 200
    audit.refresh_from_db()
    assert audit.overall_grade == "good" and audit.overall_rationale
    assert Answer.objects.filter(audit=audit).count() == len(full_answers(audit))
    assert Answer.objects.get(audit=audit, question=voice).value == "outstanding"
    assert (
        Answer.objects.get(
            audit=audit, question=grade_question(audit, "Assessment and analysis")
        ).value
        == "good"
    )
    bad = reverse("audits:autosave", args=[audit.pk]) + "?part=99"
    assert client.post(bad, form_data(audit)).status_code == 400


def test_autosave_after_the_session_ends_says_so_and_saves_nothing(client, people, audit):
    voice = grade_question(audit)
    url = reverse("audits:autosave", args=[audit.pk]) + "?part=1"
    response = client.post(url, form_data(audit, {voice.pk: "good"}), HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert "You have been signed out" in response.content.decode()
    assert response["X-Autosave-Status"] == "not-saved"
    assert not Answer.objects.exists()
    # The page's own form sends them to sign in and back to it (the browser kept a copy).
    full = client.post(part_of(audit, 1), form_data(audit))
    assert full.status_code == 302 and "next=" + part_of(audit, 1) in full.url


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
