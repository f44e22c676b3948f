"""Judgement areas are configuration: a council's administrator adds its own (a local
heading, or the next framework's areas before a release knows them); the national ones come
by migration. Each administrator keeps to their own council's, as everywhere in the admin."""

from django.contrib import admin

from caseaudit.core.admin import ConfigurationAdmin
from caseaudit.inspection.models import JudgementArea


@admin.register(JudgementArea)
class JudgementAreaAdmin(ConfigurationAdmin):
    list_display = ["name", "framework", "order", "active_from", "active_until", "council"]
    search_fields = ["name"]
