"""The report as HTML: the body for the page, and a whole document for the HTML file and the
PDF. One template (``reports/highlight/_report.html``) for all three."""

import base64
import datetime
from math import ceil

from django.template.loader import render_to_string

from caseaudit.reports import charts
from caseaudit.reports.choices import Edition
from caseaudit.reports.formats import INTERNAL_WARNING
from caseaudit.reports.structures import Table

# Shown on the draft preview only, where a section has no text yet.
PLACEHOLDERS = {
    "introduction": "No introduction written yet.",
    "recommendations": "No practice recommendations written for this month yet.",
    "themes": "No commentary on practice themes written yet.",
    "feedback": "No commentary on feedback written yet.",
    "reflection": "No commentary on reflection written yet.",
    "standards": "No recommendations or practice standards written for this month yet.",
}

# Said in the published report (every format) where a part that is only the QA lead's text
# has none, so its heading is never left with nothing under it.
NOTHING_WRITTEN = {
    "recommendations": "No practice recommendations for this period.",
    "standards": "Nothing to report under recommendations and practice standards for this period.",
}


# The PDF's chart is a picture at print resolution: WeasyPrint takes seconds to draw the SVG's
# hatching (over ten for eight years of months), and a 200 dpi image prints as sharply.
PRINT_DPI = 200


def chart_src(months: list[dict], *, for_print: bool = False) -> str:
    if not months:
        return ""
    if for_print:
        return charts.png_data_uri(
            charts.judgements_png(months, dpi=PRINT_DPI, recent=charts.PRINT_MONTHS)
        )
    return charts.data_uri(charts.judgements_svg(months))


def theme_chart_src(theme: dict) -> str:
    """A practice theme's bars: plain SVG, which the screen and WeasyPrint draw quickly."""
    if theme["total"] == 0:
        return ""
    return charts.data_uri(charts.theme_svg(theme))


# In print, a table with more columns than a portrait A4 page holds readably goes on a
# landscape page, in a smaller type (8pt); one with more than a landscape page holds (a long
# period's domain trend) is printed in parts, each repeating the row labels.
PORTRAIT_COLUMNS = 7
LANDSCAPE_COLUMNS = 14


def printed(table: Table, *, for_print: bool) -> dict:
    """``table`` with the ``parts`` it is shown in (one, but in print for the widest) and
    whether it is ``wide`` (printed landscape)."""
    columns = table["columns"]
    wide = len(columns) > PORTRAIT_COLUMNS
    if not for_print or len(columns) <= LANDSCAPE_COLUMNS:
        return {**table, "wide": wide, "parts": [table]}
    # Every part has the row labels and about as many of the other columns as the rest.
    count = ceil((len(columns) - 1) / (LANDSCAPE_COLUMNS - 1))
    size = ceil((len(columns) - 1) / count)
    parts = []
    for number, start in enumerate(range(1, len(columns), size), start=1):
        kept = [0, *range(start, min(start + size, len(columns)))]
        part = {
            **table,
            "title": f"{table['title']} (part {number} of {count})",
            "columns": [columns[i] for i in kept],
            "rows": [[row[i] for i in kept] for row in table["rows"]],
        }
        if "total" in table:
            part["total"] = [table["total"][i] for i in kept]
        parts.append(part)
    return {**table, "wide": wide, "parts": parts}


def context(data: dict, *, draft: bool = False, for_print: bool = False) -> dict:
    months = data["judgements"]["months"]
    return {
        "data": data,
        "tables": {
            name: printed(table, for_print=for_print) for name, table in data["tables"].items()
        },
        "chart_src": chart_src(months, for_print=for_print),
        # The printed chart of a long programme: whole years beside the last 13 months.
        "chart_alt": charts.alt_text(
            charts.PRINT_MONTHS if for_print and len(months) > charts.PRINT_MONTHS else 0
        ),
        # A chart per practice-theme cohort, beside its counts.
        "themes": [
            {
                **theme,
                "chart_src": theme_chart_src(theme),
                "chart_alt": charts.theme_alt_text(theme),
            }
            for theme in data["themes"]
        ],
        "internal_warning": INTERNAL_WARNING if data.get("edition") == Edition.INTERNAL else "",
        "placeholders": PLACEHOLDERS if draft else {},
        "nothing_written": NOTHING_WRITTEN,
    }


def render_body(data: dict, *, draft: bool = False) -> str:
    return render_to_string("reports/highlight/_report.html", context(data, draft=draft))


def render_document(data: dict, *, for_print: bool = False) -> str:
    return render_to_string("reports/highlight/document.html", context(data, for_print=for_print))


# Every other kind of report (``reports.document``) ---------------------------------------------


def _chart_src(chart: dict) -> str:
    # matplotlib is loaded only when a report with a chart is rendered.
    from caseaudit.performance import charts as trend_charts
    from caseaudit.performance.indicators import INDICATORS

    points = [(datetime.date.fromisoformat(day), value) for day, value in chart["points"]]
    if not points:
        return ""
    svg = trend_charts.image(INDICATORS[chart["indicator"]], points)
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def document_context(data: dict, *, for_print: bool = False) -> dict:
    sections = []
    for part in data["sections"]:
        blocks = []
        for block in part["blocks"]:
            if block["type"] == "table":
                block = {**block, "table": printed(block["table"], for_print=for_print)}
            elif block["type"] == "chart":
                block = {**block, "src": _chart_src(block["chart"])}
            blocks.append(block)
        sections.append({**part, "blocks": blocks})
    return {
        "data": data,
        "sections": sections,
        "internal_warning": INTERNAL_WARNING if data.get("edition") == Edition.INTERNAL else "",
    }


def render_kind_body(data: dict) -> str:
    return render_to_string("reports/document/_body.html", document_context(data))


def render_kind_document(data: dict, *, for_print: bool = False) -> str:
    return render_to_string(
        "reports/document/document.html", document_context(data, for_print=for_print)
    )
