"""The one shape of every report kind besides the highlight report (``choices.ReportKind``):
a title, a few opening lines, numbered sections of blocks (paragraphs, lists, facts, tables,
charts) and the definitions. ``kinds`` builds it; the HTML page, the HTML file, the PDF, the
Word document and the Excel workbook render it (``render_html``, ``render_docx``,
``render_xlsx``), so a new kind is a builder and nothing else.

Plain JSON types only, like ``structures.HighlightData``, so a published report reads back
exactly as it was built. Tables are ``structures.Table``: a cell is a count, a label or
``core.suppression.SUPPRESSED``.
"""

from typing import Literal, NotRequired, TypedDict

from caseaudit.reports.structures import Definition, Table


class Fact(TypedDict):
    term: str
    value: str


class Chart(TypedDict):
    """A trend: the indicator it is of (``performance.indicators``), its points as
    (ISO date, figure) with a hidden figure left out, and what a screen reader says."""

    indicator: str
    points: list[list]
    alt: str


class Block(TypedDict):
    type: Literal["paragraph", "list", "facts", "table", "chart"]
    text: NotRequired[str]
    items: NotRequired[list[str]]
    facts: NotRequired[list[Fact]]
    table: NotRequired[Table]
    chart: NotRequired[Chart]


class Section(TypedDict):
    heading: str
    # 2 for a numbered section, 3 for a part of one.
    level: int
    blocks: list[Block]


class DocumentData(TypedDict):
    kind: str
    edition: str
    title: str
    # Word's subject and the file's name: "thematic-overview-report-2024-04-15".
    subject: str
    slug: str
    council: str
    as_at: str
    built_at: str
    today: str
    introduction: list[str]
    sections: list[Section]
    definitions: list[Definition]


def paragraph(text: str) -> Block:
    return {"type": "paragraph", "text": text}


def bullets(items: list[str]) -> Block:
    return {"type": "list", "items": items}


def facts(pairs: list[tuple[str, str]]) -> Block:
    return {"type": "facts", "facts": [{"term": t, "value": v} for t, v in pairs]}


def table(value: Table) -> Block:
    return {"type": "table", "table": value}


def chart(indicator: str, points: list[list], alt: str) -> Block:
    return {"type": "chart", "chart": {"indicator": indicator, "points": points, "alt": alt}}


def section(heading: str, blocks: list[Block], *, level: int = 2) -> Section:
    return {"heading": heading, "level": level, "blocks": blocks}


def numbered(sections: list[Section]) -> list[Section]:
    """The level-2 sections numbered 1, 2, 3… in order, as the highlight report's are."""
    number = 0
    out = []
    for part in sections:
        if part["level"] == 2:
            number += 1
            part = {**part, "heading": f"{number}. {part['heading']}"}
        out.append(part)
    return out


def tables(data: DocumentData) -> list[Table]:
    """Every table in the order the report shows them: the Excel workbook's sheets."""
    return [
        block["table"]
        for part in data["sections"]
        for block in part["blocks"]
        if block["type"] == "table"
    ]
