"""Forms for the programme pages: a month, a draw, a reallocation (GOV.UK layouts)."""

import datetime

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from caseaudit.audits.actions.programme import default_due_date
from caseaudit.audits.actions.sampling import MAX_EXCLUDED_MONTHS, MAX_PER_TEAM
from caseaudit.cases.cohorts import COHORTS
from caseaudit.cases.models import CohortDefinition
from caseaudit.tools.choices import ToolKind, VersionStatus
from caseaudit.tools.models import AuditTool, ToolVersion

NO_COHORT = ("", "No cohort focus: a cross-section of teams")


def cohort_choices() -> list[tuple[str, str]]:
    return [NO_COHORT, *((key, cohort.title) for key, cohort in COHORTS.items())]


def saved_cohort_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Or a saved cohort",
        queryset=CohortDefinition.objects.none(),
        required=False,
        empty_label="None",
        help_text="A cohort saved on the cohort builder, instead of a practice theme.",
    )


def _saved_cohorts(council):
    return CohortDefinition.objects.filter(council=council).order_by("name")


def _number(**attrs) -> forms.TextInput:
    # GOV.UK asks for whole numbers in a text input with a numeric keyboard, not type=number.
    return forms.TextInput(
        attrs={"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-3"}
        | attrs
    )


def _helper(*fields, button: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button.primary("submit", button))
    return helper


class MonthYearWidget(forms.MultiWidget):
    """The GOV.UK date input without the day."""

    template_name = "gds/widgets/date.html"

    def __init__(self, attrs=None):
        widgets = [
            forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                    "label": "Month",
                    "inputmode": "numeric",
                }
            ),
            forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input govuk-input--width-4",
                    "label": "Year",
                    "inputmode": "numeric",
                }
            ),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        return (value.month, value.year) if value else (None, None)


class MonthYearField(forms.MultiValueField):
    """A month as the first day of it, entered as month and year."""

    widget = MonthYearWidget

    def __init__(self, **kwargs):
        fields = (
            forms.CharField(error_messages={"incomplete": "Enter the month"}),
            forms.CharField(error_messages={"incomplete": "Enter the year"}),
        )
        messages = {
            "required": "Enter the month and year, for example 4 2026",
            "incomplete": "Enter the month and year, for example 4 2026",
        }
        super().__init__(fields=fields, error_messages=messages, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        month, year = (value.strip() for value in data_list)
        if not (month.isdigit() and year.isdigit()):
            raise forms.ValidationError("Enter the month and year as numbers, for example 4 2026")
        if not 1 <= int(month) <= 12:
            raise forms.ValidationError("The month must be a number from 1 to 12")
        if not 2000 <= int(year) <= 2100:
            raise forms.ValidationError("Enter the year in full, for example 2026")
        return datetime.date(int(year), int(month), 1)


class ToolVersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ToolVersion) -> str:
        return f"{obj.tool.name} (version {obj.number})"


class MonthForm(forms.Form):
    """The field names are the keyword arguments of ``programme.create_month``, so the
    action's errors land on their fields."""

    month = MonthYearField(label="Programme month", help_text="For example, 4 2026")
    tool_version = ToolVersionChoiceField(
        label="Audit tool",
        queryset=ToolVersion.objects.none(),
        empty_label=None,
        error_messages={"required": "Select the audit tool"},
    )
    cohort_key = forms.ChoiceField(
        label="Cohort focus",
        choices=cohort_choices,
        required=False,
        help_text="The month's sample is drawn from this cohort unless you choose otherwise.",
    )
    saved_cohort = saved_cohort_field()
    due_date = DateInputField(
        label="Date the audits are due",
        help_text="For example, 30 4 2026",
        require_all_fields=False,
    )

    def __init__(self, *args, council, month: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if month is not None:
            # Prefilled: the next month in the programme, due by the programme's rule.
            self.fields["month"].initial = month
            self.fields["due_date"].initial = default_due_date(month)
        self.fields["due_date"].error_messages["required"] = "Enter the date the audits are due"
        published = (
            ToolVersion.objects.filter(
                status=VersionStatus.PUBLISHED,
                tool__in=AuditTool.objects.for_council(council.pk),
            )
            .select_related("tool")
            .order_by("tool__name", "-number")
        )
        self.fields["tool_version"].queryset = published
        self.fields["saved_cohort"].queryset = _saved_cohorts(council)
        # The full practice audit is the usual choice; the light-touch tool is for exceptions.
        practice = published.filter(tool__kind=ToolKind.PRACTICE).first()
        if practice is not None:
            self.fields["tool_version"].initial = practice.pk
        self.helper = _helper(
            Field("month", legend_size=Size.SMALL),
            "tool_version",
            "cohort_key",
            "saved_cohort",
            Field("due_date", legend_size=Size.SMALL),
            button="Create the month",
        )


class DrawForm(forms.Form):
    per_team = forms.IntegerField(
        label="Cases per team",
        min_value=1,
        max_value=MAX_PER_TEAM,
        initial=1,
        widget=_number(),
        error_messages={
            "required": "Enter how many cases to draw from each team",
            "invalid": "Enter the cases per team as a whole number, like 1",
            "min_value": "Draw at least 1 case per team",
            "max_value": f"Draw at most {MAX_PER_TEAM} cases per team",
        },
    )
    cohort_key = forms.ChoiceField(label="Cohort", choices=cohort_choices, required=False)
    saved_cohort = saved_cohort_field()
    exclude_audited_months = forms.IntegerField(
        label="Leave out children audited in the last",
        help_text="Number of months. Children with an audit still open are always left out.",
        min_value=0,
        max_value=MAX_EXCLUDED_MONTHS,
        initial=6,
        widget=_number(),
        error_messages={
            "required": "Enter the number of months, or 0",
            "invalid": "Enter the number of months as a whole number, like 6",
            "min_value": "The number of months must be 0 or more",
            "max_value": f"The number of months must be {MAX_EXCLUDED_MONTHS} or fewer",
        },
    )
    seed = forms.IntegerField(
        label="Seed (optional)",
        help_text="To draw a sample again exactly, enter its seed. Leave blank for a new draw.",
        required=False,
        min_value=0,
        max_value=2**53,
        widget=_number(**{"class": "govuk-input--width-10"}),
        error_messages={
            "invalid": "Enter the seed as a whole number, like 4821",
            "min_value": "The seed must be 0 or more",
            "max_value": "The seed is too large",
        },
    )

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["saved_cohort"].queryset = _saved_cohorts(council)
        self.helper = _helper(
            "per_team",
            "cohort_key",
            "saved_cohort",
            "exclude_audited_months",
            "seed",
            button="Draw a sample",
        )


class ReallocateForm(forms.Form):
    """The field names are ``allocation.reallocate``'s, so its errors land on their fields."""

    to_user = forms.ModelChoiceField(
        label="Team manager",
        queryset=None,
        empty_label="Choose a team manager",
        error_messages={"required": "Select the team manager to give the audit to"},
    )
    reason = forms.CharField(
        label="Reason for reallocating",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Enter the reason for reallocating the audit"},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = choices
        self.fields["to_user"].label_from_instance = _auditor_label
        self.helper = _helper("to_user", "reason", button="Reallocate")


class SwapForm(forms.Form):
    """The field name is ``sampling.swap_case``'s, so its error lands on it."""

    reason = forms.CharField(
        label="Why is this case being swapped out?",
        help_text="For example, the child's case is being transferred to another council. "
        "The reason is kept with the sample and in its history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={
            "required": "Enter the reason for swapping the case out",
            "max_length": "The reason must be 1000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("reason", button="Swap the case")


def _auditor_label(user) -> str:
    return f"{user.display_name} ({user.open_audits} open)"
