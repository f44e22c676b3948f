"""The report as PDF: WeasyPrint prints the same HTML the screen shows, with print styles."""

import logging

import weasyprint

from caseaudit.reports.formats import is_highlight
from caseaudit.reports.render_html import render_document, render_kind_document

# WeasyPrint reports each layout step, and fontTools each font table it subsets, at INFO: a
# dozen lines in the server log for every PDF. Their warnings still come through.
for name in ("weasyprint.progress", "fontTools.subset", "fontTools.ttLib"):
    logging.getLogger(name).setLevel(logging.WARNING)


def render_pdf(data: dict) -> bytes:
    # Tagged: a structure tree of headings, paragraphs and tables (with their header cells)
    # over the marked content, so a screen reader reads the PDF as it reads the HTML.
    render = render_document if is_highlight(data) else render_kind_document
    return weasyprint.HTML(string=render(data, for_print=True)).write_pdf(pdf_tags=True)
