"""Programme months: created planned, then open, paused and resumed, closed; history kept."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from caseaudit.audits.actions import programme
from caseaudit.audits.choices import MonthStatus
from caseaudit.audits.models import Sample
from caseaudit.audits.tests.test_programme_helpers import make_month
from caseaudit.core.history import history_of
from caseaudit.tools import actions
from caseaudit.tools.choices import ToolKind
from caseaudit.tools.models import AuditTool

pytestmark = pytest.mark.django_db


def test_a_month_is_created_planned_with_its_history(people):
    month = make_month(people.qa_lead.council, cohort_key="missing", by=people.qa_lead)
    assert (month.status, month.cohort_key, str(month)) == ("planned", "missing", "March 2024")
    created = history_of(month).get()
    assert (created.action, created.username) == ("created", "qa.lead")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"month": datetime.date(2024, 3, 2)}, "month", "first day of the month"),
        ({"due_date": datetime.date(2024, 2, 28)}, "due_date", "on or after the start"),
        ({"cohort_key": "no_such_cohort"}, "cohort_key", "Choose a cohort"),
    ],
)
def test_a_month_needs_a_first_day_a_due_date_after_it_and_a_known_cohort(
    people, changes, field, message
):
    with pytest.raises(ValidationError) as refused:
        make_month(people.qa_lead.council, **changes)
    assert message in " ".join(refused.value.message_dict[field])


def test_a_month_needs_a_published_tool_of_its_own_council(people):
    draft = actions.start_draft(AuditTool.objects.get(kind=ToolKind.PRACTICE), by=people.qa_lead)
    with pytest.raises(ValidationError) as refused:
        make_month(people.qa_lead.council, tool_version=draft)
    assert "choose a published version" in refused.value.message_dict["tool_version"][0]
    theirs = actions.create_tool(
        people.outsider.council, name="Theirs", kind=ToolKind.PRACTICE, by=people.outsider
    )
    theirs.status = "published"  # as publish() would, without building the whole tool
    theirs.save()
    with pytest.raises(ValidationError, match="another council"):
        make_month(people.qa_lead.council, tool_version=theirs)


def test_each_month_only_once(people):
    make_month(people.qa_lead.council)
    with pytest.raises(ValidationError, match="already a programme month for March 2024"):
        make_month(people.qa_lead.council)


def sampled(month):
    """The month with a confirmed sample, which opening it needs."""
    Sample.objects.create(month=month, seed=1, status="confirmed")
    return month


def test_a_month_opens_pauses_resumes_and_closes(people):
    month = sampled(make_month(people.qa_lead.council))
    by = people.qa_lead
    assert programme.open_month(month, by=by).status == MonthStatus.OPEN
    assert programme.pause_month(month, by=by, reason="Covid-19").status == MonthStatus.PAUSED
    assert programme.open_month(month, by=by).status == MonthStatus.OPEN
    assert programme.close_month(month, by=by).status == MonthStatus.CLOSED
    history = list(history_of(month))
    assert [h.after["status"] for h in history] == ["closed", "open", "paused", "open", "planned"]
    assert history[2].before["status"] == "open" and history[2].reason == "Covid-19"


def test_a_planned_month_may_be_paused_before_it_starts_as_the_seeds_did(people):
    month = make_month(people.qa_lead.council, month=datetime.date(2020, 4, 1))
    assert programme.pause_month(month, by=people.qa_lead).status == MonthStatus.PAUSED


@pytest.mark.parametrize(
    ("path", "action", "message"),
    [
        ([], programme.close_month, "March 2024 is planned, so it cannot be closed."),
        ([programme.open_month], programme.open_month, "March 2024 is already open."),
        (
            [programme.open_month, programme.close_month],
            programme.open_month,
            "March 2024 is closed, so it cannot be opened.",
        ),
        (
            [programme.open_month, programme.close_month],
            programme.pause_month,
            "March 2024 is closed, so it cannot be paused.",
        ),
        ([programme.pause_month], programme.close_month, "March 2024 is paused, so it cannot be"),
    ],
)
def test_wrong_moves_are_refused_with_a_message_and_change_nothing(people, path, action, message):
    month = sampled(make_month(people.qa_lead.council))
    for step in path:
        month = step(month, by=people.qa_lead)
    before = month.status
    with pytest.raises(ValidationError, match=message):
        action(month, by=people.qa_lead)
    month.refresh_from_db()
    assert month.status == before


def test_a_month_is_not_opened_before_its_sample_is_confirmed(people):
    month = make_month(people.qa_lead.council)
    refusal = "March 2024 has no confirmed sample yet: draw and confirm the sample before"
    with pytest.raises(ValidationError, match=refusal):
        programme.open_month(month, by=people.qa_lead)
    Sample.objects.create(month=month, seed=1)  # a preview is not yet the month's sample
    with pytest.raises(ValidationError, match=refusal):
        programme.open_month(month, by=people.qa_lead)
    # Nor is a month paused before it began resumed with nothing to audit.
    paused = programme.pause_month(month, by=people.qa_lead)
    with pytest.raises(ValidationError, match=refusal):
        programme.open_month(paused, by=people.qa_lead)
    month.refresh_from_db()
    assert month.status == MonthStatus.PAUSED
    assert [h.after["status"] for h in history_of(month)] == ["paused", "planned"]


def test_a_new_month_is_suggested_after_the_latest_and_due_by_its_last_day(people):
    council = people.qa_lead.council
    today = datetime.date(2024, 2, 14)
    assert programme.next_month_to_add(council, today) == datetime.date(2024, 2, 1)
    make_month(council, month=datetime.date(2024, 1, 1))
    make_month(council, month=datetime.date(2024, 12, 1))
    assert programme.next_month_to_add(council, today) == datetime.date(2025, 1, 1)
    assert programme.default_due_date(datetime.date(2024, 2, 1)) == datetime.date(2024, 2, 29)
