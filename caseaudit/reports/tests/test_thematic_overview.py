"""The thematic overview report: built from a thematic audit run as its lead would run it,
its figures recomputed here from the records, every format, publication and freezing, who may
read it, the command line, suppression and the cost of building it."""

import datetime
import io
from collections import Counter

import docx
import openpyxl
import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf.generic import BooleanObject

from caseaudit.audits.choices import AuditStatus
from caseaudit.audits.models import Audit
from caseaudit.cases.cohorts import conditions_from_data, evaluate
from caseaudit.core import clock
from caseaudit.core.grades import ORDER
from caseaudit.core.suppression import SUPPRESSED, Published, disclosures
from caseaudit.reports import actions, formats
from caseaudit.reports.choices import Edition, ReportKind
from caseaudit.reports.document import tables
from caseaudit.reports.models import KindReport
from caseaudit.reports.tests.test_pdf import _structure_roles
from caseaudit.reports.thematic_overview import build_thematic
from caseaudit.testing.queries import assert_cost_does_not_grow
from caseaudit.thematic import actions as thematic_actions
from caseaudit.thematic.choices import ActionStatus, FindingKind, FindingStatus, SampleMethod
from caseaudit.thematic.models import SampledChild

pytestmark = pytest.mark.django_db


def run(thematic, people, *, size: int = 12, extra_findings: int = 0, audit=None):
    """The thematic audit (``audit``, or the fixture's) run by its lead: a sample drawn and
    confirmed, its audits allocated and most of them done, findings (confirmed, dismissed,
    only identified), a recommendation and four actions, one of each progress."""
    audit, lead = audit or thematic.audit, thematic.lead
    sample = thematic_actions.draw_sample(
        audit, method=SampleMethod.RANDOM_N, size=size, seed=5, by=lead
    )
    thematic_actions.confirm_sample(sample, by=lead)
    audits = thematic_actions.allocate_audits(audit, by=lead)
    grades = [ORDER[0], ORDER[1], ORDER[1], ORDER[2], ORDER[3], ORDER[1]]
    for number, done in enumerate(audits[:-1]):
        Audit.objects.filter(pk=done.pk).update(
            status=AuditStatus.SUBMITTED, overall_grade=grades[number % len(grades)]
        )
    child_id = sample.children.first().la_child_id
    strength = thematic_actions.add_finding(
        audit,
        kind=FindingKind.STRENGTH,
        summary="Carers know the children well",
        detail=f"Seen in the audit of {child_id} and others.",
        by=lead,
    )
    thematic_actions.move_finding(strength, FindingStatus.CONFIRMED, by=lead)
    gap = thematic_actions.add_finding(
        audit, kind=FindingKind.IMPROVEMENT, summary="Plans lag moves", severity="high", by=lead
    )
    thematic_actions.move_finding(gap, FindingStatus.CONFIRMED, by=lead)
    # Confirmed, then given an owner: still a finding of the audit, so it is published.
    thematic_actions.assign_finding(
        gap,
        owner=people.north_manager,
        due_date=clock.today() + datetime.timedelta(days=30),
        severity="high",
        by=lead,
    )
    dismissed = thematic_actions.add_finding(
        audit, kind=FindingKind.IMPROVEMENT, summary="Dismissed idea", severity="low", by=lead
    )
    thematic_actions.move_finding(dismissed, FindingStatus.DISMISSED, reason="No", by=lead)
    thematic_actions.add_finding(
        audit, kind=FindingKind.STRENGTH, summary="Only identified so far", by=lead
    )
    for number in range(extra_findings):
        extra = thematic_actions.add_finding(
            audit, kind=FindingKind.STRENGTH, summary=f"More {number}", by=lead
        )
        thematic_actions.move_finding(extra, FindingStatus.CONFIRMED, by=lead)
    thematic_actions.add_consultation(
        audit,
        who="Carer",
        role="parent_carer",
        held_on=datetime.date(2024, 2, 1),
        notes="SECRET CONSULTATION NOTE",
        by=lead,
    )
    thematic_actions.add_recommendation(audit, text="Review plans after every move", by=lead)
    today = clock.today()
    made = {}
    for name, due, status in (
        ("done", today + datetime.timedelta(days=5), ActionStatus.DONE),
        ("going", today + datetime.timedelta(days=5), ActionStatus.IN_PROGRESS),
        ("late", today - datetime.timedelta(days=5), ActionStatus.NOT_STARTED),
        ("later", today + datetime.timedelta(days=50), ActionStatus.NOT_STARTED),
    ):
        made[name] = thematic_actions.add_action(
            audit,
            action=f"Action {name}",
            intended_outcome="Better",
            owner=people.north_manager,
            due_date=due,
            by=lead,
        )
        if status != ActionStatus.NOT_STARTED:
            thematic_actions.update_action(
                made[name], status=ActionStatus.IN_PROGRESS, by=people.north_manager
            )
        if status == ActionStatus.DONE:
            thematic_actions.update_action(
                made[name], status=ActionStatus.DONE, evidence="Done", by=people.north_manager
            )
    return sample, audits


def table_named(data: dict, words: str) -> dict:
    return next(t for t in tables(data) if words in t["title"])


def test_the_figures_are_the_records_own(thematic, people):
    sample, audits = run(thematic, people)
    audit = thematic.audit
    data = build_thematic(audit.council, [audit.pk], edition=Edition.INTERNAL)
    # Judgements, recounted from the audits.
    judged = Counter(
        Audit.objects.filter(
            pk__in=[a.pk for a in audits], status=AuditStatus.SUBMITTED
        ).values_list("overall_grade", flat=True)
    )
    shown = table_named(data, "overall judgements")
    assert [row[1] for row in shown["rows"]] == [judged.get(g.value, 0) for g in ORDER]
    assert shown["total"][1] == len(audits) - 1
    # The cohort's profile, recounted child by child: by area, and its size as drawn.
    evaluation = evaluate(
        audit.council, conditions_from_data(thematic.cohort.conditions), sample.as_at
    )
    children = list(evaluation.children.select_related("allocated_team__area"))
    by_area = Counter(
        c.allocated_team.area.name if c.allocated_team and c.allocated_team.area else None
        for c in children
    )
    area = table_named(data, "cohort by area")
    assert {row[0]: row[1] for row in area["rows"] if row[0] != "Not recorded"} == {
        name: n for name, n in by_area.items() if name
    }
    assert area["total"][1] == sample.cohort_size == len(children)
    body = str(data)
    assert f"'Children sampled', 'value': '{sample.children.count()}'" in body
    # Actions by progress: one of each; the summary says so.
    summary = table_named(data, "action plans")["rows"][0]
    assert summary[2:] == [1, 1, 1, 1]
    plan = {row[0]: row[2] for row in table_named(data, ": action plan")["rows"]}
    assert plan == {
        "Action done": "Done",
        "Action going": "In progress",
        "Action late": "Overdue",
        "Action later": "Not started",
    }


def test_nothing_identifies_a_child_and_consultation_notes_stay_out(thematic, people):
    sample, _ = run(thematic, people)
    data = build_thematic(thematic.audit.council, [thematic.audit.pk])
    body = str(data)
    sampled = SampledChild.objects.filter(sample=sample).values_list("la_child_id", flat=True)
    for child_id in sampled:
        assert child_id not in body
    assert "SECRET CONSULTATION NOTE" not in body
    assert "Carers know the children well" in body and "Plans lag moves" in body
    # Only confirmed (or closed) findings are published.
    assert "Dismissed idea" not in body and "Only identified so far" not in body
    assert "Review plans after every move" in body


def test_small_counts_are_c_and_cannot_be_worked_out(thematic, people):
    run(thematic, people, size=7)
    data = build_thematic(thematic.audit.council, [thematic.audit.pk])
    judgements = table_named(data, "overall judgements")
    # Six completed audits: no grade has more than five, so every one is hidden, and the
    # total with them (else the last would be the total less the others).
    assert all(row[1] in (SUPPRESSED, 0) for row in judgements["rows"])
    profiles = [t for t in tables(data) if "cohort by" in t["title"]]
    assert profiles
    for shown in [judgements, *profiles]:
        cells = [[row[1]] for row in shown["rows"]]
        assert not any(isinstance(c[0], int) and 0 < c[0] <= 5 for c in cells)
    # The reader of every profile table together, who knows they share the cohort's size.
    published = [
        Published(
            cells=[[row[1]] for row in t["rows"]],
            row_totals=None,
            column_totals=[t["total"][1]],
            grand_total=None,
        )
        for t in profiles
    ]
    assert not disclosures(*published)
    assert not disclosures(
        Published(
            cells=[[row[1]] for row in judgements["rows"]],
            row_totals=None,
            column_totals=[judgements["total"][1]],
            grand_total=None,
        )
    )


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "xlsx"])
def test_every_format_renders(thematic, people, fmt):
    run(thematic, people)
    data = build_thematic(thematic.audit.council, [thematic.audit.pk])
    content = formats.render(data, fmt)
    if fmt == "html":
        assert "Thematic overview report" in content.decode()
        assert "Placement stability" in content.decode()
    elif fmt == "pdf":
        catalog = pypdf.PdfReader(io.BytesIO(content)).trailer["/Root"]
        assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
        roles = set(_structure_roles(catalog["/StructTreeRoot"]))
        assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Caption"} <= roles
    elif fmt == "docx":
        document = docx.Document(io.BytesIO(content))
        headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        assert "2. Placement stability" in headings and "Action plan" in headings
        assert document.tables
    else:
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        assert workbook.sheetnames[:2] == ["About", "Definitions"]
        assert "Summary" in workbook.sheetnames and "Forward plan" in workbook.sheetnames


def test_a_published_report_does_not_change_with_the_data(thematic, people):
    run(thematic, people)
    lead = thematic.lead
    draft = actions.start_kind_report(
        thematic.audit.council,
        kind=ReportKind.THEMATIC,
        parameters={"audits": [thematic.audit.pk]},
        by=lead,
    )
    report = actions.publish_kind_report(draft, by=lead)
    frozen = KindReport.objects.get(pk=report.pk)
    files = {(f.edition, f.format): bytes(f.content) for f in frozen.files.all()}
    assert len(files) == 8
    thematic_actions.add_recommendation(thematic.audit, text="Added afterwards", by=lead)
    Audit.objects.update(overall_grade=ORDER[3].value)
    again = KindReport.objects.get(pk=report.pk)
    assert again.data == frozen.data and again.html == frozen.html
    assert "Added afterwards" not in again.html
    assert {(f.edition, f.format): bytes(f.content) for f in again.files.all()} == files
    assert "Added afterwards" in str(actions.preview_kind(draft))
    with pytest.raises(ValidationError, match="already been published"):
        actions.publish_kind_report(again, by=lead)


def test_only_leads_prepare_and_only_their_own_audits(thematic, people):
    council = thematic.audit.council
    with pytest.raises(PermissionDenied):
        actions.start_kind_report(
            council,
            kind=ReportKind.THEMATIC,
            parameters={"audits": [thematic.audit.pk]},
            by=people.director,
        )
    # The area's inspection lead leads no thematic audit.
    with pytest.raises(ValidationError, match="only thematic audits you lead"):
        actions.start_kind_report(
            council,
            kind=ReportKind.THEMATIC,
            parameters={"audits": [thematic.audit.pk]},
            by=people.area_lead,
        )
    with pytest.raises(ValidationError, match="there is no thematic audit 999999"):
        actions.start_kind_report(
            council,
            kind=ReportKind.THEMATIC,
            parameters={"audits": [999999]},
            by=people.qa_lead,
        )


@pytest.fixture
def published(thematic, people):
    run(thematic, people)
    draft = actions.start_kind_report(
        thematic.audit.council,
        kind=ReportKind.THEMATIC,
        parameters={"audits": [thematic.audit.pk]},
        by=thematic.lead,
    )
    return actions.publish_kind_report(draft, by=thematic.lead)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("qa_lead", 200),
        ("director", 200),
        ("councillor", 200),
        ("administrator", 200),
        ("social_worker", 403),
        ("north_manager", 200),
        ("outsider", 404),
    ],
)
def test_who_may_read_the_published_report(client_for, people, published, who, status):
    client = client_for(getattr(people, who))
    page = client.get(reverse("reports:kind_report", args=[published.pk]))
    assert page.status_code == status
    download = client.get(reverse("reports:kind_download", args=[published.pk, "pdf"]))
    assert download.status_code == status
    if status == 200:
        assert download["Content-Type"] == "application/pdf"
        assert "Placement stability" in page.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("qa_lead", 200), ("councillor", 403), ("director", 403), ("social_worker", 403)],
)
def test_who_may_prepare_one(client_for, people, thematic, who, status):
    client = client_for(getattr(people, who))
    assert client.get(reverse("reports:kind_start", args=["thematic"])).status_code == status


def test_the_lead_prepares_previews_and_publishes_from_the_pages(
    client_for, thematic, people, django_capture_on_commit_callbacks
):
    run(thematic, people)
    client = client_for(thematic.lead)
    index = client.get(reverse("thematic:index")).content.decode()
    start_url = reverse("reports:kind_start", args=["thematic"])
    assert start_url in index
    refused = client.post(start_url, {"audits": []})
    assert refused.status_code == 200
    assert "govuk-error-summary" in refused.content.decode()
    response = client.post(start_url, {"audits": [thematic.audit.pk]})
    draft = KindReport.objects.get()
    assert response.url == reverse("reports:kind_draft", args=[draft.pk])
    page = client.get(response.url).content.decode()
    assert "Placement stability" in page and "Publish this report" in page
    preview = client.get(reverse("reports:kind_draft_download", args=[draft.pk, "xlsx"]))
    assert preview.status_code == 200
    # Queued for the background worker (here it runs as the request commits); the publishing
    # page then sends the lead to the published report.
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(reverse("reports:kind_publish", args=[draft.pk]))
    assert queued.url == reverse("reports:kind_publishing", args=[draft.pk])
    assert KindReport.objects.get().is_published
    assert client.get(queued.url).url == reverse("reports:kind_report", args=[draft.pk])
    listed = client_for(people.councillor).get(reverse("reports:index")).content.decode()
    assert draft.title in listed or "Thematic overview report" in listed


def test_the_command_writes_the_report_and_refuses_bad_audits(thematic, people, tmp_path):
    run(thematic, people)
    code = thematic.audit.council.code
    out = tmp_path / "overview.docx"
    call_command(
        "report",
        "thematic",
        "--audits",
        str(thematic.audit.pk),
        "--council",
        code,
        "--format",
        "docx",
        "--out",
        str(out),
    )
    assert docx.Document(str(out)).paragraphs
    call_command(
        "report",
        "thematic",
        "--audits",
        "all",
        "--council",
        code,
        "--format",
        "html",
        "--out",
        str(out),
    )
    assert "Placement stability" in out.read_text()
    with pytest.raises(CommandError, match="there is no thematic audit 999999"):
        call_command(
            "report",
            "thematic",
            "--audits",
            "999999",
            "--council",
            code,
            "--format",
            "html",
            "--out",
            str(out),
        )
    with pytest.raises(CommandError, match="IDs separated by commas"):
        call_command(
            "report",
            "thematic",
            "--audits",
            "one,two",
            "--council",
            code,
            "--format",
            "html",
            "--out",
            str(out),
        )


def test_another_councils_audit_is_refused_by_the_command(thematic, people, tmp_path):
    from caseaudit.organisation.models import Council

    other = Council.objects.exclude(pk=thematic.audit.council_id).first()
    with pytest.raises(CommandError, match="is another council's"):
        call_command(
            "report",
            "thematic",
            "--audits",
            str(thematic.audit.pk),
            "--format",
            "html",
            "--out",
            str(tmp_path / "x.html"),
            "--council",
            other.code,
        )


def test_building_costs_the_same_queries_for_more_data(thematic, people):
    small = thematic.audit
    large = thematic_actions.create_thematic_audit(
        small.council,
        title="Placement stability again",
        lead=thematic.lead,
        purpose="The same question, a bigger sample",
        period_start=small.period_start,
        period_end=small.period_end,
        cohort=thematic.cohort,
        tool_version=thematic.tool,
        audits_due=small.audits_due,
        by=people.qa_lead,
    )
    run(thematic, people, size=6, audit=small)
    run(thematic, people, size=25, extra_findings=6, audit=large)
    assert_cost_does_not_grow(
        lambda: build_thematic(small.council, [small.pk]),
        lambda: build_thematic(small.council, [large.pk]),
    )


def test_a_draft_is_its_preparers_and_the_qa_leads(client_for, thematic, people):
    """Another lead's draft is built from audits this lead may not see: refused."""
    run(thematic, people)
    theirs = actions.start_kind_report(
        thematic.audit.council,
        kind=ReportKind.THEMATIC,
        parameters={"audits": [thematic.audit.pk]},
        by=people.qa_lead,
    )
    draft_url = reverse("reports:kind_draft", args=[theirs.pk])
    assert client_for(people.qa_lead).get(draft_url).status_code == 200
    lead = client_for(thematic.lead)
    assert lead.get(draft_url).status_code == 403
    assert lead.post(reverse("reports:kind_publish", args=[theirs.pk])).status_code == 403
    assert theirs.title not in lead.get(reverse("reports:index")).content.decode()
    with pytest.raises(PermissionDenied):
        actions.publish_kind_report(theirs, by=thematic.lead)
    # Their own draft they preview, the internal edition too (a council-wide inspection lead).
    mine = actions.start_kind_report(
        thematic.audit.council,
        kind=ReportKind.THEMATIC,
        parameters={"audits": [thematic.audit.pk]},
        by=thematic.lead,
    )
    internal = reverse("reports:kind_draft_download", args=[mine.pk, "html"]) + "?edition=internal"
    assert lead.get(internal).status_code == 200
