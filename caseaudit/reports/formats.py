"""The formats a highlight report is rendered to, from its data: one renderer each."""

from collections.abc import Callable
from dataclasses import dataclass

from caseaudit.reports.choices import Edition, Format


@dataclass(frozen=True)
class Rendering:
    render: Callable[[dict], bytes]
    content_type: str
    extension: str


def is_highlight(data: dict) -> bool:
    """The highlight report has templates of its own; every other kind is a
    ``reports.document``."""
    return data.get("kind", "highlight") == "highlight"


def _html(data: dict) -> bytes:
    from caseaudit.reports.render_html import render_document, render_kind_document

    render = render_document if is_highlight(data) else render_kind_document
    return render(data).encode("utf-8")


def _pdf(data: dict) -> bytes:
    from caseaudit.reports.render_pdf import render_pdf

    return render_pdf(data)


def _docx(data: dict) -> bytes:
    from caseaudit.reports.render_docx import render_docx, render_kind_docx

    return (render_docx if is_highlight(data) else render_kind_docx)(data)


def _xlsx(data: dict) -> bytes:
    from caseaudit.reports.render_xlsx import render_xlsx

    return render_xlsx(data)


# The renderers import WeasyPrint, python-docx and matplotlib only when a format is asked for.
RENDERINGS: dict[str, Rendering] = {
    Format.HTML: Rendering(_html, "text/html; charset=utf-8", "html"),
    Format.PDF: Rendering(_pdf, "application/pdf", "pdf"),
    Format.DOCX: Rendering(
        _docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    Format.XLSX: Rendering(
        _xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    ),
}


def render(data: dict, fmt: str) -> bytes:
    return RENDERINGS[fmt].render(data)


def filename(data: dict, fmt: str) -> str:
    if not is_highlight(data):
        internal = "-internal" if data.get("edition") == Edition.INTERNAL else ""
        return f"{data['slug']}{internal}.{RENDERINGS[fmt].extension}"
    period = data["from"] if data["from"] == data["to"] else f"{data['from']}-to-{data['to']}"
    internal = "-internal" if data.get("edition") == Edition.INTERNAL else ""
    return f"audit-highlight-report-{period}{internal}.{RENDERINGS[fmt].extension}"


# Said at the top of every format of the internal edition.
INTERNAL_WARNING = (
    "Internal edition: not for publication. Every figure is shown as counted, small numbers "
    "included. Share it only within the Quality Assurance Service and its managers; the "
    "wide-circulation edition is the one for elected members and partners."
)
