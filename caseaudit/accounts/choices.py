from django.db import models


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


class AccessAction(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    LISTED = "listed", "Listed"
    EXPORTED = "exported", "Exported"
    DENIED = "denied", "Refused"
