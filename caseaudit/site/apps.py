from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "caseaudit.site"
    label = "site"
    verbose_name = "Site"
