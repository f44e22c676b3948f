"""`caseaudit report highlight`: the report from the command line, in every format."""

import io

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

from caseaudit.reports.build import ordered_tables

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "xlsx"])
def test_the_report_in_each_format(council, people, programme, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    stdout = io.StringIO()
    call_command(
        "report",
        "highlight",
        "--council",
        "901",
        "--month",
        "2024-03",
        "--from",
        "2024-01",
        "--format",
        fmt,
        "--out",
        str(out),
        stdout=stdout,
    )
    assert "January 2024 to March 2024" in stdout.getvalue()
    content = out.read_bytes()
    if fmt == "html":
        assert '<h2 class="govuk-heading-l" id="judgements">' in content.decode()
    elif fmt == "pdf":
        assert content.startswith(b"%PDF")
    elif fmt == "docx":
        styles = {p.style.name for p in docx.Document(io.BytesIO(content)).paragraphs}
        assert {"Heading 1", "Heading 2"} <= styles
    else:
        # About, Definitions, then the thirteen tables.
        assert len(openpyxl.load_workbook(io.BytesIO(content)).sheetnames) == 15


def test_one_month_by_default(council, people, programme, tmp_path):
    out = tmp_path / "march.xlsx"
    call_command(
        "report",
        "highlight",
        "--council",
        "901",
        "--month",
        "2024-03",
        "--format",
        "xlsx",
        "--out",
        str(out),
        stdout=io.StringIO(),
    )
    workbook = openpyxl.load_workbook(out)
    titles = [row[1].value for row in workbook["About"].iter_rows()]
    assert "Audit programme, March 2024" in titles
    assert workbook["Compliance in period"]["A1"].value == "Kind of audit"


@pytest.mark.parametrize(
    "arguments,message",
    [
        (["--month", "March"], "YYYY-MM"),
        (["--month", "2024-01", "--from", "2024-03"], "--from must be"),
    ],
)
def test_bad_periods_are_refused(council, people, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command(
            "report",
            "highlight",
            "--council",
            "901",
            *arguments,
            "--format",
            "pdf",
            "--out",
            str(tmp_path / "x.pdf"),
        )


def test_tables_have_sheet_names_excel_accepts(council, people, programme):
    from caseaudit.reports.build import build_highlight
    from caseaudit.reports.tests.conftest import JAN, MAR

    data = build_highlight(council.council, from_month=JAN, to_month=MAR)
    assert all(len(table["sheet"]) <= 31 for table in ordered_tables(data))
