"""Forms for the compliance and moderation pages.

The moderation form checks only that what was sent is well formed; the rules (a moderated
grade for every graded domain, a reason wherever it differs from the auditor's) live in
``actions.moderation.record_moderation``, whose errors ``apply_errors`` puts beside the fields.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from caseaudit.audits.actions.moderation import grade_field, reason_field
from caseaudit.core.forms import add_action_errors
from caseaudit.core.grades import ORDER
from caseaudit.core.months import month_key, month_label, months_between, parse_month

GRADE_CHOICES = [(grade.value, grade.label) for grade in ORDER]


def _month_choices(months, blank: str) -> list[tuple[str, str]]:
    return [("", blank), *((month_key(month), month_label(month)) for month in months)]


class PeriodForm(forms.Form):
    """The compliance page's period chooser: from and to months. Unasked, it shows ``default``
    (``compliance.default_period``); blank months mean from the first or to the latest."""

    def __init__(self, data=None, *, months: list[datetime.date], default: tuple):
        self.default = default
        # The default's months are offered even before they have audits, so the chooser can
        # show the period the figures are for.
        months = sorted({*months, *months_between(*default)})
        super().__init__(data, initial={"from": month_key(default[0]), "to": month_key(default[1])})
        self.fields["from"] = forms.ChoiceField(
            label="From",
            required=False,
            choices=_month_choices(months, "The first month"),
            error_messages={"invalid_choice": "Select a month to start from"},
        )
        self.fields["to"] = forms.ChoiceField(
            label="To",
            required=False,
            choices=_month_choices(months, "The latest month"),
            error_messages={"invalid_choice": "Select a month to end with"},
        )

    def clean(self):
        data = super().clean()
        for name in ("from", "to"):
            data[name] = parse_month(data[name]) if data.get(name) else None
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            self.add_error("to", "The month to end with must be the same as or after the first")
        return data

    def period(self) -> tuple[datetime.date | None, datetime.date | None]:
        """The chosen months; the default period when none was asked for or the choice is not
        valid."""
        if not self.is_bound or not self.is_valid():
            return self.default
        return self.cleaned_data["from"], self.cleaned_data["to"]


class SelectSampleForm(forms.Form):
    """Select a random share of the submitted audits waiting for moderation."""

    month = forms.ChoiceField(label="Month", required=False)
    seed = forms.IntegerField(
        label="Seed (optional)",
        help_text="To repeat an earlier selection, enter its seed. Leave blank for a new one.",
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        error_messages={
            "invalid": "Enter the seed as a whole number, for example 1234",
            "min_value": "Enter a seed of 0 or more",
            "max_value": "Enter a seed of 2147483647 or less",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )

    def __init__(self, data=None, *, months: list[datetime.date]):
        super().__init__(data)
        self.fields["month"].choices = _month_choices(months, "Every month")
        self.fields["month"].error_messages["invalid_choice"] = "Select a month from the list"

    def clean_month(self):
        value = self.cleaned_data.get("month")
        return parse_month(value) if value else None


class ChooseAuditForm(forms.Form):
    """Select one named audit for moderation."""

    audit = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ModerationForm(forms.Form):
    """A moderated grade and a reason for each graded domain, then overall."""

    def __init__(self, data=None, *, domains, has_overall_grade: bool = True):
        super().__init__(data)
        self.domains = list(domains)
        self.has_overall_grade = has_overall_grade
        for domain in self.domains:
            self.fields[grade_field(domain.pk)] = forms.ChoiceField(
                label=f"Moderated grade for {domain.title}",
                choices=GRADE_CHOICES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select the moderated grade for {domain.title}",
                    "invalid_choice": f"Select the moderated grade for {domain.title}",
                },
            )
            self.fields[reason_field(domain.pk)] = forms.CharField(
                label="Reason, if your grade differs",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        if has_overall_grade:
            self.fields["overall_grade"] = forms.ChoiceField(
                label="Moderated overall grade",
                choices=GRADE_CHOICES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Select the moderated overall grade",
                    "invalid_choice": "Select the moderated overall grade",
                },
            )
        self.fields["overall_reason"] = forms.CharField(
            label="Reason, if your overall grade differs",
            required=False,
            max_length=10000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def action_arguments(self) -> dict:
        """What ``record_moderation`` takes, from the cleaned data."""
        data = self.cleaned_data
        return {
            "overall_grade": data.get("overall_grade", ""),
            "domain_grades": {d.pk: data[grade_field(d.pk)] for d in self.domains},
            "reasons": {d.pk: data.get(reason_field(d.pk), "") for d in self.domains},
            "overall_reason": data.get("overall_reason", ""),
        }

    def apply_errors(self, error: ValidationError) -> None:
        """Put the action's refusal beside the fields it names."""
        add_action_errors(self, error)

    def domain_rows(self):
        """(domain, grade field, reason field) for the template, in the tool's order."""
        return [
            (domain, self[grade_field(domain.pk)], self[reason_field(domain.pk)])
            for domain in self.domains
        ]
