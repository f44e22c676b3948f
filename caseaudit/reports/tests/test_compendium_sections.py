"""The select-committee pack's drift, disproportionality and caseload sections: in every
format, suppressed for the elected members it is for, with no worker or child named."""

import io

import docx
import openpyxl
import pypdf
import pytest

from caseaudit.core.suppression import SUPPRESSED, Published, disclosures
from caseaudit.performance.actions import import_ethnic_population
from caseaudit.performance.tests.test_drift_and_ethnicity import AS_AT, POPULATION, build
from caseaudit.reports import formats
from caseaudit.reports.choices import Edition
from caseaudit.reports.compendium_pack import build_compendium
from caseaudit.reports.document import tables

pytestmark = pytest.mark.django_db
DRIFT = "Drift: days from referral to becoming looked after"
ETHNICITY = "Disproportionality by ethnicity"
CLA_BY_ETHNICITY = "Children looked after by ethnic group"


@pytest.fixture
def returned(council, tmp_path):
    build(council, tmp_path)
    import_ethnic_population(council.council, POPULATION)


def table(data, title):
    return next(t for t in tables(data) if t["title"] == title)


def headings(data) -> list[str]:
    return [section["heading"] for section in data["sections"]]


def test_the_pack_has_drift_disproportionality_and_caseloads(council, returned):
    data = build_compendium(council.council, AS_AT, edition=Edition.INTERNAL)
    shown = " ".join(headings(data))
    for wanted in (DRIFT, ETHNICITY, "Caseloads"):
        assert wanted in shown, wanted
    summary = {
        row[0]: row
        for row in table(data, f"Indicators as at {AS_AT:%-d %B %Y}, with benchmarks")["rows"]
    }
    assert summary[DRIFT][1] == "117.5 days"
    by_area = {row[0]: row[1:] for row in table(data, f"{DRIFT} by area")["rows"]}
    assert by_area == {"North": ["107.5 days", 4], "South": ["127.5 days", 4]}
    rows = {row[0]: row for row in table(data, CLA_BY_ETHNICITY)["rows"]}
    assert rows["Black or Black British"][1:] == [8, 1000, 80.0, 8.0]
    workers = table(data, "Workers by caseload")
    # Each team's first practitioner holds its children: 17 in the north, 14 in the south.
    assert workers["total"] == ["All workers", 2]
    assert dict((row[0], row[1]) for row in workers["rows"])["16 to 20"] == 1


def test_an_elected_members_pack_hides_small_numbers_and_names_no_one(council, returned):
    data = build_compendium(council.council, AS_AT)
    rows = {row[0]: row for row in table(data, CLA_BY_ETHNICITY)["rows"]}
    # Three Pakistani children: hidden, with their rate and index.
    assert rows["Asian or Asian British"][1:] == [SUPPRESSED, 3000, SUPPRESSED, SUPPRESSED]
    by_ethnicity = table(data, CLA_BY_ETHNICITY)
    assert not disclosures(
        Published(
            [[row[1]] for row in by_ethnicity["rows"]],
            None,
            [by_ethnicity["total"][1]],
            None,
        )
    )
    # Two workers hold cases: a small number, with the averages that would tell their loads.
    workers = table(data, "Workers by caseload")
    assert workers["total"] == ["All workers", SUPPRESSED]
    services = table(data, "Caseloads by service")
    # One of them (17 children) is above the threshold of 15: hidden too.
    assert services["rows"][0][2:] == [SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED]
    # No count from 1 to 5 in the new sections, and no worker or child named anywhere.
    for shown in tables(data):
        for row in [*shown["rows"], *([shown["total"]] if shown.get("total") else [])]:
            assert not any(
                isinstance(cell, int) and not isinstance(cell, bool) and 0 < cell <= 5
                for cell in row[1:]
            ), (shown["title"], row)
    text = str(data)
    assert "Worker 901" not in text and "7100" not in text


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "xlsx"])
def test_every_format_has_the_new_sections(council, returned, fmt):
    content = formats.render(build_compendium(council.council, AS_AT), fmt)
    wanted = (DRIFT, ETHNICITY, CLA_BY_ETHNICITY, "Caseloads by service")
    if fmt == "html":
        found = content.decode()
    elif fmt == "pdf":
        found = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
        found = " ".join(found.split())
    elif fmt == "docx":
        document = docx.Document(io.BytesIO(content))
        found = " ".join(
            [p.text for p in document.paragraphs]
            + [cell.text for t in document.tables for row in t.rows for cell in row.cells]
        )
    else:
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        assert {"Caseloads", "Caseloads by service", "Ethnicity cla"} <= set(workbook.sheetnames)
        found = " ".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    for text in wanted:
        assert text in found, (fmt, text)
