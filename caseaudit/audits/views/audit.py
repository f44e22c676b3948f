"""Doing an audit: your audits, the audit page (with autosave), requests for an exemption or
more time, and QA's decisions on them. Rules live in ``actions.workflow``; these only parse,
call and render."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseaudit.accounts import permissions
from caseaudit.accounts.access import get_object_for_user, log_list_access, record_access
from caseaudit.accounts.choices import AccessAction
from caseaudit.audits import audit_parts, lists
from caseaudit.audits import permissions as rules
from caseaudit.audits.actions import reaudits, workflow
from caseaudit.audits.choices import AuditStatus, Decision
from caseaudit.audits.forms.audit import (
    AuditForm,
    DecisionForm,
    ExtensionForm,
    ReasonForm,
    previous_grades,
)
from caseaudit.audits.models import Audit, Exemption, Extension, ReflectionSheet
from caseaudit.core import clock, guards
from caseaudit.core.forms import add_action_errors, form_data, id_param
from caseaudit.tools.querysets import load_domains

AUDIT_PAGE = Audit.objects.select_related(
    "child", "team", "worker", "auditor", "tool_version__tool", "reaudit_of"
)
SIGNED_OUT = (
    "You have been signed out, so your latest changes are not saved yet. They are kept in "
    "this browser: sign in again, then come back to this audit to save them."
)


# Your audits ----------------------------------------------------------------------------------


def _yours(request):
    return Audit.objects.visible_to(request.user).filter(auditor=request.user)


@require_GET
@guards.requires(permissions.can_see_child_records)
def your_audits(request):
    """The audits allocated to you: to do and done, newest first, sortable and filtered."""
    shown = lists.YOUR_AUDITS.show(
        request,
        _yours(request).select_related("child", "team"),
        csv_href=reverse("audits:your_audits_csv"),
    )
    today = clock.today()
    rows = [(audit, workflow.is_overdue(audit, today)) for audit in shown.page]
    log_list_access(request, Audit, ids=[audit.pk for audit in shown.page])
    return render(
        request, "audits/audit/your_audits.html", {"shown": shown, "page": shown.page, "rows": rows}
    )


@require_GET
@guards.requires(permissions.can_see_child_records)
def your_audits_csv(request):
    """Your audits as CSV: the same tab, filters and order as the page, every row."""
    audits = list(
        lists.YOUR_AUDITS.rows(request, _yours(request).select_related(*lists.AUDIT_CSV_RELATIONS))
    )
    log_list_access(
        request, Audit, ids=[audit.pk for audit in audits], action=AccessAction.EXPORTED
    )
    return lists.YOUR_AUDITS.csv_response(audits, "your-audits")


# The audit page: a task list while the auditor works on it, the answers once it is done ------


def _form(
    audit: Audit,
    data=None,
    changes=None,
    *,
    part: audit_parts.Part | None = None,
    domains=None,
    answers=None,
) -> AuditForm:
    """The whole audit's form, or one part's (a domain, or the overall judgement)."""
    changes = reaudits.compare_with_previous(audit) if changes is None else changes
    if part is not None:
        domains = [] if part.is_overall else [part.domain]
    elif domains is None:
        domains = load_domains(audit.tool_version)
    if data is not None:
        answers = ()
    elif answers is None:
        answers = audit.answers.all()
    return AuditForm(
        data,
        audit=audit,
        domains=domains,
        answers=answers,
        previous=previous_grades(changes),
        with_overall=part is None or part.is_overall,
    )


def _parts(audit: Audit) -> tuple[list[audit_parts.Part], list]:
    """The audit's parts, and its answers as loaded for them (one query each for the tool's
    domains, questions and descriptors, and one for the answers)."""
    answers = list(audit.answers.all())
    return audit_parts.parts(audit, load_domains(audit.tool_version), answers), answers


def _audit_context(user, audit: Audit, changes) -> dict:
    """What every page of an audit shows around its answers: the summary, the side roads,
    requests, the re-audit's comparison and what followed the audit."""
    return {
        "audit": audit,
        "is_auditor": permissions.can_do_audit(user, audit),
        "overdue": workflow.is_overdue(audit),
        "changes": changes,
        "exemptions": list(audit.exemptions.select_related("requested_by")),
        "extensions": list(audit.extensions.select_related("requested_by")),
        "may_request_extension": rules.REQUEST_EXTENSION(user, audit),
        "may_request_exemption": rules.REQUEST_EXEMPTION(user, audit),
        "may_cancel": rules.CANCEL_AUDIT(user, audit),
        **_after_the_audit(user, audit),
    }


def _render_audit(request, audit: Audit):
    user = request.user
    changes = reaudits.compare_with_previous(audit)
    domains = load_domains(audit.tool_version)
    context = _audit_context(user, audit, changes)
    if rules.EDIT_AUDIT(user, audit):
        parts = audit_parts.parts(audit, domains, list(audit.answers.all()))
        context.update(
            editable=True,
            parts=parts,
            completed=sum(part.completed for part in parts),
            check_status=audit_parts.check_status(parts),
            saved_at=audit_parts.last_saved_at(audit),
        )
    else:
        form = _form(audit, changes=changes, domains=domains)
        context.update(editable=False, sections=form.sections(), overall=form.overall())
    return render(request, "audits/audit/audit.html", context)


def _after_the_audit(user, audit: Audit) -> dict:
    """Alerts, practice actions, the reflection and feedback shown under the audit."""
    return {
        "alerts": list(audit.alerts.select_related("raised_by")),
        "practice_actions": list(audit.actions.select_related("owner")),
        "reflection": ReflectionSheet.objects.filter(audit=audit).first(),
        "feedback_list": list(audit.feedback.order_by("given_on", "pk")),
        "may_raise_alert": rules.RAISE_ALERT(user, audit),
        "may_add_action": rules.ADD_PRACTICE_ACTION(user, audit),
        "may_record_feedback": rules.RECORD_FEEDBACK(user, audit),
        "may_reflect": rules.RECORD_REFLECTION(user, audit),
        "may_respond": permissions.can_respond_to_reflection(user, audit),
        "today": clock.today(),
    }


@require_GET
@guards.requires(permissions.can_see_child_records)
def audit_page(request, pk: int):
    audit = get_object_for_user(request, AUDIT_PAGE, pk)
    return _render_audit(request, audit)


def _back_to_the_page_when_signed_out(view):
    """The session ran out while they typed: autosave.js kept a copy in the browser and
    restores it when they come back to the same page after signing in."""

    @wraps(view)
    def signed_in_or_back(request, pk: int, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, pk, *args, **kwargs)

    return signed_in_or_back


def _editing(request, pk: int) -> Audit | None:
    """The audit, if it is this person's to do (404 out of sight, 403 someone else's);
    None once it can no longer change, so the page sends them to its answers."""
    audit = get_object_for_user(request, AUDIT_PAGE, pk)
    guards.check(permissions.can_do_audit(request.user, audit), rules.ONLY_THE_AUDITOR)
    return audit if rules.EDIT_AUDIT(request.user, audit) else None


def _part(parts: list[audit_parts.Part], number: int) -> audit_parts.Part:
    part = next((part for part in parts if part.number == number), None)
    if part is None:
        raise Http404("This audit has no such part.")
    return part


def _from_check(request) -> bool:
    """Opened with a 'Change' link from check your answers: 'Save and continue' goes back."""
    return request.GET.get("from") == "check"


def _render_part(request, audit, part, parts, form, *, status: int = 200):
    section = form.overall() if part.is_overall else form.sections()[0]
    context = {
        "audit": audit,
        "part": part,
        "parts": parts,
        "form": form,
        "section": section,
        "saved_at": audit_parts.last_saved_at(audit),
        "today": timezone.localdate(),
        "from_check": _from_check(request),
        "may_raise_alert": rules.RAISE_ALERT(request.user, audit),
        "is_auditor": True,
    }
    return render(request, "audits/audit/part.html", context, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
@_back_to_the_page_when_signed_out
@guards.requires(permissions.can_see_child_records)
def part_page(request, pk: int, number: int):
    """One part of the audit (a domain, or the overall judgement): its questions, saved with
    'Save and continue' or 'Save draft'; errors come back on this same address."""
    audit = _editing(request, pk)
    if audit is None:
        return redirect("audits:audit", pk=pk)
    parts, answers = _parts(audit)
    part = _part(parts, number)
    if request.method == "GET":
        form = _form(audit, part=part, answers=answers)
        return _render_part(request, audit, part, parts, form)
    form = _form(audit, request.POST, part=part)
    if not form.is_valid():
        return _render_part(request, audit, part, parts, form)
    try:
        workflow.save_answers(
            audit,
            answers=form.answers(),
            **form.overall_answers(),
            lock_version=form.cleaned_data["lock_version"],
            by=request.user,
        )
    except ValidationError as error:
        # Nothing was saved: show what they typed, so they can copy it before reloading.
        form.add_problems(error)
        conflict = isinstance(error, workflow.ChangedSinceOpened)
        return _render_part(request, audit, part, parts, form, status=409 if conflict else 200)
    if request.POST.get("action") != "continue":
        messages.success(request, "Your draft is saved.")
        return redirect(request.get_full_path())
    if _from_check(request):
        return redirect("audits:check", pk=pk)
    following = next((p for p in parts if p.number == number + 1), None)
    if following is not None:
        return redirect("audits:part", pk=pk, number=following.number)
    audit = AUDIT_PAGE.get(pk=pk)
    if audit_parts.unfinished(_parts(audit)[0]):
        return redirect("audits:audit", pk=pk)
    return redirect("audits:check", pk=pk)


@require_http_methods(["GET", "POST"])
@guards.requires(permissions.can_see_child_records)
def check_answers(request, pk: int):
    """Check your answers, then submit: every part's answers with a link to change them.
    Submitting with parts unfinished is refused here, listing them."""
    audit = _editing(request, pk)
    if audit is None:
        return redirect("audits:audit", pk=pk)
    refusal = None
    if request.method == "POST":
        try:
            submission = workflow.submit_audit(audit, by=request.user)
        except ValidationError as error:
            refusal = error
            audit = AUDIT_PAGE.get(pk=pk)
        else:
            messages.success(request, _submitted_message(submission))
            return redirect("audits:submitted", pk=pk)
    domains = load_domains(audit.tool_version)
    answers = list(audit.answers.all())
    parts = audit_parts.parts(audit, domains, answers)
    form = _form(audit, domains=domains, changes=[], answers=answers)
    sections = form.sections()
    overall = form.overall()
    rows = [(part, overall if part.is_overall else sections[part.number - 1]) for part in parts]
    unfinished = audit_parts.unfinished(parts)
    # Unfinished parts are listed, each linked; any other refusal is said in its own words.
    problems = refusal.messages if refusal is not None and not unfinished else []
    context = {
        "audit": audit,
        "rows": rows,
        "unfinished": unfinished,
        "problems": problems,
        "refused": refusal is not None,
        "is_auditor": True,
    }
    return render(request, "audits/audit/check.html", context)


@require_GET
@guards.requires(permissions.can_see_child_records)
def submitted(request, pk: int):
    """What happens next, once the auditor has submitted."""
    audit = get_object_for_user(request, AUDIT_PAGE, pk)
    guards.check(permissions.can_do_audit(request.user, audit), rules.ONLY_THE_AUDITOR)
    if audit.status not in AuditStatus.completed():
        return redirect("audits:audit", pk=pk)
    context = {
        "audit": audit,
        "is_auditor": True,
        "may_reflect": rules.RECORD_REFLECTION(request.user, audit),
        "may_add_action": rules.ADD_PRACTICE_ACTION(request.user, audit),
        "may_record_feedback": rules.RECORD_FEEDBACK(request.user, audit),
    }
    return render(request, "audits/audit/submitted.html", context)


@require_http_methods(["GET", "POST"])
@guards.requires(permissions.can_see_child_records)
def old_form(request, pk: int):
    """The single-page form's old address: the task list is the audit page now."""
    return redirect("audits:audit", pk=pk)


def _submitted_message(submission: workflow.Submission) -> str:
    parts = ["Audit submitted."]
    if submission.movement is not None:
        parts.append(f"Since the previous audit: {reaudits.movement_words(submission.movement)}.")
    if submission.reaudit is not None:
        reaudit = submission.reaudit
        parts.append(
            f"Judged Inadequate, so a re-audit is allocated to {reaudit.auditor.display_name}, "
            f"due {reaudit.due_date:%-d %B %Y}."
        )
    if submission.reaudit_problem:
        parts.append(submission.reaudit_problem)
    return " ".join(parts)


@login_not_required
@require_POST
@guards.open_to_signed_in
def autosave(request, pk: int):
    """The htmx draft save: answers a small status, and the new version out of band.

    A part's page posts to ``?part=N`` and saves only that part; without it the whole
    audit's answers are expected. Saves are not logged as views (nothing is shown); the
    history records each one. Its guard is the audit's own rule (``can_do_audit``), asked
    once the audit is fetched, and refused with a status autosave.js can show rather than an
    error page.
    """
    if not request.user.is_authenticated:
        return _autosave_status(request, SIGNED_OUT, status=401)
    audit = Audit.objects.visible_to(request.user).select_related("tool_version__tool")
    audit = audit.filter(pk=pk).first()
    if audit is None:
        record_access(request, action=AccessAction.DENIED, record_type="audits.audit", record_id=pk)
        raise Http404("Not found, or not yours to see.")
    if not permissions.can_do_audit(request.user, audit):
        message = "Not saved: only the person this audit is allocated to can change it."
        return _autosave_status(request, message, status=403)
    part = None
    if number := id_param(request, "part"):
        part = next((p for p in _parts(audit)[0] if p.number == number), None)
        if part is None:
            return _autosave_status(request, "Not saved: this audit has no such part.", status=400)
    form = _form(audit, request.POST, changes=[], part=part)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return _autosave_status(request, f"Not saved: {first}", status=400)
    try:
        audit = workflow.save_answers(
            audit,
            answers=form.answers(),
            **form.overall_answers(),
            lock_version=form.cleaned_data["lock_version"],
            by=request.user,
        )
    except ValidationError as error:
        conflict = isinstance(error, workflow.ChangedSinceOpened)
        return _autosave_status(request, " ".join(error.messages), status=409 if conflict else 400)
    return _autosave_status(request, "", audit=audit)


def _autosave_status(request, problem: str, *, status: int = 200, audit: Audit | None = None):
    response = render(
        request,
        "audits/audit/_autosave_status.html",
        {"problem": problem, "audit": audit, "saved_at": timezone.localtime()},
        status=status,
    )
    # autosave.js swaps these refusals in too (htmx leaves other error pages alone).
    response["X-Autosave-Status"] = "saved" if audit else "not-saved"
    return response


# Exemptions, extensions and cancelling --------------------------------------------------------


def _auditors_audit(request, pk: int) -> Audit:
    audit = get_object_for_user(request, AUDIT_PAGE, pk)
    guards.check(permissions.can_do_audit(request.user, audit))
    return audit


@require_http_methods(["GET", "POST"])
@guards.requires(permissions.can_see_child_records)
def request_exemption(request, pk: int):
    audit = _auditors_audit(request, pk)
    form = ReasonForm(
        form_data(request),
        label="Why should this audit be exempted?",
        hint="For example, the case closed before the audit, or the child moved to another "
        "council.",
        required_message="Enter why this audit should be exempted",
    )
    if request.method == "POST" and form.is_valid():
        try:
            workflow.request_exemption(audit, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                "You have asked for this audit to be exempted. The audit and practice standards "
                "lead will decide; until then the audit stays with you.",
            )
            return redirect("audits:audit", pk=audit.pk)
    return render(
        request,
        "audits/audit/request.html",
        {
            "audit": audit,
            "overdue": workflow.is_overdue(audit),
            "form": form,
            "title": "Ask for an exemption",
            "button": "Send request",
        },
    )


@require_http_methods(["GET", "POST"])
@guards.requires(permissions.can_see_child_records)
def request_extension(request, pk: int):
    audit = _auditors_audit(request, pk)
    form = ExtensionForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            workflow.request_extension(
                audit,
                new_due_date=form.cleaned_data["new_due_date"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                "You have asked for more time. The audit and practice standards lead will decide.",
            )
            return redirect("audits:audit", pk=audit.pk)
    return render(
        request,
        "audits/audit/request.html",
        {
            "audit": audit,
            "overdue": workflow.is_overdue(audit),
            "form": form,
            "title": "Ask for more time",
            "button": "Send request",
        },
    )


@require_http_methods(["GET", "POST"])
@guards.requires(permissions.can_run_programme)
def cancel_audit(request, pk: int):
    audit = get_object_for_user(request, AUDIT_PAGE, pk)
    form = ReasonForm(
        form_data(request),
        label="Why is this audit cancelled?",
        required_message="Enter why the audit is cancelled",
    )
    if request.method == "POST" and form.is_valid():
        try:
            workflow.cancel_audit(audit, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "The audit is cancelled.")
            return redirect("audits:audit", pk=audit.pk)
    return render(
        request,
        "audits/audit/request.html",
        {
            "audit": audit,
            "overdue": workflow.is_overdue(audit),
            "form": form,
            "title": "Cancel this audit",
            "button": "Cancel audit",
        },
    )


# QA: requests waiting for a decision ----------------------------------------------------------


@require_GET
@guards.requires(permissions.can_run_programme)
def pending_requests(request):
    council_id = request.user.council_id
    related = ("audit__child", "audit__team", "audit__auditor", "requested_by")
    exemptions, extensions = (
        list(
            model.objects.filter(audit__council_id=council_id, decision=Decision.PENDING)
            .select_related(*related)
            .order_by("requested_at")
        )
        for model in (Exemption, Extension)
    )
    log_list_access(request, Audit, ids=[row.audit_id for row in exemptions + extensions])
    return render(
        request, "audits/audit/requests.html", {"exemptions": exemptions, "extensions": extensions}
    )


def _decide(request, model, pk: int, *, action, what: str):
    """A request's decision page (the views that call this are for ``can_run_programme``)."""
    related = ("audit__child", "audit__team", "audit__auditor", "audit__worker", "requested_by")
    row = get_object_or_404(
        model.objects.select_related(*related), pk=pk, audit__council_id=request.user.council_id
    )
    record_access(
        request, action=AccessAction.VIEWED, record_type="audits.audit", record_id=row.audit_id
    )
    form = DecisionForm(form_data(request))
    if request.method == "POST" and row.decision == Decision.PENDING and form.is_valid():
        try:
            action(row, approve=form.approve, note=form.cleaned_data["note"], by=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            verdict = "approved" if form.approve else "refused"
            messages.success(
                request, f"The {what} for child {row.audit.child.la_child_id} is {verdict}."
            )
            return redirect("audits:requests")
    return render(
        request,
        "audits/audit/decide.html",
        {
            "row": row,
            "audit": row.audit,
            "overdue": workflow.is_overdue(row.audit),
            "form": form,
            "what": what,
        },
    )


@require_http_methods(["GET", "POST"])
@guards.requires(permissions.can_run_programme)
def decide_exemption(request, pk: int):
    return _decide(request, Exemption, pk, action=workflow.decide_exemption, what="exemption")


@require_http_methods(["GET", "POST"])
@guards.requires(permissions.can_run_programme)
def decide_extension(request, pk: int):
    return _decide(request, Extension, pk, action=workflow.decide_extension, what="extension")
