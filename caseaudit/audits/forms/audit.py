"""The audit form, built from the audit's own tool version, and the small request forms.

Every field is optional here: a draft may be half done. What must be there before an audit
is submitted is the actions' question (``problems_before_submitting``); the form puts those
problems back beside the fields they belong to.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError

from caseaudit.audits.choices import Rag, YesNoPartly
from caseaudit.audits.models import Audit
from caseaudit.core.forms import DateField, lock_version_field
from caseaudit.core.grades import ORDER
from caseaudit.tools.choices import QuestionKind
from caseaudit.tools.models import Domain, Question

CHOICES = {
    QuestionKind.GRADE: [(g.value, g.label) for g in ORDER],
    QuestionKind.YES_NO_PARTLY: YesNoPartly.choices,
    QuestionKind.RAG: Rag.choices,
}
OVERALL_FIELDS = ("overall_grade", "overall_rationale")


def field_name(question_id: int) -> str:
    return f"q_{question_id}"


@dataclass
class Option:
    value: str
    label: str
    id: str
    checked: bool
    hint: str = ""

    @property
    def hint_id(self) -> str:
        return f"{self.id}-item-hint"


@dataclass
class Item:
    """One question as the page shows it: a bound field plus what GOV.UK markup needs."""

    field: forms.BoundField
    kind: str
    guidance: str = ""
    options: list[Option] = field(default_factory=list)

    @property
    def is_text(self) -> bool:
        return self.kind == QuestionKind.TEXT

    @property
    def answer(self) -> str:
        """The answer in words, for a read-only page."""
        value = self.field.value() or ""
        if self.is_text:
            return value
        return next((o.label for o in self.options if o.value == value), "")


@dataclass
class Section:
    title: str
    guidance: str
    items: list[Item]
    # On a re-audit, the grade this domain had at the audit it follows.
    previous: object = None


class AuditForm(forms.Form):
    lock_version = lock_version_field()

    def __init__(
        self,
        data=None,
        *,
        audit: Audit,
        domains: list[Domain],
        answers=(),
        previous: dict | None = None,
        with_overall: bool = True,
        **kwargs,
    ):
        """``domains``: the ones this page asks (all of them, or one domain's page);
        ``with_overall``: whether it asks the overall judgement too (where the tool has one).
        Questions the form does not ask keep their saved answers."""
        self.audit = audit
        self.domains = domains
        # On a re-audit: the previous audit's grades by domain title (``previous_grades``).
        self.previous = previous or {}
        self.graded = with_overall and audit.tool_version.tool.has_overall_grade
        self.kinds: dict[str, str] = {}
        initial = {"lock_version": audit.lock_version}
        for answer in answers:
            initial[field_name(answer.question_id)] = answer.text or answer.value
        if self.graded:
            initial.update(
                overall_grade=audit.overall_grade, overall_rationale=audit.overall_rationale
            )
        super().__init__(data, initial=initial, **kwargs)
        for domain in domains:
            for question in domain.questions.all():
                name = field_name(question.pk)
                self.kinds[name] = question.kind
                self.fields[name] = _question_field(question)
        if self.graded:
            self.fields["overall_grade"] = forms.ChoiceField(
                label="Overall judgement",
                choices=CHOICES[QuestionKind.GRADE],
                required=False,
                error_messages={"invalid_choice": "Select one of the four grades"},
            )
            self.fields["overall_rationale"] = forms.CharField(
                label="Rationale for the overall judgement",
                help_text="Why this judgement: the strengths and the gaps that decided it.",
                widget=forms.Textarea(attrs={"rows": 6}),
                required=False,
            )

    def answers(self) -> dict[int, str]:
        return {
            int(name.removeprefix("q_")): self.cleaned_data.get(name) or "" for name in self.kinds
        }

    def overall_answers(self) -> dict:
        """The overall judgement and rationale for ``save_answers``: None (kept as saved)
        when this form does not ask them."""
        return {name: self.cleaned_data.get(name) for name in OVERALL_FIELDS}

    def add_problems(self, error: ValidationError) -> None:
        """Put an action's refusal beside the fields it names (or above the form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            name = key if key in OVERALL_FIELDS else field_name(key)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)

    def sections(self) -> list[Section]:
        previous = self.previous
        sections = []
        for domain in self.domains:
            descriptors = {d.grade: d.text for d in domain.descriptors.all()}
            items = [
                self._item(field_name(q.pk), q.guidance, descriptors)
                for q in domain.questions.all()
            ]
            sections.append(
                Section(domain.title, domain.guidance, items, previous.get(domain.title))
            )
        return sections

    def overall(self) -> Section | None:
        if not self.graded:
            return None
        previous = self.previous
        items = [self._item("overall_grade", "", {}), self._item("overall_rationale", "", {})]
        return Section("Overall judgement", "", items, previous.get("Overall judgement"))

    def _item(self, name: str, guidance: str, descriptors: dict) -> Item:
        bound = self[name]
        kind = self.kinds.get(name) or (
            QuestionKind.GRADE if name == "overall_grade" else QuestionKind.TEXT
        )
        item = Item(bound, kind, guidance)
        if kind in CHOICES:
            value = bound.value() or ""
            for position, (choice, label) in enumerate(CHOICES[kind], 1):
                # The first radio carries the field's id, so the error summary can link to it.
                option_id = bound.auto_id if position == 1 else f"{bound.auto_id}-{position}"
                item.options.append(
                    Option(choice, label, option_id, choice == value, descriptors.get(choice, ""))
                )
        return item


def _question_field(question: Question) -> forms.Field:
    if question.kind == QuestionKind.TEXT:
        return forms.CharField(
            label=question.text,
            help_text=question.guidance,
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
    return forms.ChoiceField(
        label=question.text,
        help_text=question.guidance,
        choices=CHOICES[question.kind],
        required=False,
        error_messages={"invalid_choice": "Select one of the answers offered"},
    )


def previous_grades(changes) -> dict:
    """``reaudits.compare_with_previous`` rows by domain title, for the form's sections."""
    return {change.label: change for change in changes}


class ReasonForm(forms.Form):
    """Why: an exemption request, or QA cancelling an audit."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the reason"},
    )

    def __init__(self, *args, label: str, hint: str = "", required_message: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = hint
        if required_message:
            self.fields["reason"].error_messages["required"] = required_message


class ExtensionForm(forms.Form):
    new_due_date = DateField(
        label="New due date",
        missing="Enter the new due date",
        invalid="The new due date must be a real date",
    )
    reason = forms.CharField(
        label="Why do you need more time?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter why you need more time"},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve"), ("refuse", "Refuse")],
        error_messages={"required": "Select whether to approve or refuse the request"},
    )
    note = forms.CharField(
        label="Note to the auditor",
        help_text="Say why, if you refuse.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not data.get("note", "").strip():
            self.add_error("note", "Enter why the request is refused")
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"
