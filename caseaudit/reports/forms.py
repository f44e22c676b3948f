"""Forms for the highlight report pages: they check what was sent is well formed; the rules
live in ``actions``."""

import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from caseaudit.core.forms import lock_version_field
from caseaudit.core.grades import ORDER
from caseaudit.core.months import month_key, month_label, parse_month
from caseaudit.reports.choices import ExemplarKind, ReflectionQuestion, Section


class PeriodForm(forms.Form):
    """The month the report is for, and (for a cumulative report) the month it starts."""

    def __init__(self, data=None, *, months: list[datetime.date]):
        super().__init__(data)
        choices = [(month_key(month), month_label(month)) for month in reversed(months)]
        self.fields["month"] = forms.ChoiceField(
            label="Month",
            help_text="The month the report is for.",
            choices=[("", "Select a month"), *choices],
            error_messages={
                "required": "Select the month the report is for",
                "invalid_choice": "Select the month the report is for",
            },
        )
        self.fields["from"] = forms.ChoiceField(
            label="Start from (optional)",
            help_text="For a report covering several months, the first of them.",
            required=False,
            choices=[("", "The same month"), *choices],
            error_messages={"invalid_choice": "Select a month to start from"},
        )

    def clean(self):
        data = super().clean()
        for name in ("month", "from"):
            data[name] = parse_month(data[name]) if data.get(name) else None
        if data.get("month") and not data.get("from"):
            data["from"] = data["month"]
        if data.get("month") and data["from"] > data["month"]:
            self.add_error("from", "The first month must be the same as or before the month")
        return data


class NarrativeForm(forms.Form):
    """Every section's text, and (hidden) the version of each that the page was loaded at."""

    def __init__(self, data=None, *, initial: dict[str, str]):
        super().__init__(data, initial=initial)
        for section in Section:
            self.fields[version_name(section)] = lock_version_field()
            self.fields[version_name(section)].widget.attrs["id"] = f"{section.value}-version"
            self.fields[section.value] = forms.CharField(
                label=section.label,
                required=False,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 6}),
                error_messages={
                    "max_length": f"{section.label} must be 20,000 characters or fewer"
                },
            )


def version_name(section: Section) -> str:
    return f"{section.value}_version"


SOURCES = ("answer", "feedback", "reflection", "audit")


class ExemplarForm(forms.Form):
    audit = forms.IntegerField(min_value=1)
    kind = forms.ChoiceField(
        choices=ExemplarKind.choices,
        error_messages={"required": "Choose where the text goes in the report"},
    )
    answer = forms.IntegerField(required=False, min_value=1)
    feedback = forms.IntegerField(required=False, min_value=1)
    grade = forms.ChoiceField(
        label="Grade it describes",
        required=False,
        choices=[("", "Select a grade"), *((g.value, g.label) for g in ORDER)],
    )
    question = forms.ChoiceField(required=False, choices=[("", ""), *ReflectionQuestion.choices])
    text = forms.CharField(
        label="Text to show in the report",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The text must be 2,000 characters or fewer"},
    )


# Every other kind of report (``reports.kinds``) ------------------------------------------------


def _kind_helper(*fields, button: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button.primary("submit", button))
    return helper


class ThematicAuditsForm(forms.Form):
    """The thematic audits an overview report covers, from those the person may see."""

    audits = forms.MultipleChoiceField(
        label="Thematic audits",
        help_text="Select every thematic audit the report covers.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one thematic audit",
            "invalid_choice": "Select thematic audits from the list",
        },
    )

    def __init__(self, data=None, *, audits):
        super().__init__(data)
        self.fields["audits"].choices = [
            (str(audit.pk), f"{audit.title} ({audit.get_status_display().lower()})")
            for audit in audits
        ]
        self.helper = _kind_helper(Field.checkboxes("audits"), button="Preview the report")

    def parameters(self) -> dict:
        return {"audits": [int(pk) for pk in self.cleaned_data["audits"]]}


class PackForm(forms.Form):
    """The date of the case data a select-committee pack reports."""

    def __init__(self, data=None, *, dates: list[datetime.date]):
        super().__init__(data)
        self.fields["as_at"] = forms.ChoiceField(
            label="Case data as at",
            help_text="The pack shows the indicators for this date, and their trend up to it.",
            choices=[(day.isoformat(), f"{day:%-d %B %Y}") for day in dates],
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select the date of the case data",
                "invalid_choice": "Select a date from the list",
            },
        )
        self.helper = _kind_helper(Field.radios("as_at"), button="Preview the pack")

    def parameters(self) -> dict:
        return {"as_at": self.cleaned_data["as_at"]}


class SelfEvaluationForm(forms.Form):
    """The judgement area and the months a self-evaluation covers."""

    def __init__(self, data=None, *, areas, months: list[datetime.date], initial=None):
        super().__init__(data, initial=initial)
        self.fields["area"] = forms.ChoiceField(
            label="Judgement area",
            choices=[("", "Select a judgement area"), *((str(a.pk), a.name) for a in areas)],
            error_messages={
                "required": "Select the judgement area",
                "invalid_choice": "Select a judgement area from the list",
            },
        )
        choices = [(month_key(month), month_label(month)) for month in reversed(months)]
        for name, label, which in (
            ("from", "First month", "first"),
            ("to", "Last month", "last"),
        ):
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                error_messages={
                    "required": f"Select the {which} month of the period",
                    "invalid_choice": f"Select one of the months listed as the {which} month",
                },
            )
        self.helper = _kind_helper(
            Field.select("area"),
            Field.select("from"),
            Field.select("to"),
            button="Preview the self-evaluation",
        )

    def clean(self):
        data = super().clean()
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            self.add_error("from", "The first month must not be after the last month")
        return data

    def parameters(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("area", "from", "to")}
