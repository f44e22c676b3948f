"""The organisation browser: areas → services → teams → workers, within the person's scope."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import render

from caseaudit.accounts import permissions
from caseaudit.accounts.access import get_object_for_user
from caseaudit.organisation.models import Area, Assignment, Service, Team, Worker


def _require_browse(request):
    if not permissions.can_browse_organisation(request.user):
        raise PermissionDenied


def _teams_with_headcount(user):
    current = Assignment.objects.current()
    return (
        Team.objects.visible_to(user)
        .select_related("area", "service")
        .annotate(headcount=Count("assignments", filter=Q(assignments__in=current)))
    )


def index(request):
    _require_browse(request)
    teams = _teams_with_headcount(request.user).order_by("area__name", "service__name", "name")
    by_area: dict = {}
    for team in teams:
        by_area.setdefault(team.area, []).append(team)
    areas = [
        {"area": area, "teams": area_teams, "headcount": sum(t.headcount for t in area_teams)}
        for area, area_teams in by_area.items()
    ]
    services = Service.objects.visible_to(request.user).order_by("name")
    return render(request, "organisation/index.html", {"areas": areas, "services": services})


def area_detail(request, pk: int):
    _require_browse(request)
    area = get_object_for_user(request, Area.objects.all(), pk)
    teams = _teams_with_headcount(request.user).filter(area=area).order_by("service__name", "name")
    return render(request, "organisation/area.html", {"area": area, "teams": teams})


def service_detail(request, pk: int):
    _require_browse(request)
    service = get_object_for_user(request, Service.objects.all(), pk)
    teams = (
        _teams_with_headcount(request.user).filter(service=service).order_by("area__name", "name")
    )
    return render(request, "organisation/service.html", {"service": service, "teams": teams})


def team_detail(request, pk: int):
    _require_browse(request)
    team = get_object_for_user(request, Team.objects.select_related("area", "service"), pk)
    members = (
        Assignment.objects.current()
        .filter(team=team)
        .select_related("worker", "manager")
        .order_by("job_role", "worker__name")
    )
    # Workers who have left the team, newest first: the team's history.
    former = (
        Assignment.objects.filter(team=team, ends_on__isnull=False)
        .select_related("worker")
        .order_by("-ends_on")[:20]
    )
    return render(
        request, "organisation/team.html", {"team": team, "members": members, "former": former}
    )


def worker_detail(request, pk: int):
    _require_browse(request)
    worker = get_object_for_user(
        request,
        Worker.objects.prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related(
                    "team__area", "team__service", "manager"
                ).order_by("-starts_on"),
            )
        ),
        pk,
    )
    reports = (
        Assignment.objects.current()
        .filter(manager=worker, worker__in=Worker.objects.visible_to(request.user))
        .select_related("worker", "team")
        .order_by("worker__name")
    )
    return render(
        request,
        "organisation/worker.html",
        {"worker": worker, "reports": reports},
    )
