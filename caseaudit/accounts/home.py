"""What each person sees first: what they must do next, in their own scope."""

from django.db.models import Count, Q

from caseaudit.accounts import permissions
from caseaudit.accounts.choices import Role
from caseaudit.organisation.models import Area, Assignment, Team, Worker


def home_context(user) -> dict:
    context = {"role": Role(user.role), "scope_label": scope_label(user)}
    assignment = user.worker.current_assignment() if user.worker_id else None
    context["assignment"] = assignment
    if permissions.can_browse_organisation(user):
        context["organisation"] = organisation_summary(user)
    if user.role == Role.AUDITOR and user.scope_team_id:
        context["team"] = user.scope_team
        context["team_members"] = (
            Assignment.objects.current()
            .filter(team_id=user.scope_team_id)
            .select_related("worker")
            .order_by("job_role", "worker__name")
        )
    if user.role == Role.ELECTED_MEMBER:
        context["areas"] = areas_at_a_glance(user)
    if permissions.can_administer(user):
        context["users_by_role"] = users_by_role(user)
    return context


def scope_label(user) -> str:
    target = user.scope_team or user.scope_service or user.scope_area or user.council
    if user.scope_service and user.scope_area:
        target = f"{user.scope_service} in {user.scope_area}"
    label = user.get_scope_display()
    return f"{label}: {target}" if target and user.scope not in ("own", "aggregate") else label


def organisation_summary(user) -> dict:
    teams = Team.objects.visible_to(user)
    counts = teams.aggregate(
        teams=Count("id"),
        areas=Count("area", distinct=True),
        services=Count("service", distinct=True),
    )
    counts["workers"] = Worker.objects.visible_to(user).count()
    return counts


def areas_at_a_glance(user):
    """Aggregate figures only: teams and staff per area, never a name below area level."""
    current = Assignment.objects.current()
    return (
        Area.objects.filter(council_id=user.council_id)
        .annotate(
            team_count=Count("teams", distinct=True),
            worker_count=Count(
                "teams__assignments",
                filter=Q(teams__assignments__in=current),
                distinct=True,
            ),
        )
        .order_by("name")
    )


def users_by_role(user):
    from caseaudit.accounts.models import User

    counts = dict(
        User.objects.filter(council_id=user.council_id)
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    unlinked = User.objects.filter(council_id=user.council_id, worker__isnull=True).count()
    return {
        "rows": [(label, counts.get(value, 0)) for value, label in Role.choices],
        "unlinked": unlinked,
    }
