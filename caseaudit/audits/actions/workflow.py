"""An audit from allocation to submission, and the side roads: exemption, extension, cancelling.

allocated → in progress → submitted (→ moderated, elsewhere); exempted and cancelled end an
audit early. Overdue is never stored: ``is_overdue`` derives it from the due date.

Every change here is a compare-and-swap on the audit row (``UPDATE … WHERE status = … AND
lock_version = …``), so two people, tabs or processes can never both win, on SQLite or
PostgreSQL, and the loser gets a message saying what happened instead of a silent overwrite.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce

from caseaudit.accounts import permissions
from caseaudit.audits import permissions as rules
from caseaudit.audits import querysets
from caseaudit.audits.actions import notify, reaudits
from caseaudit.audits.choices import AuditStatus, Decision, Rag, YesNoPartly
from caseaudit.audits.models import Answer, Audit, Exemption, Extension
from caseaudit.audits.transitions import AUDIT, OPEN
from caseaudit.core import clock, guards, transitions, versioning
from caseaudit.core.grades import Grade
from caseaudit.core.history import record_change, snapshot
from caseaudit.tools.choices import QuestionKind
from caseaudit.tools.models import Question

CHANGED_SINCE_OPENED = (
    "This audit was changed by someone else since you opened it. Your changes have not been "
    "saved: copy anything you need, then reload the page."
)
# The reason every draft save gives its history row (the task list's "Saved at" reads it).
DRAFT_SAVED = "Draft saved"
CHOICES = {
    QuestionKind.GRADE: frozenset(Grade.values),
    QuestionKind.YES_NO_PARTLY: frozenset(YesNoPartly.values),
    QuestionKind.RAG: frozenset(Rag.values),
}


class ChangedSinceOpened(versioning.ChangedSinceOpened):
    """The form was loaded at an older ``lock_version``: someone saved in between."""

    def __init__(self):
        super().__init__(CHANGED_SINCE_OPENED)


@dataclass(frozen=True)
class Submission:
    audit: Audit
    # Set when the audit was judged Inadequate: the re-audit, or why none could be made.
    reaudit: Audit | None = None
    reaudit_problem: str = ""
    # For a re-audit: grades of improvement since the audit it follows (positive is better).
    movement: int | None = None


def is_overdue(audit: Audit, today: datetime.date | None = None) -> bool:
    """Still open after its due date (the rule lives in ``audits.querysets``)."""
    return querysets.is_overdue(audit, today)


# Guards ---------------------------------------------------------------------------------------


# Who may do what to an audit, and when, is ``audits.permissions``'s: the audit page asks the
# same rules before it offers a button.


def _require_auditor(by, audit: Audit) -> None:
    guards.check(permissions.can_do_audit(by, audit), rules.ONLY_THE_AUDITOR)


def _require_qa(by) -> None:
    guards.check(permissions.can_run_programme(by), rules.ONLY_QA)


def _refusal(audit: Audit, doing: str) -> ValidationError:
    return AUDIT.refusal(audit, doing=doing)


# Doing the audit ------------------------------------------------------------------------------


@transaction.atomic
def start_audit(audit: Audit, *, by) -> Audit:
    """allocated → in progress, when the auditor first saves anything."""
    _require_auditor(by, audit)
    return transitions.move(
        audit,
        AuditStatus.IN_PROGRESS,
        transitions=AUDIT,
        by=by,
        reason="Audit started",
        started_at=clock.now(),
    )


def _questions(audit: Audit) -> dict[int, Question]:
    questions = Question.objects.filter(domain__version_id=audit.tool_version_id)
    return {
        q.pk: q for q in questions.select_related("domain").order_by("domain__position", "position")
    }


def _clean_answers(questions: dict[int, Question], answers: dict) -> dict[int, str]:
    cleaned = {}
    for key, raw in answers.items():
        try:
            question = questions.get(int(key))
        except (TypeError, ValueError):
            question = None
        if question is None:
            raise ValidationError("One of the answers is for a question this audit does not ask.")
        value = raw or ""
        if question.kind in CHOICES:
            value = value.strip()
            if value and value not in CHOICES[question.kind]:
                raise ValidationError(f"Choose one of the answers offered for “{question.text}”.")
        cleaned[question.pk] = value
    return cleaned


def _clean_overall(audit: Audit, grade: str | None, rationale: str | None) -> tuple[str, str]:
    # None keeps what is saved: a page of one domain does not carry the overall judgement.
    grade = audit.overall_grade if grade is None else grade
    rationale = audit.overall_rationale if rationale is None else rationale
    grade, rationale = (grade or "").strip(), (rationale or "").strip()
    if not audit.tool_version.tool.has_overall_grade:
        return "", ""
    if grade and grade not in Grade.values:
        raise ValidationError("Choose one of the four grades for the overall judgement.")
    return grade, rationale


def _claim(audit: Audit, lock_version: int) -> None:
    """One conditional UPDATE: of two saves made from the same version, exactly one wins."""
    if versioning.claim(Audit.objects.filter(status__in=OPEN), audit.pk, lock_version):
        return
    current = Audit.objects.get(pk=audit.pk)
    if current.status not in OPEN:
        raise _refusal(current, "changed")
    raise ChangedSinceOpened()


@transaction.atomic
def save_answers(
    audit: Audit,
    *,
    answers: dict,
    overall_grade: str | None = None,
    overall_rationale: str | None = None,
    lock_version: int,
    by,
) -> Audit:
    """Save a draft: ``answers`` maps question ids to a grade, choice or text ('' clears).

    Questions not in ``answers`` keep their answers, and the overall judgement and rationale
    keep theirs when given as None, so one domain's page saves only that domain.

    Refused with ``ChangedSinceOpened`` if anyone saved since ``lock_version`` was read; then
    nothing at all is written. Returns the audit as saved, with its new ``lock_version``.
    """
    audit = Audit.objects.select_related("tool_version__tool").get(pk=audit.pk)
    rules.EDIT_AUDIT.check(by, audit)
    questions = _questions(audit)
    cleaned = _clean_answers(questions, answers)
    overall_grade, overall_rationale = _clean_overall(audit, overall_grade, overall_rationale)

    _claim(audit, lock_version)
    if Audit.objects.filter(pk=audit.pk, status=AuditStatus.ALLOCATED).exists():
        start_audit(audit, by=by)
    # The row is ours until commit: read it again, as it now is.
    audit = Audit.objects.select_related("tool_version__tool").get(pk=audit.pk)

    existing = {a.question_id: a for a in audit.answers.filter(question_id__in=cleaned)}
    before, after = {}, {}
    to_create, to_update = [], []
    for question_id, value in cleaned.items():
        field = "text" if questions[question_id].kind == QuestionKind.TEXT else "value"
        answer = existing.get(question_id)
        old = getattr(answer, field) if answer else ""
        if old == value:
            continue
        before[str(question_id)], after[str(question_id)] = old, value
        if answer is None:
            to_create.append(Answer(audit=audit, question_id=question_id, **{field: value}))
        else:
            setattr(answer, field, value)
            to_update.append(answer)
    Answer.objects.bulk_create(to_create)
    Answer.objects.bulk_update(to_update, ["value", "text"])

    changes = {"answers": (before, after)} if before else {}
    for field, value in (
        ("overall_grade", overall_grade),
        ("overall_rationale", overall_rationale),
    ):
        if getattr(audit, field) != value:
            changes[field] = (getattr(audit, field), value)
            setattr(audit, field, value)
    audit.save(update_fields=["overall_grade", "overall_rationale"])
    if changes:
        record_change(
            audit,
            by=by,
            action="changed",
            before={key: old for key, (old, _) in changes.items()},
            after={key: new for key, (_, new) in changes.items()},
            reason=DRAFT_SAVED,
        )
    return audit


def problems_before_submitting(audit: Audit) -> dict:
    """What is missing, keyed by question id (or the overall fields), in the tool's order."""
    questions = _questions(audit)
    problems = missing_answers(questions.values(), audit.answers.filter(question_id__in=questions))
    problems.update(missing_overall(audit))
    return problems


def missing_overall(audit: Audit) -> dict:
    """The overall judgement and its rationale, where the tool asks for them and they are
    not given yet."""
    problems = {}
    if audit.tool_version.tool.has_overall_grade:
        if not audit.overall_grade:
            problems["overall_grade"] = "Select an overall judgement"
        if not audit.overall_rationale.strip():
            problems["overall_rationale"] = "Enter the rationale for the overall judgement"
    return problems


def must_answer(question: Question) -> bool:
    """A question that needs an answer before the audit is submitted."""
    return question.required or question.kind == QuestionKind.GRADE


def answer_given(question: Question, answer) -> str:
    """What ``answer`` (an ``Answer`` or None) says for ``question``, stripped ('' if none)."""
    if answer is None:
        return ""
    return (answer.text if question.kind == QuestionKind.TEXT else answer.value).strip()


def missing_answers(questions, answers) -> dict:
    """The questions among ``questions`` that must be answered and are not, with a message
    each, in the order given. No query: the task list asks this of what it has loaded."""
    by_question = {answer.question_id: answer for answer in answers}
    return {
        question.pk: _missing_message(question)
        for question in questions
        if must_answer(question) and not answer_given(question, by_question.get(question.pk))
    }


def _missing_message(question: Question) -> str:
    match question.kind:
        case QuestionKind.GRADE:
            return f"Select a grade for {question.domain.title}"
        case QuestionKind.YES_NO_PARTLY:
            return f"Select Yes, Partly or No for “{question.text}”"
        case QuestionKind.RAG:
            return f"Select Red, Amber or Green for “{question.text}”"
    return f"Enter an answer for “{question.text}”"


@transaction.atomic
def submit_audit(audit: Audit, *, by) -> Submission:
    """in progress → submitted, once every required answer and the judgement are there.

    An Inadequate judgement creates the re-audit in the same transaction; a re-audit's
    submission records how far practice moved since the audit it follows.
    """
    rules.SUBMIT_AUDIT.check(by, Audit.objects.get(pk=audit.pk))
    now = clock.now()
    audit, before = transitions.move_row(
        audit,
        AuditStatus.SUBMITTED,
        transitions=AUDIT,
        submitted_at=now,
        started_at=Coalesce(F("started_at"), now),
        # Any form still open elsewhere must not save over a submitted audit.
        lock_version=F("lock_version") + 1,
    )
    audit = Audit.objects.select_related(
        "tool_version__tool", "reaudit_of", "child", "team", "worker"
    ).get(pk=audit.pk)
    problems = problems_before_submitting(audit)
    if problems:
        raise ValidationError(problems)  # and the status change above rolls back with it

    notes = []
    if audit.overall_grade:
        notes.append(f"Overall judgement: {audit.get_overall_grade_display()}.")
    movement = reaudits.movement_since_previous(audit)
    if movement is not None:
        notes.append(reaudits.describe_movement(audit.reaudit_of, movement))
    outcome = reaudits.create_reaudit(audit, by=by)
    if outcome.reaudit is not None:
        due = f"{outcome.reaudit.due_date:%-d %B %Y}"
        notes.append(f"Re-audit {outcome.reaudit.pk} due {due}.")
        notify.tell(
            [outcome.reaudit.auditor],
            "You have been allocated a re-audit",
            f"A case judged Inadequate is to be re-audited by you, due by {due}.",
        )
    if outcome.problem:
        notes.append(outcome.problem)
        notify.tell(
            notify.qa_leads(audit.council_id), "A re-audit needs allocating", outcome.problem
        )
    _close_pending_requests(audit, note="Closed without a decision: the audit was submitted.")
    record_change(
        audit,
        by=by,
        action="changed",
        before={"status": before["status"]},
        after={"status": audit.status, "overall_grade": audit.overall_grade, "movement": movement},
        reason=" ".join(["Submitted.", *notes]),
    )
    return Submission(
        audit=audit, reaudit=outcome.reaudit, reaudit_problem=outcome.problem, movement=movement
    )


@transaction.atomic
def cancel_audit(audit: Audit, *, reason: str, by) -> Audit:
    """QA stops an audit that should not go ahead (the case was drawn in error, say)."""
    rules.CANCEL_AUDIT.check(by, Audit.objects.get(pk=audit.pk))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the audit is cancelled"})
    audit = transitions.move(audit, AuditStatus.CANCELLED, transitions=AUDIT, by=by, reason=reason)
    _close_pending_requests(audit, note="Closed without a decision: the audit was cancelled.")
    return audit


# Exemptions and extensions --------------------------------------------------------------------


@transaction.atomic
def request_exemption(audit: Audit, *, reason: str, by) -> Exemption:
    audit = Audit.objects.get(pk=audit.pk)
    rules.REQUEST_EXEMPTION.check(by, audit)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why this audit should be exempted"})
    exemption = Exemption.objects.create(audit=audit, reason=reason, requested_by=by)
    record_change(exemption, by=by, action="created", reason=reason)
    notify.tell(
        notify.qa_leads(audit.council_id),
        "An audit exemption is waiting for your decision",
        f"{by.display_name} has asked for an audit to be exempted.",
    )
    return exemption


@transaction.atomic
def request_extension(audit: Audit, *, new_due_date: datetime.date, reason: str, by) -> Extension:
    audit = Audit.objects.get(pk=audit.pk)
    rules.REQUEST_EXTENSION.check(by, audit)
    reason = (reason or "").strip()
    problems = {}
    if new_due_date <= audit.due_date:
        problems["new_due_date"] = (
            f"The new due date must be after the current due date, {audit.due_date:%-d %B %Y}"
        )
    if not reason:
        problems["reason"] = "Enter why you need more time"
    if problems:
        raise ValidationError(problems)
    extension = Extension.objects.create(
        audit=audit, new_due_date=new_due_date, reason=reason, requested_by=by
    )
    record_change(extension, by=by, action="created", reason=reason)
    notify.tell(
        notify.qa_leads(audit.council_id),
        "A request for more time is waiting for your decision",
        f"{by.display_name} has asked for more time for an audit.",
    )
    return extension


def _decide(request_row, *, approve: bool, note: str, by) -> None:
    """Record the decision, once: a second decision on the same request is refused."""
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": "Enter why the request is refused"})
    before = snapshot(request_row)
    decided = (
        type(request_row)
        .objects.filter(pk=request_row.pk, decision=Decision.PENDING)
        .update(
            decision=Decision.APPROVED if approve else Decision.REFUSED,
            decided_by=by,
            decided_at=clock.now(),
            decision_note=note,
        )
    )
    if not decided:
        raise ValidationError("This request has already been decided.")
    request_row.refresh_from_db()
    record_change(request_row, by=by, action="changed", before=before, reason=note)
    what = "exemption" if isinstance(request_row, Exemption) else "request for more time"
    verdict = request_row.get_decision_display().lower()
    notify.tell(
        [request_row.requested_by],
        f"Your {what} is {verdict}",
        f"Your {what} for an audit is {verdict}." + (f"\n\n{note}" if note else ""),
    )


@transaction.atomic
def decide_exemption(exemption: Exemption, *, approve: bool, note: str = "", by) -> Exemption:
    """QA approves (the audit is exempted) or refuses (it carries on) an exemption request."""
    _require_qa(by)
    _decide(exemption, approve=approve, note=note, by=by)
    if approve:
        transitions.move(
            exemption.audit,
            AuditStatus.EXEMPTED,
            transitions=AUDIT,
            by=by,
            reason=f"Exemption approved: {exemption.reason}",
        )
        _close_pending_requests(
            exemption.audit, note="Closed without a decision: the audit was exempted."
        )
    return exemption


@transaction.atomic
def decide_extension(extension: Extension, *, approve: bool, note: str = "", by) -> Extension:
    """QA approves (the due date moves) or refuses an extension request."""
    _require_qa(by)
    _decide(extension, approve=approve, note=note, by=by)
    if approve:
        transitions.update_while(
            Audit(pk=extension.audit_id),
            OPEN,
            transitions=AUDIT,
            doing="extended",
            by=by,
            reason=f"Extension approved: {extension.reason}",
            due_date=extension.new_due_date,
        )
    return extension


def _close_pending_requests(audit: Audit, *, note: str) -> None:
    """Requests about an audit that has ended need no decision: close them, kept in history."""
    for model in (Exemption, Extension):
        for row in model.objects.filter(audit_id=audit.pk, decision=Decision.PENDING):
            before = snapshot(row)
            row.decision, row.decision_note, row.decided_at = (
                Decision.REFUSED,
                note,
                clock.now(),
            )
            row.save(update_fields=["decision", "decision_note", "decided_at"])
            record_change(row, by=None, action="changed", before=before, reason=note)
