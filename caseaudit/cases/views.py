import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from caseaudit.accounts import permissions
from caseaudit.accounts.access import get_object_for_user, log_list_access, record_access
from caseaudit.accounts.choices import AccessAction
from caseaudit.cases import cohorts as cohort_rules
from caseaudit.cases import lists, progress
from caseaudit.cases.actions import (
    mark_stopped_runs,
    request_import,
    save_cohort,
    start_council_with_return,
)
from caseaudit.cases.annex_a import LISTS_BY_KEY
from caseaudit.cases.forms import (
    CohortForm,
    ConditionFormSet,
    ImportForm,
    StartCouncilForm,
    cleaned_conditions,
    condition_initial,
)
from caseaudit.cases.import_problems import PROBLEMS_PER_PAGE, problem_groups
from caseaudit.cases.models import Child, CohortDefinition, ImportRun, Snapshot
from caseaudit.cases.quality import quality_report
from caseaudit.cases.records import child_label, current_lists
from caseaudit.core import guards
from caseaudit.core.forms import add_action_errors, form_data, id_param
from caseaudit.core.pagination import numbered
from caseaudit.core.uploads import refusal


@guards.requires(permissions.can_import_case_data)
def imports(request):
    council = request.user.council
    form = ImportForm(form_data(request), request.FILES or None, refused=refusal(request))
    if request.method == "POST" and form.is_valid():
        try:
            run = request_import(
                form.cleaned_data["file"],
                council=council,
                as_at=form.cleaned_data["as_at"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, f"{run.source_name} is queued for import.")
            return redirect("cases:import", pk=run.pk)
    mark_stopped_runs(council)
    shown = lists.IMPORTS.show(
        request, ImportRun.objects.filter(council=council).select_related("requested_by")
    )
    runs = list(shown.page)
    for run in runs:
        run.rows_read = progress.rows_read(run)
    snapshots = Snapshot.objects.filter(council=council).order_by("-as_at")[:12]
    return render(
        request,
        "cases/imports.html",
        {"form": form, "runs": runs, "shown": shown, "snapshots": snapshots},
    )


@guards.requires(permissions.can_start_council)
def start(request):
    """A fresh installation: the administrator creates the council and imports its first
    Annex A return, then follows the import as any other."""
    form = StartCouncilForm(form_data(request), request.FILES or None, refused=refusal(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = start_council_with_return(
                data["file"],
                code=data["code"],
                name=data["name"],
                as_at=data["as_at"],
                by=request.user,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                f"{run.council.name} is created, and you are its administrator. "
                f"{run.source_name} is queued for import.",
            )
            return redirect("cases:import", pk=run.pk)
    return render(request, "cases/start.html", {"form": form})


@guards.requires(permissions.can_import_case_data)
def import_detail(request, pk: int):
    mark_stopped_runs(request.user.council)
    run = get_object_or_404(
        ImportRun.objects.select_related("requested_by", "snapshot"),
        pk=pk,
        council=request.user.council,
    )
    # Problems quote cells, which can include child IDs: the view is logged.
    record_access(
        request, action=AccessAction.VIEWED, record_type="cases.importrun", record_id=run.pk
    )
    run.rows_read = progress.rows_read(run)
    groups = problem_groups(run)
    # One rule's problems at a time (?rule=N), paged.
    rule = id_param(request, "rule") or 1
    group = groups[rule - 1] if rule <= len(groups) else (groups[0] if groups else None)
    problems = pagination = None
    if group is not None:
        problems = Paginator(group.problems(run), PROBLEMS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        query = request.GET.copy()
        query["rule"] = str(group.number)
        pagination = numbered(problems, query, anchor="problems")
    context = {
        "run": run,
        "rows": [
            (LISTS_BY_KEY[key].guide_name if key in LISTS_BY_KEY else key, count)
            for key, count in (run.summary.get("rows") or {}).items()
        ],
        "groups": groups,
        "group": group,
        "problems": problems,
        "pagination": pagination,
        "problems_stored": sum(g.count for g in groups),
        "in_progress": run.status in progress.IN_PROGRESS,
    }
    if request.htmx:
        return render(request, "cases/_import_status.html", context)
    return render(request, "cases/import_detail.html", context)


@guards.requires(permissions.can_import_case_data)
def quality(request):
    report = quality_report(request.user.council, user=request.user)
    log_list_access(request, Child, ids=report.child_pks)
    return render(request, "cases/quality.html", {"report": report})


@guards.requires(permissions.can_import_case_data)
def import_quality(request, pk: int):
    """The data-quality report on the snapshot one import loaded, with its own problems."""
    run = get_object_or_404(
        ImportRun.objects.select_related("snapshot"), pk=pk, council=request.user.council
    )
    report = quality_report(request.user.council, user=request.user, run=run)
    log_list_access(request, Child, ids=report.child_pks)
    return render(request, "cases/quality.html", {"report": report, "import_run": run})


def _children(request):
    return Child.objects.visible_to(request.user)


@guards.requires(permissions.can_see_child_records)
def children(request):
    """The children a person may see: youngest first, sortable, filtered by ID, area and team."""
    shown = lists.CHILDREN.show(
        request,
        _children(request).select_related("allocated_team", "allocated_worker"),
        csv_href=reverse("cases:children_csv"),
    )
    log_list_access(request, Child, ids=[child.pk for child in shown.page])
    return render(request, "cases/children.html", {"shown": shown, "page": shown.page})


@guards.requires(permissions.can_see_child_records)
def children_csv(request):
    """The same children as CSV (scope, filters and order as the page), logged as an export."""
    rows = _children(request).select_related(*lists.CHILDREN_CSV_RELATIONS)
    found = list(lists.CHILDREN.rows(request, rows))
    log_list_access(request, Child, ids=[child.pk for child in found], action=AccessAction.EXPORTED)
    return lists.CHILDREN.csv_response(found, "children")


@guards.requires(permissions.can_see_child_records)
def child_detail(request, pk: int):
    child = get_object_for_user(
        request,
        Child.objects.select_related(
            "allocated_team", "allocated_worker", "last_snapshot", "council"
        ),
        pk,
    )
    return render(
        request,
        "cases/child.html",
        {
            "child": child,
            "lists": current_lists(child),
            "gender": child_label(child, "gender"),
            "ethnicity": child_label(child, "ethnicity"),
            "disability": child_label(child, "disability"),
        },
    )


# --- cohorts -----------------------------------------------------------------------------------


def _cohort(request, pk: int) -> CohortDefinition:
    return get_object_or_404(CohortDefinition, pk=pk, council_id=request.user.council_id)


def _as_at(request) -> datetime.date | None:
    """An optional ``as_at`` (YYYY-MM-DD) in the query: the cohort as it was on that date."""
    try:
        return datetime.date.fromisoformat(request.GET.get("as_at", ""))
    except ValueError:
        return None


@guards.requires(permissions.can_build_cohorts)
def cohorts(request):
    return render(
        request,
        "cases/cohorts.html",
        {
            "cohorts": CohortDefinition.objects.filter(council_id=request.user.council_id),
            "examples": cohort_rules.EXAMPLES,
        },
    )


@guards.requires(permissions.can_build_cohorts)
def cohort_detail(request, pk: int):
    cohort = _cohort(request, pk)
    conditions = cohort_rules.conditions_from_data(cohort.conditions)
    evaluation = cohort_rules.evaluate(request.user.council, conditions, _as_at(request))
    # What the person is shown of the children, and counts of, is what their scope allows.
    visible = evaluation.children.visible_to(request.user)
    page = Paginator(
        visible.select_related("allocated_team", "allocated_worker").order_by("la_child_id"), 50
    ).get_page(request.GET.get("page"))
    log_list_access(request, Child, ids=[child.pk for child in page])
    return render(
        request,
        "cases/cohort.html",
        {
            "cohort": cohort,
            "conditions": [c.describe() for c in conditions],
            "evaluation": evaluation,
            "size": page.paginator.count,
            "profile": cohort_rules.profile(evaluation, visible),
            "page": page,
        },
    )


@guards.requires(permissions.can_build_cohorts)
def cohort_new(request):
    return _cohort_builder(request, None)


@guards.requires(permissions.can_build_cohorts)
def cohort_edit(request, pk: int):
    return _cohort_builder(request, _cohort(request, pk))


def _cohort_builder(request, cohort: CohortDefinition | None):
    """Build a cohort from conditions; its size shows at once (htmx, on every change) or with
    "Check the size", and it is saved only with "Save"."""
    example = cohort_rules.EXAMPLES.get(request.GET.get("example", ""))
    if cohort is not None:
        initial = {"name": cohort.name, "description": cohort.description}
        conditions = cohort_rules.conditions_from_data(cohort.conditions)
    elif example is not None:
        initial, conditions = {"name": example[0]}, example[1]
    else:
        initial, conditions = {}, []
    data = form_data(request)
    form = CohortForm(data, initial=initial)
    formset = ConditionFormSet(data, initial=condition_initial(conditions), prefix="c")
    context = {
        "form": form,
        "formset": formset,
        "cohort": cohort,
        "gaps": cohort_rules.ANNEX_A_GAPS,
    }
    if request.method == "POST":
        rows_valid = formset.is_valid()
        chosen = cleaned_conditions(formset) if rows_valid else []
        if rows_valid:
            try:
                cohort_rules.check_conditions(chosen)
            except ValidationError as error:
                form.add_error(None, error)
                rows_valid = False
        if rows_valid:
            evaluation = cohort_rules.evaluate(request.user.council, chosen)
            context["size"] = evaluation.children.visible_to(request.user).count()
            context["evaluation"] = evaluation
        if request.htmx:
            return render(request, "cases/_cohort_size.html", context)
        if "save" in request.POST and rows_valid and form.is_valid():
            try:
                saved = save_cohort(
                    request.user.council,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    conditions=chosen,
                    by=request.user,
                    cohort=cohort,
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, f"The cohort '{saved.name}' has been saved.")
                return redirect(saved)
    context["errors"] = _builder_errors(form, formset)
    return render(request, "cases/cohort_builder.html", context)


def _builder_errors(form, formset) -> list[tuple[str, str]]:
    """(message, the input to go to) for the error summary: the form's and each row's."""
    if not form.is_bound:
        return []
    errors = [(e, "id_name") for e in form.non_field_errors()]
    errors += [
        (e, f"id_{name}")
        for name, field_errors in form.errors.items()
        if name != "__all__"
        for e in field_errors
    ]
    for index, row in enumerate(formset):
        errors += [(e, f"id_c-{index}-field") for e in row.non_field_errors()]
    return errors
