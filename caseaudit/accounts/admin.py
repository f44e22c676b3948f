from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from caseaudit.accounts import two_step
from caseaudit.accounts.models import AccessLog, User
from caseaudit.core.admin import ConfigurationAdmin


@admin.register(User)
class UserAdmin(ConfigurationAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "scope", "is_active"]
    list_filter = ["role", "scope", "is_active"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:2],
        (
            "Role and scope",
            {
                "fields": (
                    "council",
                    "worker",
                    "role",
                    "scope",
                    "scope_area",
                    "scope_service",
                    "scope_team",
                    "is_active",
                )
            },
        ),
    )
    autocomplete_fields = ["worker"]
    actions = ["reset_two_step"]

    @admin.action(description="Reset two-step sign-in (for a lost phone)")
    def reset_two_step(self, request, queryset):
        # The secret is never shown or edited here: a reset only turns it off, and the person
        # turns it on again with a new one.
        users = list(queryset.exclude(totp_secret=""))
        for user in users:
            two_step.reset(user, by=request.user)
        self.message_user(request, f"Two-step sign-in reset for {len(users)} account(s).")


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
