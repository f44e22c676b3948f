"""Compliance (for those who oversee practice) and moderation (the QA lead). Thin views: parse,
call ``compliance`` or ``actions.moderation``, render. Every page costs a fixed number of
queries, however many audits there are; pages that name children are access-logged."""

from collections import defaultdict
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from caseaudit.accounts import permissions
from caseaudit.accounts.access import get_object_for_user, log_list_access
from caseaudit.accounts.choices import AccessAction
from caseaudit.audits import charts, lists
from caseaudit.audits.actions import moderation as moderating
from caseaudit.audits.choices import Rag, YesNoPartly
from caseaudit.audits.compliance import (
    compliance_report,
    default_period,
    reporting_month,
    reporting_months,
)
from caseaudit.audits.compliance_text import as_csv
from caseaudit.audits.forms.moderation import (
    ChooseAuditForm,
    ModerationForm,
    PeriodForm,
    SelectSampleForm,
)
from caseaudit.audits.models import Answer, Audit
from caseaudit.core import clock, guards
from caseaudit.core.forms import form_data
from caseaudit.core.grades import Grade
from caseaudit.core.months import month_key
from caseaudit.tools.choices import QuestionKind

AUDIT_RELATIONS = ("child", "team", "auditor", "month", "tool_version__tool")
CHOICE_LABELS = {
    QuestionKind.GRADE: dict(Grade.choices),
    QuestionKind.YES_NO_PARTLY: dict(YesNoPartly.choices),
    QuestionKind.RAG: dict(Rag.choices),
}


# Compliance ------------------------------------------------------------------------------------


def _compliance(request):
    """The period form and the report for it, as the person may see it."""
    council, user = request.user.council, request.user
    today = clock.today()
    months = reporting_months(council, user=user)
    form = PeriodForm(request.GET or None, months=months, default=default_period(today))
    from_month, to_month = form.period()
    report = compliance_report(
        council, from_month=from_month, to_month=to_month, user=user, today=today
    )
    return form, report


@guards.requires(permissions.can_see_compliance)
def compliance(request):
    form, report = _compliance(request)
    by_month = report.table("by_month")
    return render(
        request,
        "audits/compliance/compliance.html",
        {
            "form": form,
            "report": report,
            "kinds": ("audits", "reaudits"),
            "can_moderate": permissions.can_moderate(request.user),
            "chart_src": charts.trend_src(by_month),
            "chart_alt": charts.alt_text(by_month),
            "csv_query": urlencode(
                {"from": month_key(report.from_month) or "", "to": month_key(report.to_month) or ""}
            ),
        },
    )


@guards.requires(permissions.can_see_compliance)
def compliance_csv(request):
    """The page's tables as CSV, for the same period (they name no child)."""
    _form, report = _compliance(request)
    response = HttpResponse(as_csv(report), content_type="text/csv; charset=utf-8")
    period = "-".join(
        key for key in (month_key(report.from_month), month_key(report.to_month)) if key
    )
    name = f"compliance-{period}" if period else "compliance"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


# Moderation ------------------------------------------------------------------------------------


def _waiting(request):
    """Submitted audits the QA lead may see, not yet selected for moderation."""
    return moderating.awaiting_selection(request.user.council) & Audit.objects.visible_to(
        request.user
    )


@guards.requires(permissions.can_moderate)
def moderation(request):
    """Audits selected and waiting, those not selected, and the random-selection form."""
    council = request.user.council
    waiting = _waiting(request)
    months = list(
        waiting.order_by()
        .annotate(reporting_month=reporting_month())
        .values_list("reporting_month", flat=True)
        .distinct()
        .order_by("reporting_month")
    )
    form = SelectSampleForm(form_data(request), months=months)
    if request.method == "POST" and form.is_valid():
        try:
            selection = moderating.select_for_moderation(
                council,
                month=form.cleaned_data["month"],
                seed=form.cleaned_data["seed"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            count = len(selection.moderations)
            messages.success(
                request,
                f"{count} audit{'s' if count != 1 else ''} selected for moderation "
                f"(seed {selection.seed}).",
            )
            return redirect("audits:moderation")
    shown = lists.MODERATION_QUEUE.show(
        request,
        _queue(request).select_related(*AUDIT_RELATIONS, "moderation"),
        csv_href=reverse("audits:moderation_csv"),
    )
    log_list_access(request, Audit, ids=[audit.pk for audit in shown.page])
    return render(
        request,
        "audits/compliance/moderation.html",
        {
            "form": form,
            "shown": shown,
            "waiting_count": next(tab.count for tab in shown.tabs if tab.key == "waiting"),
            "share": f"{float(moderating.DEFAULT_SHARE):.0%}",
        },
    )


def _queue(request):
    return lists.in_the_queue(
        Audit.objects.visible_to(request.user).filter(council=request.user.council)
    )


@guards.requires(permissions.can_moderate)
def moderation_csv(request):
    """The moderation queue as CSV: the same tab, filters and order as the page, every row."""
    audits = list(
        lists.MODERATION_QUEUE.rows(
            request, _queue(request).select_related(*lists.AUDIT_CSV_RELATIONS, "moderation")
        )
    )
    log_list_access(
        request, Audit, ids=[audit.pk for audit in audits], action=AccessAction.EXPORTED
    )
    return lists.MODERATION_QUEUE.csv_response(audits, "moderation")


@require_POST
@guards.requires(permissions.can_moderate)
def moderation_choose(request):
    """Select one audit by name, then go straight to moderating it."""
    form = ChooseAuditForm(request.POST)
    if not form.is_valid():
        raise Http404("No such audit.")
    audit = get_object_for_user(
        request, Audit.objects.select_related("child"), form.cleaned_data["audit"]
    )
    try:
        moderating.select_for_moderation(request.user.council, audits=[audit], by=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("audits:moderation")
    return redirect("audits:moderation_audit", pk=audit.pk)


@guards.requires(permissions.can_moderate)
def moderation_audit(request, pk: int):
    """One audit: the auditor's grades and comments beside the moderated grades and reasons."""
    audit = get_object_for_user(
        request,
        Audit.objects.select_related(*AUDIT_RELATIONS, "moderation", "moderation__moderator"),
        pk,
    )
    record = getattr(audit, "moderation", None)
    if record is None:
        raise Http404("This audit has not been selected for moderation.")
    domains = list(moderating.graded_domains(audit))
    theirs = moderating.auditor_domain_grades(audit)
    comments = _comments(audit)
    done = record.completed_at is not None
    form = ModerationForm(
        request.POST if request.method == "POST" and not done else None,
        domains=domains,
        has_overall_grade=audit.tool_version.tool.has_overall_grade,
    )
    if request.method == "POST" and not done and form.is_valid():
        try:
            moderating.record_moderation(record, **form.action_arguments(), by=request.user)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, f"Your moderation of the audit of {audit.child} is saved.")
            return redirect("audits:moderation")
    moderated = {d.domain_id: d for d in record.domains.all()} if done else {}
    rows = [
        {
            "domain": domain,
            "auditor_grade": Grade(theirs[domain.pk]).label if domain.pk in theirs else "",
            "comments": comments.get(domain.pk, []),
            "grade": grade,
            "reason": reason,
            "moderated": moderated.get(domain.pk),
        }
        for domain, grade, reason in form.domain_rows()
    ]
    return render(
        request,
        "audits/compliance/moderate.html",
        {"audit": audit, "record": record, "done": done, "form": form, "rows": rows},
    )


def _comments(audit: Audit) -> dict[int, list[tuple[str, str]]]:
    """The auditor's other answers for each domain, as (question, answer) pairs."""
    answers = (
        Answer.objects.filter(audit=audit)
        .exclude(question__kind=QuestionKind.GRADE)
        .select_related("question")
        .order_by("question__position")
    )
    by_domain = defaultdict(list)
    for answer in answers:
        labels = CHOICE_LABELS.get(answer.question.kind, {})
        shown = " ".join(
            part for part in (labels.get(answer.value, answer.value), answer.text) if part
        )
        if shown:
            by_domain[answer.question.domain_id].append((answer.question.text, shown))
    return by_domain


@guards.requires(permissions.can_moderate)
def agreement(request):
    """How often moderation agreed with the auditor's overall grade."""
    council, user = request.user.council, request.user
    tables = [
        moderating.agreement_rates(council, group_by=group_by, user=user)
        for group_by in ("auditor", "team", "month")
    ]
    return render(request, "audits/compliance/agreement.html", {"tables": tables})
