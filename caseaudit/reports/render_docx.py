"""The report as a Word document (python-docx), from the same data as the screen: real Heading 1
and Heading 2 styles (so Word's navigation pane and contents work), real tables, and the chart
as a picture with alt text and its data table beneath; A4 pages numbered "Page n of m", British
English for the spelling checker and screen readers, and the document's properties filled in."""

import datetime
import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Mm, Pt

from caseaudit.reports import charts, sections
from caseaudit.reports.choices import Edition
from caseaudit.reports.definitions import SUPPRESSED_NOTE
from caseaudit.reports.formats import INTERNAL_WARNING
from caseaudit.reports.render_html import NOTHING_WRITTEN

SECTIONS = (
    ("introduction", "1. Introduction"),
    ("programme", "2. Programme figures"),
    ("judgements", "3. Overall judgements by month"),
    ("areas", "4. Judgements by area and by service"),
    ("themes", "5. Practice themes"),
    ("domains", "6. Domain results"),
    ("feedback", "7. Parent, child and partner agency feedback"),
    ("reflection", "8. Social worker reflection"),
    ("follow_up", "9. Moderation, re-audits and follow-up"),
    ("standards", "10. Recommendations and practice standards"),
    ("definitions", "11. Definitions"),
)
LANGUAGE = "en-GB"


def _a4_with_page_numbers(document) -> None:
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin = section.bottom_margin = Mm(20)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("Page ")
        _field(footer, "PAGE")
        footer.add_run(" of ")
        _field(footer, "NUMPAGES")


def _field(paragraph, instruction: str) -> None:
    """A Word field (the page number, the page count), worked out when the document is shown."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _british_english(document) -> None:
    """The language every style inherits from, and the document's own."""
    properties = document.styles.element.find(qn("w:docDefaults"))
    run_properties = properties.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_properties.append(language)
    language.set(qn("w:val"), LANGUAGE)
    language.set(qn("w:eastAsia"), LANGUAGE)
    document.core_properties.language = LANGUAGE


def _alt_text(shape, text: str) -> None:
    """What a screen reader says for a picture (Word's "Alt Text")."""
    shape._inline.docPr.set("descr", text)
    shape._inline.docPr.set("title", "Chart of overall judgements")


def _paragraphs(document, text: str) -> None:
    """Narrative text: a paragraph per blank-line-separated block; "- " or "• " lines as
    bullets."""
    for block in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line[:2] in {"- ", "• ", "* "} for line in lines):
            for line in lines:
                document.add_paragraph(line[2:].strip(), style="List Bullet")
        else:
            document.add_paragraph(" ".join(lines))


def _table(document, table: dict) -> None:
    caption = document.add_paragraph()
    caption.add_run(table["title"]).bold = True
    if not table["rows"]:
        document.add_paragraph(table.get("empty_text", "No audits to show for this period."))
        return
    rows = [*table["rows"], *([table["total"]] if table.get("total") else [])]
    grid = document.add_table(rows=1 + len(rows), cols=len(table["columns"]))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(grid.rows[0].cells, table["columns"], strict=True):
        cell.text = str(heading)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    # The heading row repeats on every page the table runs onto.
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    grid.rows[0]._tr.get_or_add_trPr().append(header)
    for number, values in enumerate(rows, 1):
        is_total = table.get("total") is not None and number == len(rows)
        for index, (cell, value) in enumerate(zip(grid.rows[number].cells, values, strict=True)):
            cell.text = (
                "" if value is None else f"{value:,}" if isinstance(value, int) else str(value)
            )
            paragraph = cell.paragraphs[0]
            if index:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in paragraph.runs:
                run.font.size = Pt(8)
                run.bold = is_total or index == 0
    if table.get("suppressed"):
        document.add_paragraph(SUPPRESSED_NOTE).runs[0].italic = True


def _quotes(document, quotes: list, empty: str) -> None:
    if not quotes:
        document.add_paragraph(empty)
        return
    for quote in quotes:
        if isinstance(quote, dict):
            text = f"“{quote['text']}”" + (f" ({quote['from']})" if quote.get("from") else "")
        else:
            text = f"“{quote}”"
        document.add_paragraph(text, style="List Bullet")


def _about(document, data: dict) -> None:
    """Who prepared the report, whom to contact and the day its figures were counted."""
    author = data.get("author")
    if author:
        document.add_paragraph(f"Prepared by: {author['name']}")
        if author.get("email"):
            document.add_paragraph(f"Contact: {author['email']}")
    if data.get("as_at"):
        document.add_paragraph(f"Figures as at: {data['as_at']}")


def _by_month(document, data: dict, section: str, *, level: int) -> None:
    """A section of the QA lead's text: in a report of more than one month, each month's under
    its name (the months with something written)."""
    months = data.get("narrative_months", {}).get(section)
    if not months:
        _paragraphs(document, data["narrative"][section] or NOTHING_WRITTEN[section])
        return
    for month in months:
        document.add_heading(month["name"], level=level)
        _paragraphs(document, month["text"])


def render_docx(data: dict) -> bytes:
    tables = data["tables"]
    narrative = data["narrative"]
    document = Document()
    properties = document.core_properties
    properties.title = data["title"]
    properties.author = data["council"]
    properties.subject = f"Audit highlight report, {data['period']}"
    properties.category = "Quality assurance"
    properties.keywords = "case audit; highlight report; children's social care"
    properties.comments = (
        INTERNAL_WARNING if data.get("edition") == Edition.INTERNAL else SUPPRESSED_NOTE
    )
    _british_english(document)
    _a4_with_page_numbers(document)
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10.5)
    if data.get("edition") == Edition.INTERNAL:
        warning = document.add_paragraph()
        warning.add_run(INTERNAL_WARNING).bold = True
        document.sections[0].header.paragraphs[0].text = "INTERNAL: NOT FOR PUBLICATION"
    document.add_heading(data["title"], level=0)
    document.add_paragraph(data["council"])
    _about(document, data)
    headings = dict(SECTIONS)

    document.add_heading(headings["introduction"], level=1)
    _paragraphs(document, narrative["introduction"])
    for sentence in data["compliance"]["since_start"]["headline"]:
        document.add_paragraph(sentence)
    document.add_heading(f"Practice recommendations: {data['period']}", level=2)
    _by_month(document, data, "recommendations", level=3)

    document.add_heading(headings["programme"], level=1)
    document.add_heading("Since the start of the programme", level=2)
    _table(document, tables["compliance_since_start"])
    document.add_heading(data["period"], level=2)
    for sentence in data["compliance"]["period"]["headline"]:
        document.add_paragraph(sentence)
    for name in ("compliance_period", "compliance_by_area", "compliance_by_service"):
        _table(document, tables[name])

    document.add_heading(headings["judgements"], level=1)
    document.add_paragraph(
        "The share of completed audits given each overall judgement, month by month from the "
        "first month of the programme. Re-audits are not included. Months marked “Paused” are "
        "months when the audit programme was paused."
    )
    months = data["judgements"]["months"]
    if months:
        # On paper, as in the PDF: a long programme's last 13 months beside whole years.
        recent = charts.PRINT_MONTHS if len(months) > charts.PRINT_MONTHS else 0
        png = charts.judgements_png(months, recent=recent or None)
        picture = document.add_picture(io.BytesIO(png), width=Inches(6.3))
        _alt_text(picture, charts.alt_text(recent))
    if data["judgements"].get("period_sentence"):
        document.add_paragraph(data["judgements"]["period_sentence"])
    _table(document, tables["judgements_by_month"])

    document.add_heading(headings["areas"], level=1)
    _table(document, tables["judgements_by_area"])
    _table(document, tables["judgements_by_service"])

    document.add_heading(headings["themes"], level=1)
    if data["judgements"].get("inadequate"):
        document.add_paragraph(data["judgements"]["inadequate"])
    _paragraphs(document, narrative["themes"])
    _table(document, tables["practice_themes"])
    for theme in data["themes"]:
        document.add_heading(theme["title"], level=2)
        document.add_paragraph(
            " · ".join(f"{g['label']}: {g['count']}" for g in theme["grades"])
            + f" (audits judged: {theme['total']})"
        )
        if theme["total"] != 0:
            picture = document.add_picture(io.BytesIO(charts.theme_png(theme)), width=Inches(4.5))
            _alt_text(picture, charts.theme_alt_text(theme))
        for descriptor in theme["descriptors"]:
            for text in descriptor["texts"]:
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{descriptor['grade']}: ").bold = True
                paragraph.add_run(text)

    document.add_heading(headings["domains"], level=1)
    domains = data["domains"]
    if domains["all"]:
        for title, chosen in (("Weakest domains", "weakest"), ("Strongest domains", "strongest")):
            if not domains[chosen]:
                continue
            document.add_heading(title, level=2)
            for domain in domains[chosen]:
                share = sections.shown_rate(domain["good_or_better"])
                document.add_paragraph(
                    f"{domain['title']}: {share} good or better ({domain['direction']})",
                    style="List Bullet",
                )
    _table(document, tables["domains"])

    document.add_heading(headings["feedback"], level=1)
    _paragraphs(document, narrative["feedback"])
    _table(document, tables["feedback"])
    document.add_heading("Practice strengths", level=2)
    _quotes(document, data["feedback"]["strengths"], "No quotes chosen for this period.")
    document.add_heading("Areas for improvement", level=2)
    _quotes(document, data["feedback"]["improvements"], "No quotes chosen for this period.")

    document.add_heading(headings["reflection"], level=1)
    document.add_paragraph(
        f"Reflection meetings recorded in the period: {data['reflection']['sheets']}."
    )
    _paragraphs(document, narrative["reflection"])
    for question in data["reflection"]["questions"]:
        document.add_heading(question["label"], level=2)
        _quotes(document, question["quotes"], "No themes chosen for this question.")

    if data.get("moderation"):
        document.add_heading(headings["follow_up"], level=1)
        document.add_paragraph(data["moderation"]["sentence"])
        for name in ("moderation", "reaudit_movement", "coverage"):
            _table(document, tables[name])
    else:  # A report published before section 9 was added.
        headings["standards"] = headings["standards"].replace("10.", "9.")

    document.add_heading(headings["standards"], level=1)
    _by_month(document, data, "standards", level=2)

    if data.get("definitions"):
        document.add_heading(headings["definitions"], level=1)
        for definition in data["definitions"]:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{definition['term']}: ").bold = True
            paragraph.add_run(definition["meaning"])

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Every other kind of report (``reports.document``) ---------------------------------------------


def _chart_picture(document, chart: dict) -> None:
    # matplotlib is loaded only when a report with a chart is rendered.
    from caseaudit.performance import charts as trend_charts
    from caseaudit.performance.indicators import INDICATORS

    points = [(datetime.date.fromisoformat(day), value) for day, value in chart["points"]]
    if not points:
        return
    png = trend_charts.image(INDICATORS[chart["indicator"]], points, "png")
    picture = document.add_picture(io.BytesIO(png), width=Inches(6.0))
    picture._inline.docPr.set("descr", chart["alt"])
    picture._inline.docPr.set("title", "Trend chart")


def render_kind_docx(data: dict) -> bytes:
    """A ``reports.document`` as Word: the same page set-up, language and table style as the
    highlight report's, its sections as Heading 1 and their parts as Heading 2."""
    document = Document()
    properties = document.core_properties
    properties.title = data["title"]
    properties.author = data["council"]
    properties.subject = data["subject"]
    properties.category = "Quality assurance"
    properties.comments = (
        INTERNAL_WARNING if data.get("edition") == Edition.INTERNAL else SUPPRESSED_NOTE
    )
    _british_english(document)
    _a4_with_page_numbers(document)
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10.5)
    document.add_heading(data["title"], level=0)
    document.add_paragraph(data["council"])
    document.add_paragraph(f"Figures as at: {data['as_at']}")
    for text in data["introduction"]:
        _paragraphs(document, text)
    for part in data["sections"]:
        document.add_heading(part["heading"], level=part["level"] - 1)
        for block in part["blocks"]:
            match block["type"]:
                case "paragraph":
                    _paragraphs(document, block["text"])
                case "list":
                    for item in block["items"]:
                        document.add_paragraph(item, style="List Bullet")
                case "facts":
                    for fact in block["facts"]:
                        paragraph = document.add_paragraph()
                        paragraph.add_run(f"{fact['term']}: ").bold = True
                        paragraph.add_run(str(fact["value"]))
                case "table":
                    _table(document, block["table"])
                case "chart":
                    _chart_picture(document, block["chart"])
    if data.get("definitions"):
        document.add_heading("Definitions", level=1)
        for definition in data["definitions"]:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{definition['term']}: ").bold = True
            paragraph.add_run(definition["meaning"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
