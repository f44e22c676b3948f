"""The QA lead's programme pages: months, each a task list (draw, confirm, allocate, open:
``audits.progress``), drawing a sample and swapping a case out of it, previewing and making
the allocation, and reallocating an audit. Thin: parse, call an action, render. Every page
that lists children writes an access-log entry."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from caseaudit.accounts import permissions
from caseaudit.accounts.access import get_object_for_user, log_list_access
from caseaudit.audits import permissions as rules
from caseaudit.audits.actions import allocation, programme, sampling
from caseaudit.audits.choices import MonthStatus, SampleStatus
from caseaudit.audits.forms.programme import DrawForm, MonthForm, ReallocateForm, SwapForm
from caseaudit.audits.models import Audit, ProgrammeMonth, Sample, SampleCase
from caseaudit.audits.transitions import MONTH
from caseaudit.cases.cohorts import COHORTS
from caseaudit.cases.models import Child
from caseaudit.core import clock, guards
from caseaudit.core.forms import form_data

# The status buttons: the action each one calls, and the status it leads to.
MONTH_MOVES = {
    "open": (programme.open_month, MonthStatus.OPEN),
    "pause": (programme.pause_month, MonthStatus.PAUSED),
    "close": (programme.close_month, MonthStatus.CLOSED),
}


def _moves_for(month: ProgrammeMonth) -> list[tuple[str, str]]:
    """The (move, button label) pairs offered beside the task list. Opening a planned month
    is the task list's last task, so it is not among them; resuming a paused month is, once
    it has the confirmed sample opening needs."""
    labels = {"open": "Resume the month", "pause": "Pause the month", "close": "Close the month"}
    moves = []
    for move, (_, to) in MONTH_MOVES.items():
        if not MONTH.may(month.status, to):
            continue
        if move == "open" and (month.status == MonthStatus.PLANNED or not month.progress.confirmed):
            continue
        moves.append((move, labels[move]))
    return moves


def _month(request, pk: int) -> ProgrammeMonth:
    return get_object_or_404(
        ProgrammeMonth.objects.with_progress().select_related(
            "tool_version__tool", "saved_cohort", "council"
        ),
        pk=pk,
        council_id=request.user.council_id,
    )


def _sample(request, pk: int) -> Sample:
    return get_object_or_404(
        Sample.objects.select_related("month"), pk=pk, month__council_id=request.user.council_id
    )


def _focus_of(sample: Sample) -> str:
    if sample.saved_cohort_id:
        return sample.saved_cohort.name
    cohort = COHORTS.get(sample.cohort_key)
    return cohort.title if cohort else ""


@guards.requires(permissions.can_run_programme)
def overview(request):
    months = list(programme.months_with_counts(request.user.council))
    return render(request, "audits/programme/overview.html", {"months": months})


@guards.requires(permissions.can_run_programme)
def month_create(request):
    council = request.user.council
    suggested = programme.next_month_to_add(council, clock.today())
    form = MonthForm(form_data(request), council=council, month=suggested)
    if request.method == "POST" and form.is_valid():
        try:
            month = programme.create_month(council, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{month} has been added to the programme.")
            return redirect("audits:programme_month", pk=month.pk)
    return render(request, "audits/programme/month_create.html", {"form": form})


@guards.requires(permissions.can_run_programme)
def month_detail(request, pk: int):
    month = _month(request, pk)
    progress = month.progress
    sample = None
    if progress.drawn:
        samples = month.samples.select_related("drawn_by", "confirmed_by", "saved_cohort")
        sample = samples.filter(status=SampleStatus.CONFIRMED).first() or samples.first()
    cases, swaps = [], []
    if sample is not None:
        cases = list(
            sample.cases.select_related("child", "team", "worker", "audit__auditor").order_by(
                "team__name", "child__la_child_id"
            )
        )
        swaps = list(sample.swaps.select_related("child", "team", "replacement", "swapped_by"))
        log_list_access(
            request,
            Child,
            ids=[case.child_id for case in cases] + [swap.child_id for swap in swaps],
        )
        for case in cases:
            audit = getattr(case, "audit", None)
            case.may_reallocate = audit is not None and rules.REALLOCATE_AUDIT(request.user, audit)
    next_task = progress.next_task
    # Each task's name links to where it is done, while there is something to do there.
    links = {}
    if month.status in programme.TAKES_SAMPLES and not progress.confirmed:
        links["draw"] = reverse("audits:programme_draw", args=[month.pk])
    if sample is not None:
        links["confirm"] = "#sample"
    if next_task is not None and next_task.key == "allocate":
        links["allocate"] = reverse("audits:programme_allocation_preview", args=[sample.pk])
    context = {
        "month": month,
        "progress": progress,
        "tasks": [(task, links.get(task.key, "")) for task in progress.tasks],
        "next_task": next_task,
        "focus": month.focus_title,
        "sample": sample,
        "sample_focus": _focus_of(sample) if sample else "",
        "cases": cases,
        "swaps": swaps,
        "allocated": progress.allocated,
        "may_swap": sample is not None and not sampling.why_sample_is_fixed(month),
        "moves": _moves_for(month),
        "takes_samples": month.status in programme.TAKES_SAMPLES,
    }
    return render(request, "audits/programme/month.html", context)


@require_POST
@guards.requires(permissions.can_run_programme)
def month_move(request, pk: int, move: str):
    month = _month(request, pk)
    if move not in MONTH_MOVES:
        raise Http404("No such change to a month.")
    action = MONTH_MOVES[move][0]
    try:
        month = action(month, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{month} is now {month.get_status_display().lower()}.")
    return redirect("audits:programme_month", pk=month.pk)


@guards.requires(permissions.can_run_programme)
def sample_draw(request, pk: int):
    """The draw's own page: its form, and drawing (or drawing again) when posted."""
    month = _month(request, pk)
    sample = None
    if month.progress.drawn:
        sample = month.samples.filter(status=SampleStatus.DRAFT).first()
    initial = {"cohort_key": month.cohort_key, "saved_cohort": month.saved_cohort_id}
    if sample is not None:
        initial = {
            "cohort_key": sample.cohort_key,
            "saved_cohort": sample.saved_cohort_id,
            "per_team": sample.per_team,
            "exclude_audited_months": sample.exclude_audited_months,
        }
    form = DrawForm(form_data(request), initial=initial, council=month.council)
    if request.method == "POST" and form.is_valid():
        try:
            sample = sampling.draw_sample(month, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            count = sample.cases.count()
            messages.success(
                request,
                f"{count} case{'s' if count != 1 else ''} drawn with seed {sample.seed}. "
                "Check them, then confirm the sample or draw again.",
            )
            return redirect("audits:programme_month", pk=month.pk)
    context = {
        "month": month,
        "form": form,
        "redrawing": month.progress.drawn,
        "takes_samples": month.status in programme.TAKES_SAMPLES and not month.progress.confirmed,
    }
    return render(request, "audits/programme/draw.html", context)


@require_POST
@guards.requires(permissions.can_run_programme)
def sample_confirm(request, pk: int):
    sample = _sample(request, pk)
    try:
        sampling.confirm_sample(sample, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The sample is confirmed. Preview the allocation next.")
    return redirect("audits:programme_month", pk=sample.month_id)


@guards.requires(permissions.can_run_programme)
def case_swap(request, pk: int):
    """Swap one case out of the sample, with a reason: the replacement is drawn by the
    sample's own rule (``sampling.swap_case``)."""
    case = get_object_or_404(
        SampleCase.objects.select_related("sample__month", "child", "team", "worker"),
        pk=pk,
        sample__month__council_id=request.user.council_id,
    )
    month = case.sample.month
    log_list_access(request, Child, ids=[case.child_id])
    form = SwapForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            replacement = sampling.swap_case(case, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Child {case.child.la_child_id} has been swapped out of the sample. "
                f"Child {replacement.child.la_child_id} was drawn in their place.",
            )
            return redirect("audits:programme_month", pk=month.pk)
    context = {
        "case": case,
        "month": month,
        "form": form,
        "refusal": sampling.why_sample_is_fixed(month),
    }
    return render(request, "audits/programme/swap.html", context)


@guards.requires(permissions.can_run_programme)
def allocation_preview(request, pk: int):
    """Who would audit which case, worked out by the allocation itself and not saved."""
    sample = _sample(request, pk)
    try:
        plan = allocation.plan_allocation(sample)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("audits:programme_month", pk=sample.month_id)
    log_list_access(request, Child, ids=[case.child_id for case in plan.cases])
    rows = [(case, auditor, plan.conflicts(case)) for case, auditor in plan.rows()]
    context = {
        "month": plan.month,
        "sample": sample,
        "plan": plan,
        "rows": rows,
        "counts": plan.counts(),
    }
    return render(request, "audits/programme/allocation_preview.html", context)


@require_POST
@guards.requires(permissions.can_run_programme)
def sample_allocate(request, pk: int):
    sample = _sample(request, pk)
    previewed = request.POST.get("previewed") or None
    try:
        audits = allocation.allocate_sample(sample, previewed=previewed, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if previewed is not None:
            return redirect("audits:programme_allocation_preview", pk=sample.pk)
    else:
        people = len({audit.auditor_id for audit in audits})
        messages.success(
            request,
            f"{len(audits)} audit{'s' if len(audits) != 1 else ''} allocated to {people} "
            f"team manager{'s' if people != 1 else ''}. Open the month next.",
        )
    return redirect("audits:programme_month", pk=sample.month_id)


@guards.requires(permissions.can_run_programme)
def reallocate(request, pk: int):
    audit = get_object_for_user(
        request,
        Audit.objects.select_related("child", "team", "worker", "auditor", "month"),
        pk,
    )
    choices = allocation.auditors_for(audit)
    form = ReallocateForm(form_data(request), choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            allocation.reallocate(audit, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"The audit of child {audit.child.la_child_id} is now allocated to "
                f"{form.cleaned_data['to_user'].display_name}.",
            )
            if audit.month_id:
                return redirect("audits:programme_month", pk=audit.month_id)
            return redirect("audits:programme")
    context = {
        "audit": audit,
        "form": form,
        "may_reallocate": rules.REALLOCATE_AUDIT(request.user, audit),
        "anyone_else": choices.exists(),
    }
    return render(request, "audits/programme/reallocate.html", context)
