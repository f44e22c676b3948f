"""What each person sees first: what they must do next, in their own scope."""

from django.db.models import Count, Q
from django.urls import reverse

from caseaudit.accounts import permissions
from caseaudit.accounts.models import User
from caseaudit.accounts.profile import profile
from caseaudit.audits.home import open_alerts
from caseaudit.cases.models import Child, Snapshot
from caseaudit.cases.quality import warning_count
from caseaudit.core.dates import govuk_date
from caseaudit.core.roles import Role, Scope
from caseaudit.inspection.home import next_steps as inspection_steps
from caseaudit.organisation.models import Area, Assignment, Council, Team, Worker
from caseaudit.site import headline, queues
from caseaudit.thematic.home import next_steps as thematic_steps


def home_context(user) -> dict:
    context = profile(user)
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
    context["alerts"] = open_alerts(user)
    context["next_steps"] = next_steps(user)
    context["queues"] = queues.queues(user)
    if permissions.can_run_programme(user):
        context["stage"] = queues.programme_stage(user)
    if headline.wants_headline(user):
        context["headline"] = headline.headline(user)
    return context


def next_steps(user) -> list[dict]:
    """What this person should do next, each a sentence and a link, beside their work queues
    (``queues``). One query each."""
    steps = []
    if permissions.can_start_council(user) and not Council.objects.exists():
        # A fresh installation: nothing else works until there is a council.
        steps.append(
            {
                "text": "This installation has no council yet. Create yours and import its "
                "first Annex A return.",
                "link": reverse("cases:start"),
                "label": "Set up your council",
            }
        )
    if permissions.can_import_case_data(user):
        latest = Snapshot.objects.filter(council_id=user.council_id).order_by("-as_at").first()
        if latest is None:
            steps.append(
                {
                    "text": "Import the council's case data (the Annex A return) so that "
                    "samples, cohorts and indicators have children to work with.",
                    "link": reverse("cases:imports"),
                    "label": "Import case data",
                }
            )
        else:
            # The data-quality report's own count, so the two never disagree.
            warnings = warning_count(user.council, user=user, snapshot=latest)
            steps.append(
                {
                    "text": f"The latest case data is as at {govuk_date(latest.as_at)}, with "
                    f"{warnings:,} data-quality warning{'s' if warnings != 1 else ''}.",
                    "link": reverse("cases:quality"),
                    "label": "Review data quality",
                }
            )
    steps += thematic_steps(user)
    steps += inspection_steps(user)
    if permissions.can_see_child_records(user) and user.scope != Scope.COUNCIL:
        count = Child.objects.visible_to(user).count()
        steps.append(
            {
                "text": f"{count:,} child{'ren' if count != 1 else ''} "
                f"{'are' if count != 1 else 'is'} allocated within what you can see.",
                "link": reverse("cases:children"),
                "label": "See the children",
            }
        )
    return steps


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
