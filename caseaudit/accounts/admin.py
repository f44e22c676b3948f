from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

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
