"""Reading whole Annex A returns: the real samples, CSV variants and every kind of bad upload."""

import datetime as dt
import re
import types
import zipfile
from pathlib import Path

import openpyxl
import pytest

from caseaudit.cases.annex_a.reader import Limits, SourceError, iter_rows, open_source

FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "annex_a"
SAMPLES = ["liia_sample_Annex_A.xlsx", "liia_sample_Annex_A_2024_Jan.xlsx"]
# Data rows per list in both samples, counted by hand from the sheets.
SAMPLE_ROW_COUNTS = {1: 5, 2: 5, 3: 6, 4: 5, 5: 5, 6: 5, 7: 7, 8: 5, 9: 6, 10: 5, 11: 5}

CONTACT_HEADERS = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age",
    "Date of Contact",
    "Contact Source",
]
CONTACT_ROW = ["123", "a) Male", "a) WBRI", "01/02/2015", "5.5", "16/09/2020", "q) 6: Police"]


def fixture(name: str) -> Path:
    path = FIXTURES / name
    if not path.exists():
        pytest.skip(f"shared fixture {path} is not available")
    return path


def make_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row_number, row in enumerate(rows, start=1):
            for column_number, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(row_number, column_number, value)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    text = "\r\n".join(",".join(row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def read_all(path: Path, **kwargs):
    """Everything a source yields, as plain data: (source problems, {list: (sheet, rows)})."""
    with open_source(path, **kwargs) as source:
        found = {}
        for sheet in source.sheets():
            rows = list(iter_rows(sheet))
            found[sheet.spec.number] = (sheet, rows)
        return source.problems, found


def messages(problems) -> str:
    return " | ".join(problem.message for problem in problems)


# --- the real samples ---------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_workbook_every_list_recognised_with_its_rows(name):
    source_problems, found = read_all(fixture(name))
    assert source_problems == []
    assert set(found) == set(range(1, 12))
    counts = {number: len(rows) for number, (_sheet, rows) in found.items()}
    assert counts == SAMPLE_ROW_COUNTS
    for sheet, rows in found.values():
        assert sheet.header_row == 1
        assert sheet.problems == []
        assert [row.row_number for row in rows] == list(range(2, 2 + len(rows)))
        assert all(row.values[sheet.spec.id_field] for row in rows)


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_values_are_stored_as_codes(name):
    _problems, found = read_all(fixture(name))
    first_contact = found[1][1][0]
    assert first_contact.values == {
        "child_id": "9212044",
        "gender": "F",
        "ethnicity": "WBRI",
        "date_of_birth": dt.date(2015, 1, 25),
        "age": first_contact.values["age"],
        "contact_date": dt.date(2020, 9, 16),
        "contact_source": "6",
    }
    assert str(first_contact.values["age"]).startswith("6.138")
    assert first_contact.problems == [] and first_contact.extras == {}

    cla = [row.values for row in found[8][1]]
    assert {values["legal_status"] for values in cla} == {"C1", "C2", "E1"}
    assert "U6" in {values["placement_type"] for values in cla}
    assert "E47" in {values["reason_ceased"] for values in cla}
    assert cla[0]["ethnicity"] == "NOBT"  # lettered s) in the sample
    assert cla[0]["allocated_worker"] == "Eugene Swift"

    leavers = found[9][1][0].values
    assert leavers["eligibility"] == "FORMER_RELEVANT"
    assert leavers["la_in_touch"] == "YES"
    assert leavers["activity_status"] == "F1"

    adopters = found[11][1][0].values
    assert adopters["adopter_id"] == "7105179" and adopters["family_id"] == "14159183"
    assert adopters["children_placed"] == 1
    assert adopters["fostering_for_adoption"] == "Y"


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_quirks_are_reported_not_hidden(name):
    _problems, found = read_all(fixture(name))
    cin_rows = found[6][1]
    psrmem = [p for row in cin_rows for p in row.problems]
    assert len(psrmem) == 1
    assert psrmem[0].severity == "error"
    assert psrmem[0].row == 2 and psrmem[0].column == "Primary Need Code"
    assert psrmem[0].value.startswith("PSRMEM")
    assert cin_rows[0].values["primary_need"] is None

    # List 4's "requiring support" answer is system text, not the yes/no Annex A asks for.
    assessment_problems = [p for row in found[4][1] for p in row.problems]
    assert len(assessment_problems) == 5
    assert all(p.value == "CS Assessment Updated" for p in assessment_problems)


def test_2024_care_leaver_columns_are_matched():
    _problems, found = read_all(fixture(SAMPLES[1]))
    sheet, rows = found[9]
    assert {"uasc", "personal_adviser", "pathway_plan_review_date", "latest_contact_date"} <= set(
        sheet.match.indices
    )
    assert rows[0].values["pathway_plan_review_date"] is None


def test_iter_rows_is_lazy(tmp_path):
    path = make_workbook(tmp_path / "a.xlsx", {"List 1": [CONTACT_HEADERS, CONTACT_ROW]})
    with open_source(path) as source:
        sheet = next(source.sheets())
        assert isinstance(iter_rows(sheet), types.GeneratorType)


# --- sheet-level problems -------------------------------------------------------------------


def test_missing_sheet_is_reported(tmp_path):
    path = make_workbook(tmp_path / "a.xlsx", {"List 1": [CONTACT_HEADERS, CONTACT_ROW]})
    problems, found = read_all(path)
    assert set(found) == {1}
    missing = [p for p in problems if "is missing" in p.message]
    assert len(missing) == 10
    assert "List 2 (Early help assessments) is missing: no sheet named like 'List 2'" in (
        messages(missing)
    )
    assert all(p.severity == "warning" for p in missing)


def test_empty_sheet_is_reported(tmp_path):
    path = make_workbook(tmp_path / "a.xlsx", {"List 1": [CONTACT_HEADERS], "List 2": []})
    _problems, found = read_all(path)
    sheet, rows = found[2]
    assert rows == []
    assert [p.severity for p in sheet.problems] == ["warning"]
    assert "The sheet is empty" in sheet.problems[0].message
    # A header with no children under it is a valid, empty list.
    assert found[1][0].problems == [] and found[1][1] == []


def test_header_that_cannot_be_matched(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "List 3": [["Name", "Address", "Phone"], ["Ann", "1 High St", "0123"]],
        },
    )
    _problems, found = read_all(path)
    sheet, rows = found[3]
    assert rows == [] and not sheet.usable
    [problem] = sheet.problems
    assert problem.severity == "error" and problem.row == 1
    assert "Could not find the header row" in problem.message
    assert "'Name', 'Address', 'Phone'" in problem.message
    assert "List 3 (Referrals)" in problem.message


def test_missing_required_column_stops_the_sheet(tmp_path):
    headers = [h for h in CONTACT_HEADERS if h != "Child Unique ID"]
    path = make_workbook(tmp_path / "a.xlsx", {"List 1": [headers, CONTACT_ROW[1:]]})
    _problems, found = read_all(path)
    sheet, rows = found[1]
    assert rows == []
    errors = [p for p in sheet.problems if p.severity == "error"]
    assert [p.column for p in errors] == ["Child Unique ID"]
    assert "Required column 'Child Unique ID' is missing" in errors[0].message


def test_missing_optional_column_is_a_warning_and_left_blank(tmp_path):
    headers = [h for h in CONTACT_HEADERS if h != "Contact Source"]
    path = make_workbook(tmp_path / "a.xlsx", {"List 1": [headers, CONTACT_ROW[:-1]]})
    _problems, found = read_all(path)
    sheet, rows = found[1]
    assert [(p.severity, p.column) for p in sheet.problems] == [("warning", "Contact Source")]
    assert rows[0].values["contact_source"] is None


def test_extra_columns_are_kept_aside(tmp_path):
    headers = [*CONTACT_HEADERS, "Notes", "Locality"]
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "List 1": [headers, [*CONTACT_ROW, "seen at school", None]],
        },
    )
    _problems, found = read_all(path)
    sheet, rows = found[1]
    assert [(p.severity, p.column) for p in sheet.problems] == [
        ("warning", "Notes"),
        ("warning", "Locality"),
    ]
    assert "kept aside" in sheet.problems[0].message
    assert rows[0].extras == {"Notes": "seen at school"}
    assert rows[0].values["child_id"] == "123"


def test_values_under_no_heading_are_kept_aside_with_a_warning(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "List 1": [CONTACT_HEADERS, [*CONTACT_ROW, "stray"], [*CONTACT_ROW, "again"]],
        },
    )
    _problems, found = read_all(path)
    rows = found[1][1]
    assert rows[0].extras == {"(no heading, column H)": "stray"}
    assert "Column H has values but no heading" in messages(rows[0].problems)
    assert rows[1].problems == []  # said once, not on every row


def test_blank_first_row_is_tolerated(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "List 1": [[], CONTACT_HEADERS, CONTACT_ROW, [], CONTACT_ROW],
        },
    )
    _problems, found = read_all(path)
    sheet, rows = found[1]
    assert sheet.header_row == 2
    assert sheet.problems == []
    assert [row.row_number for row in rows] == [3, 5]


def test_blank_first_row_in_csv_is_tolerated(tmp_path):
    path = write_csv(tmp_path / "List 1.csv", [[""], CONTACT_HEADERS, CONTACT_ROW])
    _problems, found = read_all(path)
    sheet, rows = found[1]
    assert (sheet.header_row, sheet.problems) == (2, [])
    assert [row.row_number for row in rows] == [3]


def test_title_row_above_header_is_skipped_with_a_warning(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "List 1": [["Annex A - List 1: Contacts"], CONTACT_HEADERS, CONTACT_ROW],
        },
    )
    _problems, found = read_all(path)
    sheet, rows = found[1]
    assert sheet.header_row == 2
    assert "Row(s) 1 above the header row (2) were ignored" in messages(sheet.problems)
    assert rows[0].row_number == 3


def test_data_starting_in_column_b_reports_real_column_letters(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "List 1": [[None, *CONTACT_HEADERS], [None, *CONTACT_ROW, "stray"]],
        },
    )
    _problems, found = read_all(path)
    assert found[1][1][0].extras == {"(no heading, column I)": "stray"}


def test_blank_child_id_is_an_error_on_that_row(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "List 1": [CONTACT_HEADERS, ["", *CONTACT_ROW[1:]]],
        },
    )
    _problems, found = read_all(path)
    [problem] = found[1][1][0].problems
    assert problem.severity == "error" and problem.row == 2
    assert problem.message == "'Child Unique ID' is blank; every row needs one."


def test_duplicate_and_unnamed_sheets(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "List 1": [CONTACT_HEADERS, CONTACT_ROW],
            "List_1 (old)": [CONTACT_HEADERS],
            "Notes": [["anything"]],
        },
    )
    problems, found = read_all(path)
    assert found[1][0].name == "List 1"
    text = messages(problems)
    assert "Sheet 'List_1 (old)' also looks like List 1 (Contacts)" in text
    assert "Sheet 'Notes' is not named like an Annex A list" in text


def test_hidden_list_sheet_is_read_with_a_warning(tmp_path):
    path = make_workbook(tmp_path / "a.xlsx", {"List 1": [CONTACT_HEADERS, CONTACT_ROW]})
    workbook = openpyxl.load_workbook(path)
    workbook.create_sheet("Cover")
    workbook["List 1"].sheet_state = "hidden"
    workbook.save(path)
    _problems, found = read_all(path)
    sheet, rows = found[1]
    assert len(rows) == 1
    assert "hidden in Excel; it was read anyway" in messages(sheet.problems)


def test_list_1_and_list_10_are_not_confused(tmp_path):
    adoption_headers = ["Child Unique ID", "Family identifier", "Date Placed for Adoption"]
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "List 10": [adoption_headers, ["55", "9", "01/01/2020"]],
            "List 1": [CONTACT_HEADERS, CONTACT_ROW],
        },
    )
    _problems, found = read_all(path)
    assert found[1][1][0].values["child_id"] == "123"
    assert found[10][1][0].values["placed_for_adoption_date"] == dt.date(2020, 1, 1)


# --- bad cells ------------------------------------------------------------------------------


def test_impossible_date_becomes_a_located_problem(tmp_path):
    row = [*CONTACT_ROW[:5], "31/02/2020", CONTACT_ROW[6]]
    path = make_workbook(tmp_path / "a.xlsx", {"List 1": [CONTACT_HEADERS, row]})
    _problems, found = read_all(path)
    result = found[1][1][0]
    [problem] = result.problems
    assert (problem.severity, problem.row, problem.column, problem.value) == (
        "error",
        2,
        "Date of Contact",
        "31/02/2020",
    )
    assert "not a real date" in problem.message
    assert result.values["contact_date"] is None
    assert result.values["child_id"] == "123"  # the rest of the row still reads


def test_us_style_date_in_csv(tmp_path):
    row = [*CONTACT_ROW[:5], "09/16/2020", CONTACT_ROW[6]]
    path = write_csv(tmp_path / "List 1.csv", [CONTACT_HEADERS, row])
    _problems, found = read_all(path)
    [problem] = found[1][1][0].problems
    assert "looks like a US-style date (month first)" in problem.message
    assert problem.column == "Date of Contact"


def test_child_id_123_point_0_and_123(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "List 1": [
                CONTACT_HEADERS,
                [123.0, *CONTACT_ROW[1:]],
                ["123", *CONTACT_ROW[1:]],
                ["123.0", *CONTACT_ROW[1:]],
            ],
        },
    )
    _problems, found = read_all(path)
    assert [row.values["child_id"] for row in found[1][1]] == ["123", "123", "123"]


def _add_cached_values(path: Path, cached: dict[str, str]) -> None:
    """Give formula cells the cached results Excel would have saved (openpyxl writes none)."""
    with zipfile.ZipFile(path) as source:
        members = {info: source.read(info) for info in source.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members.items():
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for cell, value in cached.items():
                    text = re.sub(
                        # openpyxl writes <v/> or <v></v>, depending on whether lxml is there.
                        rf'<c r="{cell}"><f>(.*?)</f>(?:<v\s*/>|<v></v>)',
                        rf'<c r="{cell}" t="str"><f>\1</f><v>{value}</v>',
                        text,
                    )
                data = text.encode()
            target.writestr(info, data)


def test_formula_cell_reads_its_cached_value(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "List 1": [CONTACT_HEADERS, ["=100+23", *CONTACT_ROW[1:4], "=2+3.5", *CONTACT_ROW[5:]]],
        },
    )
    _add_cached_values(path, {"A2": "123", "E2": "5.5"})
    _problems, found = read_all(path)
    row = found[1][1][0]
    assert row.problems == []
    assert row.values["child_id"] == "123" and str(row.values["age"]) == "5.5"


def test_formula_cell_without_cached_value_reads_as_blank(tmp_path):
    # calamine never evaluates formulas: with no saved result the cell is simply empty.
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "List 1": [CONTACT_HEADERS, ["=100+23", *CONTACT_ROW[1:4], "=2+3.5", *CONTACT_ROW[5:]]],
        },
    )
    _problems, found = read_all(path)
    row = found[1][1][0]
    assert row.values["age"] is None
    [problem] = row.problems
    assert problem.column == "Child Unique ID" and "is blank" in problem.message


def test_formula_looking_text_in_csv_is_just_text(tmp_path):
    headers = [*CONTACT_HEADERS[:5], "Date of referral", "Allocated Worker"]
    row = [*CONTACT_ROW[:5], "16/09/2020", '=HYPERLINK("http://x")']
    path = write_csv(tmp_path / "List 3.csv", [headers, [cell.replace(",", ";") for cell in row]])
    _problems, found = read_all(path)
    assert found[3][1][0].values["allocated_worker"] == '=HYPERLINK("http://x")'


# --- CSV, folders and zips ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["List_3.csv", "list 3 referrals.csv", "LIST3.CSV"])
def test_csv_list_guessed_from_file_name(tmp_path, name):
    headers = [*CONTACT_HEADERS[:5], "Date of referral"]
    path = write_csv(tmp_path / name, [headers, [*CONTACT_ROW[:5], "16/09/2020"]])
    problems, found = read_all(path)
    assert problems == [] and list(found) == [3]
    assert found[3][1][0].values["referral_date"] == dt.date(2020, 9, 16)


def test_csv_list_guessed_from_headings_when_the_name_is_silent(tmp_path):
    path = write_csv(tmp_path / "export.csv", [CONTACT_HEADERS, CONTACT_ROW])
    _problems, found = read_all(path)
    sheet, rows = found[1]
    assert "its headings match List 1 (Contacts)" in messages(sheet.problems)
    assert len(rows) == 1


def test_csv_that_cannot_be_placed_is_refused(tmp_path):
    path = write_csv(tmp_path / "export.csv", [["Name", "Phone"], ["Ann", "0123"]])
    with pytest.raises(SourceError, match="Could not tell which Annex A list 'export.csv'"):
        open_source(path)


def test_csv_utf8_with_bom_reads_cleanly(tmp_path):
    path = write_csv(tmp_path / "List 1.csv", [CONTACT_HEADERS, CONTACT_ROW], "utf-8-sig")
    _problems, found = read_all(path)
    sheet, rows = found[1]
    assert sheet.problems == [] and rows[0].values["child_id"] == "123"


def test_csv_in_cp1252(tmp_path):
    headers = [*CONTACT_HEADERS[:5], "Date of referral", "Allocated Team", "Allocated Worker"]
    row = [*CONTACT_ROW[:5], "16/09/2020", "Team £5", "Zoë Renée"]
    path = write_csv(tmp_path / "List 3.csv", [headers, row], "cp1252")
    _problems, found = read_all(path)
    sheet, rows = found[3]
    [warning] = [p for p in sheet.problems if "Windows-1252" in p.message]
    assert warning.severity == "warning" and warning.row is None
    assert "is not UTF-8, so it was read as Windows-1252" in warning.message
    assert rows[0].values["allocated_team"] == "Team £5"
    assert rows[0].values["allocated_worker"] == "Zoë Renée"


def test_csv_in_utf16(tmp_path):
    headers = [*CONTACT_HEADERS[:5], "Date of referral", "Allocated Worker"]
    row = [*CONTACT_ROW[:5], "16/09/2020", "José"]
    path = write_csv(tmp_path / "List 3.csv", [headers, row], "utf-16")
    _problems, found = read_all(path)
    sheet, rows = found[3]
    assert "read as UTF-16" in messages(sheet.problems)
    assert rows[0].values["allocated_worker"] == "José"
    assert rows[0].row_number == 2


def test_csv_with_semicolons(tmp_path):
    text = ";".join(CONTACT_HEADERS) + "\n" + ";".join(CONTACT_ROW) + "\n"
    path = tmp_path / "List 1.csv"
    path.write_text(text, encoding="utf-8")
    _problems, found = read_all(path)
    assert found[1][1][0].values["contact_source"] == "6"


def test_csv_that_breaks_off_part_way_reports_where(tmp_path):
    huge_field = '"' + "x" * 200_000 + '"'
    rows = [CONTACT_HEADERS, CONTACT_ROW, [huge_field, *CONTACT_ROW[1:]], CONTACT_ROW]
    path = write_csv(tmp_path / "List 1.csv", rows)
    with open_source(path) as source:
        sheet = next(source.sheets())
        assert [row.row_number for row in iter_rows(sheet)] == [2]
        [problem] = sheet.late_problems
    assert problem.severity == "error" and problem.row == 3
    assert "Reading stopped after row 2" in problem.message


def test_csv_named_csv_but_really_a_workbook(tmp_path):
    workbook = make_workbook(tmp_path / "a.xlsx", {"List 1": [CONTACT_HEADERS]})
    path = tmp_path / "List 1.csv"
    path.write_bytes(workbook.read_bytes())
    _problems, found = read_all(path)
    sheet, rows = found[1]
    assert rows == [] and "is an Excel workbook or zip" in messages(sheet.problems)


def _csv_lists(folder: Path) -> None:
    write_csv(folder / "List 1 contacts.csv", [CONTACT_HEADERS, CONTACT_ROW, CONTACT_ROW])
    write_csv(
        folder / "List_3.csv",
        [[*CONTACT_HEADERS[:5], "Date of referral"], [*CONTACT_ROW[:5], "16/09/2020"]],
    )
    (folder / "readme.txt").write_text("hello")


def test_folder_of_csv_files(tmp_path):
    folder = tmp_path / "return"
    folder.mkdir()
    _csv_lists(folder)
    problems, found = read_all(folder)
    assert {number: len(rows) for number, (_s, rows) in found.items()} == {1: 2, 3: 1}
    text = messages(problems)
    assert "'readme.txt' is not a .csv file" in text
    assert "List 2 (Early help assessments) is missing" in text


def test_zip_of_csv_files(tmp_path):
    folder = tmp_path / "return"
    folder.mkdir()
    _csv_lists(folder)
    archive = tmp_path / "return.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as target:
        for child in folder.iterdir():
            target.write(child, f"annex/{child.name}")
        target.writestr("__MACOSX/annex/._List_3.csv", b"\x00\x05")
    problems, found = read_all(archive)
    assert {number: len(rows) for number, (_s, rows) in found.items()} == {1: 2, 3: 1}
    assert found[1][0].name == "List 1 contacts.csv"
    assert "__MACOSX" not in messages(problems)


# --- refused uploads ------------------------------------------------------------------------


def test_200_mb_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: no 200 MB actually written

    def no_reading(*_args, **_kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    with pytest.raises(SourceError) as caught:
        open_source(path)
    assert "is 200 MB, over the 150 MB limit" in caught.value.message
    assert caught.value.problem.severity == "error"


def test_size_limit_is_configurable(tmp_path):
    path = write_csv(tmp_path / "List 1.csv", [CONTACT_HEADERS, CONTACT_ROW])
    with pytest.raises(SourceError, match="over the 0 KB limit"):
        open_source(path, limits=Limits(max_file_bytes=10))


def test_zip_bomb_disguised_as_xlsx_is_refused(tmp_path):
    path = tmp_path / "innocent.xlsx"
    zeros = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        with bomb.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(20):  # 20 MB of zeros squeezes to about 20 KB
                member.write(zeros)
    with pytest.raises(SourceError) as caught:
        open_source(path)
    assert "compressed" in caught.value.message and "zip bomb" in caught.value.message


def test_archive_that_unpacks_too_big_is_refused(tmp_path):
    path = make_workbook(tmp_path / "a.xlsx", {"List 1": [CONTACT_HEADERS, CONTACT_ROW]})
    with pytest.raises(SourceError, match="would unpack to .* over the 1 KB limit"):
        open_source(path, limits=Limits(max_uncompressed_bytes=1024))


def test_zip_that_lies_about_its_sizes_is_refused(tmp_path):
    path = tmp_path / "liar.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", bytes(4 * 1024 * 1024))
    data = bytearray(path.read_bytes())
    # Claim 1000 bytes unpacked, in the local header and in the central directory.
    data[22:26] = (1000).to_bytes(4, "little")
    central = data.index(b"PK\x01\x02")
    data[central + 24 : central + 28] = (1000).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(SourceError, match="unpacks to more than the size it declares"):
        open_source(path)


def test_zip_bomb_of_csv_files_is_refused(tmp_path):
    path = tmp_path / "return.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("List 1.csv", bytes(11 * 1024 * 1024))
    with pytest.raises(SourceError, match="zip bomb"):
        open_source(path)


def test_text_file_named_xlsx_is_refused(tmp_path):
    path = write_csv(tmp_path / "annex.xlsx", [CONTACT_HEADERS, CONTACT_ROW])
    with pytest.raises(SourceError, match="is named .xlsx but is not an Excel workbook"):
        open_source(path)


def test_encrypted_or_old_format_workbook_is_refused(tmp_path):
    path = tmp_path / "annex.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(SourceError, match="password-protected, or an old .xls file"):
        open_source(path)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("annex.xls", "old-format Excel file"),
        ("annex.pdf", "not a file type Annex A can be read from"),
    ],
)
def test_other_file_types_are_refused(tmp_path, name, words):
    path = tmp_path / name
    path.write_bytes(b"whatever")
    with pytest.raises(SourceError, match=words):
        open_source(path)


def test_missing_path_is_refused(tmp_path):
    with pytest.raises(SourceError, match="was not found"):
        open_source(tmp_path / "nope.xlsx")
