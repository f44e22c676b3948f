"""Thematic audit pages: parse, call an action, render. Who may open each page is said above
it; what may be done to a record now is asked of ``thematic.permissions``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from caseaudit.accounts import permissions
from caseaudit.accounts.access import get_object_for_user, log_list_access
from caseaudit.cases.models import Child
from caseaudit.core import clock, guards
from caseaudit.core.forms import add_action_errors, form_data
from caseaudit.thematic import actions, export, lists, owners
from caseaudit.thematic import permissions as rules
from caseaudit.thematic.choices import ActionStatus, FindingStatus, SampleStatus
from caseaudit.thematic.forms import (
    ActionForm,
    ActionUpdateForm,
    AllocateForm,
    AssignFindingForm,
    ConsultationForm,
    DismissForm,
    FindingForm,
    RecommendationForm,
    SampleForm,
    ThematicAuditForm,
    ThemeForm,
)
from caseaudit.thematic.models import Finding, PlanAction, SampledChild, ThematicAudit
from caseaudit.thematic.querysets import (
    PROGRAMME_RULE,
    TeamProgress,
    days_remaining,
    overdue_q,
    programme_recurrences,
    rating_distribution,
    recurrences,
    team_progress,
)
from caseaudit.thematic.querysets import forward_plan as plan_of

lead_only = guards.requires(permissions.can_lead_thematic_audits)


def _thematic(request, pk: int) -> ThematicAudit:
    """The thematic audit, if the person may see it (404, logged, if not)."""
    return get_object_for_user(
        request, ThematicAudit.objects.select_related("lead", "cohort", "tool_version__tool"), pk
    )


def _form_page(request, thematic_audit, form, *, title: str):
    return render(
        request,
        "thematic/form.html",
        {"thematic_audit": thematic_audit, "form": form, "title": title},
    )


def _run(request, form, action, *, success: str, to):
    """Call ``action`` with the form's data; its errors go on the form."""
    try:
        action()
    except ValidationError as error:
        add_action_errors(form, error)
        return None
    messages.success(request, success)
    return redirect(to)


@lead_only
def index(request):
    audits = ThematicAudit.objects.visible_to(request.user).select_related("lead")
    return render(request, "thematic/index.html", {"audits": audits})


@lead_only
def forward_plan(request):
    return render(request, "thematic/forward_plan.html", plan_of(request.user))


@lead_only
def create(request):
    council = request.user.council
    form = ThematicAuditForm(form_data(request), council=council, initial={"lead": request.user})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        auditors = data.pop("auditors")
        try:
            created = actions.create_thematic_audit(
                council, auditors=auditors, by=request.user, **data
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"'{created.title}' has been planned.")
            return redirect(created)
    return _form_page(request, None, form, title="Plan a thematic audit")


@lead_only
def edit(request, pk: int):
    thematic_audit = _thematic(request, pk)
    guards.check(rules.EDIT.who(request.user, thematic_audit), rules.ONLY_THE_LEAD)
    initial = {name: getattr(thematic_audit, name) for name in actions.DETAIL_FIELDS}
    initial["auditors"] = list(thematic_audit.auditors.all())
    form = ThematicAuditForm(form_data(request), council=thematic_audit.council, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        auditors = data.pop("auditors")
        done = _run(
            request,
            form,
            lambda: actions.edit_thematic_audit(
                thematic_audit, auditors=auditors, by=request.user, **data
            ),
            success="The thematic audit has been changed.",
            to=thematic_audit,
        )
        if done:
            return done
    return _form_page(request, thematic_audit, form, title="Change the thematic audit")


@lead_only
def detail(request, pk: int):
    thematic_audit = _thematic(request, pk)
    user = request.user
    sample = thematic_audit.samples.order_by("status").first()  # confirmed before draft
    sampled = []
    if sample is not None:
        visible = Child.objects.visible_to(user).values("pk")
        sampled = list(
            sample.children.filter(child__in=visible).select_related(
                "team", "worker", "audit__auditor"
            )
        )
        log_list_access(request, Child, ids=[row.child_id for row in sampled])
    findings = thematic_audit.findings.select_related("owner").prefetch_related(
        Prefetch("evidence", to_attr="evidence_audits"), "actions"
    )
    evidence_ids = {a.pk for f in findings for a in f.evidence_audits}
    labels = dict(
        SampledChild.objects.filter(audit_id__in=evidence_ids).values_list(
            "audit_id", "la_child_id"
        )
    )
    findings = list(findings)
    recurring = recurrences(thematic_audit, findings, user)
    in_programme = programme_recurrences(thematic_audit, findings)
    for finding in findings:
        finding.recurs_in = recurring.get(finding.pk, [])
        finding.seen_in_months = in_programme.get(finding.pk, [])
        finding.evidence_labels = [labels.get(a.pk, "") for a in finding.evidence_audits]
        finding.may_confirm = rules.move_finding(FindingStatus.CONFIRMED)(user, finding)
        finding.may_dismiss = rules.move_finding(FindingStatus.DISMISSED)(user, finding)
        finding.may_assign = rules.move_finding(FindingStatus.ASSIGNED)(user, finding)
        finding.may_theme = (
            rules.may_manage(user, thematic_audit) and finding.status != FindingStatus.DISMISSED
        )
        answered = finding.actions.all()
        finding.actions_done = sum(1 for a in answered if a.status == ActionStatus.DONE)
        finding.actions_total = len(answered)
        finding.may_close = rules.move_finding(FindingStatus.CLOSED)(user, finding)
    plan = list(thematic_audit.actions.select_related("owner", "finding"))
    progress = team_progress(thematic_audit)
    remaining = days_remaining(thematic_audit)
    next_status = rules.NEXT_STATUS.get(thematic_audit.status)
    return render(
        request,
        "thematic/detail.html",
        {
            "thematic_audit": thematic_audit,
            "carried_out_for": owners.owners_of(thematic_audit, user),
            "sample": sample,
            "sampled": sampled,
            "sample_confirmed": sample is not None and sample.status == SampleStatus.CONFIRMED,
            "unallocated": sum(1 for row in sampled if row.audit_id is None),
            "ratings": rating_distribution(thematic_audit),
            "progress": progress,
            "progress_total": TeamProgress(
                "All teams",
                sum(p.sampled for p in progress),
                sum(p.allocated for p in progress),
                sum(p.completed for p in progress),
            ),
            "days_remaining": remaining,
            "days_past": -remaining,
            "consultations": thematic_audit.consultations.all(),
            "findings": findings,
            "recommendations": thematic_audit.recommendations.all(),
            "plan": plan,
            "today": clock.today(),
            "may_open_months": permissions.can_run_programme(user),
            "programme_rule": PROGRAMME_RULE,
            "may_edit": rules.EDIT(user, thematic_audit),
            "may_draw": rules.DRAW_SAMPLE(user, thematic_audit),
            "next_status": _offered(next_status, user, thematic_audit),
        },
    )


def _offered(next_status, user, thematic_audit):
    """The status the page offers to move to, if the person may move it there now."""
    if next_status is None:
        return None
    status, rule = next_status
    return status if rule(user, thematic_audit) else None


@lead_only
def draw(request, pk: int):
    thematic_audit = _thematic(request, pk)
    guards.check(rules.DRAW_SAMPLE.who(request.user, thematic_audit), rules.ONLY_THE_LEAD)
    form = SampleForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: actions.draw_sample(thematic_audit, **form.cleaned_data, by=request.user),
            success="The sample has been drawn. Check it, then confirm it.",
            to=thematic_audit,
        )
        if done:
            return done
    return _form_page(request, thematic_audit, form, title="Draw the sample")


@lead_only
@require_POST
def confirm(request, pk: int):
    thematic_audit = _thematic(request, pk)
    posted = request.POST.get("sample", "")
    sample = get_object_or_404(
        thematic_audit.samples,
        status=SampleStatus.DRAFT,
        pk=int(posted) if posted.isascii() and posted.isdigit() else 0,
    )
    try:
        actions.confirm_sample(sample, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The sample is confirmed and will not change.")
    return redirect(thematic_audit)


@lead_only
def allocate(request, pk: int):
    thematic_audit = _thematic(request, pk)
    guards.check(rules.EDIT.who(request.user, thematic_audit), rules.ONLY_THE_LEAD)
    form = AllocateForm(form_data(request), initial={"due_date": thematic_audit.audits_due})
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: actions.allocate_audits(
                thematic_audit, due_date=form.cleaned_data["due_date"], by=request.user
            ),
            success="The audits have been allocated.",
            to=thematic_audit,
        )
        if done:
            return done
    return _form_page(request, thematic_audit, form, title="Allocate the audits")


@lead_only
@require_POST
def move_on(request, pk: int):
    thematic_audit = _thematic(request, pk)
    try:
        moved = actions.move_on(thematic_audit, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"'{moved.title}' is now {moved.get_status_display().lower()}.")
    return redirect(thematic_audit)


def _add(request, pk: int, form_class, action, *, title: str, success: str, **form_kwargs):
    thematic_audit = _thematic(request, pk)
    guards.check(rules.RECORD.who(request.user, thematic_audit), rules.ONLY_THE_LEAD)
    extra = {key: make(thematic_audit) for key, make in form_kwargs.items()}
    form = form_class(form_data(request), **extra)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: action(thematic_audit, **form.cleaned_data, by=request.user),
            success=success,
            to=thematic_audit,
        )
        if done:
            return done
    return _form_page(request, thematic_audit, form, title=title)


@lead_only
def add_consultation(request, pk: int):
    return _add(
        request,
        pk,
        ConsultationForm,
        actions.add_consultation,
        title="Add a consultation",
        success="The consultation has been added.",
    )


@lead_only
def add_finding(request, pk: int):
    return _add(
        request,
        pk,
        FindingForm,
        actions.add_finding,
        title="Add a finding",
        success="The finding has been added.",
        audits=lambda t: actions.audits_of(t).select_related("thematic_case"),
    )


@lead_only
def add_recommendation(request, pk: int):
    return _add(
        request,
        pk,
        RecommendationForm,
        actions.add_recommendation,
        title="Add a recommendation",
        success="The recommendation has been added.",
    )


@lead_only
def add_action(request, pk: int):
    return _add(
        request,
        pk,
        ActionForm,
        actions.add_action,
        title="Add an action to the plan",
        success="The action has been added to the plan.",
        thematic_audit=lambda t: t,
    )


def _finding(request, pk: int, finding_pk: int) -> Finding:
    thematic_audit = _thematic(request, pk)
    findings = thematic_audit.findings.select_related("thematic_audit")
    return get_object_or_404(findings, pk=finding_pk)


@lead_only
@require_POST
def move_finding(request, pk: int, finding_pk: int):
    finding = _finding(request, pk, finding_pk)
    try:
        actions.move_finding(finding, request.POST.get("to", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The finding has been updated.")
    return redirect(finding.thematic_audit)


@lead_only
def dismiss_finding(request, pk: int, finding_pk: int):
    finding = _finding(request, pk, finding_pk)
    guards.check(rules.may_manage(request.user, finding.thematic_audit), rules.ONLY_THE_LEAD)
    form = DismissForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: actions.move_finding(
                finding,
                FindingStatus.DISMISSED,
                reason=form.cleaned_data["reason"],
                by=request.user,
            ),
            success="The finding has been dismissed.",
            to=finding.thematic_audit,
        )
        if done:
            return done
    return _form_page(request, finding.thematic_audit, form, title=f"Dismiss: {finding.summary}")


@lead_only
def finding_theme(request, pk: int, finding_pk: int):
    finding = _finding(request, pk, finding_pk)
    thematic_audit = finding.thematic_audit
    guards.check(rules.may_manage(request.user, thematic_audit), rules.ONLY_THE_LEAD)
    form = ThemeForm(form_data(request), initial={"theme": finding.theme})
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: actions.set_finding_theme(finding, **form.cleaned_data, by=request.user),
            success="The finding's theme has been saved.",
            to=thematic_audit,
        )
        if done:
            return done
    return _form_page(request, thematic_audit, form, title=f"Theme: {finding.summary}")


@lead_only
def assign_finding(request, pk: int, finding_pk: int):
    finding = _finding(request, pk, finding_pk)
    thematic_audit = finding.thematic_audit
    guards.check(rules.may_manage(request.user, thematic_audit), rules.ONLY_THE_LEAD)
    form = AssignFindingForm(
        form_data(request),
        thematic_audit=thematic_audit,
        initial={"severity": finding.severity, "owner": finding.owner_id},
    )
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: actions.assign_finding(finding, **form.cleaned_data, by=request.user),
            success="The finding has been assigned.",
            to=thematic_audit,
        )
        if done:
            return done
    return _form_page(request, thematic_audit, form, title=f"Assign: {finding.summary}")


EXPORTS = {
    "csv": (export.as_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        export.as_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


@lead_only
def export_plan(request, pk: int, fmt: str):
    """The action plan as a download, for whoever may see the thematic audit (its lead, the
    QA lead). It names no child (``thematic.export``)."""
    thematic_audit = _thematic(request, pk)
    if fmt not in EXPORTS:
        raise Http404
    render_plan, content_type = EXPORTS[fmt]
    response = HttpResponse(render_plan(thematic_audit), content_type=content_type)
    name = slugify(thematic_audit.title) or "thematic-audit"
    response["Content-Disposition"] = f'attachment; filename="{name}-action-plan.{fmt}"'
    return response


@guards.requires(permissions.can_own_thematic_actions)
def your_actions(request):
    """The actions a person owns, whatever thematic audit they come from: a team manager sees
    these and nothing else of the audit."""
    owned = (
        PlanAction.objects.visible_to(request.user)
        .filter(owner=request.user)
        .select_related("thematic_audit")
    )
    shown = lists.YOUR_THEMATIC_ACTIONS.show(request, owned)
    on_page = [action.pk for action in shown.page]
    overdue = set(owned.filter(overdue_q(), pk__in=on_page).values_list("pk", flat=True))
    return render(request, "thematic/your_actions.html", {"shown": shown, "overdue": overdue})


@guards.requires(permissions.can_own_thematic_actions)
def update_action(request, action_pk: int):
    plan_action = get_object_for_user(
        request, PlanAction.objects.select_related("thematic_audit"), action_pk
    )
    guards.check(rules.UPDATE_ACTION.who(request.user, plan_action), rules.ONLY_OWNER)
    form = ActionUpdateForm(form_data(request), initial={"evidence": plan_action.evidence})
    if request.method == "POST" and form.is_valid():
        to = (
            plan_action.thematic_audit
            if rules.may_manage(request.user, plan_action.thematic_audit)
            else "thematic:your_actions"
        )
        done = _run(
            request,
            form,
            lambda: actions.update_action(plan_action, **form.cleaned_data, by=request.user),
            success="The action has been updated.",
            to=to,
        )
        if done:
            return done
    return render(
        request,
        "thematic/form.html",
        {"form": form, "title": f"Update the action: {plan_action}", "plan_action": plan_action},
    )
