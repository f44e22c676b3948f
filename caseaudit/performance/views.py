"""The performance compendium on screen: every indicator, one indicator broken down and over
time, and (scope permitting) the children behind a team's figure."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from caseaudit.accounts import permissions
from caseaudit.accounts.access import log_list_access
from caseaudit.cases.models import Child
from caseaudit.core import guards
from caseaudit.core.forms import form_data, id_param
from caseaudit.organisation.models import Team
from caseaudit.performance import (
    actions,
    charts,
    disproportionality,
    events,
    pages,
    published,
    trackers,
)
from caseaudit.performance.caseloads import caseloads, shown_to
from caseaudit.performance.choices import TrackerEvent
from caseaudit.performance.forms import TrackerEventsForm
from caseaudit.performance.indicators import (
    INDICATORS,
    NOT_IN_ANNEX_A,
    NoSnapshot,
    counted_rows,
    evaluate,
)
from caseaudit.performance.models import TrackerImport

UNIT_TITLES = {"area": "By area", "service": "By service", "team": "By team"}


def _problem(request, template: str, message: str, status: int, **context):
    council = request.user.council
    return render(
        request,
        template,
        {"problem": message, "dates": pages.snapshot_dates(council), **context},
        status=status,
    )


def _snapshot_or_problem(request, template: str, **context):
    try:
        return pages.chosen_snapshot(request.user.council, request.GET.get("as_at")), None
    except pages.BadAsAt as error:
        return None, _problem(request, template, str(error), 400, **context)
    except NoSnapshot as error:
        # Nothing imported yet is the council's state, not a bad request; a date that has no
        # case data is a page that is not there.
        status = 404 if request.GET.get("as_at") else 200
        return None, _problem(request, template, str(error), status, **context)


@guards.requires(permissions.can_see_performance)
def index(request):
    snapshot, problem = _snapshot_or_problem(request, "performance/index.html")
    if problem:
        return problem
    figures = evaluate(snapshot)
    benchmarks = pages.beside(request.user.council, snapshot.as_at, figures)
    seen = published.dashboard(snapshot, figures, request.user)
    rows = [(figure, seen[code], benchmarks.get(code, [])) for code, figure in figures.items()]
    return render(
        request,
        "performance/index.html",
        {
            "snapshot": snapshot,
            "rows": rows,
            "dates": pages.snapshot_dates(request.user.council),
            "not_in_annex_a": NOT_IN_ANNEX_A,
            "caseloads": shown_to(request.user, caseloads(snapshot)),
            "can_see_trackers": permissions.can_see_trackers(request.user),
            # The select-committee pack (the reports app) is linked to, for those it is for.
            "may_prepare_pack": permissions.can_prepare_performance_packs(request.user),
            "may_read_packs": permissions.can_read_reports(request.user),
        },
    )


@guards.requires(permissions.can_see_performance)
def indicator(request, code: str):
    chosen = INDICATORS.get(code)
    if chosen is None:
        raise Http404("There is no indicator with that code.")
    snapshot, problem = _snapshot_or_problem(
        request, "performance/indicator.html", indicator=chosen
    )
    if problem:
        return problem
    user = request.user
    shown = published.page(snapshot, chosen, user)
    tables = [(UNIT_TITLES[unit], unit, rows) for unit, rows in shown.tables]
    history = published.history(user.council, chosen, user, {snapshot.as_at: shown.figure})
    return render(
        request,
        "performance/indicator.html",
        {
            "snapshot": snapshot,
            "indicator": chosen,
            "figure": shown.figure,
            "benchmarks": pages.beside(user.council, snapshot.as_at, [code]).get(code, []),
            "tables": tables,
            "withheld": shown.withheld,
            "history": history,
            "chart_src": charts.trend_src(chosen, history),
            "chart_alt": charts.alt_text(chosen, history),
            "drillable": pages.drillable_team_ids(user),
            "dates": pages.snapshot_dates(user.council),
        },
    )


@guards.requires(permissions.can_see_performance)
def disproportionality_page(request):
    """Children in need, on a plan and looked after by ethnic group: rates per 10,000 and the
    relative rate index, for the council (the population by ethnicity is the council's)."""
    template = "performance/disproportionality.html"
    snapshot, problem = _snapshot_or_problem(request, template)
    if problem:
        return problem
    found = disproportionality.shown_to(request.user, snapshot)
    tables = [
        (label, found.tables[key], found.totals[key])
        for key, _code, label in disproportionality.POPULATIONS
    ]
    return render(
        request,
        template,
        {
            "snapshot": snapshot,
            "found": found,
            "tables": tables,
            "definition": disproportionality.DEFINITION,
            "dates": pages.snapshot_dates(request.user.council),
        },
    )


@guards.requires(permissions.can_see_child_records)
def team_children(request, code: str, team_id: int):
    """The children a team's figure counts. Only a team within the person's scope, and only
    the children they may see; the list is access-logged."""
    chosen = INDICATORS.get(code)
    if chosen is None or not chosen.has_breakdown:
        raise Http404("There is no indicator with that code.")
    team = Team.objects.visible_to(request.user).filter(pk=team_id).first()
    if team is None:
        raise Http404("Not found, or not yours to see.")
    snapshot, problem = _snapshot_or_problem(
        request, "performance/team_children.html", indicator=chosen, team=team
    )
    if problem:
        return problem
    rows = list(
        counted_rows(snapshot, chosen)
        .filter(allocated_team=team, child__in=Child.objects.visible_to(request.user))
        .select_related("child", "allocated_worker")
        .order_by("child__la_child_id")
    )
    log_list_access(request, Child, ids=[row.child_id for row in rows])
    return render(
        request,
        "performance/team_children.html",
        {"snapshot": snapshot, "indicator": chosen, "team": team, "rows": rows},
    )


@guards.requires(permissions.can_see_team_performance)
def team(request, team_id: int):
    """A team's indicators beside its audit grades from the monthly programme: a team
    within the person's scope only (a team manager's own, an area lead's area's)."""
    chosen = Team.objects.visible_to(request.user).select_related("area", "service")
    team = chosen.filter(pk=team_id).first()
    if team is None:
        raise Http404("Not found, or not yours to see.")
    snapshot, problem = _snapshot_or_problem(request, "performance/team.html", team=team)
    if problem:
        return problem
    return render(
        request,
        "performance/team.html",
        {
            "snapshot": snapshot,
            "team": team,
            "view": pages.team_view(snapshot, team),
            "dates": pages.snapshot_dates(request.user.council),
        },
    )


# --- practice-standard trackers ---------------------------------------------------------------

# Problems listed one by one on the import page; past these, the count of the rest.
PROBLEMS_LISTED = 50
TRACKER_PAGE_SIZE = 100


@guards.requires(permissions.can_see_trackers)
def trackers_overview(request):
    """Each tracker's children and how many are overdue, by team: counts only, of the children
    the person may see."""
    snapshot, problem = _snapshot_or_problem(request, "performance/trackers.html")
    if problem:
        return problem
    rows = trackers.every_tracker(snapshot, trackers.children_for(request.user))
    summary = [
        (tracker, len(rows[code]), sum(row.overdue for row in rows[code]))
        for code, tracker in trackers.TRACKERS.items()
    ]
    return render(
        request,
        "performance/trackers.html",
        {
            "snapshot": snapshot,
            "summary": summary,
            "teams": trackers.team_counts(rows),
            "codes": list(trackers.TRACKERS),
            "dates": pages.snapshot_dates(request.user.council),
            "can_import": permissions.can_import_tracker_events(request.user),
        },
    )


@guards.requires(permissions.can_see_trackers)
def tracker(request, code: str):
    """One tracker's children that the person may see, by team and overdue or not, in the
    order asked; the list is access-logged, exactly the children shown."""
    chosen = trackers.TRACKERS.get(code)
    if chosen is None:
        raise Http404("There is no tracker with that name.")
    snapshot, problem = _snapshot_or_problem(request, "performance/tracker.html", tracker=chosen)
    if problem:
        return problem
    rows = chosen.rows(snapshot, trackers.children_for(request.user))
    team_id = id_param(request, "team")
    overdue_only = request.GET.get("overdue") == "yes"
    sort = request.GET.get("sort") if request.GET.get("sort") in trackers.SORTS else "due"
    shown = trackers.chosen(rows, team_id=team_id, overdue_only=overdue_only, sort=sort)
    page = Paginator(shown, TRACKER_PAGE_SIZE).get_page(request.GET.get("page"))
    log_list_access(request, Child, ids=[row.child_id for row in page])
    query = request.GET.copy()
    query.pop("page", None)
    teams = sorted({(row.team_id, row.team) for row in rows}, key=lambda team: team[1])
    return render(
        request,
        "performance/tracker.html",
        {
            "snapshot": snapshot,
            "tracker": chosen,
            "rows": page,
            "shown": len(shown),
            "query": query.urlencode(),
            "tracked": len(rows),
            "teams": teams,
            "team_id": team_id,
            "overdue_only": overdue_only,
            "sort": sort,
            "sorts": [(key, label) for key, (label, _) in trackers.SORTS.items()],
            "dates": pages.snapshot_dates(request.user.council),
        },
    )


@guards.requires(permissions.can_import_tracker_events)
def import_tracker_events(request):
    council = request.user.council
    form = TrackerEventsForm(form_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > events.MAX_BYTES:
            form.add_error("file", "The file must be smaller than 5 MB")
        else:
            result = actions.import_tracker_events(
                council, upload.read(), source_name=upload.name, by=request.user
            )
            for problem in result.problems[:PROBLEMS_LISTED]:
                form.add_error("file", str(problem))
            if len(result.problems) > PROBLEMS_LISTED:
                more = len(result.problems) - PROBLEMS_LISTED
                form.add_error("file", f"And {more} more problems: fix these and import again")
            if not result.problems:
                if result.same_file:
                    messages.info(request, f"{upload.name} was imported before: nothing changed.")
                elif result.added:
                    messages.success(
                        request,
                        f"{upload.name}: {result.added} new event{'s' * (result.added != 1)} "
                        f"imported from {result.rows_read} row{'s' * (result.rows_read != 1)}.",
                    )
                else:
                    messages.info(
                        request,
                        f"{upload.name}: every event in it was already held; nothing changed.",
                    )
                return redirect("performance:tracker_import")
    imports = TrackerImport.objects.filter(council=council).select_related("imported_by")[:10]
    return render(
        request,
        "performance/tracker_import.html",
        {"form": form, "imports": imports, "events": TrackerEvent.choices},
    )
