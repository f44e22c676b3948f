from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms

from caseaudit.performance.events import MAX_BYTES


class TrackerEventsForm(forms.Form):
    file = forms.FileField(
        label="Tracker events CSV",
        help_text=f"A .csv file in the layout below, up to {MAX_BYTES // (1024 * 1024)} MB.",
        error_messages={"required": "Select the tracker events CSV to import"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("file", Button.primary("submit", "Import"))
        self.helper.form_tag = False
