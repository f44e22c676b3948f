"""The organisation browser: areas → services → teams → workers, within the person's scope."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import render

from caseaudit.accounts import permissions
from caseaudit.accounts.access import get_object_for_user
from caseaudit.core import guards
from caseaudit.organisation.models import Area, Assignment, Service, Team, Worker


def _teams_with_headcount(user):
    current = Assignment.objects.current()
    return (
        Team.objects.visible_to(user)
        .select_related("area", "service")
        .annotate(headcount=Count("assignments", filter=Q(assignments__in=current)))
    )


@guards.requires(permissions.can_browse_organisation)
def index(request):
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


@guards.requires(permissions.can_browse_organisation)
def area_detail(request, pk: int):
    area = get_object_for_user(request, Area.objects.all(), pk)
    teams = _teams_with_headcount(request.user).filter(area=area).order_by("service__name", "name")
    return render(request, "organisation/area.html", {"area": area, "teams": teams})


@guards.requires(permissions.can_browse_organisation)
def service_detail(request, pk: int):
    service = get_object_for_user(request, Service.objects.all(), pk)
    teams = (
        _teams_with_headcount(request.user).filter(service=service).order_by("area__name", "name")
    )
    return render(request, "organisation/service.html", {"service": service, "teams": teams})


@guards.requires(permissions.can_browse_organisation)
def team_detail(request, pk: int):
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


@guards.requires(permissions.can_browse_organisation)
def worker_detail(request, pk: int):
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
