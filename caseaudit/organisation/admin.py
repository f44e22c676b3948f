from django.contrib import admin

from caseaudit.core.admin import ConfigurationAdmin
from caseaudit.organisation.models import Area, Assignment, Council, Service, Team, Worker


@admin.register(Council)
class CouncilAdmin(ConfigurationAdmin):
    council_lookup = "pk"
    list_display = ["name", "code"]

    # Councils are set up from the command line or by a superuser; an administrator may
    # only look after their own.
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Area)
class AreaAdmin(ConfigurationAdmin):
    list_display = ["name", "council"]


@admin.register(Service)
class ServiceAdmin(ConfigurationAdmin):
    list_display = ["name", "kind", "council"]


@admin.register(Team)
class TeamAdmin(ConfigurationAdmin):
    list_display = ["name", "area", "service"]
    list_filter = ["area", "service"]
    search_fields = ["name"]


@admin.register(Worker)
class WorkerAdmin(ConfigurationAdmin):
    list_display = ["name", "staff_id"]
    search_fields = ["name", "staff_id"]


@admin.register(Assignment)
class AssignmentAdmin(ConfigurationAdmin):
    council_lookup = "team__council"
    list_display = ["worker", "team", "job_role", "manager", "starts_on", "ends_on"]
    list_filter = ["job_role"]
    search_fields = ["worker__name"]
    autocomplete_fields = ["worker", "manager", "team"]
