"""A programme month may focus on a cohort a QA lead saved on the cohort builder: drawn by the
same rule (``cases.cohorts.evaluate_saved``) as a thematic audit's cohort."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from caseaudit.audits.actions.sampling import draw_sample
from caseaudit.audits.models import ProgrammeMonth
from caseaudit.audits.tests.test_programme_helpers import make_month, practice_tool
from caseaudit.audits.tests.test_sampling import children, drawn, teams  # noqa: F401 (fixtures)
from caseaudit.cases.actions import save_cohort
from caseaudit.cases.cohorts import Condition, evaluate_saved
from caseaudit.organisation.models import Council

# The test council's open cases (test_sampling's fixture): N1-N6 and S1 have an open CIN
# episode.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("children")]


@pytest.fixture
def open_cin(council, people):
    return save_cohort(
        council.council,
        name="Open child in need",
        conditions=[Condition("cin.cin_closure_date", "blank")],
        by=people.qa_lead,
    )


def test_a_saved_cohort_focuses_the_draw_as_the_practice_theme_would(council, open_cin):
    month = make_month(council.council, saved_cohort=open_cin)
    sample = draw_sample(month, per_team=20, seed=1, by=None)
    # The same children as the "children in need" practice theme, which means the same.
    assert drawn(sample) == {f"N{n}" for n in range(1, 7)} | {"S1"}
    assert sample.saved_cohort == open_cin and sample.cohort_key == ""
    assert "(cohort: Open child in need)" in sample.cases.first().reason
    # Every child drawn is in the cohort as the cohort builder evaluates it.
    in_cohort = set(evaluate_saved(open_cin).children.values_list("pk", flat=True))
    assert set(sample.cases.values_list("child_id", flat=True)) <= in_cohort
    # A draw may still choose a cross-section.
    assert len(drawn(draw_sample(month, per_team=20, seed=1, cohort_key="", by=None))) > 7


def test_a_month_has_one_focus_of_its_own_council(council, open_cin, people):
    with pytest.raises(ValidationError, match="not both"):
        make_month(council.council, cohort_key="missing", saved_cohort=open_cin)
    other = Council.objects.create(name="Elsewhere", code="ELS")
    theirs = save_cohort(
        other,
        name="Theirs",
        conditions=[Condition("cin.cin_closure_date", "blank")],
        by=None,
    )
    with pytest.raises(ValidationError, match="council's saved cohorts"):
        make_month(council.council, saved_cohort=theirs)
    month = make_month(council.council)
    with pytest.raises(ValidationError, match="not both"):
        draw_sample(month, cohort_key="missing", saved_cohort=open_cin, by=None)


def test_the_qa_lead_chooses_a_saved_cohort_on_the_page(client_for, people, open_cin):
    client = client_for(people.qa_lead)
    form = client.get(reverse("audits:programme_month_create")).content.decode()
    assert "Or a saved cohort" in form and "Open child in need" in form
    fields = {
        "month_0": "4",
        "month_1": "2024",
        "cohort_key": "",
        "saved_cohort": open_cin.pk,
        "due_date_0": "30",
        "due_date_1": "4",
        "due_date_2": "2024",
        "tool_version": practice_tool().pk,
    }
    response = client.post(reverse("audits:programme_month_create"), fields)
    month = ProgrammeMonth.objects.get()
    assert response.status_code == 302 and month.saved_cohort == open_cin
    page = client.get(response.url).content.decode()
    assert "Open child in need" in page
    overview = client.get(reverse("audits:programme")).content.decode()
    assert "Open child in need" in overview
    drawn_page = client.post(
        reverse("audits:programme_draw", args=[month.pk]),
        {
            "per_team": "20",
            "cohort_key": "",
            "saved_cohort": open_cin.pk,
            "exclude_audited_months": "6",
        },
    )
    assert drawn_page.status_code == 302
    assert month.samples.get().saved_cohort == open_cin
    both = client.post(
        reverse("audits:programme_month_create"),
        {**fields, "month_0": "5", "cohort_key": "missing"},
    )
    assert "not both" in both.content.decode() and "There is a problem" in both.content.decode()


@pytest.mark.parametrize("who", ["north_manager", "area_lead", "councillor"])
def test_only_the_qa_lead_sets_the_focus(client_for, people, who):
    page = client_for(getattr(people, who)).get(reverse("audits:programme_month_create"))
    assert page.status_code == 403


def test_another_councils_lead_cannot_choose_our_cohort(client_for, people, open_cin):
    client = client_for(people.outsider)
    # Another council's QA lead: their own month form, without our cohorts.
    form = client.get(reverse("audits:programme_month_create"))
    assert form.status_code == 200 and "Open child in need" not in form.content.decode()
    refused = client.post(
        reverse("audits:programme_month_create"),
        {"saved_cohort": open_cin.pk, "month_0": "4", "month_1": "2024"},
    )
    assert "Select a valid choice" in refused.content.decode()
    assert not ProgrammeMonth.objects.filter(saved_cohort=open_cin).exists()
