"""The Django admin, for configuration only, and only for administrators.

Every model admin derives from ``ConfigurationAdmin``: it lets administrators (and
superusers) in, keeps each administrator to their own council's records, and writes the same
change history as the actions do.
"""

from django.contrib import admin

from caseaudit.core.history import record_change, snapshot


class CaseauditAdminSite(admin.AdminSite):
    site_header = "caseaudit administration"
    site_title = "caseaudit administration"
    index_title = "Configuration"

    def has_permission(self, request):
        from caseaudit.accounts.permissions import can_administer

        user = request.user
        return user.is_active and (user.is_superuser or can_administer(user))

    def login(self, request, extra_context=None):
        # One sign-in page, with its throttling, for the whole service; someone already
        # signed in who is not an administrator is refused rather than asked again.
        from django.contrib.auth.views import redirect_to_login
        from django.core.exceptions import PermissionDenied

        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or request.get_full_path())


class ConfigurationAdmin(admin.ModelAdmin):
    # The lookup from this model to its council, for keeping administrators to their own.
    council_lookup = "council"

    def _allowed(self, request) -> bool:
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or not self.council_lookup:
            return queryset
        return queryset.filter(**{f"{self.council_lookup}_id": request.user.council_id})

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        record_change(
            obj, by=request.user, action="changed" if change else "created", before=before
        )

    def delete_model(self, request, obj):
        before = snapshot(obj)
        record_change(obj, by=request.user, action="deleted", before=before, after={})
        super().delete_model(request, obj)
