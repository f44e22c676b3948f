"""How a council's system writes its Annex A: code forms, headers, and the odd quirk.

Real returns write codes in several forms: with the template's letter ('a) Male', 'q) 6:
Police'), as a bare label ('Female'), as a bare code ('C2', 'WBRI'), or as code and label
('C2: Full care order', 'N1 - Abuse or neglect'). Each synthetic council picks one form per
column, as one export would, and a few rows of the gender column use another, as in the
published sample. Labels come from the reader's own code lists, so whatever the reader calls a
code is what gets written.

``quirks=True`` adds what real files do and the reader must survive: IDs stored as numbers
(read back with a trailing '.0') in List 1, dates as dd/mm/yyyy text in List 3, curly quotes
and a stray bracket in List 8's headers, and 'Age' for 'Age of Child (Years)' in Lists 1-9.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from caseaudit.cases.annex_a import CODE_LISTS, ListSpec

from .journey import Record
from .people import CSE_RISK_COLUMN

__all__ = ["Column", "CodeForms", "columns_for", "format_date"]

Cell = Callable[[Record], object]

# Lists whose Annex A template letters its values (a), b), ...) in the reader's order.
_LETTERED = frozenset(
    {
        "gender",
        "ethnicity",
        "yes_no",
        "yes_no_unknown",
        "category_of_abuse",
        "case_status",
        "permanence_plan",
        "placement_location",
        "care_leaver_eligibility",
        "la_in_touch",
        "accommodation_suitability",
        "contact_source",
    }
)
# The forms each code list is seen in, the first being the most common.
_FORMS: dict[str, tuple[str, ...]] = {
    "gender": ("letter_label", "label"),
    "ethnicity": ("letter_code", "code"),
    "yes_no": ("label", "letter_label", "code"),
    "yes_no_unknown": ("letter_label", "label"),
    "category_of_abuse": ("label", "letter_label"),
    "case_status": ("letter_label", "label"),
    "permanence_plan": ("letter_label", "label"),
    "placement_location": ("letter_code", "code", "label"),
    "care_leaver_eligibility": ("letter_label", "label"),
    "la_in_touch": ("letter_label", "label", "code"),
    "accommodation_suitability": ("letter_label", "label"),
    "contact_source": ("letter_code_label", "code_label", "code"),
    "primary_need": ("code_dash_label", "code"),
    "cin_closure_reason": ("code", "code_dash_label"),
    "legal_status": ("code_label", "code"),
    "placement_type": ("code_label", "code"),
    "placement_provider": ("code_dash_label", "code"),
    "reason_ceased": ("code_label", "code"),
    "accommodation_type": ("code_label", "code"),
    "activity_status": ("code_label", "code"),
    "adoption_stopped_reason": ("code_dash_label", "code"),
}
# Extra columns some councils add: the importer keeps them aside for later cohorts.
EXTRA_COLUMNS = {6: (CSE_RISK_COLUMN,), 7: (CSE_RISK_COLUMN,), 8: (CSE_RISK_COLUMN,)}

AGE_HEADER = "Age of Child (Years)"
_CURLY_HEADERS = {"'Missing'": "\u2018Missing\u2019", "'Absent'": "\u2018Absent\u2019"}


def _render(form: str, code: str, label: str, letter: str | None) -> str:
    if form == "label":
        return label
    if form == "code":
        return code
    if form == "code_label":
        return f"{code}: {label}"
    if form == "code_dash_label":
        return f"{code} - {label}"
    if letter is None:
        raise ValueError(f"the form {form} needs a lettered list")
    if form == "letter_label":
        return f"{letter}) {label}"
    if form == "letter_code":
        return f"{letter}) {code}"
    return f"{letter}) {code}: {label}"  # letter_code_label


def _rendering(code_list: str, form: str) -> dict[str, str]:
    lettered = code_list in _LETTERED
    return {
        code: _render(form, code, label, chr(ord("a") + index) if lettered else None)
        for index, (code, label) in enumerate(CODE_LISTS[code_list].items())
    }


def format_date(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


class CodeForms:
    """The form each of a council's columns writes its codes in, chosen once per council."""

    def __init__(self, seed: int) -> None:
        self._seed = seed

    def form(self, list_number: int, field_name: str, code_list: str) -> str:
        forms = _FORMS[code_list]
        # Most councils write most columns the common way; some export differently.
        choice = random.Random(f"{self._seed}:{list_number}:{field_name}:forms").random()
        return (
            forms[0]
            if choice < 0.6 or len(forms) == 1
            else forms[1 + int(choice * 97) % (len(forms) - 1)]
        )

    def cell(self, list_number: int, field_name: str, code_list: str) -> Cell:
        form = self.form(list_number, field_name, code_list)
        rendering = _rendering(code_list, form)
        if field_name != "gender":
            return lambda row: rendering.get(row.get(field_name))  # type: ignore[arg-type]
        other = _rendering(code_list, next(f for f in _FORMS[code_list] if f != form))

        def gender(row: Record) -> object:
            # One person in about thirty is written the other way, as in the published sample.
            person = row.get("child_id") or row.get("adopter_id")
            forms = other if int(person) % 31 == 0 else rendering  # type: ignore[call-overload]
            return forms.get(row.get(field_name))  # type: ignore[arg-type]

        return gender


@dataclass(frozen=True)
class Column:
    header: str
    cell: Cell


def _plain(field_name: str) -> Cell:
    return lambda row: row.get(field_name)


def _header(spec: ListSpec, header: str, *, quirks: bool) -> str:
    if not quirks:
        return header
    if header == AGE_HEADER and spec.number <= 9:
        return "Age"
    if spec.number == 8:
        for straight, curly in _CURLY_HEADERS.items():
            header = header.replace(straight, curly)
        if header.endswith("(Y/N)") and header.startswith("Unaccompanied"):
            header += ")"
    return header


def _quirk_cell(spec: ListSpec, kind: str, field_name: str, cell: Cell) -> Cell:
    if spec.number == 1 and kind == "id":
        # Stored as a number: Excel gives it back as 1234567.0, a CSV export writes '.0'.
        return lambda row: float(row[field_name])  # type: ignore[arg-type]
    if spec.number == 3 and kind == "date":

        def as_text(row: Record) -> object:
            value = row.get(field_name)
            return format_date(value) if isinstance(value, dt.date) else value

        return as_text
    return cell


def columns_for(spec: ListSpec, forms: CodeForms, *, quirks: bool = False) -> list[Column]:
    """The columns of one list, in the template's order, then any extra columns."""
    columns = []
    for column in spec.columns:
        if column.code_list is not None:
            cell = forms.cell(spec.number, column.field, column.code_list)
        else:
            cell = _plain(column.field)
        if quirks:
            cell = _quirk_cell(spec, column.kind, column.field, cell)
        columns.append(Column(_header(spec, column.header, quirks=quirks), cell))
    for header in EXTRA_COLUMNS.get(spec.number, ()):
        columns.append(Column(header, _plain(header)))
    return columns
