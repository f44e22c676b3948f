from django.db import models

# Roles and scopes are a leaf module's, so that every layer can use them; the account model and
# its callers take them from here as well.
from caseaudit.core.roles import ROLE_SCOPES, Role, Scope

__all__ = ["ROLE_SCOPES", "AccessAction", "Role", "Scope"]


class AccessAction(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    LISTED = "listed", "Listed"
    EXPORTED = "exported", "Exported"
    DENIED = "denied", "Refused"
    SIGNED_IN = "signed_in", "Signed in"
