"""Beyond seed 003, from data already held: moderation agreement and kappa, re-audit grade
movement, reflection and feedback coverage, light-touch months' RAG ratings, each month's
recommendations in a longer report, the period's grade shares, who prepared the report and
the definitions. Each figure is checked against a count made a second way, in Python."""

import datetime
import io
from collections import Counter

import docx
import pytest

from caseaudit.audits.actions.moderation import GradeAgreement
from caseaudit.audits.choices import AuditKind, AuditStatus, MonthStatus, Rag
from caseaudit.audits.models import Answer, Audit, Feedback, Moderation, ProgrammeMonth
from caseaudit.audits.tests.test_compliance import new_audit
from caseaudit.core.grades import ORDER
from caseaudit.core.suppression import SUPPRESSED
from caseaudit.reports import actions, charts, formats
from caseaudit.reports.build import build_highlight
from caseaudit.reports.choices import Section
from caseaudit.reports.definitions import DEFINITIONS
from caseaudit.reports.follow_up import MIN_FOR_KAPPA
from caseaudit.reports.render_html import render_document
from caseaudit.reports.tests.conftest import FEB, JAN, MAR, TODAY, make_programme
from caseaudit.tools.choices import QuestionKind, ToolKind
from caseaudit.tools.models import AuditTool, Question

pytestmark = pytest.mark.django_db
GRADES = [grade.value for grade in ORDER]


def build(council, from_month=JAN, to_month=MAR, **extra):
    return build_highlight(
        council.council, from_month=from_month, to_month=to_month, today=TODAY, **extra
    )


def test_kappa_is_agreement_beyond_chance():
    # 50 pairs, 35 agreeing (0.7); by chance (25×30 + 25×20) ÷ 50² = 0.5: kappa 0.4.
    matrix = [[20, 5, 0, 0], [10, 15, 0, 0], [0] * 4, [0] * 4]
    agreement = GradeAgreement(matrix)
    assert (agreement.moderated, agreement.agreed, agreement.rate) == (50, 35, 70)
    assert agreement.kappa == 0.4
    assert GradeAgreement([[9, 0, 0, 0], [0, 3, 0, 0], [0] * 4, [0, 0, 0, 8]]).kappa == 1.0
    # Every grade Good on both sides: chance explains it all, so there is no kappa.
    assert GradeAgreement([[0] * 4, [0, 7, 0, 0], [0] * 4, [0] * 4]).kappa is None
    assert GradeAgreement([[0] * 4 for _ in range(4)]).kappa is None


@pytest.fixture
def big(council, people):
    return make_programme(council, people, per_team=18)


def _moderate(audits, people, moderated_grade):
    Moderation.objects.bulk_create(
        Moderation(
            audit=audit,
            moderator=people.qa_lead,
            completed_at=datetime.datetime(2024, 4, 1, tzinfo=datetime.UTC),
            overall_grade=moderated_grade(number, audit),
        )
        for number, audit in enumerate(audits)
    )


def test_moderation_agreement_and_kappa_match_a_count_made_in_python(council, people, big):
    # Every third moderation a grade lower (Inadequate stays), the rest agreeing.
    def lower_every_third(number, audit):
        index = GRADES.index(audit.overall_grade)
        return GRADES[min(index + 1, 3)] if number % 3 == 0 else audit.overall_grade

    _moderate(big.completed, people, lower_every_third)
    data = build(council)
    pairs = [
        (m.audit.overall_grade, m.overall_grade) for m in Moderation.objects.select_related("audit")
    ]
    n = len(pairs)
    agreed = sum(a == b for a, b in pairs)
    assert n >= MIN_FOR_KAPPA
    auditor, moderator = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(auditor[g] * moderator[g] for g in GRADES) / n**2
    kappa = round((agreed / n - chance) / (1 - chance), 2)
    rate = f"{(200 * agreed + n) // (2 * n)}%"
    row = data["tables"]["moderation"]["rows"][0]
    assert row[1:] == [n, agreed, rate, kappa]
    assert (
        f"in {rate} of the {n} audits moderated (kappa {kappa:.2f}"
        in (data["moderation"]["sentence"])
    )


def test_few_moderations_are_hidden_and_give_no_kappa(council, people, big):
    # Three moderated, all agreeing: the count is a small number.
    _moderate(big.completed[:3], people, lambda number, audit: audit.overall_grade)
    data = build(council)
    assert data["tables"]["moderation"]["rows"][0][1:] == [SUPPRESSED] * 3 + ["–"]
    # Ten moderated, two disagreeing: two is a small number, so agreed (8) would give it away.
    Moderation.objects.all().delete()
    _moderate(
        big.completed[:10],
        people,
        lambda number, audit: (
            "inadequate"
            if number < 2 and audit.overall_grade != "inadequate"
            else "good"
            if number < 2
            else audit.overall_grade
        ),
    )
    row = build(council)["tables"]["moderation"]["rows"][0]
    assert row[1:] == [10, SUPPRESSED, SUPPRESSED, "–"]


def test_reaudit_movement_counts_where_re_audited_cases_went(council, people, big):
    inadequate = [a for a in big.completed if a.overall_grade == "inadequate"]
    reaudits = []
    moved_to = ["good", "requires_improvement", "requires_improvement", "inadequate"]
    for number, original in enumerate(inadequate):
        reaudits.append(
            new_audit(
                council.council,
                kind=AuditKind.REAUDIT,
                reaudit_of=original,
                child=original.child,
                team=original.team,
                auditor=people.north_manager,
                due_date=datetime.date(2024, 3, 25),
                status=AuditStatus.SUBMITTED,
                overall_grade=moved_to[number % 4],
            )
        )
    Audit.objects.bulk_create(reaudits)
    table = build(council)["tables"]["reaudit_movement"]
    expected = Counter(a.overall_grade for a in reaudits)
    [row] = table["rows"]
    assert row[0] == "From Inadequate"
    counts = [expected[g] for g in GRADES]
    shown = [c if not 0 < c <= 5 else SUPPRESSED for c in counts]
    assert row[1:5] == shown
    assert row[5] == len(reaudits)
    # Without re-audits of graded audits the table says so.
    Audit.objects.filter(pk__in=[a.pk for a in reaudits]).delete()
    table = build(council)["tables"]["reaudit_movement"]
    assert table["rows"] == [] and table["empty"]
    assert "No re-audits were judged in this period." in render_document(build(council))


def test_coverage_is_reflection_and_feedback_over_audits_completed(council, people, big):
    completed = [a for a in big.completed if a.month.month in (JAN, MAR)]
    # Feedback for every other audit only; reflections for all but seven.
    Feedback.objects.filter(audit__in=completed[::2]).delete()
    completed[0].reflection.delete()
    for audit in completed[1:7]:
        audit.reflection.delete()
    data = build(council)
    total = len(completed)
    with_feedback = total - len(completed[::2])
    rows = data["tables"]["coverage"]["rows"]
    pct = lambda part: f"{(200 * part + total) // (2 * total)}%"  # noqa: E731
    assert rows[0] == ["Reflection meeting recorded", total, total - 7, pct(total - 7)]
    assert rows[1] == ["Feedback received", total, with_feedback, pct(with_feedback)]
    # The audits completed are the programme table's own figure.
    assert data["tables"]["compliance_period"]["rows"][0][2] == total


def test_coverage_is_hidden_where_the_audits_completed_are(council, people, programme):
    # The small programme's completed audits are hidden in the programme table.
    data = build(council, from_month=MAR)
    assert data["tables"]["compliance_period"]["rows"][0][2] == SUPPRESSED
    for row in data["tables"]["coverage"]["rows"]:
        assert row[1:] == [SUPPRESSED] * 3


def test_a_light_touch_month_gives_its_rag_ratings(council, people, big):
    tool = AuditTool.objects.get(council__isnull=True, kind=ToolKind.LIGHT_TOUCH).published()
    rag = Question.objects.get(domain__version=tool, kind=QuestionKind.RAG)
    february = ProgrammeMonth.objects.get(council=council.council, month=FEB)
    february.status = MonthStatus.CLOSED
    february.save()
    ratings = [Rag.RED] * 2 + [Rag.AMBER] * 7 + [Rag.GREEN] * 9
    audits = Audit.objects.bulk_create(
        new_audit(
            council.council,
            child=child,
            team=council.teams[0],
            auditor=people.north_manager,
            month=february,
            due_date=datetime.date(2024, 2, 28),
            status=AuditStatus.SUBMITTED,
            overall_grade="",
            tool_version=tool,
        )
        for child in [a.child for a in big.completed[: len(ratings)]]
    )
    Answer.objects.bulk_create(
        Answer(audit=audit, question=rag, value=value)
        for audit, value in zip(audits, ratings, strict=True)
    )
    data = build(council)
    [row] = [r for r in data["tables"]["judgements_by_month"]["rows"] if r[0] == "February 2024"]
    # Red's 2 is hidden, and so is Amber's 7, which would give it away from the 18.
    assert row[-1] == "Light-touch audits, RAG ratings: Red c, Amber c, Green 9 (of 18)"
    [month] = [m for m in data["judgements"]["months"] if m["key"] == "2024-02"]
    assert month["rag"] == [SUPPRESSED, SUPPRESSED, 9]


def test_each_months_recommendations_under_its_own_name(council, people, programme):
    for month, text in ((JAN, "Visit within timescales."), (MAR, "Record the child's voice.")):
        actions.save_narrative(
            council.council,
            month=month,
            section=Section.RECOMMENDATIONS,
            text=text,
            lock_version=0,
            by=people.qa_lead,
        )
    data = build(council)
    assert data["narrative_months"]["recommendations"] == [
        {"name": "January 2024", "text": "Visit within timescales."},
        {"name": "March 2024", "text": "Record the child's voice."},
    ]
    html = render_document(data)
    assert html.index("January 2024</h4>") < html.index("Visit within timescales.")
    assert html.index("March 2024</h4>") < html.index("Record the child")
    word = formats.render(data, "docx")
    assert word  # the Word file has the same months (checked in test_formats' headings)
    # A report of one month has the month's text as before.
    march = build(council, from_month=MAR)
    assert march["narrative_months"]["recommendations"] == []
    assert march["narrative"]["recommendations"] == "Record the child's voice."


def test_the_periods_grade_shares_and_who_prepared_it(council, people, big):
    data = build(council, author=people.qa_lead)
    counts, total = data["judgements"]["period_counts"], data["judgements"]["period_total"]
    assert total == len(big.completed) and SUPPRESSED not in counts
    shares = [
        f"{(200 * c + total) // (2 * total)}% {g.label}" for c, g in zip(counts, ORDER, strict=True)
    ]
    assert data["judgements"]["period_sentence"] == (
        f"Of the {total} audits judged in January 2024 to March 2024: "
        f"{shares[0]}, {shares[1]}, {shares[2]} and {shares[3]}."
    )
    assert data["author"] == {"name": people.qa_lead.display_name, "email": people.qa_lead.email}
    assert data["as_at"] == "15 April 2024"
    html = render_document(data)
    for text in (
        "Prepared by",
        "Figures as at",
        "15 April 2024",
        data["judgements"]["period_sentence"],
    ):
        assert text in html
    assert [d["term"] for d in data["definitions"]] == [term for term, _ in DEFINITIONS]
    assert "11. Definitions" in html and "Reporting month" in html
    assert build(council)["author"]["name"] == "Quality Assurance Service"


def test_a_chart_for_each_practice_theme(council, people, big):
    data = build(council)
    judged = [theme for theme in data["themes"] if theme["total"]]
    assert len(judged) >= 2
    html = render_document(data)
    for theme in judged:
        alt = charts.theme_alt_text(theme)
        assert f'alt="{alt}"'.replace("'", "&#x27;") in html
        assert alt.startswith(f"Bar chart of the overall judgements for {theme['title']}: ")
    # The same data, the same picture; a hidden count has no bar and says c.
    assert charts.theme_svg(judged[0]) == charts.theme_svg(judged[0])
    hidden = {**judged[0], "grades": [{**g, "count": SUPPRESSED} for g in judged[0]["grades"]]}
    assert charts.theme_png(hidden).startswith(b"\x89PNG")
    document = docx.Document(io.BytesIO(formats.render(data, "docx")))
    # The judgements chart and one per judged theme.
    assert len(document.inline_shapes) == 1 + len(judged)
