"""Judgement areas are configuration: a council's administrator adds its own (a local
heading, or the next framework's areas before a release knows them); the national ones come
by migration. Each administrator keeps to their own council's, as everywhere in the admin.
Whose audits count for an area is chosen here too, or by the QA lead from its self-evaluation."""

from django import forms
from django.contrib import admin

from caseaudit.core.admin import ConfigurationAdmin
from caseaudit.inspection.forms import cohort_field
from caseaudit.inspection.models import JudgementArea


class JudgementAreaForm(forms.ModelForm):
    # Whose audits count: the kinds of service, as checkboxes, not the list's JSON.
    cohort_services = cohort_field()

    class Meta:
        model = JudgementArea
        fields = [
            "council",
            "name",
            "framework",
            "order",
            "active_from",
            "active_until",
            "cohort_services",
        ]


@admin.register(JudgementArea)
class JudgementAreaAdmin(ConfigurationAdmin):
    form = JudgementAreaForm
    list_display = ["name", "framework", "order", "active_from", "active_until", "council"]
    search_fields = ["name"]
