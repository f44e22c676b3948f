from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from caseaudit.accounts import permissions
from caseaudit.accounts.access import get_object_for_user, log_list_access, record_access
from caseaudit.accounts.choices import AccessAction
from caseaudit.cases import progress
from caseaudit.cases.actions import mark_stopped_runs, request_import
from caseaudit.cases.forms import ImportForm
from caseaudit.cases.models import Child, ImportRun, Snapshot
from caseaudit.cases.quality import quality_report
from caseaudit.cases.records import child_label, current_lists
from caseaudit.core import guards
from caseaudit.core.forms import form_data, id_param


@guards.requires(permissions.can_import_case_data)
def imports(request):
    council = request.user.council
    form = ImportForm(form_data(request), request.FILES or None)
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
    runs = list(ImportRun.objects.filter(council=council).select_related("requested_by")[:25])
    for run in runs:
        run.rows_read = progress.rows_read(run)
    snapshots = Snapshot.objects.filter(council=council).order_by("-as_at")[:12]
    return render(
        request,
        "cases/imports.html",
        {"form": form, "runs": runs, "snapshots": snapshots},
    )


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
    problems = Paginator(run.problems.all(), 100).get_page(request.GET.get("page"))
    context = {"run": run, "problems": problems, "in_progress": run.status in progress.IN_PROGRESS}
    if request.htmx:
        return render(request, "cases/_import_status.html", context)
    return render(request, "cases/import_detail.html", context)


@guards.requires(permissions.can_import_case_data)
def quality(request):
    report = quality_report(request.user.council, user=request.user)
    log_list_access(request, Child, ids=report.child_pks)
    return render(request, "cases/quality.html", {"report": report})


@guards.requires(permissions.can_see_child_records)
def children(request):
    """The children a person may see, newest snapshot first, searchable by LA child ID."""
    queryset = (
        Child.objects.visible_to(request.user)
        .select_related("allocated_team", "allocated_worker")
        .order_by("la_child_id")
    )
    search = request.GET.get("id", "").strip()
    if search:
        queryset = queryset.filter(la_child_id__startswith=search)
    team_id = id_param(request, "team")
    if team_id is not None:
        queryset = queryset.filter(allocated_team_id=team_id)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    log_list_access(request, Child, ids=[child.pk for child in page])
    return render(request, "cases/children.html", {"page": page, "search": search})


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
