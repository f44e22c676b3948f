from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from caseaudit.accounts.choices import ROLE_SCOPES, AccessAction, Role, Scope
from caseaudit.core.chain import ChainedEntry


class User(AbstractUser):
    """A person who signs in. Their role says what they do; their scope, how much they see."""

    council = models.ForeignKey(
        "organisation.Council", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    worker = models.OneToOneField(
        "organisation.Worker",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
        help_text="The member of staff this account belongs to.",
    )
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.SOCIAL_WORKER)
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.OWN)
    scope_area = models.ForeignKey(
        "organisation.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scope_service = models.ForeignKey(
        "organisation.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scope_team = models.ForeignKey(
        "organisation.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Two-step sign-in (accounts/two_step.py): the authenticator app's secret, empty while it
    # is off, and the newest 30-second step whose code has been used, so none is used twice.
    # Not editable: nobody sees the secret after enrolment; administrators can only reset it.
    totp_secret = models.CharField(max_length=64, blank=True, editable=False)
    totp_last_step = models.BigIntegerField(null=True, blank=True, editable=False)
    # Single sign-on (accounts/backends.py): who this person is at the council's identity
    # provider, stored at their first sign-in there and matched alone afterwards. For Entra ID
    # the object id (oid) and tenant id (tid); for another provider the subject (sub) and the
    # issuer. Null until then: caseaudit never creates an account from a sign-in.
    sso_subject = models.CharField(  # noqa: DJ001 (null: unique only once linked)
        "single sign-on subject", max_length=255, null=True, blank=True, editable=False
    )
    sso_tenant = models.CharField(  # noqa: DJ001 (null: unique only once linked)
        "single sign-on tenant or issuer", max_length=255, null=True, blank=True, editable=False
    )

    class Meta(AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["sso_tenant", "sso_subject"], name="accounts_user_one_per_sso_identity"
            )
        ]

    def clean(self):
        super().clean()
        allowed = ROLE_SCOPES.get(self.role, ())
        if self.scope not in allowed:
            labels = ", ".join(Scope(s).label.lower() for s in allowed)
            raise ValidationError(
                {"scope": f"A {Role(self.role).label.lower()} can only have scope: {labels}."}
            )
        needs = {Scope.AREA: "scope_area", Scope.SERVICE: "scope_service", Scope.TEAM: "scope_team"}
        if self.scope in needs and getattr(self, f"{needs[self.scope]}_id") is None:
            raise ValidationError({needs[self.scope]: "Choose which one this person may see."})
        for field in ("scope_area", "scope_service", "scope_team", "worker"):
            related = getattr(self, field)
            if related is not None and related.council_id != self.council_id:
                raise ValidationError({field: "This belongs to another council."})

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class AccessLog(ChainedEntry):
    """Every view of a child-level (or staff) record, list or export, and every refusal."""

    chain_name = "access"
    chained_fields = (
        "username",
        "action",
        "record_type",
        "record_id",
        "record_ids",
        "route",
        "ip_address",
    )
    # Entries from before lists recorded their ids were sealed without the field.
    optional_fields = ("record_ids",)

    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    record_type = models.CharField(max_length=100)
    record_id = models.CharField(max_length=64, blank=True)
    # A list or export: the ids of the records on screen, comma-separated. Null for a single
    # record. Nullable so that SQLite adds the column in place: rebuilding the table would
    # drop its append-only trigger.
    record_ids = models.TextField(null=True, blank=True)  # noqa: DJ001
    # How they got there: the path and the named view.
    route = models.CharField(max_length=500)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta(ChainedEntry.Meta):
        indexes = [
            models.Index(fields=["record_type", "record_id"]),
            models.Index(fields=["user", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.action} {self.record_type} {self.record_id}"

    @property
    def listed_ids(self) -> list[str]:
        return self.record_ids.split(",") if self.record_ids else []


class LoginAttempt(models.Model):
    """Failed sign-ins, counted to throttle guessing. Kept in the database so every app
    process behind the load balancer sees the same count."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} from {self.ip_address} at {self.at}"
