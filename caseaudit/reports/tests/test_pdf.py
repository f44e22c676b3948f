"""The PDF: tagged for screen readers, and every column of every table on the page, with
rows kept whole, headers repeated and no heading or caption left at the foot of a page."""

import datetime
import io
import itertools
import re
from html.parser import HTMLParser

import docx
import pypdf
import pytest
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, NumberObject

from caseaudit.audits.choices import MonthStatus
from caseaudit.audits.models import ProgrammeMonth
from caseaudit.core.suppression import SUPPRESSED
from caseaudit.reports import charts, formats
from caseaudit.reports.build import build_highlight, ordered_tables
from caseaudit.reports.choices import Edition
from caseaudit.reports.render_html import (
    LANDSCAPE_COLUMNS,
    NOTHING_WRITTEN,
    printed,
    render_document,
)
from caseaudit.reports.tests.conftest import JAN, MAR, TODAY

pytestmark = pytest.mark.django_db

# The page footer (the title and "Page n of m") sits in the bottom margin, below this.
FOOTER_TOP = 20 * 72 / 25.4


@pytest.fixture
def data(council, people, programme):
    return build_highlight(council.council, from_month=JAN, to_month=MAR, today=TODAY)


@pytest.fixture
def since_2020(council, people, programme):
    """The programme started in January 2020, so its judgements by month run over several
    pages; and a year's report, so the domain results have twelve trend months."""
    ProgrammeMonth.objects.create(
        council=council.council,
        month=datetime.date(2020, 1, 1),
        status=MonthStatus.CLOSED,
        tool_version=programme.months[JAN].tool_version,
        due_date=datetime.date(2020, 1, 28),
    )
    return build_highlight(
        council.council, from_month=datetime.date(2023, 4, 1), to_month=MAR, today=TODAY
    )


def test_the_pdf_is_tagged(data):
    """What ``pdfinfo`` reports as "Tagged: yes": the catalog marks the content and holds a
    structure tree."""
    catalog = pypdf.PdfReader(io.BytesIO(formats.render(data, "pdf"))).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
    roles = set(_structure_roles(catalog["/StructTreeRoot"]))
    # Headings, and tables with header cells a screen reader announces with each cell.
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Caption"} <= roles


def _structure_roles(element):
    element = element.get_object()
    if isinstance(element, DictionaryObject):
        if "/S" in element:
            yield element["/S"]
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            if not isinstance(kid, NumberObject):
                yield from _structure_roles(kid)


def page_lines(content: bytes) -> list[list[str]]:
    """Each page's lines of text, in the order they are drawn, leaving out any that fall
    outside the page (as a column cut off at the page's edge did) and the footer."""
    pages = []
    for page in pypdf.PdfReader(io.BytesIO(content)).pages:
        left, bottom, right, top = (float(edge) for edge in page.mediabox)
        lines: list[str] = []

        def visit(text, cm, tm, font, size, lines=lines, box=(left, bottom, right, top)):
            x, y = pypdf.mult(tm, cm)[4:]
            if text.strip() and box[0] <= x < box[2] and FOOTER_TOP < y < box[3]:
                lines.append(" ".join(text.split()))

        page.extract_text(visitor_text=visit)
        pages.append(lines)
    return pages


def words(lines: list[str]) -> str:
    # A header that wraps in its cell ("Good or / better") reads as one phrase again.
    return " " + " ".join(lines) + " "


def test_every_column_of_every_table_is_on_the_page(since_2020):
    pages = page_lines(formats.render(since_2020, "pdf"))
    text = words([line for lines in pages for line in lines])
    tables = ordered_tables(since_2020)
    assert len(since_2020["tables"]["judgements_by_month"]["rows"]) == 51
    # Twelve trend months: wider than a landscape page, so printed in two parts.
    assert len(since_2020["tables"]["domains"]["columns"]) > LANDSCAPE_COLUMNS
    assert len(printed(since_2020["tables"]["domains"], for_print=True)["parts"]) == 2
    for table in tables:
        # An empty table says so instead ("No re-audits were judged in this period.").
        for column in table["columns"] if table["rows"] else ():
            assert f" {column} " in text or not column, (table["title"], column)
    for column in ("Inadequate %", "Good or better", "Note", "Mar 2024", "Apr 2023", "Trend"):
        assert f" {column} " in text
    # Each part of the domain results repeats the domain names.
    domain = since_2020["tables"]["domains"]["rows"][0][0]
    assert text.count(f" {domain} ") >= 2


def test_a_paused_month_says_so(since_2020):
    pages = page_lines(formats.render(since_2020, "pdf"))
    [paused] = [m for m in since_2020["judgements"]["months"] if m["paused"]]
    assert paused["name"] == "February 2024"
    [page] = [words(lines) for lines in pages if " February 2024 " in words(lines)]
    assert " Programme paused " in page


def test_long_tables_repeat_their_headers_and_keep_rows_whole(since_2020):
    pages = page_lines(formats.render(since_2020, "pdf"))
    # Months named nowhere else in the report (the period is April 2023 to March 2024).
    months = [row for row in since_2020["tables"]["judgements_by_month"]["rows"] if "202" in row[0]]
    months = [row for row in months if int(row[0][-4:]) < 2023]
    on_pages = [
        words(lines) for lines in pages if any(f" {row[0]} " in words(lines) for row in months)
    ]
    assert len(on_pages) >= 2
    for page in on_pages:
        assert " Month Outstanding Good Requires Improvement Inadequate " in page
        assert " Inadequate % Good or better Note " in page
    # Every month's row is whole on one page: its label is not cut between two.
    for row in months:
        assert sum(f" {row[0]} " in page for page in on_pages) == 1, row[0]


class Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings: list[str] = []
        self._in = False

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]|caption", tag):
            self._in = True
            self.headings.append("")

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]|caption", tag):
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.headings[-1] += data


def test_no_heading_or_caption_is_left_at_the_foot_of_a_page(since_2020):
    parser = Headings()
    parser.feed(render_document(since_2020, for_print=True))
    headings = {" ".join(text.split()) for text in parser.headings}
    pages = page_lines(formats.render(since_2020, "pdf"))
    for number, lines in enumerate(pages[:-1], start=1):
        assert lines[-1] not in headings, (number, lines[-1])


class Outline(HTMLParser):
    """The headings and what stands under them, in document order: (level, text) for a
    heading, None for anything else shown (a paragraph, list, table or picture)."""

    CONTENT = {"p", "ul", "ol", "dl", "table", "figure", "img"}

    def __init__(self):
        super().__init__()
        self.items: list[tuple[int, str] | None] = []
        self._heading: str | None = None

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = ""
        elif tag in self.CONTENT:
            self.items.append(None)

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag):
            self.items.append((int(tag[1]), " ".join(self._heading.split())))
            self._heading = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading += data


def test_no_heading_stands_empty(data):
    """With nothing written for the month, the sections that are only the QA lead's text say
    so under their heading, in the HTML (screen and file), the PDF and Word alike: a heading
    is followed by something before the next heading of its level or above."""
    assert not any(data["narrative"].values())
    for html in (render_document(data), render_document(data, for_print=True)):
        outline = Outline()
        outline.feed(html)
        items = [*outline.items, (0, "the end")]
        for heading, after in itertools.pairwise(items):
            if heading is not None and after is not None:
                assert after[0] > heading[0], f"{heading[1]!r} is followed by {after[1]!r}"
    lines = [line for page in page_lines(formats.render(data, "pdf")) for line in page]
    standards = lines.index("10. Recommendations and practice standards")
    assert lines[standards + 1].startswith("Nothing to report under recommendations")
    recommendations = lines.index("Practice recommendations: January 2024 to March 2024")
    assert lines[recommendations + 1] == "No practice recommendations for this period."
    paragraphs = [
        p.text for p in docx.Document(io.BytesIO(formats.render(data, "docx"))).paragraphs
    ]
    standards = paragraphs.index("10. Recommendations and practice standards")
    assert paragraphs[standards + 1] == NOTHING_WRITTEN["standards"]


def _month(key: str, counts: list, *, paused: bool = False) -> dict:
    total = SUPPRESSED if SUPPRESSED in counts else sum(counts)
    return {
        "key": key,
        "label": key,
        "name": key,
        "paused": paused,
        "counts": counts,
        "total": total,
    }


def test_a_year_is_the_sum_of_its_months_as_published_or_hidden_whole():
    months = [
        _month("2022-11", [1, 7, 2, 0]),
        _month("2022-12", [0, 6, 6, 0]),
        _month("2023-01", [SUPPRESSED, 8, 9, 0]),
        _month("2023-02", [0, 0, 0, 0], paused=True),
    ]
    assert charts.by_year(months) == [
        _month("2022", [1, 13, 8, 0]) | {"label": "2022", "name": "2022"},
        {
            "key": "2023",
            "label": "2023",
            "name": "2023",
            "paused": False,
            "counts": [SUPPRESSED] * 4,
            "total": SUPPRESSED,
        },
    ]


def test_a_long_programme_is_printed_as_years_beside_its_last_13_months(since_2020):
    months = since_2020["judgements"]["months"]
    assert len(months) > charts.PRINT_MONTHS
    html = render_document(since_2020, for_print=True)
    assert "by year, and by month for the last 13 months" in html
    assert "by year" not in render_document(since_2020)
    assert charts.judgements_png(months, recent=charts.PRINT_MONTHS) != charts.judgements_png(
        months
    )
    # A programme no longer than that prints as on the screen.
    assert charts.judgements_png(months[-13:], recent=13) == charts.judgements_png(months[-13:])


def test_every_page_of_the_internal_edition_says_it_is_not_for_publication(
    council, people, programme
):
    internal = build_highlight(
        council.council, from_month=JAN, to_month=MAR, today=TODAY, edition=Edition.INTERNAL
    )
    reader = pypdf.PdfReader(io.BytesIO(formats.render(internal, "pdf")))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) >= 2
    for page in pages:
        assert "INTERNAL: NOT FOR PUBLICATION" in page
    assert "Internal edition: not for publication." in pages[0]


def test_word_draws_a_long_programme_as_print_does(since_2020):
    document = docx.Document(io.BytesIO(formats.render(since_2020, "docx")))
    chart = document.inline_shapes[0]
    assert chart._inline.docPr.get("descr") == charts.alt_text(charts.PRINT_MONTHS)
