from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "caseaudit.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from caseaudit.core import checks  # noqa: F401  (registers the deployment checks)


class CaseauditAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "caseaudit.core.admin.CaseauditAdminSite"
