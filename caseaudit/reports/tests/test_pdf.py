"""The PDF: tagged for screen readers, and every column of every table on the page."""

import io

import pypdf
import pytest
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, NumberObject

from caseaudit.reports import formats
from caseaudit.reports.build import build_highlight
from caseaudit.reports.tests.conftest import JAN, MAR, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(council, people, programme):
    return build_highlight(council.council, from_month=JAN, to_month=MAR, today=TODAY)


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
