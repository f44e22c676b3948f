"""Annex A code lists: values with and without their letter/code prefixes."""

import pytest

from caseaudit.cases.annex_a.codes import CODE_LISTS, CodeError, label_for, parse_code


@pytest.mark.parametrize(
    ("list_name", "raw", "code"),
    [
        ("gender", "a) Male", "M"),
        ("gender", "Male", "M"),
        ("gender", "Female", "F"),
        ("gender", "b) Female", "F"),
        ("gender", "c) Not stated/recorded", "U"),
        ("gender", "  D)   NEITHER ", "N"),
        ("ethnicity", "a) WBRI", "WBRI"),
        ("ethnicity", "WBRI", "WBRI"),
        ("ethnicity", "k) APKN", "APKN"),
        ("ethnicity", "wbri", "WBRI"),
        ("ethnicity", "White British", "WBRI"),
        # Annex A letters NOBT as t), some files as s): the code wins over the letter.
        ("ethnicity", "s) NOBT", "NOBT"),
        ("ethnicity", "t) NOBT", "NOBT"),
        ("legal_status", "C2: FCO", "C2"),
        ("legal_status", "C2", "C2"),
        ("legal_status", "c2:fco", "C2"),
        ("legal_status", "E1: Placement order", "E1"),
        ("contact_source", "q) 6: Police", "6"),
        ("contact_source", "b) 1B: Individual", "1B"),
        ("contact_source", "10: Unknown", "10"),
        ("contact_source", 6.0, "6"),
        ("contact_source", "5D", "5D"),
        ("yes_no", "Yes", "Y"),
        ("yes_no", "b) No", "N"),
        ("yes_no", "a) yes", "Y"),
        ("yes_no", "Y", "Y"),
        ("yes_no", True, "Y"),
        ("yes_no_unknown", "c) Unknown", "U"),
        ("category_of_abuse", "Physical abuse", "PHY"),
        ("category_of_abuse", "d) Emotional abuse", "EMO"),
        ("category_of_abuse", "e) Multiple/not recommended", "MUL"),
        ("primary_need", "N1 - Abuse or Neglect", "N1"),
        ("primary_need", "N0", "N0"),
        ("cin_closure_reason", "RC8", "RC8"),
        ("case_status", "c) Child in need plan", "CIN_PLAN"),
        ("case_status", "Looked after child", "LAC"),
        ("permanence_plan", "f) Long-term fostering", "LT_FOSTERING"),
        ("permanence_plan", "f)", "LT_FOSTERING"),
        ("placement_location", "b) Out", "OUT"),
        ("care_leaver_eligibility", "b) Former relevant child", "FORMER_RELEVANT"),
        ("la_in_touch", "a) Yes", "YES"),
        ("la_in_touch", "NREQ", "NREQ"),
        ("la_in_touch", "Rhom", "RHOM"),
        ("accommodation_suitability", "a) Suitable", "SUITABLE"),
        ("activity_status", "F1: Full time in higher education", "F1"),
        ("activity_status", "G5: Not in education, employment or training - other", "G5"),
        ("accommodation_type", "Y: Other accommodation", "Y"),
        ("placement_type", "f) U6: Foster placement - not FFA", "U6"),
        ("placement_provider", "e) PR4 - Private provision", "PR4"),
        ("reason_ceased", "k) E47: Special Guardianship Orders - relative/friend", "E47"),
        ("adoption_stopped_reason", "RD2", "RD2"),
    ],
)
def test_code_is_read_with_or_without_prefix(list_name, raw, code):
    assert parse_code(list_name, raw) == code


@pytest.mark.parametrize("raw", [None, "", "   ", "\xa0"])
def test_blank_is_none(raw):
    assert parse_code("gender", raw) is None


def test_unknown_value_lists_allowed_values():
    with pytest.raises(CodeError) as caught:
        parse_code("gender", "Boy-ish")
    message = str(caught.value)
    assert "'Boy-ish' is not a recognised Gender value" in message
    assert "M (Male)" in message and "N (Neither)" in message


def test_long_list_error_lists_codes_only():
    with pytest.raises(CodeError) as caught:
        parse_code("ethnicity", "x) XXXX")
    assert "WBRI, WIRI" in str(caught.value)


def test_value_from_another_system_is_refused():
    # The sample's List 6 has a disability code where a primary need belongs.
    with pytest.raises(CodeError, match="Primary need"):
        parse_code("primary_need", "PSRMEM - Support with memory and cognition")


def test_letter_that_disagrees_with_the_text_does_not_rescue_a_typo():
    with pytest.raises(CodeError):
        parse_code("gender", "a) Mael")


def test_letters_are_not_accepted_alone_where_they_shift_between_versions():
    with pytest.raises(CodeError):
        parse_code("contact_source", "q)")


def test_yes_no_refuses_unknown_but_disability_accepts_it():
    with pytest.raises(CodeError):
        parse_code("yes_no", "Unknown")
    assert parse_code("yes_no_unknown", "Unknown") == "U"


def test_every_list_is_an_ordered_code_to_label_mapping():
    expected = {
        "gender",
        "ethnicity",
        "contact_source",
        "yes_no",
        "yes_no_unknown",
        "category_of_abuse",
        "primary_need",
        "cin_closure_reason",
        "case_status",
        "legal_status",
        "permanence_plan",
        "placement_location",
        "care_leaver_eligibility",
        "la_in_touch",
        "accommodation_suitability",
        "activity_status",
    }
    assert expected <= set(CODE_LISTS)
    assert list(CODE_LISTS["primary_need"]) == [f"N{n}" for n in range(10)]
    assert list(CODE_LISTS["cin_closure_reason"]) == [f"RC{n}" for n in range(1, 10)]
    assert list(CODE_LISTS["activity_status"]) == [
        "F1",
        "P1",
        "F2",
        "P2",
        "F3",
        "P3",
        "G4",
        "G5",
        "G6",
    ]
    assert len(CODE_LISTS["ethnicity"]) == 20
    assert list(CODE_LISTS["ethnicity"])[-1] == "NOBT"
    for codes in CODE_LISTS.values():
        assert all(code == code.strip() and len(code) <= 16 for code in codes)


def test_every_code_and_label_reads_back_as_itself():
    for list_name, codes in CODE_LISTS.items():
        for code, label in codes.items():
            assert parse_code(list_name, code) == code
            assert parse_code(list_name, label) == code
            assert parse_code(list_name, f"{code}: {label}") == code


def test_label_for_shows_the_label():
    assert label_for("ethnicity", "APKN") == "Pakistani"
    assert label_for("ethnicity", None) == ""
