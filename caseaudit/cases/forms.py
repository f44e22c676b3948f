import datetime

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from caseaudit.cases.cohorts import FIELDS, OPERATOR_LABELS, clean_condition


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Annex A return",
        help_text="An .xlsx workbook with one sheet per list, a .csv of one list, or a .zip of "
        ".csv files. Up to 150 MB.",
        error_messages={"required": "Select the Annex A file to import"},
    )
    as_at = DateInputField(
        label="Date the lists were taken",
        help_text="For example, 31 3 2026. Leave blank to use today's date.",
        required=False,
        require_all_fields=False,
    )

    def __init__(self, *args, refused: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if refused:
            # The upload was stopped before it was kept (core.uploads): say why, not "select".
            self.fields["file"].error_messages["required"] = refused
        self.helper = FormHelper()
        self.helper.layout = Layout("file", "as_at", Button.primary("submit", "Import"))
        self.helper.form_tag = False

    def clean_as_at(self):
        value = self.cleaned_data.get("as_at")
        if isinstance(value, datetime.date) and value > timezone.localdate():
            raise forms.ValidationError("The date the lists were taken must be today or earlier")
        return value


class StartCouncilForm(ImportForm):
    """A fresh installation's council and its first Annex A return."""

    code = forms.CharField(
        label="Council code",
        help_text="The Department for Education's three-digit local-authority code, for "
        "example 936.",
        error_messages={"required": "Enter the council's three-digit code"},
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-3", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
    name = forms.CharField(
        label="Council name",
        help_text="As it should appear on every page and report, for example Surrey County "
        "Council.",
        error_messages={"required": "Enter the council's name"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["code", "name", "file", "as_at"])
        self.helper.layout = Layout(
            "code",
            "name",
            "file",
            "as_at",
            Button.primary("submit", "Create the council and import"),
        )


# --- the cohort builder ----------------------------------------------------------------------

CONDITION_ROWS = 6


def _field_choices() -> list:
    groups: dict[str, list] = {}
    for option in FIELDS.values():
        groups.setdefault(option.group, []).append((option.key, option.label))
    return [("", "Choose a field"), *groups.items()]


def _operator_choices() -> list:
    return [("", "Choose a comparison"), *OPERATOR_LABELS.items()]


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "govuk-select"})


class CohortForm(forms.Form):
    name = forms.CharField(
        label="Name of the cohort",
        max_length=150,
        error_messages={"required": "Enter a name for the cohort"},
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ConditionForm(forms.Form):
    """One condition: a field, a comparison, and a value (two for "between"). A row left
    without a field is ignored, so the page can offer several empty rows."""

    field = forms.ChoiceField(
        label="Field", choices=_field_choices, required=False, widget=_select()
    )
    op = forms.ChoiceField(
        label="Comparison", choices=_operator_choices, required=False, widget=_select()
    )
    value = forms.CharField(label="Value", required=False, max_length=500)
    value2 = forms.CharField(
        label="Second value (for 'is between')", required=False, max_length=500
    )

    def clean(self):
        data = super().clean()
        if not data.get("field"):
            data["condition"] = None
            return data
        try:
            data["condition"] = clean_condition(
                data["field"], data.get("op", ""), data.get("value", ""), data.get("value2", "")
            )
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return data


ConditionFormSet = forms.formset_factory(ConditionForm, extra=0)


def condition_initial(conditions) -> list[dict]:
    rows = [
        {
            "field": c.field,
            "op": c.op,
            "value": ", ".join(c.value) if isinstance(c.value, list) else c.value or "",
            "value2": c.value2 or "",
        }
        for c in conditions
    ]
    return rows + [{}] * max(CONDITION_ROWS - len(rows), 2)


def cleaned_conditions(formset) -> list:
    rows = (form.cleaned_data.get("condition") for form in formset)
    return [condition for condition in rows if condition]
