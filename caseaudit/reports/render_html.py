"""The report as HTML: the body for the page, and a whole document for the HTML file and the
PDF. One template (``reports/highlight/_report.html``) for all three."""

from django.template.loader import render_to_string

from caseaudit.reports import charts

# Shown on the draft preview only, where a section has no text yet.
PLACEHOLDERS = {
    "introduction": "No introduction written yet.",
    "recommendations": "No practice recommendations written for this month yet.",
    "themes": "No commentary on practice themes written yet.",
    "feedback": "No commentary on feedback written yet.",
    "reflection": "No commentary on reflection written yet.",
    "standards": "No recommendations or practice standards written for this month yet.",
}


# The PDF's chart is a picture at print resolution: WeasyPrint takes seconds to draw the SVG's
# hatching (over ten for eight years of months), and a 200 dpi image prints as sharply.
PRINT_DPI = 200


def chart_src(months: list[dict], *, for_print: bool = False) -> str:
    if not months:
        return ""
    if for_print:
        return charts.png_data_uri(charts.judgements_png(months, dpi=PRINT_DPI))
    return charts.data_uri(charts.judgements_svg(months))


def context(data: dict, *, draft: bool = False, for_print: bool = False) -> dict:
    months = data["judgements"]["months"]
    return {
        "data": data,
        "chart_src": chart_src(months, for_print=for_print),
        "placeholders": PLACEHOLDERS if draft else {},
    }


def render_body(data: dict, *, draft: bool = False) -> str:
    return render_to_string("reports/highlight/_report.html", context(data, draft=draft))


def render_document(data: dict, *, for_print: bool = False) -> str:
    return render_to_string("reports/highlight/document.html", context(data, for_print=for_print))
