"""A workbook's headings are checked from each sheet's first rows, streamed from its XML,
before calamine reads any sheet whole (into memory): wrong headings refuse the file cheaply."""

import datetime as dt
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from caseaudit.cases.annex_a import reader
from caseaudit.cases.annex_a.first_rows import first_rows
from caseaudit.cases.annex_a.reader import open_source
from caseaudit.cases.choices import ImportStatus
from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import Referral, Snapshot
from caseaudit.cases.tests.test_annex_a_reader import FIXTURES, make_workbook
from caseaudit.cases.tests.test_import import REFERRAL_HEADERS, referral

AS_AT = dt.date(2024, 1, 31)


def _calamine_first(path, name, rows):
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name)
    found = []
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        if any(cell not in ("", None) for cell in cells):
            found.append((number, [cell for cell in cells if cell not in ("", None)]))
        if number > rows:
            break
    return found


def _plain(rows):
    """Rows as calamine gives them, blank cells dropped: dates and numbers differ in type
    (the first look needs only text), so they are compared as text."""
    return [
        (
            number,
            [
                str(int(c) if isinstance(c, float) and c.is_integer() else c)
                for c in cells
                if c is not None
            ],
        )
        for number, cells in rows
    ]


@pytest.mark.parametrize("name", ["liia_sample_Annex_A.xlsx", "liia_sample_Annex_A_2024_Jan.xlsx"])
def test_the_first_rows_are_what_calamine_reads(name):
    path = FIXTURES / name
    names = CalamineWorkbook.from_path(str(path)).sheet_names
    found = first_rows(path, names, 5)
    assert set(found) == set(names)
    for sheet in names:
        heads = [(n, cells) for n, cells in _plain(found[sheet])]
        expected = _plain(_calamine_first(path, sheet, 5))
        # Headings exactly; data cells as text (calamine gives dates as dates).
        assert heads[0] == expected[0], sheet
        assert [n for n, _ in heads] == [n for n, _ in expected][: len(heads)], sheet


def test_inline_shared_and_rich_strings_and_gaps(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {"List 3": [[], ["Child Unique ID", None, "Gender"], ["1", 2.5, "M"]]},
    )
    assert first_rows(path, ["List 3"], 5) == {
        "List 3": [(2, ["Child Unique ID", None, "Gender"]), (3, ["1", 2.5, "M"])]
    }


def _referrals(rows: int, headers=REFERRAL_HEADERS):
    return [headers] + [referral(child=str(100000 + i)) for i in range(rows)]


def _spy_on_whole_sheet_reads(monkeypatch) -> list[str]:
    read = []
    load = reader._load_sheet

    def counted(workbook, name):
        read.append(name)
        return load(workbook, name)

    monkeypatch.setattr(reader, "_load_sheet", counted)
    return read


@pytest.mark.django_db
def test_wrong_headings_refuse_the_file_before_any_sheet_is_read_whole(
    council, tmp_path, monkeypatch
):
    wrong = ["Kid", "Sex", *REFERRAL_HEADERS[2:]]
    path = make_workbook(
        tmp_path / "big.xlsx",
        {"List 3": _referrals(50), "List 8": [wrong] + [referral()] * 3000},
    )
    read = _spy_on_whole_sheet_reads(monkeypatch)
    summary = import_annex_a(path, council=council.council, as_at=AS_AT)
    assert summary.status == ImportStatus.REFUSED
    problem = next(p for p in summary.problems if p.severity == "error")
    assert problem.sheet == "List 8" and "Child Unique ID' is missing" in problem.message
    assert read == []  # not List 8, nor the good List 3 before it
    assert summary.rows_read == 0
    assert not Snapshot.objects.exists()


@pytest.mark.django_db
def test_good_headings_are_read_as_before(council, tmp_path, monkeypatch):
    path = make_workbook(tmp_path / "good.xlsx", {"List 3": _referrals(30)})
    read = _spy_on_whole_sheet_reads(monkeypatch)
    summary = import_annex_a(path, council=council.council, as_at=AS_AT)
    assert summary.status == ImportStatus.LOADED, summary.problems
    assert read == ["List 3"]
    assert Referral.objects.count() == 30


def test_a_part_it_does_not_expect_is_left_to_calamine(tmp_path, monkeypatch):
    path = make_workbook(tmp_path / "a.xlsx", {"List 3": [["Kid", "Sex"], ["1", "M"]]})
    # A DTD, which Excel never writes and whose entities could expand: not parsed here.
    with zipfile.ZipFile(path) as source:
        members = {info: source.read(info) for info in source.infolist()}
    with zipfile.ZipFile(path, "w") as target:
        for info, data in members.items():
            if info.filename == "xl/worksheets/sheet1.xml":
                declaration, _, rest = data.rpartition(b"?>")
                data = declaration + _ + b'<!DOCTYPE x [<!ENTITY a "b">]>' + rest
            target.writestr(info, data)
    assert first_rows(path, ["List 3"], 5) == {}
    read = _spy_on_whole_sheet_reads(monkeypatch)
    with open_source(path) as source:
        assert source.unusable_headers == []
        (sheet,) = source.sheets()
        assert not sheet.usable
    assert read == ["List 3"]
