"""Roles and scopes, and the pure rules over them: what a person's role and scope let them see.

A leaf module (it imports nothing of caseaudit's), so every layer can ask the same questions:
the organisation's, the children's and the audits' ``visible_to`` querysets all restrict rows
with ``scope_q``, and nothing else compares role or scope names. The rules that need a record
(may this person do *this* audit?) are in ``accounts.permissions``.
"""

from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    QA_LEAD = "qa_lead", "Audit and practice standards lead"
    AUDITOR = "auditor", "Team manager (auditor)"
    SOCIAL_WORKER = "social_worker", "Social worker or personal adviser"
    INSPECTION_LEAD = "inspection_lead", "Inspection lead"
    SENIOR_MANAGER = "senior_manager", "Service manager or director"
    ELECTED_MEMBER = "elected_member", "Elected member"
    ADMINISTRATOR = "administrator", "Administrator"


class Scope(models.TextChoices):
    """How much of the council a person may see."""

    COUNCIL = "council", "Whole council"
    AREA = "area", "One area"
    SERVICE = "service", "One service"
    TEAM = "team", "One team"
    OWN = "own", "Own cases only"
    AGGREGATE = "aggregate", "Aggregate figures only"


# The scopes each role may be given; the first is the default.
ROLE_SCOPES: dict[str, tuple[str, ...]] = {
    Role.QA_LEAD: (Scope.COUNCIL,),
    Role.AUDITOR: (Scope.TEAM,),
    Role.SOCIAL_WORKER: (Scope.OWN,),
    Role.INSPECTION_LEAD: (Scope.COUNCIL, Scope.AREA),
    Role.SENIOR_MANAGER: (Scope.COUNCIL, Scope.AREA, Scope.SERVICE),
    Role.ELECTED_MEMBER: (Scope.AGGREGATE,),
    Role.ADMINISTRATOR: (Scope.COUNCIL,),
}

# Staff who oversee or do the auditing, as opposed to social workers and elected members.
STAFF_ROLES = frozenset(
    {Role.QA_LEAD, Role.AUDITOR, Role.INSPECTION_LEAD, Role.SENIOR_MANAGER, Role.ADMINISTRATOR}
)
# Scopes that name a part of the council (so a page can say which part).
SCOPES_WITH_A_PLACE = frozenset({Scope.COUNCIL, Scope.AREA, Scope.SERVICE, Scope.TEAM})


def is_active_member(user) -> bool:
    """Signed in, not deactivated, and belonging to a council: everything else is refused."""
    return bool(user and user.is_authenticated and user.is_active and user.council_id)


def can_administer(user) -> bool:
    """Users, roles, organisation structure and imports (the configuration screens, the
    admin site)."""
    return is_active_member(user) and user.role == Role.ADMINISTRATOR


def can_see_child_records(user) -> bool:
    """Child-level pages at all (which children, is then the scope's question)."""
    return (
        is_active_member(user)
        and user.role != Role.ELECTED_MEMBER
        and user.scope != Scope.AGGREGATE
    )


def can_browse_organisation(user) -> bool:
    """Areas, services, teams and the workers in them, within the person's scope."""
    return (
        is_active_member(user)
        and user.role in STAFF_ROLES
        and user.scope not in {Scope.OWN, Scope.AGGREGATE}
    )


def sees_whole_council(user) -> bool:
    return is_active_member(user) and user.scope == Scope.COUNCIL


def scope_q(user, *, council: str, area: str, service: str, team: str) -> Q | None:
    """The Q that restricts rows to ``user``'s council, area, service or team; None means
    nothing at all (own-cases and aggregate scopes have no place: their querysets decide).

    The keyword arguments are the lookups from the model being filtered to the council, area,
    service and team ids, so this one rule serves teams, workers, children and audits.
    """
    if not is_active_member(user):
        return None
    in_council = Q(**{council: user.council_id})
    match user.scope:
        case Scope.COUNCIL:
            return in_council
        case Scope.AREA:
            return in_council & Q(**{area: user.scope_area_id})
        case Scope.SERVICE:
            q = in_council & Q(**{service: user.scope_service_id})
            if user.scope_area_id:
                q &= Q(**{area: user.scope_area_id})
            return q
        case Scope.TEAM:
            return in_council & Q(**{team: user.scope_team_id})
    return None
