"""The action plan as CSV and Excel: for those who may see the plan, naming no child."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from caseaudit.testing.queries import page_queries
from caseaudit.thematic import actions

pytestmark = pytest.mark.django_db


def _url(audit, fmt):
    return reverse("thematic:export_plan", args=[audit.pk, fmt])


def test_the_lead_downloads_the_plan_as_csv_naming_no_child(client_for, thematic, running):
    audit, audits, finding, theirs, own = running
    response = client_for(thematic.lead).get(_url(audit, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "placement-stability-action-plan.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Action" and len(rows) == 3
    by_action = {row[0]: row for row in rows[1:]}
    assert by_action[theirs.action][2] == finding.summary
    assert by_action[theirs.action][7] == "Yes" and by_action[own.action][7] == "No"
    sampled = audit.samples.get().children.values_list("la_child_id", flat=True)
    text = response.content.decode("utf-8-sig")
    assert not any(child_id in text for child_id in sampled)


def test_the_qa_lead_downloads_it_as_excel_with_formulas_neutralised(
    client_for, thematic, people, running
):
    audit = running[0]
    actions.add_action(
        audit,
        action='=HYPERLINK("http://example.org")',
        intended_outcome="+1",
        owner=people.north_manager,
        due_date=running[4].due_date,
        by=thematic.lead,
    )
    response = client_for(people.qa_lead).get(_url(audit, "xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Action" and len(values) == 4
    assert '\'=HYPERLINK("http://example.org")' in [row[0] for row in values]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_export_costs_the_same_however_long_the_plan(client_for, thematic, people, running):
    audit = running[0]
    client = client_for(thematic.lead)
    before = page_queries(client, _url(audit, "csv"))
    for n in range(5):
        actions.add_action(
            audit,
            action=f"Action {n}",
            intended_outcome="Outcome",
            owner=people.south_manager,
            due_date=running[4].due_date,
            by=thematic.lead,
        )
    assert page_queries(client, _url(audit, "csv")) == before


@pytest.mark.parametrize(
    ("who", "status"),
    [("north_manager", 403), ("area_lead", 404), ("outsider", 404), ("councillor", 403)],
)
def test_others_may_not_download_it(client_for, people, running, who, status):
    client = client_for(getattr(people, who))
    for fmt in ("csv", "xlsx"):
        assert client.get(_url(running[0], fmt)).status_code == status


def test_an_unknown_format_is_not_found(client_for, thematic, running):
    assert client_for(thematic.lead).get(_url(running[0], "pdf")).status_code == 404
