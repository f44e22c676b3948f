"""Forms for the inspection pages (GOV.UK layouts). They check only the shape of what was
typed; the actions decide, and their errors land on the fields they name. An action's
progress is updated with the thematic action plan's own form (``thematic.forms``)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from caseaudit.audits.choices import Rag
from caseaudit.audits.compliance import reporting_months
from caseaudit.core.forms import DateField, lock_version_field
from caseaudit.core.grades import Grade
from caseaudit.core.months import month_key, month_label, parse_month
from caseaudit.inspection.actions import staff_of
from caseaudit.inspection.choices import EvidenceKind, InspectionKind
from caseaudit.inspection.models import JudgementArea
from caseaudit.organisation.choices import ServiceKind
from caseaudit.performance.indicators import INDICATORS
from caseaudit.thematic.choices import FindingStatus
from caseaudit.thematic.forms import ThematicAuditForm
from caseaudit.thematic.models import Finding, ThematicAudit
from caseaudit.tools.choices import QuestionKind
from caseaudit.tools.models import Domain


def _helper(*fields, button: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button.primary("submit", button))
    return helper


def _text(label: str, missing: str, *, rows: int = 4, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=bool(missing),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": missing},
    )


class RagForm(forms.Form):
    rag_value = forms.ChoiceField(
        label="RAG status",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select red, amber or green"},
    )
    rationale = _text(
        "Rationale",
        "Enter why the recommendation has this RAG status",
        hint="What you know, how you know it, and what is still to change.",
    )
    lock_version = lock_version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("rag_value", legend_size=Size.SMALL, inline=True),
            "rationale",
            "lock_version",
            button="Set the RAG status",
        )


class _People(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class ActionForm(forms.Form):
    action = _text("Action", "Enter the action")
    owner = _People(
        label="Owner",
        queryset=None,
        empty_label="Choose the owner",
        error_messages={"required": "Select the owner"},
    )
    due_date = DateField(label="Due date", missing="Enter the date the action is due")

    def __init__(self, *args, council_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_of(council_id).order_by("username")
        self.helper = _helper(
            "action",
            "owner",
            Field("due_date", legend_size=Size.SMALL),
            button="Add the action",
        )


def _months(council) -> list[tuple[str, str]]:
    return [(month_key(month), month_label(month)) for month in reporting_months(council)]


class _Finding(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.summary} ({obj.thematic_audit.title})"


class EvidenceForm(forms.Form):
    """The fields of one kind of evidence (``kind``), and a note."""

    FIELDS = {
        EvidenceKind.AUDIT_DOMAIN: ("domain_title", "from_month", "to_month"),
        EvidenceKind.THEMATIC_AUDIT: ("thematic_audit",),
        EvidenceKind.THEMATIC_FINDING: ("finding",),
        EvidenceKind.INDICATOR: ("indicator_code", "target"),
    }

    note = _text("What this shows (optional)", "", rows=3)

    def __init__(self, *args, kind: str, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == EvidenceKind.AUDIT_DOMAIN:
            titles = (
                Domain.objects.filter(questions__kind=QuestionKind.GRADE)
                .values_list("title", flat=True)
                .distinct()
                .order_by("title")
            )
            self.fields["domain_title"] = forms.ChoiceField(
                label="Audit domain",
                choices=[("", "Choose the domain"), *((t, t) for t in titles)],
                error_messages={"required": "Select the audit domain"},
            )
            months = [("", "Choose the month"), *_months(council)]
            self.fields["from_month"] = forms.ChoiceField(
                label="From", choices=months, error_messages={"required": "Select the first month"}
            )
            self.fields["to_month"] = forms.ChoiceField(
                label="To", choices=months, error_messages={"required": "Select the last month"}
            )
        elif kind == EvidenceKind.THEMATIC_AUDIT:
            self.fields["thematic_audit"] = forms.ModelChoiceField(
                label="Thematic audit",
                queryset=ThematicAudit.objects.filter(council=council),
                empty_label="Choose the thematic audit",
                error_messages={"required": "Select the thematic audit"},
            )
        elif kind == EvidenceKind.THEMATIC_FINDING:
            self.fields["finding"] = _Finding(
                label="Finding",
                queryset=Finding.objects.filter(thematic_audit__council=council)
                .exclude(status=FindingStatus.DISMISSED)
                .select_related("thematic_audit"),
                empty_label="Choose the finding",
                error_messages={"required": "Select the finding"},
            )
        else:
            self.fields["indicator_code"] = forms.ChoiceField(
                label="Indicator",
                choices=[("", "Choose the indicator")]
                + [(code, ind.name) for code, ind in INDICATORS.items()],
                error_messages={"required": "Select the indicator"},
            )
            self.fields["target"] = forms.DecimalField(
                label="Target (optional)",
                help_text="In the indicator's own unit: a percentage, a rate or a count.",
                required=False,
                max_digits=10,
                decimal_places=1,
                widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
                error_messages={"invalid": "Enter the target as a number, like 85 or 85.5"},
            )
        self.helper = _helper(*self.FIELDS[kind], "note", button="Link the evidence")

    def action_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("from_month", "to_month"):
            if data.get(name):
                data[name] = parse_month(data[name])
        return data


class InspectionForm(forms.Form):
    """Field names are ``actions.record_inspection``'s keywords."""

    # A mock inspection is recorded on its own form (``MockInspectionForm``).
    kind = forms.ChoiceField(
        label="Kind of inspection",
        choices=[(k.value, k.label) for k in InspectionKind if k != InspectionKind.MOCK],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of inspection"},
    )
    started_on = DateField(label="First day", missing="Enter the first day of the inspection")
    ended_on = DateField(label="Last day (optional)", missing="", required=False)
    published_on = DateField(label="Report published (optional)", missing="", required=False)
    reference = forms.CharField(label="Report reference (optional)", max_length=100, required=False)
    summary = _text("Summary (optional)", "", rows=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field("started_on", legend_size=Size.SMALL),
            Field("ended_on", legend_size=Size.SMALL),
            Field("published_on", legend_size=Size.SMALL),
            "reference",
            "summary",
            button="Record the inspection",
        )


NOT_JUDGED = ""


class JudgementsForm(forms.Form):
    """One grade for each judgement area in force when the inspection began."""

    def __init__(self, *args, areas, current: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = list(areas)
        for area in self.areas:
            self.fields[self.field_name(area)] = forms.ChoiceField(
                label=area.name,
                choices=[(NOT_JUDGED, "Not judged"), *Grade.choices],
                required=False,
                initial=current.get(area.pk, NOT_JUDGED),
            )
        self.helper = _helper(
            *(self.field_name(area) for area in self.areas), button="Save the judgements"
        )

    @staticmethod
    def field_name(area) -> str:
        return f"area_{area.pk}"

    def grades(self) -> list[tuple[object, str]]:
        """The areas given a grade, with it."""
        return [
            (area, self.cleaned_data[self.field_name(area)])
            for area in self.areas
            if self.cleaned_data.get(self.field_name(area))
        ]


class RecommendationForm(forms.Form):
    number = forms.IntegerField(
        label="Number",
        help_text="As the report numbers it.",
        min_value=1,
        max_value=999,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the recommendation's number",
            "invalid": "Enter the number as a whole number, like 4",
            "min_value": "Enter a number of 1 or more",
            "max_value": "Enter a number of 999 or less",
        },
    )
    text = _text("Recommendation", "Enter the recommendation", rows=5)
    area = forms.ModelChoiceField(
        label="Judgement area (optional)",
        queryset=None,
        required=False,
        empty_label="None",
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.helper = _helper("number", "text", "area", button="Add the recommendation")


class _Area(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.framework})" if obj.framework else obj.name


class AreaForm(forms.Form):
    area = _Area(
        label="Judgement area",
        queryset=None,
        required=False,
        empty_label="None",
        help_text="Any area, including the next framework's once it has been added.",
    )

    def __init__(self, *args, council_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = JudgementArea.objects.for_council(council_id)
        self.helper = _helper("area", button="Change the judgement area")


def cohort_field() -> forms.MultipleChoiceField:
    """The kinds of service whose audits count for a judgement area (the QA lead's page and
    the admin alike)."""
    return forms.MultipleChoiceField(
        label="Services whose audits count",
        help_text=(
            "The self-evaluation counts the audits of children with these services. "
            "Select none to count every service's audits."
        ),
        choices=ServiceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select services from the list"},
    )


class CohortForm(forms.Form):
    cohort_services = cohort_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.checkboxes("cohort_services", legend_size=Size.MEDIUM),
            button="Save whose audits count",
        )


class MockInspectionForm(ThematicAuditForm):
    """The thematic audit's own form (field names are ``actions.record_mock_inspection``'s
    keywords, and so ``thematic.actions.create_thematic_audit``'s), where a mock inspection
    needs its cohort and tool from the start."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].help_text = "For example, Mock inspection: help and protection."
        self.fields["purpose"].label = "Scope"
        self.fields["purpose"].help_text = "What the mock inspection looks at, and why now."
        self.fields["purpose"].error_messages["required"] = "Enter the scope of the mock inspection"
        for name, missing in (
            ("cohort", "Select the cohort the mock inspection samples"),
            ("tool_version", "Select the audit tool the mock inspection uses"),
        ):
            self.fields[name].required = True
            self.fields[name].empty_label = "Choose one"
            self.fields[name].error_messages["required"] = missing
        self.helper.layout[-1] = Button.primary("submit", "Save the mock inspection")
