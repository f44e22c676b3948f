"""The select-committee pack: the compendium's indicators at a date with their benchmarks,
figures recounted here from the case data, small numbers suppressed so nothing hidden can be
worked out, every format, publication and freezing, who may read it and the command line."""

import io
from decimal import Decimal

import docx
import openpyxl
import pypdf
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf.generic import BooleanObject

from caseaudit.cases.models import CPPlan
from caseaudit.conftest import make_council
from caseaudit.core.suppression import SUPPRESSED, Published, disclosures
from caseaudit.performance.models import Benchmark
from caseaudit.performance.tests.test_pages import FEBRUARY, JANUARY, load
from caseaudit.reports import actions, formats
from caseaudit.reports.choices import Edition, ReportKind
from caseaudit.reports.compendium_pack import build_compendium
from caseaudit.reports.document import tables
from caseaudit.reports.models import KindReport
from caseaudit.reports.tests.test_pdf import _structure_roles
from caseaudit.testing.queries import assert_cost_does_not_grow

pytestmark = pytest.mark.django_db
CP = "Children on a child protection plan"
SUMMARY = "Indicators as at 29 February 2024, with benchmarks"


@pytest.fixture
def case_data(council, tmp_path):
    """January: North 6, South 7 children on a plan; February: North 4 (a small number),
    South 9. Benchmarks for the plans' count."""
    load(council, tmp_path, JANUARY, north=6, south=7)
    load(council, tmp_path, FEBRUARY, north=4, south=9)
    for comparator, value in (("statistical_neighbours", "40.1"), ("england", "42.0")):
        Benchmark.objects.create(
            council=council.council,
            indicator="cp_plans_open",
            year=2024,
            comparator=comparator,
            value=Decimal(value),
        )


def table(data: dict, title: str) -> dict:
    return next(t for t in tables(data) if t["title"] == title)


def on_a_plan(council, as_at, team=None) -> int:
    """Counted here from the rows imported: children with a plan not ended at the date."""
    plans = CPPlan.objects.filter(
        snapshot__council=council, snapshot__as_at=as_at, cp_plan_end_date__isnull=True
    )
    if team is not None:
        plans = plans.filter(allocated_team=team)
    return plans.values("child").distinct().count()


def test_the_figures_are_the_case_datas_own(council, people, case_data):
    c = council.council
    data = build_compendium(c, FEBRUARY, edition=Edition.INTERNAL)
    summary = {row[0]: row for row in table(data, SUMMARY)["rows"]}
    assert summary[CP][1] == on_a_plan(c, FEBRUARY) == 13
    by_area = {row[0]: row[1] for row in table(data, f"{CP} by area")["rows"]}
    assert by_area == {
        "North": on_a_plan(c, FEBRUARY, council.teams[0]),
        "South": on_a_plan(c, FEBRUARY, council.teams[-1]),
    }
    trend = table(data, f"{CP}: trend")["rows"]
    assert [row[1] for row in trend] == [on_a_plan(c, JANUARY), on_a_plan(c, FEBRUARY)]
    # The benchmarks beside the figure, with their year.
    columns = table(data, SUMMARY)["columns"]
    assert columns[-2:] == ["Statistical neighbours", "England"]
    assert summary[CP][-2:] == ["40.1 (2024)", "42.0 (2024)"]
    assert any(d["term"] == CP for d in data["definitions"])


def test_small_numbers_are_c_and_cannot_be_worked_out(council, people, case_data):
    data = build_compendium(council.council, FEBRUARY)
    by_area = table(data, f"{CP} by area")
    assert dict((row[0], row[1]) for row in by_area["rows"])["North"] == SUPPRESSED
    # No count from 1 to 5 anywhere in the pack.
    for shown in tables(data):
        for row in [*shown["rows"], *([shown["total"]] if shown.get("total") else [])]:
            assert not any(
                isinstance(cell, int) and not isinstance(cell, bool) and 0 < cell <= 5
                for cell in row[1:]
            ), (shown["title"], row)
    # The reader of the area and service tables, with the council's figure they add up to.
    for unit in ("area", "service"):
        shown = table(data, f"{CP} by {unit}")
        assert not disclosures(
            Published(
                cells=[[row[1]] for row in shown["rows"]],
                row_totals=None,
                column_totals=[shown["total"][1]],
                grand_total=None,
            )
        )
    # No child-level data: no child's ID is in it.
    assert "5000" not in str(data)


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "xlsx"])
def test_every_format_renders(council, people, case_data, fmt):
    data = build_compendium(council.council, FEBRUARY)
    content = formats.render(data, fmt)
    if fmt == "html":
        body = content.decode()
        assert CP in body and "data:image/svg+xml;base64," in body
    elif fmt == "pdf":
        catalog = pypdf.PdfReader(io.BytesIO(content)).trailer["/Root"]
        assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
        roles = set(_structure_roles(catalog["/StructTreeRoot"]))
        assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Caption"} <= roles
    elif fmt == "docx":
        document = docx.Document(io.BytesIO(content))
        assert CP in [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
        assert document.inline_shapes  # the trend charts
    else:
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        assert "Indicators" in workbook.sheetnames
        assert workbook["Indicators"]["A1"].value == "Indicator"


def start_pack(council, by):
    return actions.start_kind_report(
        council.council,
        kind=ReportKind.COMPENDIUM,
        parameters={"as_at": FEBRUARY.isoformat()},
        by=by,
    )


def test_a_published_pack_does_not_change_with_the_data(council, people, case_data):
    draft = start_pack(council, people.qa_lead)
    pack = actions.publish_kind_report(draft, by=people.qa_lead)
    frozen = KindReport.objects.get(pk=pack.pk)
    files = {(f.edition, f.format): bytes(f.content) for f in frozen.files.all()}
    Benchmark.objects.update(value=Decimal("99.9"))
    CPPlan.objects.filter(snapshot__as_at=FEBRUARY).delete()
    again = KindReport.objects.get(pk=pack.pk)
    assert again.data == frozen.data and again.html == frozen.html
    assert {(f.edition, f.format): bytes(f.content) for f in again.files.all()} == files
    assert "40.1 (2024)" in again.html
    assert "99.9 (2024)" in str(actions.preview_kind(draft))


def test_a_pack_for_a_date_without_case_data_is_refused(council, people, case_data):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="There is no case data as at 1 March 2024"):
        actions.start_kind_report(
            council.council,
            kind=ReportKind.COMPENDIUM,
            parameters={"as_at": "2024-03-01"},
            by=people.qa_lead,
        )


# One pack, published once, read by each role in turn: publishing renders every format
# (about 40 s), which a test per role repeated six times.
READERS = [
    ("councillor", 200),
    ("director", 200),
    ("qa_lead", 200),
    ("north_manager", 200),
    ("social_worker", 403),
    ("outsider", 404),
]


def test_who_may_read_the_published_pack(client_for, people, council, case_data):
    pack = actions.publish_kind_report(start_pack(council, people.qa_lead), by=people.qa_lead)
    for who, status in READERS:
        client = client_for(getattr(people, who))
        page = client.get(reverse("reports:kind_report", args=[pack.pk]))
        assert page.status_code == status, who
        download = client.get(reverse("reports:kind_download", args=[pack.pk, "xlsx"]))
        assert download.status_code == status, who
        # The internal edition is for the QA service and its managers only.
        internal = client.get(reverse("reports:kind_download_internal", args=[pack.pk, "xlsx"]))
        assert internal.status_code == {"councillor": 403, "north_manager": 403}.get(who, status), (
            who
        )


@pytest.mark.parametrize(
    ("who", "status"),
    [("qa_lead", 200), ("councillor", 403), ("director", 403), ("area_lead", 403)],
)
def test_only_the_qa_lead_prepares_the_pack(client_for, people, case_data, who, status):
    url = reverse("reports:kind_start", args=["compendium"])
    assert client_for(getattr(people, who)).get(url).status_code == status


def test_prepared_from_the_dashboard_and_published(
    client_for, people, council, case_data, django_capture_on_commit_callbacks
):
    client = client_for(people.qa_lead)
    dashboard = client.get(reverse("performance:index")).content.decode()
    start_url = reverse("reports:kind_start", args=["compendium"])
    assert start_url in dashboard
    refused = client.post(start_url, {})
    assert "govuk-error-summary" in refused.content.decode()
    response = client.post(start_url, {"as_at": FEBRUARY.isoformat()})
    draft = KindReport.objects.get()
    assert response.url == reverse("reports:kind_draft", args=[draft.pk])
    assert CP in client.get(response.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:kind_publish", args=[draft.pk]))
    # An elected member finds it from the dashboard's link to the reports.
    member = client_for(people.councillor)
    assert reverse("reports:index") in member.get(reverse("performance:index")).content.decode()
    published = KindReport.objects.get()
    assert published.is_published
    assert published.title in member.get(reverse("reports:index")).content.decode()


def test_the_command_writes_the_pack_and_refuses_bad_dates(council, people, case_data, tmp_path):
    out = tmp_path / "pack.xlsx"
    code = council.council.code
    arguments = ["report", "compendium", "--council", code, "--format", "xlsx", "--out", str(out)]
    call_command(*arguments, "--as-at", FEBRUARY.isoformat())
    assert "Indicators" in openpyxl.load_workbook(out).sheetnames
    with pytest.raises(CommandError, match="There is no case data as at 1 March 2024"):
        call_command(*arguments, "--as-at", "2024-03-01")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command(*arguments, "--as-at", "29/02/2024")


def test_building_costs_the_same_queries_for_a_larger_council(db, people, council, tmp_path):
    larger = make_council("Largeshire", "991", teams_per_area=3)
    load(council, tmp_path, FEBRUARY, north=7, south=8, name="small")
    load(larger, tmp_path, FEBRUARY, north=60, south=80, name="large")
    assert_cost_does_not_grow(
        lambda: build_compendium(council.council, FEBRUARY),
        lambda: build_compendium(larger.council, FEBRUARY),
    )
