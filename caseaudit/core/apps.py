from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "caseaudit.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        # Imported for what they register: the deployment checks, the sign-in receiver.
        from caseaudit.core import checks, sessions  # noqa: F401


class CaseauditAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "caseaudit.core.admin.CaseauditAdminSite"
