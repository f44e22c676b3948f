"""Forms for the thematic audit pages (GOV.UK layouts). They check only the shape of what was
typed; the actions decide, and their errors land on the fields they name."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from caseaudit.accounts.models import User
from caseaudit.accounts.permissions import THEMATIC_LEADS
from caseaudit.audits import eligibility
from caseaudit.cases.models import CohortDefinition
from caseaudit.core.forms import DateField
from caseaudit.core.roles import STAFF_ROLES
from caseaudit.thematic.choices import (
    ActionStatus,
    ConsulteeRole,
    FindingKind,
    FindingStatus,
    FindingTheme,
    SampleMethod,
    Severity,
)
from caseaudit.tools.choices import VersionStatus
from caseaudit.tools.models import AuditTool, ToolVersion


def _helper(*fields, button: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button.primary("submit", button))
    return helper


def _text(label: str, missing: str = "", *, rows: int = 4, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=bool(missing),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": missing},
    )


def _number(label: str, hint: str = "", *, required=False) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=hint,
        required=required,
        min_value=0,
        max_value=2**53,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
        error_messages={"invalid": f"Enter {label.lower()} as a whole number"},
    )


class _People(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class _Tool(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.tool.name} (version {obj.number})"


class ThematicAuditForm(forms.Form):
    """Field names are ``actions.create_thematic_audit``'s keywords."""

    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the title"}
    )
    lead = _People(
        label="Lead",
        queryset=User.objects.none(),
        empty_label="Choose the lead",
        error_messages={"required": "Select the lead"},
    )
    purpose = _text("Purpose", "Enter the purpose of the thematic audit")
    period_start = DateField(label="Start of the period", missing="Enter the start of the period")
    period_end = DateField(label="End of the period", missing="Enter the end of the period")
    cohort = forms.ModelChoiceField(
        label="Cohort",
        queryset=CohortDefinition.objects.none(),
        required=False,
        empty_label="No cohort yet",
    )
    tool_version = _Tool(
        label="Audit tool",
        queryset=ToolVersion.objects.none(),
        required=False,
        empty_label="No tool yet",
        help_text="Build the bespoke tool under Audit tools, then publish it.",
    )
    auditors = forms.ModelMultipleChoiceField(
        label="Auditors",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave blank to allocate to any team manager who audits.",
    )
    audits_due = DateField(label="Date the audits are due (optional)", missing="", required=False)

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = User.objects.filter(
            council=council, is_active=True, role__in=THEMATIC_LEADS
        ).order_by("username")
        self.fields["cohort"].queryset = CohortDefinition.objects.filter(council=council)
        self.fields["tool_version"].queryset = (
            ToolVersion.objects.filter(
                status=VersionStatus.PUBLISHED, tool__in=AuditTool.objects.for_council(council.pk)
            )
            .select_related("tool")
            .order_by("tool__name", "-number")
        )
        auditors = eligibility.auditors(council)
        self.fields["auditors"].queryset = User.objects.filter(pk__in=auditors.values("pk"))
        self.fields["auditors"].label_from_instance = lambda user: user.display_name
        self.helper = _helper(
            "title",
            "lead",
            "purpose",
            Field("period_start", legend_size=Size.SMALL),
            Field("period_end", legend_size=Size.SMALL),
            "cohort",
            "tool_version",
            Field.checkboxes("auditors", legend_size=Size.SMALL),
            Field("audits_due", legend_size=Size.SMALL),
            button="Save",
        )


class SampleForm(forms.Form):
    method = forms.ChoiceField(
        label="How to draw the sample",
        choices=SampleMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how to draw the sample"},
    )
    size = _number("Number or percentage", "Children to draw, or per group, or the percentage.")
    seed = _number("Seed (optional)", "To draw a sample again exactly, enter its seed.")
    as_at = DateField(
        label="Evaluate the cohort as at (optional)",
        missing="",
        required=False,
        help_text="Leave blank for the latest case data. For example, 31 3 2026",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("method", legend_size=Size.SMALL),
            "size",
            "seed",
            Field("as_at", legend_size=Size.SMALL),
            button="Draw the sample",
        )


class AllocateForm(forms.Form):
    due_date = DateField(
        label="Date the audits are due", missing="Enter the date the audits are due"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("due_date", legend_size=Size.SMALL), button="Allocate the audits"
        )


class ConsultationForm(forms.Form):
    who = forms.CharField(
        label="Who was consulted",
        max_length=200,
        error_messages={"required": "Enter who was consulted"},
    )
    role = forms.ChoiceField(
        label="Their role",
        choices=ConsulteeRole.choices,
        error_messages={"required": "Select their role"},
    )
    held_on = DateField(label="Date", missing="Enter the date of the consultation")
    notes = _text("Notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "who",
            "role",
            Field("held_on", legend_size=Size.SMALL),
            "notes",
            button="Add the consultation",
        )


def _theme_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Theme (optional)",
        help_text="A finding with the same theme and kind in another thematic audit is shown "
        "as recurring.",
        choices=[("", "Not given"), *FindingTheme.choices],
        required=False,
    )


class FindingForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of finding",
        choices=FindingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of finding"},
    )
    summary = forms.CharField(
        label="Finding", max_length=300, error_messages={"required": "Enter the finding"}
    )
    detail = _text("Detail")
    theme = _theme_field()
    severity = forms.ChoiceField(
        label="Severity (for an area for improvement)",
        choices=Severity.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    evidence = forms.ModelMultipleChoiceField(
        label="Audits that evidence it",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, audits, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = audits
        self.fields["evidence"].label_from_instance = lambda audit: (
            f"Child {audit.thematic_case.la_child_id}: "
            f"{audit.get_overall_grade_display() or audit.get_status_display()}"
        )
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL),
            "summary",
            "detail",
            "theme",
            Field.radios("severity", legend_size=Size.SMALL),
            Field.checkboxes("evidence", legend_size=Size.SMALL),
            button="Add the finding",
        )


class DismissForm(forms.Form):
    reason = _text("Why is the finding dismissed?", "Enter the reason for dismissing the finding")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("reason", button="Dismiss the finding")


class ThemeForm(forms.Form):
    theme = _theme_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("theme", button="Save the theme")


class AssignFindingForm(forms.Form):
    owner = _People(
        label="Owner",
        queryset=User.objects.none(),
        empty_label="Choose the owner",
        error_messages={"required": "Select the owner"},
    )
    due_date = DateField(
        label="Due date", missing="Enter the date the finding is due to be put right"
    )
    severity = forms.ChoiceField(
        label="Severity",
        choices=Severity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how severe the area for improvement is"},
    )

    def __init__(self, *args, thematic_audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff(thematic_audit)
        self.helper = _helper(
            "owner",
            Field("due_date", legend_size=Size.SMALL),
            Field.radios("severity", legend_size=Size.SMALL),
            button="Assign the finding",
        )


def _staff(thematic_audit):
    return User.objects.filter(
        council_id=thematic_audit.council_id, is_active=True, role__in=STAFF_ROLES
    ).order_by("username")


class RecommendationForm(forms.Form):
    text = _text("Recommendation", "Enter the recommendation")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("text", button="Add the recommendation")


class ActionForm(forms.Form):
    action = _text("Action", "Enter the action")
    intended_outcome = _text("Intended outcome", "Enter the intended outcome")
    owner = _People(
        label="Owner",
        queryset=User.objects.none(),
        empty_label="Choose the owner",
        error_messages={"required": "Select the owner"},
    )
    due_date = DateField(label="Due date", missing="Enter the date the action is due")
    finding = forms.ModelChoiceField(
        label="Finding it answers (optional)", queryset=None, required=False, empty_label="None"
    )
    recommendation = forms.ModelChoiceField(
        label="Recommendation it answers (optional)",
        queryset=None,
        required=False,
        empty_label="None",
    )

    def __init__(self, *args, thematic_audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff(thematic_audit)
        self.fields["finding"].queryset = thematic_audit.findings.filter(
            status__in=FindingStatus.live()
        )
        self.fields["recommendation"].queryset = thematic_audit.recommendations.all()
        self.helper = _helper(
            "action",
            "intended_outcome",
            "owner",
            Field("due_date", legend_size=Size.SMALL),
            "finding",
            "recommendation",
            button="Add the action",
        )


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="Progress",
        choices=[(ActionStatus.IN_PROGRESS, "In progress"), (ActionStatus.DONE, "Done")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action's progress"},
    )
    evidence = _text("Evidence of completion", hint="Needed when the action is done.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("status", legend_size=Size.SMALL), "evidence", button="Update the action"
        )
