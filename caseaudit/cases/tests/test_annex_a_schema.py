"""The Annex A list schemas: header normalisation, header matching and sheet-name matching."""

import pytest

from caseaudit.cases.annex_a.codes import CODE_LISTS
from caseaudit.cases.annex_a.schema import (
    LISTS,
    LISTS_BY_KEY,
    LISTS_BY_NUMBER,
    find_list_for_sheet,
    match_headers,
    normalise_header,
)


def test_eleven_lists_with_their_keys():
    assert [spec.number for spec in LISTS] == list(range(1, 12))
    assert [spec.key for spec in LISTS] == [
        "contacts",
        "early_help",
        "referrals",
        "assessments",
        "section47",
        "cin",
        "cp",
        "cla",
        "care_leavers",
        "adoption",
        "adopters",
    ]


def test_every_list_has_one_required_id_and_unique_snake_case_fields():
    for spec in LISTS:
        fields = [column.field for column in spec.columns]
        assert len(fields) == len(set(fields)), spec.key
        assert all(field.isidentifier() and field == field.lower() for field in fields)
        assert spec.column(spec.id_field).required
    assert LISTS_BY_KEY["adopters"].id_field == "adopter_id"
    assert LISTS_BY_KEY["cla"].id_field == "child_id"


def test_code_columns_name_real_code_lists():
    for spec in LISTS:
        for column in spec.columns:
            if column.kind in ("code", "yesno"):
                assert column.code_list in CODE_LISTS, (spec.key, column.field)
            else:
                assert column.code_list is None


def test_column_counts_follow_annex_a():
    counts = {spec.number: len(spec.columns) for spec in LISTS}
    # Common five plus the list's own columns; List 9 holds both care leaver layouts.
    assert counts == {1: 7, 2: 8, 3: 11, 4: 12, 5: 14, 6: 14, 7: 17, 8: 34, 9: 17, 10: 16, 11: 19}


def test_only_the_2024_care_leaver_columns_are_newer_layout():
    newer = {
        column.field for column in LISTS_BY_KEY["care_leavers"].columns if column.newer_layout_only
    }
    assert newer == {"uasc", "personal_adviser", "pathway_plan_review_date", "latest_contact_date"}
    assert all(
        not column.required for spec in LISTS for column in spec.columns if column.newer_layout_only
    )


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("CHILD UNIQUE ID", "Child Unique ID"),
        ("  Child   Unique\u00a0ID ", "Child Unique ID"),
        ("Date of Adoption Order ", "Date of Adoption Order"),
        ("Date of referral", "Date of Referral"),
        (
            "Number of Episodes the Child has been \u2018Missing\u2019 from their Placement",
            "Number of Episodes the Child has been 'Missing' from their Placement",
        ),
        ("Child\u2019s Legal Status", "Child's Legal Status"),
        (
            "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N))",
            "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
        ),
        ("Referral NFA?", "referral nfa"),
        ("No. of children placed", "No of children placed"),
    ],
)
def test_header_variants_normalise_alike(variant, canonical):
    assert normalise_header(variant) == normalise_header(canonical)


def test_normalise_header_output():
    assert normalise_header("Was the Child Seen Alone?") == "was the child seen alone"
    assert normalise_header("Date child/children placed with adopter(s)") == (
        "date child children placed with adopters"
    )
    assert normalise_header(None) == ""


def test_age_is_an_alias_for_age_of_child_years():
    match = match_headers(LISTS_BY_NUMBER[1], ["Child Unique ID", "Age"])
    assert match.indices == {"child_id": 0, "age": 1}
    match = match_headers(LISTS_BY_NUMBER[1], ["Child Unique ID", "Age of Child (Years)"])
    assert match.indices["age"] == 1


def test_y_n_marker_may_be_missing_or_doubled():
    spec = LISTS_BY_KEY["cp"]
    header = (
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months"
    )
    for text in (header, header + " (Y/N)", header + " (Y/N))"):
        assert "emergency_protection_last_6_months" in match_headers(spec, [text]).indices


def test_match_headers_by_name_not_position():
    spec = LISTS_BY_KEY["contacts"]
    row = ["Contact Source", "Notes", "child unique id", "", "Date of Contact", "Gender", "Gender"]
    match = match_headers(spec, row)
    assert match.indices == {"contact_source": 0, "child_id": 2, "contact_date": 4, "gender": 5}
    assert match.headers["child_id"] == "child unique id"
    assert match.extras == {1: "Notes"}
    assert match.duplicates == {6: "Gender"}
    assert match.missing_required == []
    assert match.missing_optional == ["ethnicity", "date_of_birth", "age"]
    assert match.ok


def test_missing_required_column_is_reported():
    match = match_headers(LISTS_BY_KEY["referrals"], ["Gender", "Date of referral"])
    assert match.missing_required == ["child_id"]
    assert not match.ok


def test_older_care_leaver_layout_is_not_missing_anything():
    headers = [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age",
        "Does the Child have a Disability",
        "Allocated Team",
        "Allocated Worker",
        "Eligibility Category",
        "LA in Touch",
        "Type of Accommodation",
        "Suitability of Accommodation",
        "Activity Status",
    ]
    match = match_headers(LISTS_BY_KEY["care_leavers"], headers)
    assert match.missing_required == [] and match.missing_optional == []
    assert match.extras == {}


@pytest.mark.parametrize(
    ("sheet_name", "number"),
    [
        ("List 1", 1),
        ("List_1", 1),
        ("list1", 1),
        ("LIST 01", 1),
        ("list 1 - contacts", 1),
        ("List 10", 10),
        ("List_10", 10),
        ("List 11", 11),
        ("list 11 adopters", 11),
        ("Annex A List 3", 3),
        ("List_3", 3),
        ("list 3 referrals", 3),
        ("Contacts", 1),
        ("Care leavers", 9),
        ("Adoption", 10),
        ("Adopters", 11),
        ("Children in need", 6),
        ("Children in care", 8),
    ],
)
def test_sheet_names_find_their_list(sheet_name, number):
    spec = find_list_for_sheet(sheet_name)
    assert spec is not None and spec.number == number


@pytest.mark.parametrize("sheet_name", ["Sheet1", "List 12", "List 0", "Notes", "Lists", ""])
def test_other_sheet_names_find_nothing(sheet_name):
    assert find_list_for_sheet(sheet_name) is None
