"""Small form helpers shared by every app's views."""

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError


def form_data(request):
    """The submitted data on a POST, else None.

    Not ``request.POST or None``: an empty POST is falsy, so a form submitted blank would be
    unbound and shown again without its error messages.
    """
    return request.POST if request.method == "POST" else None


# The largest id either database can hold (a signed 64-bit integer). A bigger number in a
# query is an OverflowError on SQLite and out of range on PostgreSQL: a 500, not "no such".
MAX_ID = 2**63 - 1


def id_param(request, name: str) -> int | None:
    """The id in the query parameter ``name``, or None when there is none or it cannot be one
    (not a whole number, zero or negative, too big for any table), so the filter is not used."""
    value = request.GET.get(name, "").strip()
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def add_action_errors(form, error) -> None:
    """Put an action's ``ValidationError`` on the form: each message beside the field it names,
    anything else (or a message for no field) above the form, in the error summary."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DateField(DateInputField):
    """The GOV.UK date input (day, month, year), with the question's own words for each
    problem: ``missing`` when left blank or incomplete, ``invalid`` (by default "<label> must
    be a real date") for 31 2 2026 and the like."""

    def __init__(self, *, missing: str, invalid: str = "", **kwargs):
        kwargs.setdefault("help_text", "For example, 27 3 2026")
        super().__init__(require_all_fields=False, **kwargs)
        self.invalid = invalid or f"{self.label} must be a real date"
        self.error_messages.update(required=missing, incomplete=missing)

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except ValidationError as error:
            raise ValidationError(self.invalid, code="invalid") from error


def lock_version_field() -> forms.IntegerField:
    """The hidden field that carries the version a form was loaded at (core/versioning.py)."""
    return forms.IntegerField(
        widget=forms.HiddenInput(attrs={"id": "lock-version"}),
        min_value=0,
        error_messages={"required": "Reload the page: this form is missing its version"},
    )


def with_versions(form_class, data, versions: dict[str, int], **kwargs):
    """``form_class`` bound to what was posted but with its version fields set to
    ``versions``: after a refused stale save the person keeps what they typed, and saving
    again (having seen what is saved now) goes ahead from the versions now saved."""
    data = data.copy()
    data.update(versions)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form
