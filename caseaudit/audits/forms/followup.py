"""Forms for what follows an audit: a safeguarding alert, practice actions, the reflection
sheet and feedback. They only check the shape of what was typed; the actions decide."""

from django import forms
from django.core.exceptions import ValidationError

from caseaudit.audits.choices import FeedbackFrom, FeedbackMethod
from caseaudit.core.forms import DateField, add_action_errors, lock_version_field


def _text(label: str, missing: str = "", *, rows: int = 5, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=bool(missing),
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": missing},
    )


class FollowUpForm(forms.Form):
    """Each field says how the page draws it: textarea, date, radios, select, checkbox, input."""

    kinds: dict[str, str] = {}

    def rows(self):
        return [(field, self.kinds.get(field.name, "textarea")) for field in self.visible_fields()]

    def add_problems(self, error: ValidationError) -> None:
        add_action_errors(self, error)


class AlertForm(FollowUpForm):
    concern = _text(
        "What are you worried about?",
        "Enter what you are worried about and why",
        rows=8,
        hint="Say what you found in the record, why you think the child is at risk now, and "
        "anything you have already done. The child's team manager and service manager are "
        "told at once.",
    )


class ActionTakenForm(FollowUpForm):
    action_taken = _text(
        "What action has been taken?",
        "Enter the action taken to keep the child safe",
        hint="For example, a visit today, a strategy discussion, or a change of plan.",
    )


class PracticeActionForm(FollowUpForm):
    kinds = {"owner": "select", "due_date": "date"}

    action = _text("What needs to be done?", "Enter what needs to be done", rows=4)
    owner = forms.ChoiceField(
        label="Who will do it?",
        help_text="The child's worker or someone in the child's team.",
        error_messages={
            "required": "Select who will do this from the child's team",
            "invalid_choice": "Select who will do this from the child's team",
        },
    )
    due_date = DateField(
        label="Date it must be done by", missing="Enter the date it must be done by"
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = {str(w.pk): w for w in owners}
        self.fields["owner"].choices = [("", "Choose someone")] + [
            (str(w.pk), str(w)) for w in owners
        ]

    @property
    def chosen_owner(self):
        return self.owners.get(self.cleaned_data.get("owner", ""))


class CloseActionForm(FollowUpForm):
    kinds = {"outcome": "radios"}

    outcome = forms.ChoiceField(
        label="What has happened?",
        choices=[("done", "It has been done"), ("cancel", "It is no longer needed")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it has been done or is no longer needed"},
    )
    note = _text("Notes", rows=3, hint="Say why, if it is no longer needed.")

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "cancel" and not data.get("note", "").strip():
            self.add_error("note", "Enter why the action is no longer needed")
        return data


class ReflectionForm(FollowUpForm):
    kinds = {"met_on": "date"}

    lock_version = lock_version_field()

    met_on = DateField(
        label="Date of the reflection meeting", missing="Enter the date of the reflection meeting"
    )
    went_well = _text("What went well?", "Enter what went well")
    challenges = _text("What were the challenges?", "Enter what the challenges were")
    tools_needed = _text(
        "Do you have the tools you need?", "Enter whether they have the tools they need"
    )
    do_differently = _text("What would you do differently?", "Enter what they would do differently")


class ResponseForm(FollowUpForm):
    response = _text(
        "Your response",
        "Enter your response",
        hint="Anything you want to add to, or correct in, the notes of the meeting.",
    )


class FeedbackForm(FollowUpForm):
    kinds = {
        "given_by": "radios",
        "agency": "input",
        "method": "radios",
        "given_on": "date",
        "consent_to_share": "checkbox",
    }

    given_by = forms.ChoiceField(
        label="Who gave the feedback?",
        choices=FeedbackFrom.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who gave the feedback"},
    )
    agency = forms.CharField(
        label="Partner agency",
        help_text="If a partner agency gave it.",
        required=False,
        max_length=150,
    )
    method = forms.ChoiceField(
        label="How was it given?",
        choices=FeedbackMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the feedback was given"},
    )
    given_on = DateField(label="Date given", missing="Enter the date the feedback was given")
    what_was_good = _text("What was good?", rows=4)
    could_be_better = _text("What could be better?", rows=4)
    quote = _text(
        "A quote in their own words", rows=3, hint="Leave out anything that could identify them."
    )
    consent_to_share = forms.BooleanField(
        label="They agree to this being shared, without their name, in reports",
        required=False,
    )
