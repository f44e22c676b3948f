"""The self-evaluation ("know ourselves") for one judgement area and period, live and published
(issue 15 item 4): the three questions, each claim citing its evidence, figures equal to the
audit, thematic and performance pages' own, small numbers suppressed and no child
identifiable in the published report, frozen once published, who may publish and read it,
and the command line."""

import datetime
import io
from decimal import Decimal

import docx
import pypdf
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf.generic import BooleanObject

from caseaudit.audits.models import Audit, Feedback
from caseaudit.audits.tests.test_compliance import practice_tool
from caseaudit.cases.models import Snapshot
from caseaudit.core import clock
from caseaudit.core.suppression import SUPPRESSED, unsuppressed
from caseaudit.inspection import actions as inspection_actions
from caseaudit.inspection import self_evaluation
from caseaudit.inspection.choices import EvidenceKind, InspectionKind
from caseaudit.inspection.models import JudgementArea
from caseaudit.organisation.models import Service, Team
from caseaudit.performance import published
from caseaudit.performance.indicators import INDICATORS
from caseaudit.reports import actions, formats, tasks
from caseaudit.reports.build import build_highlight
from caseaudit.reports.choices import Edition, Format, ReportKind, ReportStatus
from caseaudit.reports.document import tables
from caseaudit.reports.models import KindReport
from caseaudit.reports.self_evaluation_report import QUESTIONS, build_self_evaluation
from caseaudit.reports.tests.conftest import JAN, MAR
from caseaudit.reports.tests.test_pdf import _structure_roles
from caseaudit.reports.tests.test_thematic_overview import run
from caseaudit.thematic import actions as thematic_actions
from caseaudit.thematic.choices import FindingKind, FindingStatus
from caseaudit.thematic.models import SampledChild
from caseaudit.thematic.querysets import rating_distribution
from caseaudit.tools.choices import QuestionKind
from caseaudit.tools.models import Question

pytestmark = pytest.mark.django_db
AREA = "The experiences and progress of children who need help and protection"
INDICATOR = "cp_plans_open"
# Measured (18 and 23, a little room): the page (with the session and the navigation) and the
# report, each with four pieces of evidence linked.
QUERIES_PAGE, QUERIES_REPORT = 22, 28


def area() -> JudgementArea:
    return JudgementArea.objects.get(council=None, name=AREA)


@pytest.fixture
def evaluated(council, people, programme, thematic):
    """A help-and-protection recommendation with an action, and evidence of every kind: the
    programme's weakest domain, the thematic audit, a finding naming a sampled child, and an
    indicator with a target."""
    c = council.council
    made = run(thematic, people)
    child_id = SampledChild.objects.filter(sample__thematic_audit=thematic.audit).first()
    finding = thematic_actions.add_finding(
        thematic.audit,
        kind=FindingKind.IMPROVEMENT,
        summary=f"Plans drift, as for {child_id.la_child_id}",
        severity="high",
        by=thematic.lead,
    )
    thematic_actions.move_finding(finding, FindingStatus.CONFIRMED, by=thematic.lead)
    inspection = inspection_actions.record_inspection(
        c,
        kind=InspectionKind.STANDARD,
        started_on=datetime.date(2023, 5, 1),
        ended_on=datetime.date(2023, 5, 19),
        published_on=datetime.date(2023, 6, 30),
        reference="SC-SELF-2023",
        by=people.qa_lead,
    )
    recommendation = inspection_actions.add_recommendation(
        inspection,
        number=1,
        text="Improve the quality of plans for children in need of help and protection.",
        area=area(),
        by=people.qa_lead,
    )
    inspection_actions.add_action(
        recommendation,
        action="Re-audit plans in the front door teams",
        owner=people.north_manager,
        due_date=clock.today() + datetime.timedelta(days=60),
        by=people.qa_lead,
    )
    domain = (
        Question.objects.filter(domain__version=practice_tool(), kind=QuestionKind.GRADE)
        .order_by("domain__position")
        .first()
        .domain.title
    )
    for kind, fields in (
        (EvidenceKind.AUDIT_DOMAIN, {"domain_title": domain, "from_month": JAN, "to_month": MAR}),
        (EvidenceKind.THEMATIC_AUDIT, {"thematic_audit": thematic.audit}),
        (EvidenceKind.THEMATIC_FINDING, {"finding": finding}),
        (EvidenceKind.INDICATOR, {"indicator_code": INDICATOR, "target": Decimal("40")}),
    ):
        inspection_actions.link_evidence(recommendation, kind=kind, by=people.qa_lead, **fields)
    return {
        "council": c,
        "child_id": child_id.la_child_id,
        "domain": domain,
        "thematic": thematic,
        "made": made,
    }


def parameters() -> dict:
    return {"area": str(area().pk), "from": "2024-01", "to": "2024-03"}


def start(council, by):
    return actions.start_kind_report(
        council, kind=ReportKind.SELF_EVALUATION, parameters=parameters(), by=by
    )


def table(data: dict, title: str) -> dict:
    return next(t for t in tables(data) if t["title"].startswith(title))


def test_it_shows_the_audit_thematic_and_performance_pages_own_figures(
    client_for, people, evaluated
):
    """Issue 15's "Must show": the figures equal those of the audit (highlight report),
    thematic and performance pages for the same period, on the page and in the report."""
    c = evaluated["council"]
    # The audit programme's own figures, as the highlight report counts them.
    highlight = build_highlight(c, from_month=JAN, to_month=MAR, edition=Edition.INTERNAL)
    by_service = {row[0]: row[1:5] for row in highlight["tables"]["judgements_by_service"]["rows"]}
    by_month = {month["key"]: month["counts"] for month in highlight["judgements"]["months"]}
    domain = next(d for d in highlight["domains"]["all"] if d["title"] == evaluated["domain"])
    # The thematic audit's page: its rating distribution.
    ratings = rating_distribution(evaluated["thematic"].audit)
    # The indicator page's figure at the latest case data, as the QA lead is shown it.
    snapshot = Snapshot.objects.filter(council=c).latest("as_at")
    indicator_page = published.page(snapshot, INDICATORS[INDICATOR], people.qa_lead)

    built = self_evaluation.build(
        c, area(), people.qa_lead, today=clock.today(), from_month=JAN, to_month=MAR
    )
    assert {row.label: row.counts for row in built.by_service} == by_service
    assert sum(built.judgements.counts) == highlight["judgements"]["period_total"] > 0
    assert [row.counts for row in built.by_month] == [
        by_month[key] for key in ("2024-01", "2024-02", "2024-03")
    ]
    assert built.domains[0].shown.domain.counts == domain["counts"]
    assert built.thematic_audits[0].ratings == ratings
    assert built.indicators[0].shown.indicator.latest == indicator_page.figure.value
    assert built.from_casework

    # The live page shows the same figures.
    url = reverse("inspection:know_ourselves", args=[area().pk]) + "?from=2024-01&to=2024-03"
    text = client_for(people.director).get(url).content.decode()
    for question in QUESTIONS:
        assert question in text
    service, counts = next(iter(by_service.items()))
    row = f'<th scope="row" class="govuk-table__header">{service}</th>' + "".join(
        f'<td class="govuk-table__cell govuk-table__cell--numeric">{n}</td>' for n in counts
    )
    assert row in text
    assert ", ".join(f"{label} {n}" for label, n in ratings) in text
    shown = built.indicators[0].shown.indicator.latest_shown
    assert shown in text and "target 40" in text

    # And the published report (its internal edition shows every figure as counted).
    with unsuppressed():
        report = build_self_evaluation(c, area().pk, JAN, MAR, edition=Edition.INTERNAL)
    services = table(report, "Overall judgements by service")
    assert {r[0]: r[1:5] for r in services["rows"]} == by_service
    domains = table(report, "Audit domains linked")
    assert domains["rows"][0][1:5] == domain["counts"]
    thematic = table(report, "Thematic audits linked")
    assert thematic["rows"][0][2:6] == [n for _label, n in ratings]
    indicators = table(report, "Indicators against")
    assert indicators["rows"][0][1].startswith(shown)


def test_an_areas_cohort_is_exactly_the_services_it_names(council, people, programme):
    """Whose audits count is the area's data: help and protection's (from its migration) and a
    council's own area's (chosen by the QA lead) count exactly their services' audits."""
    c = council.council
    south = council.teams[1]
    looked_after = Service.objects.create(council=c, name="Children in Care", kind="looked_after")
    Team.objects.filter(pk=south.pk).update(service=looked_after)
    own = inspection_actions.set_area_cohort(
        JudgementArea.objects.create(council=c, name="Children we look after"),
        services=["looked_after"],
        by=people.qa_lead,
    )
    every = JudgementArea.objects.create(council=c, name="Leadership locally")

    def built(judgement_area):
        return self_evaluation.build(
            c, judgement_area, people.qa_lead, today=clock.today(), from_month=JAN, to_month=MAR
        )

    everyone, ours, helped = built(every), built(own), built(area())
    rows = {row.label: row.counts for row in everyone.by_service}
    assert set(rows) == {"Family Safeguarding", "Children in Care"}
    assert {row.label: row.counts for row in ours.by_service} == {
        "Children in Care": rows["Children in Care"]
    }
    assert {row.label: row.counts for row in helped.by_service} == {
        "Family Safeguarding": rows["Family Safeguarding"]
    }
    assert 0 < ours.judgements.total < everyone.judgements.total
    assert ours.judgements.total + helped.judgements.total == everyone.judgements.total
    assert ours.cohort == "Audits of children with Children in Care"
    assert everyone.cohort == "Every service's audits"
    # Chosen kinds the council has no service of count nothing, and the page says so.
    inspection_actions.set_area_cohort(own, services=["adoption"], by=people.qa_lead)
    none = built(JudgementArea.objects.get(pk=own.pk))
    assert none.judgements.total == 0
    assert none.cohort == "Audits of children with Adoption (the council has no such service)"


def test_each_claim_cites_evidence_listed_with_its_age(people, evaluated):
    data = build_self_evaluation(evaluated["council"], area().pk, JAN, MAR)
    evidence = table(data, "Evidence")
    keys = [row[0] for row in evidence["rows"]]
    assert keys == [f"E{n}" for n in range(1, len(keys) + 1)] and len(keys) == 6
    # Every piece of evidence is cited by a claim; every claim's evidence is listed.
    body = str(data["sections"][1])
    for key in keys:
        assert f"[{key}" in body or f"{key} (stale)" in body or f"{key}]" in body, key
    # January to March 2024 is more than 12 months before today: stale, with its age.
    months = self_evaluation.months_old(datetime.date(2024, 3, 31), clock.today())
    first = evidence["rows"][0]
    assert first[3] == "31 March 2024" and first[4] == f"{months} months old (stale)"
    assert first[2].startswith(reverse("audits:compliance"))
    # The three questions, in order.
    headings = [part["heading"] for part in data["sections"] if part["level"] == 2]
    assert headings[1:] == [f"{n}. {q}" for n, q in enumerate(QUESTIONS, start=2)]
    plans = table(data, "Recommendations still to answer")
    assert "target 40.0" in plans["rows"][0][2] and plans["rows"][0][1] == "Not yet set"
    actions_table = table(data, "Open actions")
    assert actions_table["rows"][0][1] == "Re-audit plans in the front door teams"


def test_small_numbers_are_c_and_no_child_is_identifiable(people, evaluated):
    c = evaluated["council"]
    data = build_self_evaluation(c, area().pk, JAN, MAR)
    text = str(data)
    # Feedback from children is 0 and from carers 0; parents' and partners' are counted.
    feedback = table(data, "Family and partner feedback")
    counts = {row[0]: row[1] for row in feedback["rows"]}
    assert counts["Carer"] == 0
    # A thematic audit of 11 completed audits has grades of 1 to 5: hidden.
    thematic = table(data, "Thematic audits linked")
    assert SUPPRESSED in thematic["rows"][0][2:6]
    # No child: not the sampled child named in a finding, nor any audited child's ID or
    # date of birth, nor the workers who own the actions.
    assert evaluated["child_id"] not in text
    assert "Plans drift, as for [child]" in text or "Plans drift, as for" in text
    for audit in Audit.objects.filter(council=c).select_related("child")[:50]:
        assert audit.child.la_child_id not in text
        if audit.child.date_of_birth:
            assert f"{audit.child.date_of_birth:%-d %B %Y}" not in text
    assert people.north_manager.display_name not in text
    # Feedback text is never read.
    assert Feedback.objects.exists() and "The social worker listened" not in text


def test_a_published_self_evaluation_does_not_change_with_the_data(people, evaluated):
    c = evaluated["council"]
    draft = start(c, people.qa_lead)
    assert draft.title == f"Self-evaluation: {AREA}, January 2024 to March 2024"
    report = actions.publish_kind_report(draft, by=people.qa_lead)
    frozen = KindReport.objects.get(pk=report.pk)
    files = {(f.edition, f.format): bytes(f.content) for f in frozen.files.all()}
    assert len(files) == len(Edition) * len(Format)
    # January's grades are taken back: the published copy stands.
    Audit.objects.filter(council=c, month__month=JAN).update(overall_grade="")
    again = KindReport.objects.get(pk=report.pk)
    assert again.data == frozen.data and again.html == frozen.html
    assert {(f.edition, f.format): bytes(f.content) for f in again.files.all()} == files
    live = build_self_evaluation(c, area().pk, JAN, MAR)
    assert table(live, "Overall judgements by month") != table(
        frozen.data, "Overall judgements by month"
    )


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_every_format_renders(people, evaluated, fmt):
    data = build_self_evaluation(evaluated["council"], area().pk, JAN, MAR)
    content = formats.render(data, fmt)
    if fmt == "html":
        assert QUESTIONS[1] in content.decode()
    elif fmt == "pdf":
        catalog = pypdf.PdfReader(io.BytesIO(content)).trailer["/Root"]
        assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
        roles = set(_structure_roles(catalog["/StructTreeRoot"]))
        assert {"/H1", "/H2", "/Table", "/TH", "/TD"} <= roles
    else:
        document = docx.Document(io.BytesIO(content))
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert f"4. {QUESTIONS[2]}" in headings


def test_the_qa_lead_publishes_it_from_the_self_evaluation_page(
    client_for, people, evaluated, django_capture_on_commit_callbacks
):
    page = reverse("inspection:know_ourselves", args=[area().pk]) + "?from=2024-01&to=2024-03"
    start_url = reverse("reports:kind_start", args=["self-evaluation"])
    # A director reads the page but is not offered publishing.
    assert start_url not in client_for(people.director).get(page).content.decode()
    client = client_for(people.qa_lead)
    text = client.get(page).content.decode()
    link = f"{start_url}?area={area().pk}&amp;from=2024-01&amp;to=2024-03"
    assert link in text
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'value="2024-01" selected' in form
    refused = client.post(start_url, {**parameters(), "from": "2024-03", "to": "2024-01"})
    assert "The first month must not be after the last month" in refused.content.decode()
    response = client.post(start_url, parameters())
    draft = KindReport.objects.get()
    assert response.url == reverse("reports:kind_draft", args=[draft.pk])
    assert QUESTIONS[0] in client.get(response.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:kind_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == ReportStatus.PUBLISHED and draft.files.count() == 8
    assert tasks.publish_in_background.call(draft.pk, actions.KIND) == "nothing to publish"


def test_who_may_read_the_published_self_evaluation(client_for, people, evaluated):
    # Published once (every format is rendered), then read by each role in turn.
    report = actions.publish_kind_report(
        start(evaluated["council"], people.qa_lead), by=people.qa_lead
    )
    for who, status in [
        ("director", 200),
        ("qa_lead", 200),
        ("councillor", 200),
        ("social_worker", 403),
        ("outsider", 404),
    ]:
        client = client_for(getattr(people, who))
        page = client.get(reverse("reports:kind_report", args=[report.pk]))
        assert page.status_code == status, who
        download = client.get(reverse("reports:kind_download", args=[report.pk, "pdf"]))
        assert download.status_code == status, who


@pytest.mark.parametrize(
    ("who", "status"),
    [("qa_lead", 200), ("director", 403), ("social_worker", 403), ("councillor", 403)],
)
def test_only_the_qa_lead_prepares_it(client_for, people, who, status):
    url = reverse("reports:kind_start", args=["self-evaluation"])
    assert client_for(getattr(people, who)).get(url).status_code == status


def test_the_command_writes_it_and_refuses_a_bad_area(people, evaluated, tmp_path):
    out = tmp_path / "self-evaluation.docx"
    code = evaluated["council"].code
    arguments = ["report", "self-evaluation", "--council", code, "--format", "docx"]
    call_command(
        *arguments, "--area", str(area().pk), "--from", "2024-01", "--to", "2024-03", "--out", out
    )
    headings = [p.text for p in docx.Document(out).paragraphs if p.style.name == "Heading 1"]
    assert f"2. {QUESTIONS[0]}" in headings
    with pytest.raises(CommandError, match="Choose the judgement area"):
        call_command(*arguments, "--area", "999999", "--out", str(out))
    with pytest.raises(CommandError, match="for example 2025-12"):
        call_command(*arguments, "--area", str(area().pk), "--from", "Jan", "--out", str(out))


def test_the_page_and_the_report_cost_a_bounded_number_of_queries(
    client_for, people, evaluated, django_assert_max_num_queries
):
    """Grouped queries: a fixed number for the cohort's judgements, feedback, the evidence and
    the actions, and one reading per piece of evidence, however many audits there are."""
    url = reverse("inspection:know_ourselves", args=[area().pk]) + "?from=2024-01&to=2024-03"
    client = client_for(people.director)
    with django_assert_max_num_queries(QUERIES_PAGE):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(QUERIES_REPORT):
        build_self_evaluation(evaluated["council"], area().pk, JAN, MAR)
