"""The published highlight report, read as a reader would read it: nothing hidden in a table
can be worked out from the figures published beside it, in that table or another one. The
reports here run from the programme's first month, so the months add up to the council's
figures as the tables by area, service and cohort do."""

from types import SimpleNamespace

from caseaudit.conftest import make_council
from caseaudit.core.suppression import SUPPRESSED, THRESHOLD, Published, disclosures
from caseaudit.reports import actions, sections
from caseaudit.reports.models import HighlightReport
from caseaudit.reports.tests.conftest import JAN, MAR, make_programme
from caseaudit.testing.factories import UserFactory

GRADE_TABLES = ("judgements_by_area", "judgements_by_service", "practice_themes")
COMPLIANCE_TABLES = ("compliance_by_area", "compliance_by_service")
# The counts in a compliance table's rows: allocated and completed, audits then re-audits.
COMPLIANCE_COUNTS = (1, 2, 4, 5)


def grade_table(table: dict, council: list | None = None) -> Published:
    """``council``: the council's row, for a table that does not print it (by month)."""
    council = council or table["total"]
    return Published(
        cells=[row[1:5] for row in table["rows"]],
        row_totals=[row[5] for row in table["rows"]],
        column_totals=council[1:5],
        grand_total=council[5],
    )


def compliance_table(table: dict) -> Published:
    return Published(
        cells=[[row[i] for i in COMPLIANCE_COUNTS] for row in table["rows"]],
        row_totals=None,
        column_totals=[table["total"][i] for i in COMPLIANCE_COUNTS],
        grand_total=None,
    )


def domain_table(table: dict) -> Published:
    """Each domain's grades add up to its own total only: a domain is a column here."""
    return Published(
        cells=[list(grades) for grades in zip(*(row[1:5] for row in table["rows"]), strict=True)],
        row_totals=None,
        column_totals=[row[5] for row in table["rows"]],
        grand_total=None,
    )


def published(qa_lead, council) -> dict:
    draft = actions.start_report(council, from_month=JAN, to_month=MAR, by=qa_lead)
    report = actions.publish_report(draft, by=qa_lead)
    return HighlightReport.objects.get(pk=report.pk).data


def assert_nothing_can_be_worked_out(data: dict):
    tables = data["tables"]
    grades = [grade_table(tables[name]) for name in GRADE_TABLES]
    # Every month of the report is in the period: the months add up to the council too.
    grades.append(grade_table(tables["judgements_by_month"], tables["judgements_by_area"]["total"]))
    compliance = [compliance_table(tables[name]) for name in COMPLIANCE_TABLES]
    # Breakdowns of the same council figures are read together, as a reader could.
    assert disclosures(*grades) == []
    bounds = sections.completed_within_allocated([len(table.cells) for table in compliance])
    assert disclosures(*compliance, at_most=bounds) == []
    # Audits judged are at most audits completed: each is hidden where the other is.
    for grade, compliance_name in zip(GRADE_TABLES[:2], COMPLIANCE_TABLES, strict=True):
        completed = {row[0]: row[2] for row in tables[compliance_name]["rows"]}
        completed["Council"] = tables[compliance_name]["total"][2]
        for row in [*tables[grade]["rows"], tables[grade]["total"]]:
            if row[0] in completed and 0 not in (row[5], completed[row[0]]):
                assert (row[5] == SUPPRESSED) == (completed[row[0]] == SUPPRESSED), row[0]
    feedback = tables["feedback"]
    assert (
        disclosures(
            Published(
                cells=[row[1:3] for row in feedback["rows"]],
                row_totals=None,
                column_totals=feedback["total"][1:3],
                grand_total=None,
            )
        )
        == []
    )
    assert data["feedback"]["received"] == feedback["total"][1]
    if tables["domains"]["rows"]:
        assert disclosures(domain_table(tables["domains"])) == []
        for row in tables["domains"]["rows"]:
            if SUPPRESSED in (*row[1:3], row[5]):
                assert row[6] == SUPPRESSED  # good or better would give them away
    # The council's figures are the same wherever they are printed.
    assert len({tuple(tables[name]["total"]) for name in GRADE_TABLES}) == 1
    assert [*data["judgements"]["period_counts"], data["judgements"]["period_total"]] == (
        tables["judgements_by_area"]["total"][1:]
    )
    period = tables["compliance_period"]["rows"]
    for name in COMPLIANCE_TABLES:
        assert tables[name]["total"][1:] == [*period[0][1:], *period[1][1:]]
    # No small number shows anywhere in a suppressed table.
    for table in tables.values():
        if table.get("suppressed"):
            for row in [*table["rows"], table.get("total", [])]:
                assert not any(type(v) is int and 0 < v <= THRESHOLD for v in row[1:])
    return grades


def test_nothing_hidden_in_a_published_report_can_be_worked_out(council, people, programme):
    data = published(people.qa_lead, council.council)
    grades = assert_nothing_can_be_worked_out(data)
    assert any(SUPPRESSED in row for table in grades for row in table.cells)
    assert any(SUPPRESSED in row for row in data["tables"]["domains"]["rows"])
    # The practice themes and the chart say what their tables say.
    for month, row in zip(data["judgements"]["months"], grades[-1].cells, strict=True):
        assert month["counts"] == row
    themes = data["tables"]["practice_themes"]["rows"]
    for theme, row in zip(data["themes"], themes, strict=True):
        assert [g["count"] for g in theme["grades"]] + [theme["total"]] == row[1:]


def test_nor_in_a_larger_council_with_some_figures_shown(db, people):
    big = make_council("Bigshire Council", "903", teams_per_area=3)
    make_programme(big, people, per_team=8, prefix="BIG")
    # Only the council's own QA lead may publish its report.
    data = published(UserFactory(council=big.council, username="qa.bigshire"), big.council)
    assert_nothing_can_be_worked_out(data)
    # Larger figures still show: the council's audits allocated, and each area's.
    assert isinstance(data["tables"]["compliance_by_area"]["rows"][0][1], int)


def test_since_the_start_does_not_give_away_the_periods_hidden_figures():
    def figures(allocated, completed):
        return SimpleNamespace(allocated=allocated, completed=completed, rate_text="")

    def totals(audits, reaudits):
        return SimpleNamespace(audits=figures(*audits), reaudits=figures(*reaudits))

    period = totals((20, 16), (4, 3))
    council = [20, 16, "80%", SUPPRESSED, SUPPRESSED, SUPPRESSED]
    # 6 re-audits since the start, 4 in the period: shown, 6 would say the 4 is at most 5.
    rows = sections._since_start_rows(totals((30, 16), (6, 9)), period, council)
    assert rows[0] == ["Audits", 30, 16, ""]
    assert rows[1] == ["Re-audits", SUPPRESSED, 9, SUPPRESSED]
    # Nothing before the period: the same figures, shown as the period's are.
    rows = sections._since_start_rows(period, period, council)
    assert rows[1] == ["Re-audits", SUPPRESSED, SUPPRESSED, SUPPRESSED]
