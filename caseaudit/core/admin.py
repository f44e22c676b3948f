"""The Django admin, for configuration only, and only for administrators.

Every model admin derives from ``ConfigurationAdmin``: it lets administrators (and
superusers) in, keeps each administrator to their own council's records, and writes the same
change history as the actions do.
"""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from caseaudit.core.history import record_change, snapshot
from caseaudit.core.roles import can_administer


class CaseauditAdminSite(admin.AdminSite):
    site_header = "caseaudit administration"
    site_title = "caseaudit administration"
    index_title = "Configuration"

    def has_permission(self, request):
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

    def own_council_only(self, request, queryset: models.QuerySet) -> models.QuerySet:
        """``queryset`` cut down to the administrator's own council; everything for a superuser.

        The one place the admin decides what an administrator may see or choose: its lists,
        its forms' choices and its autocomplete answers all come through here. A model the
        admin cannot place in a council offers an administrator nothing.
        """
        if request.user.is_superuser:
            return queryset
        model_admin = self._registry.get(queryset.model)
        lookup = getattr(model_admin, "council_lookup", None)
        if not lookup or request.user.council_id is None:
            return queryset.none()
        return queryset.filter(**{lookup: request.user.council_id})


class ConfigurationAdmin(admin.ModelAdmin):
    # The lookup from this model to its council's id, for keeping administrators to their own.
    council_lookup = "council"

    def _allowed(self, request) -> bool:
        return self.admin_site.has_permission(request)

    def _sets_own_council(self, request) -> bool:
        # An administrator's records always belong to their council: they never choose it.
        return not request.user.is_superuser and self.council_lookup == "council"

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
        return self.admin_site.own_council_only(request, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self._sets_own_council(request) and "council" not in readonly:
            readonly.append("council")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not self._sets_own_council(request):
            return form
        council_id = request.user.council_id

        class OwnCouncilForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                # Before validation, so that the model's own checks that related records
                # belong to the same council compare against the administrator's.
                self.instance.council_id = council_id

        OwnCouncilForm.__name__ = form.__name__
        return OwnCouncilForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs["queryset"] = self._choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["queryset"] = self._choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _choices(self, db_field, request, kwargs) -> models.QuerySet:
        # A choice outside the council is then "not one of the available choices": a form
        # error, whatever id a crafted POST sends.
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(kwargs.get("using"))
        return self.admin_site.own_council_only(request, queryset)

    def get_list_filter(self, request):
        # A plain related-field filter lists every council's records by name; this one lists
        # only those found in the (already filtered) list.
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str) and self._is_relation(item):
                item = (item, admin.RelatedOnlyFieldListFilter)
            filters.append(item)
        return filters

    def _is_relation(self, name: str) -> bool:
        try:
            return self.model._meta.get_field(name).is_relation
        except FieldDoesNotExist:  # a lookup across relations: left as Django has it
            return False

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
