"""The performance compendium on screen: every indicator, one indicator broken down and over
time, and (scope permitting) the children behind a team's figure."""

from django.http import Http404
from django.shortcuts import render

from caseaudit.accounts import permissions
from caseaudit.accounts.access import log_list_access
from caseaudit.cases.models import Child
from caseaudit.core import guards
from caseaudit.organisation.models import Team
from caseaudit.performance import charts, pages, published
from caseaudit.performance.caseloads import caseloads
from caseaudit.performance.indicators import (
    INDICATORS,
    NOT_IN_ANNEX_A,
    NoSnapshot,
    counted_rows,
    evaluate,
)

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
            "caseloads": caseloads(snapshot),
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
