"""An audit's states: saving drafts (with optimistic locking), submitting, exemptions,
extensions and cancelling, each guarded and each kept in history."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from caseaudit.audits.actions import workflow
from caseaudit.audits.choices import AuditStatus, Decision
from caseaudit.audits.models import Answer, Audit
from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import Child
from caseaudit.cases.tests.test_annex_a_reader import make_workbook
from caseaudit.cases.tests.test_import import REFERRAL_HEADERS, referral
from caseaudit.core.history import history_of
from caseaudit.tools.choices import QuestionKind, ToolKind
from caseaudit.tools.models import AuditTool, Question

pytestmark = pytest.mark.django_db
AS_AT = datetime.date(2024, 1, 31)
VOICE = "Voice and lived experience of the child"
SAMPLE_ANSWER = {
    QuestionKind.GRADE: "good",
    QuestionKind.YES_NO_PARTLY: "yes",
    QuestionKind.RAG: "green",
    QuestionKind.TEXT: "Seen at home with her carer.",
}


# Helpers, shared with test_audit_pages and test_reaudits -------------------------------------


def import_children(people, council, tmp_path) -> dict[str, Child]:
    """N1 is our social worker's case, N2 a colleague's (both north); S1 is in the south."""
    north, south = people.north_team, people.south_team
    rows = [
        referral(child="N1", team=north.name, worker=people.social_worker.worker.name),
        referral(child="N2", team=north.name, worker=council.practitioners[north.pk][1].name),
        referral(child="S1", team=south.name, worker=council.practitioners[south.pk][0].name),
    ]
    path = make_workbook(tmp_path / "children.xlsx", {"List 3": [REFERRAL_HEADERS, *rows]})
    assert import_annex_a(path, council=council.council, as_at=AS_AT).errors == 0
    return {child.la_child_id: child for child in Child.objects.all()}


def tool(kind=ToolKind.PRACTICE):
    return AuditTool.objects.get(council__isnull=True, kind=kind).published()


def make_audit(child, auditor, *, due=None, version=None, **fields) -> Audit:
    return Audit.objects.create(
        council=child.council,
        child=child,
        team=child.allocated_team,
        worker=child.allocated_worker,
        tool_version=version or tool(),
        auditor=auditor,
        due_date=due or timezone.localdate() + datetime.timedelta(days=28),
        **fields,
    )


def questions(audit) -> list[Question]:
    return list(
        Question.objects.filter(domain__version=audit.tool_version)
        .select_related("domain")
        .order_by("domain__position", "position")
    )


def full_answers(audit, grade="good") -> dict[int, str]:
    answers = {q.pk: SAMPLE_ANSWER[q.kind] for q in questions(audit)}
    for q in questions(audit):
        if q.kind == QuestionKind.GRADE:
            answers[q.pk] = grade
    return answers


def fill_in(audit, *, by, grade="good", overall="good") -> Audit:
    """Every question answered and the judgement given, as one draft save."""
    return workflow.save_answers(
        audit,
        answers=full_answers(audit, grade),
        overall_grade=overall,
        overall_rationale="The plan is working and the child's voice shapes it.",
        lock_version=Audit.objects.get(pk=audit.pk).lock_version,
        by=by,
    )


def grade_question(audit, title=VOICE) -> Question:
    return Question.objects.get(
        domain__version=audit.tool_version, domain__title=title, kind=QuestionKind.GRADE
    )


@pytest.fixture
def children(people, council, tmp_path):
    return import_children(people, council, tmp_path)


@pytest.fixture
def audit(children, people):
    return make_audit(children["N1"], people.south_manager)


# Drafts and locking ---------------------------------------------------------------------------


def test_the_first_save_starts_the_audit_and_history_says_who_changed_what(audit, people):
    voice = grade_question(audit)
    saved = workflow.save_answers(
        audit,
        answers={voice.pk: "requires_improvement"},
        overall_grade="",
        overall_rationale="Early thoughts",
        lock_version=0,
        by=people.south_manager,
    )
    assert (saved.status, saved.lock_version) == (AuditStatus.IN_PROGRESS, 1)
    assert saved.started_at is not None
    assert Answer.objects.get(audit=audit, question=voice).value == "requires_improvement"
    latest, started = history_of(audit)[:2]
    assert started.reason == "Audit started" and started.after["status"] == "in_progress"
    assert latest.username == "south.manager" and latest.reason == "Draft saved"
    assert latest.after["answers"] == {str(voice.pk): "requires_improvement"}
    assert latest.before["answers"] == {str(voice.pk): ""}
    assert latest.after["overall_rationale"] == "Early thoughts"


def test_two_forms_loaded_at_the_same_version_the_second_save_is_refused(audit, people):
    voice = grade_question(audit)
    first_tab = second_tab = audit.lock_version
    workflow.save_answers(
        audit, answers={voice.pk: "good"}, lock_version=first_tab, by=people.south_manager
    )
    changes = history_of(audit).count()
    with pytest.raises(workflow.ChangedSinceOpened) as refused:
        workflow.save_answers(
            audit,
            answers={voice.pk: "inadequate"},
            overall_rationale="Typed in the other tab",
            lock_version=second_tab,
            by=people.south_manager,
        )
    assert refused.value.messages == [
        "This audit was changed by someone else since you opened it. Your changes have not "
        "been saved: copy anything you need, then reload the page."
    ]
    audit.refresh_from_db()
    assert Answer.objects.get(audit=audit, question=voice).value == "good"
    assert (audit.lock_version, audit.overall_rationale) == (1, "")
    assert history_of(audit).count() == changes  # nothing written, not even history


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
def test_simultaneous_saves_from_the_same_version_exactly_one_wins(people, council, tmp_path):
    children = import_children(people, council, tmp_path)
    audit = make_audit(children["N1"], people.south_manager)
    voice = grade_question(audit)
    barrier = threading.Barrier(2)
    outcomes = []

    def save(grade):
        try:
            barrier.wait()
            workflow.save_answers(
                audit, answers={voice.pk: grade}, lock_version=0, by=people.south_manager
            )
            outcomes.append(grade)
        except workflow.ChangedSinceOpened:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(g,)) for g in ("good", "inadequate")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winner = [o for o in outcomes if o != "refused"]
    assert len(winner) == 1 and outcomes.count("refused") == 1
    assert Answer.objects.get(audit=audit, question=voice).value == winner[0]
    assert Audit.objects.get(pk=audit.pk).lock_version == 1


def test_a_save_with_an_answer_the_tool_does_not_offer_is_refused(audit, people):
    voice = grade_question(audit)
    with pytest.raises(ValidationError, match="Choose one of the answers offered"):
        workflow.save_answers(
            audit, answers={voice.pk: "brilliant"}, lock_version=0, by=people.south_manager
        )
    with pytest.raises(ValidationError, match="does not ask"):
        workflow.save_answers(
            audit, answers={999_999: "good"}, lock_version=0, by=people.south_manager
        )
    assert Audit.objects.get(pk=audit.pk).lock_version == 0


def test_only_the_allocated_auditor_may_save_or_submit(audit, people):
    for someone in (people.north_manager, people.qa_lead):
        with pytest.raises(PermissionDenied):
            workflow.save_answers(audit, answers={}, lock_version=0, by=someone)
        with pytest.raises(PermissionDenied):
            workflow.submit_audit(audit, by=someone)


# Submitting -----------------------------------------------------------------------------------


def test_submitting_says_what_is_missing_question_by_question(audit, people):
    voice = grade_question(audit)
    seen = Question.objects.get(domain=voice.domain, position=2)
    workflow.save_answers(
        audit, answers={voice.pk: "good"}, lock_version=0, by=people.south_manager
    )
    with pytest.raises(ValidationError) as refused:
        workflow.submit_audit(audit, by=people.south_manager)
    problems = refused.value.message_dict
    assert voice.pk not in problems
    assert problems[grade_question(audit, "Assessment and analysis").pk] == [
        "Select a grade for Assessment and analysis"
    ]
    assert problems[seen.pk] == [
        "Select Yes, Partly or No for “Has the child been seen, and seen alone where appropriate?”"
    ]
    assert problems["overall_grade"] == ["Select an overall judgement"]
    assert problems["overall_rationale"] == ["Enter the rationale for the overall judgement"]
    # Optional questions ("Evidence and comments") are never demanded.
    optional = Question.objects.filter(domain__version=audit.tool_version, required=False)
    assert not set(optional.values_list("pk", flat=True)) & set(problems)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS and audit.submitted_at is None


def test_a_complete_audit_submits_once(audit, people):
    fill_in(audit, by=people.south_manager)
    submission = workflow.submit_audit(audit, by=people.south_manager)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED and audit.submitted_at is not None
    assert submission.reaudit is None and submission.movement is None
    entry = history_of(audit).first()
    assert entry.reason == "Submitted. Overall judgement: Good."
    assert entry.before == {"status": "in_progress"}
    with pytest.raises(ValidationError, match="This audit is already submitted"):
        workflow.submit_audit(audit, by=people.south_manager)
    with pytest.raises(ValidationError, match="is submitted, so it cannot be changed"):
        workflow.save_answers(
            audit, answers={}, lock_version=audit.lock_version, by=people.south_manager
        )


def test_a_light_touch_audit_needs_no_overall_judgement(children, people):
    audit = make_audit(children["N1"], people.south_manager, version=tool(ToolKind.LIGHT_TOUCH))
    workflow.save_answers(
        audit,
        answers=full_answers(audit),
        overall_grade="good",  # ignored: the tool has no overall judgement
        lock_version=0,
        by=people.south_manager,
    )
    workflow.submit_audit(audit, by=people.south_manager)
    audit.refresh_from_db()
    assert (audit.status, audit.overall_grade) == (AuditStatus.SUBMITTED, "")


# Exemptions, extensions, cancelling -----------------------------------------------------------


def test_an_approved_exemption_exempts_the_audit(audit, people):
    exemption = workflow.request_exemption(
        audit, reason="The case closed last week.", by=people.south_manager
    )
    assert exemption.decision == Decision.PENDING
    with pytest.raises(ValidationError, match="already asked"):
        workflow.request_exemption(audit, reason="Again", by=people.south_manager)
    with pytest.raises(PermissionDenied):
        workflow.decide_exemption(exemption, approve=True, by=people.south_manager)
    with pytest.raises(PermissionDenied):
        workflow.request_exemption(audit, reason="Not mine", by=people.north_manager)
    workflow.decide_exemption(exemption, approve=True, note="Agreed", by=people.qa_lead)
    audit.refresh_from_db()
    exemption.refresh_from_db()
    assert audit.status == AuditStatus.EXEMPTED
    assert (exemption.decision, exemption.decided_by) == (Decision.APPROVED, people.qa_lead)
    assert history_of(audit).first().reason == "Exemption approved: The case closed last week."
    with pytest.raises(ValidationError, match="already been decided"):
        workflow.decide_exemption(
            exemption, approve=False, note="Changed my mind", by=people.qa_lead
        )


def test_a_refused_exemption_needs_a_reason_and_leaves_the_audit_open(audit, people):
    exemption = workflow.request_exemption(audit, reason="Busy", by=people.south_manager)
    with pytest.raises(ValidationError, match="Enter why the request is refused"):
        workflow.decide_exemption(exemption, approve=False, note=" ", by=people.qa_lead)
    workflow.decide_exemption(
        exemption, approve=False, note="Being busy is not a reason", by=people.qa_lead
    )
    audit.refresh_from_db()
    assert audit.status == AuditStatus.ALLOCATED
    assert Audit.objects.get(pk=audit.pk).exemptions.get().decision == Decision.REFUSED


def test_a_moderated_or_submitted_audit_cannot_be_exempted(audit, people):
    exemption = workflow.request_exemption(audit, reason="Closed", by=people.south_manager)
    Audit.objects.filter(pk=audit.pk).update(status=AuditStatus.MODERATED)
    with pytest.raises(ValidationError, match="This audit is moderated, so it cannot be exempted"):
        workflow.decide_exemption(exemption, approve=True, by=people.qa_lead)
    exemption.refresh_from_db()
    assert exemption.decision == Decision.PENDING  # the decision rolled back with the refusal
    with pytest.raises(ValidationError, match="moderated, so you cannot ask for an exemption"):
        workflow.request_exemption(audit, reason="Closed", by=people.south_manager)


def test_an_approved_extension_moves_the_due_date(audit, people):
    due = audit.due_date
    with pytest.raises(ValidationError) as refused:
        workflow.request_extension(audit, new_due_date=due, reason="", by=people.south_manager)
    assert refused.value.message_dict == {
        "new_due_date": [f"The new due date must be after the current due date, {due:%-d %B %Y}"],
        "reason": ["Enter why you need more time"],
    }
    later = due + datetime.timedelta(days=14)
    extension = workflow.request_extension(
        audit, new_due_date=later, reason="The worker is on leave", by=people.south_manager
    )
    with pytest.raises(PermissionDenied):
        workflow.decide_extension(extension, approve=True, by=people.north_manager)
    workflow.decide_extension(extension, approve=True, by=people.qa_lead)
    audit.refresh_from_db()
    assert audit.due_date == later and audit.status == AuditStatus.ALLOCATED
    assert history_of(audit).first().before == {"due_date": due.isoformat()}


def test_cancelling_closes_pending_requests(audit, people):
    workflow.request_exemption(audit, reason="Closed", by=people.south_manager)
    with pytest.raises(PermissionDenied):
        workflow.cancel_audit(audit, reason="No", by=people.south_manager)
    with pytest.raises(ValidationError, match="Enter why the audit is cancelled"):
        workflow.cancel_audit(audit, reason="", by=people.qa_lead)
    workflow.cancel_audit(audit, reason="Drawn in error", by=people.qa_lead)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.CANCELLED
    assert audit.exemptions.get().decision_note == (
        "Closed without a decision: the audit was cancelled."
    )
    with pytest.raises(ValidationError, match="This audit is already cancelled"):
        workflow.cancel_audit(audit, reason="Again", by=people.qa_lead)


def test_overdue_is_derived_from_the_due_date_for_open_audits_only(audit):
    today = audit.due_date
    assert not workflow.is_overdue(audit, today)
    tomorrow = today + datetime.timedelta(days=1)
    assert workflow.is_overdue(audit, tomorrow)
    audit.status = AuditStatus.SUBMITTED
    assert not workflow.is_overdue(audit, tomorrow)


def test_people_are_told_by_email_after_the_change_commits_without_naming_the_child(
    audit, people, mailoutbox, django_capture_on_commit_callbacks
):
    people.qa_lead.email = "qa@example.org"
    people.qa_lead.save()
    people.south_manager.email = "south@example.org"
    people.south_manager.save()
    with django_capture_on_commit_callbacks(execute=True):
        exemption = workflow.request_exemption(audit, reason="Closed", by=people.south_manager)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.decide_exemption(exemption, approve=False, note="Audit it", by=people.qa_lead)
    asked, decided = mailoutbox
    assert (asked.to, asked.subject) == (
        ["qa@example.org"],
        "An audit exemption is waiting for your decision",
    )
    assert (decided.to, decided.subject) == (["south@example.org"], "Your exemption is refused")
    assert "Audit it" in decided.body
    assert all("N1" not in mail.body for mail in mailoutbox)
    # A refusal that rolls back sends nothing.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        workflow.decide_exemption(exemption, approve=True, by=people.qa_lead)
    assert len(mailoutbox) == 2
