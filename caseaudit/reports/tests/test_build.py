"""The highlight report's data: the compliance command's own figures, judgements by month from
the programme's first month with paused months marked, suppressed breakdowns, domain results,
chosen exemplars without the child's ID, and a bounded number of queries."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from caseaudit.audits.choices import AuditStatus
from caseaudit.audits.compliance import compliance_report
from caseaudit.audits.models import Answer, Audit, Feedback
from caseaudit.conftest import make_council
from caseaudit.core.suppression import SUPPRESSED, suppress_columns
from caseaudit.reports import actions, formats, sections
from caseaudit.reports.build import build_highlight
from caseaudit.reports.choices import Edition, ExemplarKind, ReflectionQuestion
from caseaudit.reports.tests.conftest import FEB, JAN, MAR, TODAY, make_programme
from caseaudit.testing.queries import assert_cost_does_not_grow

pytestmark = pytest.mark.django_db


def build(council, from_month=JAN, to_month=MAR):
    return build_highlight(council.council, from_month=from_month, to_month=to_month, today=TODAY)


def test_programme_figures_are_the_compliance_commands(council, people, programme):
    # The internal edition keeps the figures as counted; the public one only as it shows them.
    data = build_highlight(
        council.council, from_month=MAR, to_month=MAR, today=TODAY, edition=Edition.INTERNAL
    )
    public = build(council, from_month=MAR)
    assert set(public["compliance"]["period"]) == {"headline"}
    out = io.StringIO()
    call_command(
        "programme", "compliance", "--council", "901", "--to", "2024-03", "--json", stdout=out
    )
    since_start = json.loads(out.getvalue())["totals"]
    assert data["compliance"]["since_start"]["audits"] == since_start["audits"]
    assert data["compliance"]["since_start"]["reaudits"] == since_start["reaudits"]
    out = io.StringIO()
    call_command(
        "programme",
        "compliance",
        "--council",
        "901",
        "--from",
        "2024-03",
        "--to",
        "2024-03",
        "--json",
        stdout=out,
    )
    in_month = json.loads(out.getvalue())["totals"]
    assert data["compliance"]["period"]["audits"] == in_month["audits"]
    assert data["compliance"]["period"]["reaudits"] == in_month["reaudits"]
    # Since the start: 20 audits allocated (24 drawn, 4 cancelled), 16 completed: 80%.
    assert public["tables"]["compliance_since_start"]["rows"][0] == ["Audits", 20, 16, "80%"]
    # March: 8 completed, all judged. The 8 judged are hidden (four grades of at least 1
    # adding up to 8 are each at most 5), so the 8 completed, which bound them, are too.
    assert public["tables"]["compliance_period"]["rows"][0] == ["Audits", 10, *[SUPPRESSED] * 2]
    headline = compliance_report(council.council, to_month=MAR, today=TODAY).headline
    assert public["compliance"]["since_start"]["headline"][0] == headline[0]
    # Four re-audits since the start: a small number, hidden in the table and so not stated.
    assert public["tables"]["compliance_since_start"]["rows"][1] == ["Re-audits", *[SUPPRESSED] * 3]
    assert public["compliance"]["since_start"]["headline"][1] == (
        "Some of the re-audits figures are small numbers, shown as c in the table, and are not "
        "given here."
    )
    # The internal edition shows what the public one hides, and says what it is.
    assert data["tables"]["compliance_period"]["rows"][0] == ["Audits", 10, 8, "80%"]
    assert data["edition"] == "internal" and data["title"].endswith("(internal edition)")
    cells = [
        cell
        for table in data["tables"].values()
        for row in [*table["rows"], table.get("total", [])]
        for cell in row
    ]
    assert SUPPRESSED not in cells


def test_area_figures_equal_compliance_by_area_where_not_suppressed(db, people):
    big = make_council("Bigshire Council", "903", teams_per_area=3)
    make_programme(big, people, per_team=8, prefix="BIG")
    data = build(big)
    report = compliance_report(big.council, from_month=JAN, to_month=MAR, today=TODAY)
    for row, figures in zip(
        data["tables"]["compliance_by_area"]["rows"], report.table("by_area").rows, strict=True
    ):
        assert row[0] == figures.label
        assert row[1:4] == [
            figures.audits.allocated,
            figures.audits.completed,
            figures.audits.rate_text,
        ]


def test_judgements_by_month_from_the_first_month_with_the_pause_marked(council, people, programme):
    data = build(council, from_month=MAR)
    months = data["judgements"]["months"]
    assert [m["key"] for m in months] == ["2024-01", "2024-02", "2024-03"]
    assert [m["paused"] for m in months] == [False, True, False]
    # Eight completed audits a month, graded in turn O, G, RI, I, G, RI: 2, 3, 2 and 1, each
    # hidden, and the 8 with them (four hidden counts adding to 8 are each at most 5).
    assert months[0]["counts"] == [SUPPRESSED] * 4
    assert months[0]["total"] == SUPPRESSED
    table = data["tables"]["judgements_by_month"]
    assert table["columns"][1:5] == [
        "Outstanding",
        "Good",
        "Requires Improvement",
        "Inadequate",
    ]
    assert table["rows"][1][0] == "February 2024"
    assert table["rows"][1][-1] == "Programme paused"
    # The shares would give the counts away, so they are hidden with them.
    assert table["rows"][0][5:11] == [SUPPRESSED] * 6
    assert data["judgements"]["inadequate"] == ""


def test_judgements_by_month_show_shares_where_the_counts_show(db, people):
    big = make_council("Bigshire Council", "903", teams_per_area=3)
    make_programme(big, people, per_team=8, prefix="BIG")
    table = build(big)["tables"]["judgements_by_month"]
    # 32 judged in January: Outstanding and Inadequate are small and hidden, with their shares
    # and the share good or better (Outstanding and Good together).
    assert table["rows"][0][1:11] == [
        *(SUPPRESSED, 11, 10, SUPPRESSED, 32),
        *(SUPPRESSED, "34%", "31%", SUPPRESSED, SUPPRESSED),
    ]


def test_the_inadequate_sentence_leaves_out_a_month_whose_share_is_hidden():
    def month(name, counts, total):
        return {"name": name, "counts": counts, "total": total}

    march = month("March 2024", [2, 2, 2, 2], 8)
    february = month("February 2024", [SUPPRESSED] * 4, SUPPRESSED)
    january = month("January 2024", [7, 7, 1, 1], 16)
    assert sections.inadequate_sentence([march]) == (
        "25% of the audits judged in March 2024 were Inadequate."
    )
    assert sections.inadequate_sentence([january, february, march]) == (
        "Audits judged Inadequate: 25% in March 2024, 6% in January 2024."
    )
    assert sections.inadequate_sentence([february]) == ""


def test_breakdowns_below_council_level_suppress_small_counts(council, people, programme):
    data = build(council)
    by_area = data["tables"]["judgements_by_area"]
    # Eight judged audits in each area, none of a grade more than 5: every cell hidden. The
    # areas' totals too: four hidden counts of at least 1 adding up to 8 are each at most 5.
    assert by_area["rows"] == [
        ["North", *[SUPPRESSED] * 5],
        ["South", *[SUPPRESSED] * 5],
    ]
    assert by_area["total"] == ["Council", *[SUPPRESSED] * 4, 16]
    # One service: its row is the council, so the council row must not give it away.
    by_service = data["tables"]["judgements_by_service"]
    assert by_service["rows"][0][1:5] == [SUPPRESSED] * 4
    assert by_service["total"][1:5] == [SUPPRESSED] * 4
    # Re-audits: two a team. Their compliance rate would give them away as well.
    by_area = data["tables"]["compliance_by_area"]
    assert by_area["rows"][0][4:] == [SUPPRESSED, SUPPRESSED, SUPPRESSED]
    # North's 8 audits completed bound its 8 judged, hidden above: hidden with them.
    assert by_area["rows"][0][1:4] == [10, SUPPRESSED, SUPPRESSED]


def test_domains_weakest_and_strongest(council, people, programme):
    domains = build(council)["domains"]
    assert domains["weakest"][0]["title"] == "Voice and lived experience of the child"
    assert domains["weakest"][0]["good_or_better"] == 0
    assert domains["strongest"][0]["title"] == "Impact and progress"
    assert domains["strongest"][0]["good_or_better"] == 100
    names = {d["title"] for d in domains["weakest"]} & {d["title"] for d in domains["strongest"]}
    assert not names


def test_domain_trend_runs_from_the_programmes_first_month(council, people, programme):
    table = build(council, from_month=MAR)["tables"]["domains"]
    assert table["columns"][7:11] == ["Jan 2024", "Feb 2024", "Mar 2024", "Trend"]
    weakest = table["rows"][0]
    assert weakest[0] == "Voice and lived experience of the child"
    assert weakest[7:] == ["0%", "–", "0%", "no change"]


def test_themes_by_cohort_with_the_descriptors_qa_chose(council, people, programme):
    audit = next(a for a in programme.completed if a.month.month == MAR)
    answer = Answer.objects.get(audit=audit, question=programme.comment)
    actions.choose_exemplar(
        audit, kind=ExemplarKind.DESCRIPTOR, grade="good", answer=answer, by=people.qa_lead
    )
    themes = build(council)["themes"]
    assert [t["title"] for t in themes] == ["Cross-section of teams", "Children reported missing"]
    missing = themes[1]
    # Eight audits, of four grades each hidden: 8 would tell the reader each is at most 5.
    assert missing["total"] == SUPPRESSED
    assert missing["descriptors"] == [
        {
            "grade": "Good",
            "value": "good",
            "texts": ["Child [the child] was seen alone and their views recorded."],
        }
    ]


def test_a_month_focused_on_a_saved_cohort_is_its_own_practice_theme(council, people, programme):
    """March's focus is a cohort the QA lead saved: its audits are grouped under the cohort's
    name, not counted with January's cross-section (which they were when themes were grouped
    by the practice-theme key alone, blank for a saved cohort)."""
    from caseaudit.audits.models import ProgrammeMonth
    from caseaudit.cases.actions import save_cohort
    from caseaudit.cases.cohorts import Condition

    before = {t["title"]: t for t in build(council, to_month=MAR)["themes"]}
    saved = save_cohort(
        council.council,
        name="Looked after, placed out of area",
        conditions=[Condition("cla.ceased_looked_after_date", "blank")],
        by=people.qa_lead,
    )
    ProgrammeMonth.objects.filter(month=MAR).update(cohort_key="", saved_cohort=saved)
    audit = next(a for a in programme.completed if a.month.month == MAR)
    answer = Answer.objects.get(audit=audit, question=programme.comment)
    actions.choose_exemplar(
        audit, kind=ExemplarKind.DESCRIPTOR, grade="good", answer=answer, by=people.qa_lead
    )
    internal = build_highlight(
        council.council, from_month=JAN, to_month=MAR, today=TODAY, edition=Edition.INTERNAL
    )
    themes = {t["title"]: t for t in internal["themes"]}
    assert list(themes) == ["Cross-section of teams", "Looked after, placed out of area"]
    assert themes["Looked after, placed out of area"]["key"] == f"saved-{saved.pk}"
    # The same audits as when the month was "Children reported missing", and the cross-section
    # is January's alone.
    internal_before = build_highlight(
        council.council, from_month=JAN, to_month=JAN, today=TODAY, edition=Edition.INTERNAL
    )
    assert themes["Cross-section of teams"]["grades"] == internal_before["themes"][0]["grades"]
    assert before["Children reported missing"]["descriptors"] == []
    assert themes["Looked after, placed out of area"]["descriptors"][0]["texts"] == [
        "Child [the child] was seen alone and their views recorded."
    ]
    table = internal["tables"]["practice_themes"]
    assert [row[0] for row in table["rows"]][:2] == [
        "Cross-section of teams",
        "Looked after, placed out of area",
    ]


def choose_everything(programme, people):
    """One exemplar of every kind from each of the first audits, each text naming the child."""
    qa = people.qa_lead
    for audit in programme.completed[:6]:
        answer = Answer.objects.get(audit=audit, question=programme.comment)
        actions.choose_exemplar(
            audit, kind=ExemplarKind.DESCRIPTOR, grade="inadequate", answer=answer, by=qa
        )
        feedback = Feedback.objects.get(audit=audit)
        if feedback.consent_to_share:
            actions.choose_exemplar(audit, kind=ExemplarKind.STRENGTH, feedback=feedback, by=qa)
            actions.choose_exemplar(
                audit,
                kind=ExemplarKind.IMPROVEMENT,
                feedback=feedback,
                text=f"Visits to {audit.child.la_child_id} were cancelled.",
                by=qa,
            )
        actions.choose_exemplar(
            audit,
            kind=ExemplarKind.REFLECTION,
            question=ReflectionQuestion.CHALLENGES,
            text=f"Caseload pressure; child {audit.child.la_child_id.lower()} moved school.",
            by=qa,
        )


def test_no_child_is_identifiable_in_any_format(council, people, programme):
    choose_everything(programme, people)
    data = build(council)
    assert data["feedback"]["strengths"] and data["feedback"]["improvements"]
    assert data["reflection"]["questions"][1]["quotes"]
    child_ids = list(Audit.objects.values_list("child__la_child_id", flat=True))
    dates_of_birth = [d for d in Audit.objects.values_list("child__date_of_birth", flat=True) if d]
    text = json.dumps(data)
    html = formats.render(data, "html").decode()
    docx_xml = _docx_text(formats.render(data, "docx"))
    xlsx_text = _xlsx_text(formats.render(data, "xlsx"))
    for child_id in child_ids:
        for shown in (text, html, docx_xml, xlsx_text):
            assert child_id.lower() not in shown.lower()
    for born in dates_of_birth:
        assert born.isoformat() not in text
    assert "[the child]" in text


def _docx_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def _xlsx_text(content: bytes) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return "\n".join(
        str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row
    )


def test_feedback_is_quoted_only_with_consent(council, people, programme):
    without = Feedback.objects.filter(consent_to_share=False).select_related("audit").first()
    with pytest.raises(ValidationError, match="did not consent"):
        actions.choose_exemplar(
            without.audit, kind=ExemplarKind.STRENGTH, feedback=without, by=people.qa_lead
        )
    shared = Feedback.objects.filter(consent_to_share=True).select_related("audit").first()
    actions.choose_exemplar(
        shared.audit, kind=ExemplarKind.STRENGTH, feedback=shared, by=people.qa_lead
    )
    assert len(build(council)["feedback"]["strengths"]) == 1
    # Consent withdrawn later: the quote leaves every report not yet published.
    Feedback.objects.filter(pk=shared.pk).update(consent_to_share=False)
    assert build(council)["feedback"]["strengths"] == []


def test_the_same_text_is_chosen_once(council, people, programme):
    audit = programme.completed[0]
    actions.choose_exemplar(
        audit, kind=ExemplarKind.DESCRIPTOR, grade="good", text="Good.", by=people.qa_lead
    )
    with pytest.raises(ValidationError, match="already been chosen"):
        actions.choose_exemplar(
            audit, kind=ExemplarKind.DESCRIPTOR, grade="good", text="Good.", by=people.qa_lead
        )


def test_exemplars_come_only_from_completed_audits(council, people, programme):
    waiting = Audit.objects.filter(status=AuditStatus.ALLOCATED).first()
    with pytest.raises(ValidationError, match="completed audit"):
        actions.choose_exemplar(
            waiting, kind=ExemplarKind.DESCRIPTOR, grade="good", text="x", by=people.qa_lead
        )


def test_a_period_that_ends_before_it_starts_is_refused(council):
    with pytest.raises(ValueError):
        build_highlight(council.council, from_month=MAR, to_month=FEB)


def test_building_costs_the_same_queries_for_a_larger_council(db, people):
    """The same queries for 8 audits in 2 teams as for 72 in 6 (and their answers, feedback,
    reflections and exemplars)."""

    def council_of(teams_per_area: int, per_team: int, code: str):
        shire = make_council(f"Queryshire {code}", code, teams_per_area=teams_per_area)
        made = make_programme(shire, people, per_team=per_team, prefix=f"Q{code}-")
        for audit in made.completed:
            actions.choose_exemplar(
                audit,
                kind=ExemplarKind.REFLECTION,
                question=ReflectionQuestion.WENT_WELL,
                by=people.qa_lead,
            )
        return shire, made

    (small, _), (large, made) = council_of(1, 2, "904"), council_of(3, 6, "905")
    built = {}
    queries = assert_cost_does_not_grow(
        lambda: build(small), lambda: built.setdefault("large", build(large))
    )
    # Compliance (four), one grouped query per other section (light-touch ratings, moderation,
    # re-audit movement and coverage among them), and the period's records.
    assert queries <= 18
    assert built["large"]["judgements"]["period_total"] == len(made.completed)


def test_compliance_breakdowns_suppress_down_each_column():
    # North's 3 re-audits completed are hidden, and South's 7 with them (the total would give
    # North's away); the allocated figures beside them stay.
    assert suppress_columns([[10, 3], [12, 7]]).cells == [[10, SUPPRESSED], [12, SUPPRESSED]]
    assert suppress_columns([[10, 3], [12, 7], [9, 0]]).cells == [
        [10, SUPPRESSED],
        [12, SUPPRESSED],
        [9, 0],
    ]
    assert suppress_columns([]).cells == []
