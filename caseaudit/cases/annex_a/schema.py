"""The eleven Annex A lists as data, and loose header/sheet-name matching.

Headers are matched by meaning, never by position: councils reorder, rename slightly, add
columns and drop optional ones. ``normalise_header`` folds case, quotes, punctuation and spacing;
``match_headers`` then looks headers up by that key, and a second, looser pass ignores "(Y/N)"
markers, which some files add, drop or double up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "LISTS",
    "LISTS_BY_KEY",
    "LISTS_BY_NUMBER",
    "ColumnSpec",
    "HeaderMatch",
    "ListSpec",
    "find_list_for_sheet",
    "match_headers",
    "normalise_header",
]

Kind = Literal["id", "text", "date", "int", "decimal", "code", "yesno"]


@dataclass(frozen=True)
class ColumnSpec:
    field: str
    header: str
    kind: Kind
    code_list: str | None = None
    required: bool = False
    aliases: tuple[str, ...] = ()
    # Present only in the 2024 care leavers layout: its absence is normal, so never reported.
    newer_layout_only: bool = False


@dataclass(frozen=True)
class ListSpec:
    number: int
    key: str
    title: str
    sheet_aliases: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]

    @property
    def label(self) -> str:
        return f"List {self.number} ({self.title})"

    @property
    def guide_name(self) -> str:
        """The list as the Annex A guide names it: "List 1: Contacts"."""
        return f"List {self.number}: {self.title}"

    @property
    def id_field(self) -> str:
        """The field that identifies a record (child, or adopter on List 11)."""
        return next(col.field for col in self.columns if col.kind == "id" and col.required)

    def column(self, field_name: str) -> ColumnSpec:
        return next(col for col in self.columns if col.field == field_name)


# --- column helpers -----------------------------------------------------------------------


def _id(field_name: str, header: str, *aliases: str, required: bool = True) -> ColumnSpec:
    return ColumnSpec(field_name, header, "id", None, required, aliases)


def _text(field_name: str, header: str, *aliases: str) -> ColumnSpec:
    return ColumnSpec(field_name, header, "text", None, False, aliases)


def _date(field_name: str, header: str, *aliases: str, required: bool = False) -> ColumnSpec:
    return ColumnSpec(field_name, header, "date", None, required, aliases)


def _int(field_name: str, header: str, *aliases: str) -> ColumnSpec:
    return ColumnSpec(field_name, header, "int", None, False, aliases)


def _code(field_name: str, header: str, code_list: str, *aliases: str) -> ColumnSpec:
    return ColumnSpec(field_name, header, "code", code_list, False, aliases)


def _yesno(field_name: str, header: str, *aliases: str, unknown: bool = False) -> ColumnSpec:
    code_list = "yes_no_unknown" if unknown else "yes_no"
    return ColumnSpec(field_name, header, "yesno", code_list, False, aliases)


def _newer(column: ColumnSpec) -> ColumnSpec:
    return ColumnSpec(
        column.field,
        column.header,
        column.kind,
        column.code_list,
        False,
        column.aliases,
        newer_layout_only=True,
    )


CHILD_ID = _id("child_id", "Child Unique ID", "Child ID", "Unique Child ID", "Child Identifier")
GENDER = _code("gender", "Gender", "gender", "Sex")
ETHNICITY = _code("ethnicity", "Ethnicity", "ethnicity")
DATE_OF_BIRTH = _date("date_of_birth", "Date of Birth", "DOB")
AGE = ColumnSpec(
    "age", "Age of Child (Years)", "decimal", None, False, ("Age", "Age (Years)", "Age of Child")
)
COMMON = (CHILD_ID, GENDER, ETHNICITY, DATE_OF_BIRTH, AGE)

DISABILITY = _yesno("disability", "Does the Child have a Disability", "Disability", unknown=True)
TEAM = _text("allocated_team", "Allocated Team", "Team")
WORKER = _text("allocated_worker", "Allocated Worker", "Social Worker", "Worker")
ALLOCATION = (TEAM, WORKER)


LISTS: tuple[ListSpec, ...] = (
    ListSpec(
        1,
        "contacts",
        "Contacts",
        ("contacts",),
        (
            *COMMON,
            _date("contact_date", "Date of Contact", "Contact Date", required=True),
            _code("contact_source", "Contact Source", "contact_source", "Source of Contact"),
        ),
    ),
    ListSpec(
        2,
        "early_help",
        "Early help assessments",
        ("early help", "early help assessments"),
        (
            *COMMON,
            _date("assessment_start_date", "Assessment start date", required=True),
            _date("assessment_completion_date", "Assessment completion date"),
            _text("assessment_organisation", "Organisation completing assessment"),
        ),
    ),
    ListSpec(
        3,
        "referrals",
        "Referrals",
        ("referrals",),
        (
            *COMMON,
            _date("referral_date", "Date of referral", "Referral Date", required=True),
            _code("referral_source", "Referral Source", "contact_source", "Source of Referral"),
            _yesno("referral_nfa", "Referral NFA?", "Referral NFA", "NFA"),
            _int("referrals_last_12_months", "Number of Referrals in Last 12 Months"),
            *ALLOCATION,
        ),
    ),
    ListSpec(
        4,
        "assessments",
        "Assessments",
        ("assessments",),
        (
            *COMMON,
            DISABILITY,
            _date(
                "assessment_start_date",
                "Continuous Assessment Start Date",
                "Assessment Start Date",
                required=True,
            ),
            _yesno("child_seen_during_assessment", "Child Seen During Continuous Assessment"),
            _date(
                "assessment_authorised_date",
                "Continuous Assessment Date of Authorisation",
                "Assessment Date of Authorisation",
            ),
            _yesno(
                "requires_social_care_support",
                "Was the child assessed as requiring LA children's social care support?",
            ),
            *ALLOCATION,
        ),
    ),
    ListSpec(
        5,
        "section47",
        "Section 47 enquiries and ICPCs",
        ("section 47", "s47", "section 47 enquiries"),
        (
            *COMMON,
            DISABILITY,
            _date(
                "s47_start_date",
                "Strategy discussion initiating Section 47 Enquiry Start Date",
                "Section 47 Enquiry Start Date",
                required=True,
            ),
            _yesno(
                "icpc_not_required",
                "Was an Initial Child Protection Conference deemed unnecessary?",
            ),
            _date("icpc_date", "Date of Initial Child Protection Conference"),
            _yesno(
                "icpc_resulted_in_cp_plan",
                "Did the Initial Child Protection Conference Result in a Child Protection Plan",
            ),
            _int(
                "s47_count_last_12_months", "Number of Section 47 Enquiries in the last 12 months"
            ),
            _int("icpc_count_last_12_months", "Number of ICPCs in the last 12 months"),
            *ALLOCATION,
        ),
    ),
    ListSpec(
        6,
        "cin",
        "Children in need",
        ("cin", "children in need"),
        (
            *COMMON,
            DISABILITY,
            _date("cin_start_date", "CIN Start Date", required=True),
            _code("primary_need", "Primary Need Code", "primary_need", "Primary Need"),
            _date("last_seen_date", "Date Child Was Last Seen"),
            _date("cin_closure_date", "CIN Closure Date"),
            _code("closure_reason", "Reason for Closure", "cin_closure_reason"),
            _code("case_status", "Case Status", "case_status"),
            *ALLOCATION,
        ),
    ),
    ListSpec(
        7,
        "cp",
        "Child protection",
        ("cp", "child protection", "cp plans"),
        (
            *COMMON,
            DISABILITY,
            _date("cp_plan_start_date", "Child Protection Plan Start Date", required=True),
            _code("initial_abuse_category", "Initial Category of Abuse", "category_of_abuse"),
            _code("latest_abuse_category", "Latest Category of Abuse", "category_of_abuse"),
            _date("last_statutory_visit_date", "Date of the Last Statutory Visit"),
            _yesno("seen_alone", "Was the Child Seen Alone?"),
            _date("latest_review_conference_date", "Date of latest review conference"),
            _date("cp_plan_end_date", "Child Protection Plan End Date"),
            _yesno(
                "emergency_protection_last_6_months",
                "Subject to Emergency Protection Order or Protected Under Police Powers in Last "
                "Six Months (Y/N)",
            ),
            _int("previous_cp_plans", "Number of Previous Child Protection Plans"),
            *ALLOCATION,
        ),
    ),
    ListSpec(
        8,
        "cla",
        "Children in care",
        ("cla", "children in care", "looked after children"),
        (
            *COMMON,
            _yesno(
                "uasc",
                "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
                "UASC",
            ),
            DISABILITY,
            _date("looked_after_start_date", "Date Started to be Looked After", required=True),
            _code(
                "category_of_need", "Child's Category of Need", "primary_need", "Category of Need"
            ),
            _yesno(
                "second_period_last_12_months",
                "Is this a second or subsequent period of being a Looked After Child within the "
                "last 12 months (Y/N)",
            ),
            _date("legal_status_start_date", "Start date of current legal status"),
            _code("legal_status", "Child's Legal Status", "legal_status", "Legal Status"),
            _date("latest_review_date", "Date of Latest Statutory Review"),
            _date("last_social_work_visit_date", "Date of Last Social Work Visit"),
            _code(
                "permanence_plan",
                "What is the permanence plan for this child?",
                "permanence_plan",
                "Permanence Plan",
            ),
            _date("last_iro_contact_date", "Date of Last IRO Visit / Contact to the Child"),
            _date("last_health_assessment_date", "Date of Last Health Assessment"),
            _date("last_dental_check_date", "Date of Last Dental Check"),
            _int("placements_last_12_months", "Number of Placements in the Last 12 months"),
            _date("ceased_looked_after_date", "Date Ceased to be Looked After"),
            _code("reason_ceased", "Reason Ceased to be Looked After", "reason_ceased"),
            _date("placement_start_date", "Start Date of Most Recent Placement"),
            _code("placement_type", "Placement Type", "placement_type"),
            _code("placement_provider", "Placement Provider", "placement_provider"),
            _text("placement_postcode", "Placement postcode"),
            _text("placement_urn", "URN of Placement", "Placement URN"),
            _code("placement_location", "Placement Location", "placement_location"),
            _text("placement_la", "LA of Placement"),
            _int(
                "missing_episodes_last_12_months",
                "Number of Episodes the Child has been 'Missing' from their Placement in the last "
                "12 months",
            ),
            _int(
                "absent_episodes_last_12_months",
                "Number of Episodes the Child has been 'Absent' from their Placement in the last "
                "12 months",
            ),
            _yesno(
                "return_interview_offered",
                "Was the child offered a Return Interview after their last missing episode (Y/N)?",
            ),
            _yesno(
                "return_interview_accepted",
                "Did the child accept a Return Interview after their last missing episode (Y/N)?",
            ),
            *ALLOCATION,
        ),
    ),
    ListSpec(
        9,
        "care_leavers",
        "Care leavers",
        ("care leavers",),
        (
            *COMMON,
            _newer(
                _yesno(
                    "uasc",
                    "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 "
                    "or over (Y/N)",
                    "UASC",
                )
            ),
            DISABILITY,
            *ALLOCATION,
            _newer(
                _text(
                    "personal_adviser",
                    "Allocated Personal Advisor",
                    "Allocated Personal Adviser",
                    "Personal Advisor",
                    "Personal Adviser",
                )
            ),
            _code("eligibility", "Eligibility Category", "care_leaver_eligibility"),
            _newer(_date("pathway_plan_review_date", "Latest Pathway Plan Review Date")),
            _code("la_in_touch", "LA in Touch", "la_in_touch"),
            _newer(_date("latest_contact_date", "Latest Date of Contact")),
            _code("accommodation_type", "Type of Accommodation", "accommodation_type"),
            _code(
                "accommodation_suitability",
                "Suitability of Accommodation",
                "accommodation_suitability",
            ),
            _code("activity_status", "Activity Status", "activity_status"),
        ),
    ),
    ListSpec(
        10,
        "adoption",
        "Adoption",
        ("adoption", "adoptions"),
        (
            CHILD_ID,
            _id("family_id", "Family identifier", "Family ID", required=False),
            GENDER,
            ETHNICITY,
            DATE_OF_BIRTH,
            AGE,
            DISABILITY,
            _date("entered_care_date", "Date the Child Entered Care"),
            _date(
                "adoption_decision_date",
                "Date of Decision that Child Should be Placed for Adoption",
            ),
            _date("placement_order_date", "Date of Placement Order"),
            _date("matching_date", "Date of Matching Child and Prospective Adopters"),
            _date("placed_for_adoption_date", "Date Placed for Adoption"),
            _date("adoption_order_date", "Date of Adoption Order"),
            _date(
                "adoption_stopped_date",
                "Date of Decision that Child Should No Longer be Placed for Adoption",
            ),
            _code(
                "adoption_stopped_reason",
                "Reason Why Child No Longer Placed for Adoption",
                "adoption_stopped_reason",
            ),
            _date(
                "ffa_placement_date",
                "Date the child was placed for fostering in FFA or concurrent planning placement",
            ),
        ),
    ),
    ListSpec(
        11,
        "adopters",
        "Adopters",
        ("adopters",),
        (
            _id("adopter_id", "Individual adopter identifier", "Adopter identifier", "Adopter ID"),
            _id("family_id", "Family identifier", "Family ID", required=False),
            GENDER,
            ETHNICITY,
            _yesno("disability", "Disability", "Does the adopter have a disability", unknown=True),
            _yesno(
                "fostering_for_adoption", "Is the (prospective) adopter fostering for adoption?"
            ),
            _date("enquiry_date", "Date enquiry received"),
            _date("stage1_start_date", "Date Stage 1 started"),
            _date("stage1_end_date", "Date Stage 1 ended"),
            _date("stage2_start_date", "Date Stage 2 started"),
            _date("stage2_end_date", "Date Stage 2 ended"),
            _date("application_submitted_date", "Date application submitted"),
            _date("application_approved_date", "Date application approved"),
            _date("matched_date", "Date adopter matched with child(ren)"),
            _date("placed_date", "Date child/children placed with adopter(s)"),
            _int("children_placed", "No. of children placed", "Number of children placed"),
            _date("adoption_order_date", "Date of Adoption Order"),
            _date("left_process_date", "Date of leaving adoption process"),
            # No published code list; the sample holds bare numbers, so keep it as text.
            _text("left_process_reason", "Reason for leaving adoption process"),
        ),
    ),
)

LISTS_BY_NUMBER: dict[int, ListSpec] = {spec.number: spec for spec in LISTS}
LISTS_BY_KEY: dict[str, ListSpec] = {spec.key: spec for spec in LISTS}


# --- header matching ----------------------------------------------------------------------

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00a0": " ",
        "\u2013": "-",
        "\u2014": "-",
    }
)
# Quotes, apostrophes, dots and brackets vanish ("Child's" -> "childs", "No." -> "no"); other
# punctuation separates words ("child/children" -> "child children").
_DROP = re.compile(r"['\".()\[\]{}?!]")
_SPLIT = re.compile(r"[^\w\s]|_")
_YES_NO_MARK = re.compile(r"\by n\b")


def normalise_header(text: object) -> str:
    """Comparison key for a header: lower case, straight quotes, no punctuation, single spaces."""
    if text is None:
        return ""
    folded = str(text).translate(_QUOTES).casefold()
    folded = _DROP.sub("", folded)
    folded = _SPLIT.sub(" ", folded)
    return " ".join(folded.split())


def _loose(key: str) -> str:
    return " ".join(_YES_NO_MARK.sub(" ", key).split())


@dataclass
class HeaderMatch:
    """Where each field's column is (0-based), and what did not fit."""

    indices: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # field -> header text as in the file
    extras: dict[int, str] = field(default_factory=dict)  # column index -> header text
    duplicates: dict[int, str] = field(default_factory=dict)  # repeated known headers
    missing_required: list[str] = field(default_factory=list)
    missing_optional: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing_required


def _lookup(spec: ListSpec) -> tuple[dict[str, str], dict[str, str]]:
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    for column in spec.columns:
        for name in (column.header, *column.aliases):
            key = normalise_header(name)
            exact.setdefault(key, column.field)
            loose.setdefault(_loose(key), column.field)
    return exact, loose


_LOOKUPS = {spec.number: _lookup(spec) for spec in LISTS}


def match_headers(spec: ListSpec, header_row: Sequence[object]) -> HeaderMatch:
    exact, loose = _LOOKUPS[spec.number]
    result = HeaderMatch()
    for index, cell in enumerate(header_row):
        text = "" if cell is None else str(cell).strip()
        key = normalise_header(text)
        if not key:
            continue
        field_name = exact.get(key) or loose.get(_loose(key))
        if field_name is None:
            result.extras[index] = text
        elif field_name in result.indices:
            result.duplicates[index] = text
        else:
            result.indices[field_name] = index
            result.headers[field_name] = text
    for column in spec.columns:
        if column.field in result.indices:
            continue
        if column.required:
            result.missing_required.append(column.field)
        elif not column.newer_layout_only:
            result.missing_optional.append(column.field)
    return result


# --- sheet matching -----------------------------------------------------------------------

# "List 1", "List_1", "list1", "List 01 - contacts", "Annex A List 10", "List_3.csv".
_LIST_NUMBER = re.compile(r"(?<![a-z])list[\s_\-.:]*0*(\d+)(?!\d)", re.IGNORECASE)


def find_list_for_sheet(sheet_name: str) -> ListSpec | None:
    """The list a sheet (or CSV file stem) holds, judged from its name; None if unclear."""
    found = _LIST_NUMBER.search(sheet_name)
    if found:
        return LISTS_BY_NUMBER.get(int(found.group(1)))
    words = normalise_header(sheet_name).split()
    best: tuple[int, ListSpec] | None = None
    for spec in LISTS:
        for alias in spec.sheet_aliases:
            alias_words = alias.split()
            # Whole leading words only, so "adoption" never claims "adopters".
            if words[: len(alias_words)] == alias_words and (
                best is None or len(alias_words) > best[0]
            ):
                best = (len(alias_words), spec)
    return best[1] if best else None
