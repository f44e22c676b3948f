"""What follows an audit: safeguarding alerts, practice actions, the reflection sheet and
feedback. Rules live in ``actions.safeguarding``, ``practice``, ``reflection`` and ``feedback``;
these only parse, call and render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from caseaudit.accounts import permissions
from caseaudit.accounts.access import get_object_for_user, log_list_access
from caseaudit.audits import permissions as rules
from caseaudit.audits.actions import feedback, practice, reflection, safeguarding
from caseaudit.audits.choices import AuditStatus
from caseaudit.audits.forms.followup import (
    ActionTakenForm,
    AlertForm,
    CloseActionForm,
    FeedbackForm,
    PracticeActionForm,
    ReflectionForm,
    ResponseForm,
)
from caseaudit.audits.models import Audit, PracticeAction, ReflectionSheet, SafeguardingAlert
from caseaudit.audits.views.audit import AUDIT_PAGE
from caseaudit.core import clock, guards
from caseaudit.core.forms import form_data, with_versions


def _audit(request, pk: int, may) -> Audit:
    """The audit if the person may see it (404 and logged if not), then 403 unless ``may``."""
    audit = get_object_for_user(request, AUDIT_PAGE, pk)
    guards.check(may(request.user, audit))
    return audit


def _form_page(
    request, form, *, audit, title: str, button: str, intro: str = "", saved_now=None, status=200
):
    context = {"form": form, "audit": audit, "title": title, "button": button, "intro": intro}
    return render(
        request, "audits/followup/form.html", {**context, "saved_now": saved_now}, status=status
    )


# Safeguarding alerts --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@guards.requires(permissions.can_see_child_records)
def raise_alert(request, pk: int):
    audit = _audit(request, pk, permissions.can_raise_safeguarding_alert)
    form = AlertForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            alert = safeguarding.raise_alert(
                audit, concern=form.cleaned_data["concern"], by=request.user
            )
        except ValidationError as error:
            form.add_problems(error)
        else:
            told = ", ".join(u.display_name for u in alert.recipients.order_by("username"))
            messages.success(request, f"Safeguarding alert raised. {told} have been told.")
            return redirect("audits:audit", pk=audit.pk)
    return _form_page(
        request,
        form,
        audit=audit,
        title="Raise a safeguarding alert",
        button="Raise alert",
        intro="Use this when a child may be at risk now. If a child is in immediate danger, "
        "phone the police on 999 first.",
    )


ALERT_PAGE = SafeguardingAlert.objects.select_related(
    "audit__child", "audit__team", "raised_by", "closed_by"
)


@require_http_methods(["GET", "POST"])
@guards.requires(permissions.can_see_child_records)
def alert(request, pk: int):
    alert = get_object_for_user(request, ALERT_PAGE, pk)
    may_close = rules.CLOSE_ALERT(request.user, alert)
    form = ActionTakenForm(form_data(request))
    if request.method == "POST":
        guards.check(may_close)
        if form.is_valid():
            try:
                safeguarding.record_action_taken(
                    alert, action_taken=form.cleaned_data["action_taken"], by=request.user
                )
            except ValidationError as error:
                form.add_problems(error)
            else:
                messages.success(request, "The action taken is recorded and the alert is closed.")
                return redirect("audits:alert", pk=alert.pk)
    return render(
        request,
        "audits/followup/alert.html",
        {
            "alert": alert,
            "audit": alert.audit,
            "form": form,
            "may_close": may_close,
            "recipients": alert.recipients.order_by("username"),
            "may_open_audit": Audit.objects.visible_to(request.user)
            .filter(pk=alert.audit_id)
            .exists(),
        },
    )


@require_GET
@guards.requires(permissions.can_see_child_records)
def alerts(request):
    """Alerts you were told of, open ones first; QA sees the council's."""
    rows = SafeguardingAlert.objects.visible_to(request.user).select_related(
        "audit__child", "raised_by"
    )
    page = Paginator(rows.order_by("closed_at", "-raised_at"), 50).get_page(request.GET.get("page"))
    log_list_access(request, SafeguardingAlert, ids=[alert.pk for alert in page])
    return render(request, "audits/followup/alerts.html", {"page": page})


# Practice actions -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@guards.requires(permissions.can_see_child_records)
def add_action(request, pk: int):
    audit = _audit(request, pk, permissions.can_follow_up_audit)
    form = PracticeActionForm(form_data(request), owners=list(practice.possible_owners(audit)))
    if request.method == "POST" and form.is_valid():
        try:
            practice.add_action(
                audit,
                action=form.cleaned_data["action"],
                owner=form.chosen_owner,
                due_date=form.cleaned_data["due_date"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_problems(error)
        else:
            messages.success(request, "Practice action added.")
            return redirect("audits:audit", pk=audit.pk)
    return _form_page(
        request, form, audit=audit, title="Add a practice action", button="Add action"
    )


@require_GET
@guards.requires(permissions.can_see_child_records)
def practice_actions(request):
    """Your actions, and your staff's: open ones by due date, overdue marked."""
    rows = PracticeAction.objects.visible_to(request.user)
    if request.GET.get("show") != "all":
        rows = rows.open()
    rows = rows.select_related("audit__child", "owner").order_by("status", "due_date", "pk")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    log_list_access(request, PracticeAction, ids=[action.pk for action in page])
    return render(
        request,
        "audits/followup/practice_actions.html",
        {"page": page, "today": clock.today(), "show_all": request.GET.get("show") == "all"},
    )


@require_http_methods(["GET", "POST"])
@guards.requires(permissions.can_see_child_records)
def practice_action(request, pk: int):
    row = get_object_for_user(
        request,
        PracticeAction.objects.select_related("audit__child", "owner", "created_by"),
        pk,
    )
    may_update = rules.CLOSE_PRACTICE_ACTION(request.user, row)
    form = CloseActionForm(form_data(request))
    if request.method == "POST":
        guards.check(may_update)
        if form.is_valid():
            try:
                practice.close_action(
                    row,
                    done=form.cleaned_data["outcome"] == "done",
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_problems(error)
            else:
                messages.success(request, "The action is updated.")
                return redirect("audits:practice_actions")
    return render(
        request,
        "audits/followup/practice_action.html",
        {
            "row": row,
            "audit": row.audit,
            "form": form,
            "may_update": may_update,
            "overdue": row.status == "open" and row.due_date < clock.today(),
        },
    )


# Reflection and feedback ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@guards.requires(permissions.can_see_child_records)
def record_reflection(request, pk: int):
    audit = _audit(request, pk, permissions.can_follow_up_audit)
    if audit.status not in AuditStatus.completed():
        messages.info(request, "The reflection meeting follows the audit: submit the audit first.")
        return redirect("audits:audit", pk=audit.pk)
    sheet = ReflectionSheet.objects.filter(audit=audit).first()
    initial = {"lock_version": sheet.lock_version if sheet else 0}
    if sheet is not None:
        initial.update({name: getattr(sheet, name) for name in reflection.QUESTIONS})
        initial["met_on"] = sheet.met_on
    form = ReflectionForm(form_data(request), initial=initial)
    saved_now, status = None, 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            reflection.record_reflection(
                audit,
                met_on=data.pop("met_on"),
                lock_version=data.pop("lock_version"),
                by=request.user,
                **data,
            )
        except reflection.ChangedSinceOpened as error:
            # Nothing was saved: they keep what they typed and see what is saved now.
            sheet = ReflectionSheet.objects.filter(audit=audit).first()
            version = sheet.lock_version if sheet else 0
            form = with_versions(ReflectionForm, request.POST, {"lock_version": version})
            form.add_problems(error)
            saved_now, status = _reflection_as_saved(form, sheet) if sheet else None, 409
        except ValidationError as error:
            form.add_problems(error)
        else:
            messages.success(request, "The reflection is recorded.")
            return redirect("audits:audit", pk=audit.pk)
    return _form_page(
        request,
        form,
        audit=audit,
        title="Record the reflection meeting",
        button="Save reflection",
        intro="Record the social worker's answers to the four questions, in their words where "
        "you can. They can read this and add their own response.",
        saved_now=saved_now,
        status=status,
    )


def _reflection_as_saved(form, sheet: ReflectionSheet) -> dict:
    rows = [(form.fields["met_on"].label, f"{sheet.met_on:%-d %B %Y}")]
    rows += [(form.fields[name].label, getattr(sheet, name)) for name in reflection.QUESTIONS]
    return {"rows": rows}


@require_http_methods(["GET", "POST"])
@guards.requires(permissions.can_see_child_records)
def respond_to_reflection(request, pk: int):
    audit = _audit(request, pk, permissions.can_respond_to_reflection)
    sheet = ReflectionSheet.objects.filter(audit=audit).first()
    if sheet is None:
        messages.info(request, "The reflection meeting has not been written up yet.")
        return redirect("audits:audit", pk=audit.pk)
    form = ResponseForm(form_data(request), initial={"response": sheet.worker_response})
    if request.method == "POST" and form.is_valid():
        try:
            reflection.respond(sheet, response=form.cleaned_data["response"], by=request.user)
        except ValidationError as error:
            form.add_problems(error)
        else:
            messages.success(request, "Your response is saved.")
            return redirect("audits:audit", pk=audit.pk)
    return _form_page(
        request, form, audit=audit, title="Respond to the reflection", button="Save response"
    )


@require_http_methods(["GET", "POST"])
@guards.requires(permissions.can_see_child_records)
def add_feedback(request, pk: int):
    audit = _audit(request, pk, permissions.can_follow_up_audit)
    form = FeedbackForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            feedback.record_feedback(audit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_problems(error)
        else:
            messages.success(request, "Feedback recorded.")
            return redirect("audits:audit", pk=audit.pk)
    return _form_page(
        request,
        form,
        audit=audit,
        title="Record feedback",
        button="Save feedback",
        intro="Feedback from the family or a partner agency about the help the child had.",
    )
