"""The demo council's logins: one per role, each tied to a fitting member of staff."""

from dataclasses import dataclass

from django.db import transaction

from caseaudit.accounts.choices import Role, Scope
from caseaudit.accounts.models import User
from caseaudit.organisation.choices import JobRole
from caseaudit.organisation.models import Area, Assignment, Council, Team

# Shown on the terminal by `make demo`. The demo holds synthetic data only.
DEMO_PASSWORD = "audit-demo-council"  # noqa: S105 # nosec B105


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str
    description: str


DEMO_LOGINS = (
    DemoLogin("qa.lead", Role.QA_LEAD, Scope.COUNCIL, "audit and practice standards manager"),
    DemoLogin("team.manager", Role.AUDITOR, Scope.TEAM, "team manager who audits cases"),
    DemoLogin("social.worker", Role.SOCIAL_WORKER, Scope.OWN, "social worker, own cases"),
    DemoLogin("inspection.lead", Role.INSPECTION_LEAD, Scope.AREA, "inspection lead, one area"),
    DemoLogin("director", Role.SENIOR_MANAGER, Scope.COUNCIL, "director of children's services"),
    DemoLogin("councillor", Role.ELECTED_MEMBER, Scope.AGGREGATE, "select committee member"),
    DemoLogin("administrator", Role.ADMINISTRATOR, Scope.COUNCIL, "system administrator"),
)


def _first(council: Council, job_role: str, team_name: str | None = None):
    assignments = Assignment.objects.current().filter(team__council=council, job_role=job_role)
    if team_name:
        assignments = assignments.filter(team__name=team_name)
    assignment = assignments.select_related("worker", "team").order_by("worker__staff_id").first()
    return assignment


@transaction.atomic
def ensure_demo_logins(council: Council) -> list[DemoLogin]:
    """Create (or reset) the demo logins. Safe to run again."""
    north_west = Area.objects.get(council=council, name="North West")
    audit_team = Team.objects.get(council=council, name="North West Family Safeguarding Team 1")
    worker_team = Team.objects.get(council=council, name="South East Assessment Team 1")
    links = {
        "qa.lead": (_first(council, JobRole.QA_MANAGER), {}),
        "team.manager": (
            _first(council, JobRole.TEAM_MANAGER, audit_team.name),
            {"scope_team": audit_team},
        ),
        "social.worker": (_first(council, JobRole.SOCIAL_WORKER, worker_team.name), {}),
        "inspection.lead": (_first(council, JobRole.INSPECTION_LEAD), {"scope_area": north_west}),
        "director": (_first(council, JobRole.DIRECTOR), {}),
        "councillor": (None, {}),
        "administrator": (None, {}),
    }
    for login in DEMO_LOGINS:
        assignment, scope_fields = links[login.username]
        worker = assignment.worker if assignment else None
        first, _, last = (worker.name if worker else login.description.title()).partition(" ")
        user, _ = User.objects.update_or_create(
            username=login.username,
            defaults={
                "council": council,
                "worker": worker,
                "role": login.role,
                "scope": login.scope,
                "scope_area": scope_fields.get("scope_area"),
                "scope_service": None,
                "scope_team": scope_fields.get("scope_team"),
                "first_name": first if worker else "Demo",
                "last_name": last if worker else login.description,
                "is_active": True,
            },
        )
        user.full_clean(exclude=["password"])
        user.set_password(DEMO_PASSWORD)
        user.save()
    return list(DEMO_LOGINS)


@transaction.atomic
def ensure_auditor_accounts(council: Council) -> int:
    """An auditor account for every current team manager, as the council's audit programme
    needs: allocation shares audits among them. Only the demo's own team.manager login can sign
    in; the others have no usable password. Returns how many were created."""
    taken = set(User.objects.filter(council=council).values_list("worker_id", flat=True))
    created = 0
    managers = (
        Assignment.objects.current()
        .filter(team__council=council, job_role=JobRole.TEAM_MANAGER)
        .exclude(worker_id__in=taken - {None})
        .select_related("worker", "team")
        .order_by("worker__staff_id")
    )
    for assignment in managers:
        worker = assignment.worker
        first, _, last = worker.name.partition(" ")
        user = User(
            username=f"tm.{worker.staff_id}".lower(),
            council=council,
            worker=worker,
            role=Role.AUDITOR,
            scope=Scope.TEAM,
            scope_team=assignment.team,
            first_name=first,
            last_name=last,
            email=worker.email,
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        created += 1
    return created
