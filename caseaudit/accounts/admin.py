from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError

from caseaudit.accounts import two_step
from caseaudit.accounts.actions import deactivate_user, unlink_single_sign_on
from caseaudit.accounts.models import AccessLog, User
from caseaudit.core.admin import ConfigurationAdmin

ROLE_AND_SCOPE = ("council", "worker", "role", "scope", "scope_area", "scope_service", "scope_team")


@admin.register(User)
class UserAdmin(ConfigurationAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "scope", "is_active"]
    list_filter = ["role", "scope", "is_active"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:2],
        ("Role and scope", {"fields": (*ROLE_AND_SCOPE, "is_active")}),
        (
            "Single sign-on",
            {
                "fields": ("sso_tenant", "sso_subject"),
                "description": "Set at the person's first sign-in with their council account.",
            },
        ),
    )
    readonly_fields = ("sso_tenant", "sso_subject")
    # A new account gets its role and scope at once; its council is the administrator's.
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Role and scope", {"fields": ROLE_AND_SCOPE}),
    )
    autocomplete_fields = ["worker"]
    actions = ["deactivate", "reset_two_step", "unlink_single_sign_on"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # An administrator who could reset a superuser's password would be one.
        return queryset.filter(is_superuser=False)

    def has_delete_permission(self, request, obj=None):
        # Never, not even for a superuser: the access log and history name every account and
        # cannot be changed, so someone who leaves is deactivated instead.
        return False

    @admin.action(description="Deactivate selected users", permissions=["change"])
    def deactivate(self, request, queryset):
        done = 0
        for user in queryset:
            try:
                done += deactivate_user(user, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        self.message_user(request, f"{done} user{'s' if done != 1 else ''} deactivated.")

    @admin.action(description="Reset two-step sign-in (for a lost phone)", permissions=["change"])
    def reset_two_step(self, request, queryset):
        # The secret is never shown or edited here: a reset only turns it off, and the person
        # turns it on again with a new one.
        users = list(queryset.exclude(totp_secret=""))  # nosec B106 # empty: no secret set
        for user in users:
            two_step.reset(user, by=request.user)
        self.message_user(request, f"Two-step sign-in reset for {len(users)} account(s).")

    @admin.action(
        description="Unlink single sign-on (the next sign-in links again by email)",
        permissions=["change"],
    )
    def unlink_single_sign_on(self, request, queryset):
        done = sum(unlink_single_sign_on(user, by=request.user) for user in queryset)
        self.message_user(request, f"Single sign-on unlinked for {done} account(s).")


@admin.register(AccessLog)
class AccessLogAdmin(ConfigurationAdmin):
    council_lookup = "user__council"
    list_display = ["sequence", "at", "username", "action", "record_type", "record_id"]
    list_filter = ["action", "record_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
