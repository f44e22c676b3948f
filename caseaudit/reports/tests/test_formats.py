"""The formats: the PDF has the chart and the tables, the Word file has real headings, tables
and the chart as a picture, and the Excel file has one sheet per table with no live formulas."""

import datetime
import io

import docx
import openpyxl
import pytest
import weasyprint
from docx.oxml.ns import qn
from weasyprint.formatting_structure import boxes
from weasyprint.images import SVGImage

from caseaudit.core.spreadsheets import safe_text
from caseaudit.organisation.models import Area, Team
from caseaudit.reports import charts, formats
from caseaudit.reports.build import build_highlight, ordered_tables
from caseaudit.reports.render_html import render_document
from caseaudit.reports.tests.conftest import JAN, MAR, TODAY, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(council, people, programme):
    return build_highlight(council.council, from_month=JAN, to_month=MAR, today=TODAY)


def _walk(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _walk(child)


def test_pdf_has_the_chart_and_the_tables(data):
    content = formats.render(data, "pdf")
    assert content.startswith(b"%PDF")
    document = weasyprint.HTML(string=render_document(data)).render()
    assert len(document.pages) >= 2
    laid_out = [box for page in document.pages for box in _walk(page._page_box)]
    images = [box for box in laid_out if isinstance(box, boxes.ReplacedBox)]
    # The judgements chart, then one for each practice theme with audits judged.
    assert len(images) == 1 + len([theme for theme in data["themes"] if theme["total"]])
    assert all(isinstance(image.replacement, SVGImage) for image in images)
    # A table that runs onto a second page is laid out in two parts.
    tables = [box for box in laid_out if isinstance(box, boxes.TableBox)]
    assert len(tables) >= len([table for table in ordered_tables(data) if table["rows"]])
    text = " ".join(box.text for box in laid_out if isinstance(box, boxes.TextBox))
    for table in ordered_tables(data):
        assert table["title"].split(",")[0] in text
    assert "Overall judgements by month" in text
    assert "Programme paused" in text


def test_the_chart_marks_paused_months_and_keeps_grades_apart(data):
    svg = charts.judgements_svg(data["judgements"]["months"])
    assert svg.lstrip().startswith("<?xml")
    assert "Paused" in svg
    for grade in ("Outstanding", "Good", "Requires Improvement", "Inadequate"):
        assert grade in svg
    # Every grade has its own hatch, so the bars read in greyscale too.
    assert len(set(charts.HATCHES.values())) == 4
    assert charts.judgements_png(data["judgements"]["months"]).startswith(b"\x89PNG")
    # The same data draws the same picture: a published report's chart never shifts.
    assert charts.judgements_svg(data["judgements"]["months"]) == svg


def test_word_has_real_headings_tables_and_the_chart(data):
    document = docx.Document(io.BytesIO(formats.render(data, "docx")))
    headings = [(p.style.name, p.text) for p in document.paragraphs]
    level_one = [text for style, text in headings if style == "Heading 1"]
    assert level_one == [
        "1. Introduction",
        "2. Programme figures",
        "3. Overall judgements by month",
        "4. Judgements by area and by service",
        "5. Practice themes",
        "6. Domain results",
        "7. Parent, child and partner agency feedback",
        "8. Social worker reflection",
        "9. Moderation, re-audits and follow-up",
        "10. Recommendations and practice standards",
        "11. Definitions",
    ]
    level_two = [text for style, text in headings if style == "Heading 2"]
    assert "Since the start of the programme" in level_two
    assert "What went well?" in level_two
    assert len(document.tables) == len([table for table in ordered_tables(data) if table["rows"]])
    assert document.tables[0].rows[0].cells[1].text == "Allocated"
    assert len(document.inline_shapes) == 1 + len([t for t in data["themes"] if t["total"]])


def test_word_is_a4_numbered_british_and_described(data):
    document = docx.Document(io.BytesIO(formats.render(data, "docx")))
    for section in document.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        footer = section.footer.paragraphs[0]._p.xml
        assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    language = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert language.get(qn("w:val")) == "en-GB"
    properties = document.core_properties
    assert properties.language == "en-GB"
    assert properties.title == data["title"] and properties.author == data["council"]
    assert data["period"] in properties.subject
    chart, *themes = document.inline_shapes
    assert "stacked bar chart of overall judgements" in chart._inline.docPr.get("descr")
    for shape in themes:
        assert shape._inline.docPr.get("descr").startswith("Bar chart of the overall judgements")


def test_excel_has_one_sheet_per_table_for_analysts(data):
    workbook = openpyxl.load_workbook(io.BytesIO(formats.render(data, "xlsx")))
    tables = ordered_tables(data)
    assert workbook.sheetnames == ["About", "Definitions", *(table["sheet"] for table in tables)]
    sheet = workbook["Compliance since start"]
    # Headings on row 1, the rows straight after: nothing else on a table's sheet.
    assert [cell.value for cell in sheet[1]] == [
        "Kind of audit",
        "Allocated",
        "Completed",
        "Compliance",
    ]
    assert [cell.value for cell in sheet[2]] == ["Audits", 20, 16, 0.8]
    # Numbers stay numbers; a percentage is a number shown as one.
    assert sheet["B2"].data_type == "n"
    assert sheet["D2"].data_type == "n" and "%" in sheet["D2"].number_format
    for table in tables:
        headings = [cell.value for cell in workbook[table["sheet"]][1]]
        assert all(headings), (table["sheet"], headings)
    # Each table is named on the About sheet, and the terms are defined.
    about = [row[1].value for row in workbook["About"].iter_rows()]
    assert all(table["title"] in about for table in tables)
    terms = [row[0].value for row in workbook["Definitions"].iter_rows(min_row=2)]
    assert {"Allocated", "Completed", "Compliance", "c"} <= set(terms)


def test_excel_months_are_dates(data):
    workbook = openpyxl.load_workbook(io.BytesIO(formats.render(data, "xlsx")))
    if "Judgements by month" not in workbook.sheetnames:
        pytest.skip("no months in this report")
    sheet = workbook["Judgements by month"]
    months = [row[0].value for row in sheet.iter_rows(min_row=2) if row[0].value != "Total"]
    assert months
    assert all(isinstance(month, datetime.datetime) and month.day == 1 for month in months), months


def test_excel_text_that_looks_like_a_formula_stays_text(council, people):
    """An area named like a formula, from the council's own data, reaches the workbook as
    text: never as a formula a spreadsheet would run."""
    area = Area.objects.create(council=council.council, name="=1+1")
    team = Team.objects.create(
        council=council.council, area=area, service=council.service, name="@SUM(A1)"
    )
    council.teams.append(team)
    make_programme(council, people, per_team=6)
    data = build_highlight(council.council, from_month=JAN, to_month=MAR, today=TODAY)
    workbook = openpyxl.load_workbook(io.BytesIO(formats.render(data, "xlsx")))
    cells = [
        cell
        for sheet in workbook
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "1+1" in cell.value
    ]
    assert cells
    for cell in cells:
        assert cell.data_type == "s"
        assert cell.value == "'=1+1"
    assert not any(
        cell.data_type == "f" for sheet in workbook for row in sheet.iter_rows() for cell in row
    )


@pytest.mark.parametrize(
    "text,safe",
    [
        ("=1+1", "'=1+1"),
        ("+44 1234", "'+44 1234"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("North", "North"),
        ("–", "–"),
    ],
)
def test_formula_starts_are_neutralised(text, safe):
    assert safe_text(text) == safe


def test_a_council_with_no_audits_yet_gets_an_empty_report_in_every_format(council):
    data = build_highlight(council.council, from_month=MAR, to_month=MAR, today=TODAY)
    assert data["judgements"]["months"] == []
    assert data["tables"]["compliance_since_start"]["rows"][0] == ["Audits", 0, 0, "–"]
    for fmt in formats.RENDERINGS:
        assert formats.render(data, fmt)
