import datetime

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms
from django.utils import timezone


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("file", "as_at", Button.primary("submit", "Import"))
        self.helper.form_tag = False

    def clean_as_at(self):
        value = self.cleaned_data.get("as_at")
        if isinstance(value, datetime.date) and value > timezone.localdate():
            raise forms.ValidationError("The date the lists were taken must be today or earlier")
        return value
