"""Forms for building audit tools (GOV.UK layouts). Each form's field names are the keyword
arguments of the action it feeds (``actions.actions``), so a view passes ``cleaned_data`` on
as it is and the action's errors land on their fields."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from caseaudit.core.grades import ORDER
from caseaudit.tools.choices import QuestionKind, ToolKind

YES_NO = [("yes", "Yes"), ("no", "No")]


def _helper(*fields, button: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button.primary("submit", button))
    return helper


def _text(label: str, max_length: int, required: str, too_long: str, **kwargs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        error_messages={"required": required, "max_length": too_long},
        **kwargs,
    )


def _long_text(label: str, *, called: str, help_text: str = "", rows: int = 4):
    """An optional textarea; ``called`` names it in its error message ("the guidance")."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": f"{called.capitalize()} must be 10,000 characters or fewer"},
    )


def _tool_name() -> forms.CharField:
    return _text(
        "Name of the tool",
        150,
        "Enter the name of the tool",
        "The name of the tool must be 150 characters or fewer",
    )


class ToolForm(forms.Form):
    """A new tool: ``actions.create_tool``."""

    name = _tool_name()
    kind = forms.ChoiceField(
        label="What kind of audit is it for?",
        choices=ToolKind.choices,
        widget=forms.RadioSelect,
        help_text="A light-touch audit has no overall Ofsted-scale judgement.",
        error_messages={
            "required": "Select what kind of audit the tool is for",
            "invalid_choice": "Select one of the kinds of audit offered",
        },
    )
    description = _long_text(
        "Description (optional)", called="the description", help_text="What the tool is for."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("name"),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.textarea("description", rows=4),
            button="Create the tool",
        )


class DetailsForm(forms.Form):
    """The tool's name and description and the draft's notes: ``actions.edit_details``."""

    name = _tool_name()
    description = _long_text(
        "Description (optional)", called="the description", help_text="What the tool is for."
    )
    notes = _long_text(
        "What changed in this version (optional)",
        called="what changed",
        help_text="Shown in the tool's list of versions.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("name"),
            Field.textarea("description", rows=4),
            Field.textarea("notes", rows=4),
            button="Save the details",
        )


class DomainForm(forms.Form):
    """``actions.add_domain`` and ``actions.edit_domain``."""

    title = _text(
        "Domain title",
        200,
        "Enter the domain title",
        "The domain title must be 200 characters or fewer",
        help_text="For example, Voice and lived experience of the child",
    )
    guidance = _long_text(
        "Guidance for auditors (optional)",
        called="the guidance",
        help_text="Shown under the domain title: what to look for in the case records.",
    )

    def __init__(self, *args, button: str = "Save the domain", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title"), Field.textarea("guidance", rows=4), button=button
        )


class QuestionForm(forms.Form):
    """``actions.add_question`` and ``actions.edit_question``."""

    text = _text(
        "Question",
        500,
        "Enter the question text",
        "The question must be 500 characters or fewer",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    kind = forms.ChoiceField(
        label="How does the auditor answer?",
        choices=QuestionKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how the auditor answers the question",
            "invalid_choice": "Select one of the kinds of answer offered",
        },
    )
    required = forms.TypedChoiceField(
        label="Must the auditor answer it before submitting the audit?",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if the auditor must answer the question",
            "invalid_choice": "Select yes or no",
        },
    )
    guidance = _long_text(
        "Guidance for auditors (optional)",
        called="the guidance",
        help_text="Shown under the question.",
    )

    def __init__(self, *args, button: str = "Save the question", **kwargs):
        initial = kwargs.get("initial") or {}
        if isinstance(initial.get("required"), bool):
            kwargs["initial"] = initial | {"required": "yes" if initial["required"] else "no"}
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("text", rows=2),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.radios("required", legend_size=Size.SMALL, inline=True),
            Field.textarea("guidance", rows=3),
            button=button,
        )


class DescriptorsForm(forms.Form):
    """What each grade looks like in one domain: ``actions.set_descriptors``. One field per
    grade, named by the grade, in the Ofsted order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for grade in ORDER:
            self.fields[grade.value] = _long_text(
                grade.label,
                called=f"what {grade.label} looks like",
                help_text=f"What {grade.label.lower()} practice looks like in this domain.",
            )
        self.helper = _helper(
            *(Field.textarea(grade.value, rows=4) for grade in ORDER),
            button="Save the descriptors",
        )

    def texts(self) -> dict[str, str]:
        return {grade.value: self.cleaned_data.get(grade.value, "") for grade in ORDER}
