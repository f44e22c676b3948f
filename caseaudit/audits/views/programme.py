"""The QA lead's programme pages: months, drawing and confirming a sample, allocating it, and
reallocating an audit. Thin: parse, call an action, render. Every page that lists children
writes an access-log entry."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from caseaudit.accounts import permissions
from caseaudit.accounts.access import get_object_for_user, log_list_access
from caseaudit.audits import permissions as rules
from caseaudit.audits.actions import allocation, programme, sampling
from caseaudit.audits.choices import MonthStatus, SampleStatus
from caseaudit.audits.forms.programme import DrawForm, MonthForm, ReallocateForm
from caseaudit.audits.models import Audit, ProgrammeMonth, Sample
from caseaudit.audits.transitions import MONTH
from caseaudit.cases.cohorts import COHORTS
from caseaudit.cases.models import Child
from caseaudit.core import guards
from caseaudit.core.forms import form_data

# The status buttons: the action each one calls, and the status it leads to.
MONTH_MOVES = {
    "open": (programme.open_month, MonthStatus.OPEN),
    "pause": (programme.pause_month, MonthStatus.PAUSED),
    "close": (programme.close_month, MonthStatus.CLOSED),
}


def _moves_for(month: ProgrammeMonth) -> list[tuple[str, str]]:
    """The (move, button label) pairs offered for the month in its current status."""
    labels = {"open": "Open the month", "pause": "Pause the month", "close": "Close the month"}
    if month.status == MonthStatus.PAUSED:
        labels["open"] = "Resume the month"
    return [
        (move, labels[move]) for move, (_, to) in MONTH_MOVES.items() if MONTH.may(month.status, to)
    ]


def _month(request, pk: int) -> ProgrammeMonth:
    return get_object_or_404(
        ProgrammeMonth.objects.select_related("tool_version__tool", "saved_cohort", "council"),
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
    form = MonthForm(form_data(request), council=council)
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
    return _month_page(request, _month(request, pk))


def _month_page(request, month: ProgrammeMonth, form: DrawForm | None = None):
    samples = {
        s.status: s
        for s in month.samples.select_related("drawn_by", "confirmed_by", "saved_cohort").filter(
            status__in=[SampleStatus.DRAFT, SampleStatus.CONFIRMED]
        )
    }
    sample = samples.get(SampleStatus.CONFIRMED) or samples.get(SampleStatus.DRAFT)
    cases = []
    if sample is not None:
        cases = list(
            sample.cases.select_related("child", "team", "worker", "audit__auditor").order_by(
                "team__name", "child__la_child_id"
            )
        )
        log_list_access(request, Child, ids=[case.child_id for case in cases])
        for case in cases:
            audit = getattr(case, "audit", None)
            case.may_reallocate = audit is not None and rules.REALLOCATE_AUDIT(request.user, audit)
    allocated = any(getattr(case, "audit", None) for case in cases)
    if form is None:
        initial = {"cohort_key": month.cohort_key, "saved_cohort": month.saved_cohort_id}
        if sample is not None:
            initial = {
                "cohort_key": sample.cohort_key,
                "saved_cohort": sample.saved_cohort_id,
                "per_team": sample.per_team,
                "exclude_audited_months": sample.exclude_audited_months,
            }
        form = DrawForm(initial=initial, council=month.council)
    context = {
        "month": month,
        "focus": month.focus_title,
        "sample": sample,
        "sample_focus": _focus_of(sample) if sample else "",
        "cases": cases,
        "allocated": allocated,
        "form": form,
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


@require_POST
@guards.requires(permissions.can_run_programme)
def sample_draw(request, pk: int):
    month = _month(request, pk)
    form = DrawForm(request.POST, council=month.council)
    if form.is_valid():
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
    return _month_page(request, month, form)


@require_POST
@guards.requires(permissions.can_run_programme)
def sample_confirm(request, pk: int):
    sample = _sample(request, pk)
    try:
        sampling.confirm_sample(sample, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The sample is confirmed. It can now be allocated.")
    return redirect("audits:programme_month", pk=sample.month_id)


@require_POST
@guards.requires(permissions.can_run_programme)
def sample_allocate(request, pk: int):
    sample = _sample(request, pk)
    try:
        audits = allocation.allocate_sample(sample, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        people = len({audit.auditor_id for audit in audits})
        messages.success(
            request,
            f"{len(audits)} audit{'s' if len(audits) != 1 else ''} allocated to {people} "
            f"team manager{'s' if people != 1 else ''}.",
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
