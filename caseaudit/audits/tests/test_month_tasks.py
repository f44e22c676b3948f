"""The month page as a task list (draw → confirm → allocate → open), swapping a case out of
a sample, and previewing the allocation before it is made."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from caseaudit.accounts.models import AccessLog
from caseaudit.audits.actions import programme
from caseaudit.audits.actions.allocation import allocate_sample, plan_allocation
from caseaudit.audits.actions.sampling import (
    _latest_snapshot,
    confirm_sample,
    draw_sample,
    eligible_children,
    swap_case,
)
from caseaudit.audits.models import Audit, ProgrammeMonth, Sample, SwappedCase
from caseaudit.audits.progress import TaskStatus
from caseaudit.audits.tests.test_programme_helpers import (
    add_team,
    auditor_for,
    import_cases,
    make_month,
    practice_tool,
    team_cases,
)
from caseaudit.core import clock
from caseaudit.core.history import history_of
from caseaudit.testing.queries import page_queries, query_count

pytestmark = pytest.mark.django_db

C, N, X = TaskStatus.COMPLETED, TaskStatus.NOT_STARTED, TaskStatus.CANNOT_START


@pytest.fixture
def children(council, people, tmp_path):
    north, south = people.north_team, people.south_team
    cases = team_cases(north, council.practitioners[north.pk], 3, "N") + team_cases(
        south, council.practitioners[south.pk], 3, "S"
    )
    return import_cases(council.council, tmp_path, cases)


@pytest.fixture
def month(council, children):
    return make_month(council.council)


def statuses(month: ProgrammeMonth) -> list[TaskStatus]:
    month = ProgrammeMonth.objects.with_progress().get(pk=month.pk)
    return [task.status for task in month.progress.tasks]


def page(client, month) -> str:
    return client.get(reverse("audits:programme_month", args=[month.pk])).content.decode()


def task_status(html: str, key: str) -> str:
    """The text of one task's status cell on the page."""
    start = html.index(f'id="task-{key}-status"')
    return html[start : html.index("</div>", start)]


# The task list ---------------------------------------------------------------------------


def test_the_tasks_and_the_months_stage_follow_what_has_happened(people, month):
    qa = people.qa_lead
    assert statuses(month) == [N, X, X, X]
    assert ProgrammeMonth.objects.with_progress().get().progress.stage.label == "Not started"
    sample = draw_sample(month, per_team=1, seed=4, by=qa)
    assert statuses(month) == [C, N, X, X]
    assert month.progress.stage.label == "Sample drawn"
    confirm_sample(sample, by=qa)
    assert statuses(month) == [C, C, N, X]
    allocate_sample(sample, by=qa)
    assert statuses(month) == [C, C, C, N]
    progress = ProgrammeMonth.objects.with_progress().get().progress
    assert (progress.stage.label, progress.next_task.key) == ("Allocated, not open", "open")
    programme.open_month(month, by=qa)
    progress = ProgrammeMonth.objects.with_progress().get().progress
    assert [t.status for t in progress.tasks] == [C, C, C, C]
    assert (progress.stage.label, progress.next_task) == ("Open", None)


def test_the_page_shows_each_task_and_one_primary_button_for_the_next(client_for, people, month):
    client = client_for(people.qa_lead)
    html = page(client, month)
    assert "Not started" in task_status(html, "draw")
    assert "Cannot start yet" in task_status(html, "open")
    assert reverse("audits:programme_draw", args=[month.pk]) in html
    assert "Open the month" not in html.split('id="tasks"')[1].split("</ul>")[1]
    assert html.count('class="govuk-button"') == 1  # one primary button: the next task's

    sample = draw_sample(month, per_team=1, seed=4, by=None)
    html = page(client, month)
    assert "Completed" in task_status(html, "draw")
    assert "Not started" in task_status(html, "confirm")
    assert "Confirm sample" in html and html.count('class="govuk-button"') == 1
    assert "Sample drawn" in html

    confirm_sample(sample, by=None)
    html = page(client, month)
    assert reverse("audits:programme_allocation_preview", args=[sample.pk]) in html
    assert "Preview the allocation" in html and html.count('class="govuk-button"') == 1
    assert "Cannot start yet" in task_status(html, "open")

    allocate_sample(sample, by=None)
    html = page(client, month)
    assert "Completed" in task_status(html, "allocate")
    assert "Open the month" in html and html.count('class="govuk-button"') == 1
    opened = client.post(reverse("audits:programme_month_move", args=[month.pk, "open"]))
    html = client.get(opened.url).content.decode()
    assert "March 2024 is now open." in html
    assert html.count('class="govuk-button"') == 0
    assert "Completed" in task_status(html, "open")


def test_opening_the_month_is_refused_by_the_server_before_a_sample(client_for, people, month):
    client = client_for(people.qa_lead)
    draw_sample(month, per_team=1, seed=4, by=None)  # a preview only
    refused = client.post(reverse("audits:programme_month_move", args=[month.pk, "open"]))
    html = client.get(refused.url).content.decode()
    assert "March 2024 has no confirmed sample yet" in html
    month.refresh_from_db()
    assert month.status == "planned"


def test_the_overview_shows_each_months_stage(client_for, people, council, month):
    sample = draw_sample(month, per_team=1, seed=4, by=None)
    later = make_month(council.council, month=datetime.date(2024, 4, 1))
    html = client_for(people.qa_lead).get(reverse("audits:programme")).content.decode()
    assert "Sample drawn" in html and "Not started" in html
    confirm_sample(sample, by=None)
    html = client_for(people.qa_lead).get(reverse("audits:programme")).content.decode()
    assert "Sample confirmed" in html
    assert later.pk  # the other month is still not started
    assert html.count("Not started") == 1


def test_a_new_month_is_prefilled_with_the_next_month_and_its_due_date(client_for, people, month):
    html = client_for(people.qa_lead).get(reverse("audits:programme_month_create")).content.decode()
    # After March 2024: April 2024, due on its last day.
    assert 'name="month_0" value="4"' in html and 'name="month_1" value="2024"' in html
    assert 'name="due_date_0" value="30"' in html and 'name="due_date_2" value="2024"' in html
    assert f"{practice_tool().tool.name} (version 1)" in html


# Swapping a case out ---------------------------------------------------------------------


def test_a_case_is_swapped_for_another_eligible_case_of_its_team_with_history(people, month):
    qa = people.qa_lead
    sample = draw_sample(month, per_team=1, seed=4, by=qa)
    north = sample.cases.select_related("child").get(team=people.north_team)
    eligible = set(
        eligible_children(month, _latest_snapshot(month.council)).values_list("pk", flat=True)
    )
    replacement = swap_case(north, reason="Transferred to another council", by=qa)
    assert replacement.child_id != north.child_id
    assert replacement.child_id in eligible
    assert replacement.team_id == people.north_team.pk
    assert replacement.child.allocated_team_id == people.north_team.pk
    assert sample.cases.count() == 2
    assert not sample.cases.filter(child_id=north.child_id).exists()
    swap = SwappedCase.objects.get()
    assert (swap.child_id, swap.replacement_id, swap.reason, swap.swapped_by) == (
        north.child_id,
        replacement.child_id,
        "Transferred to another council",
        qa,
    )
    assert history_of(swap).get().reason == "Transferred to another council"
    assert history_of(replacement).get().action == "created"
    assert history_of(north).get().action == "deleted"
    # The same seed and the same swap draw the same replacement.
    month2 = make_month(month.council, month=datetime.date(2024, 4, 1))
    again = draw_sample(month2, per_team=1, seed=4, by=qa)
    north2 = again.cases.get(team=people.north_team)
    assert north2.child_id == north.child_id
    assert swap_case(north2, reason="Same", by=qa).child_id == replacement.child_id


def test_a_swapped_out_child_is_never_drawn_back_and_a_team_runs_out(people, month):
    sample = draw_sample(month, per_team=1, seed=4, by=None)
    case = sample.cases.get(team=people.north_team)
    seen = {case.child_id}
    for _ in range(2):  # three north children: two swaps, each a new one
        case = swap_case(case, reason="Not suitable", by=None)
        assert case.child_id not in seen
        seen.add(case.child_id)
    with pytest.raises(ValidationError, match="No other open case in North"):
        swap_case(case, reason="Not suitable", by=None)
    assert SwappedCase.objects.count() == 2
    assert sample.cases.filter(child_id=case.child_id).exists()


def test_a_swap_needs_a_reason_and_is_refused_once_allocated_or_open(people, month):
    sample = draw_sample(month, per_team=1, seed=4, by=None)
    case = sample.cases.first()
    with pytest.raises(ValidationError) as refused:
        swap_case(case, reason="  ", by=None)
    assert refused.value.message_dict == {"reason": ["Enter the reason for swapping the case out"]}
    confirm_sample(sample, by=None)
    swapped = swap_case(case, reason="A confirmed sample may still change", by=None)
    allocate_sample(sample, by=None)
    with pytest.raises(ValidationError, match="has been allocated"):
        swap_case(swapped, reason="Too late", by=None)
    programme.open_month(month, by=None)
    with pytest.raises(ValidationError, match="March 2024 is open"):
        swap_case(swapped, reason="Too late", by=None)
    assert SwappedCase.objects.count() == 1


def test_a_case_is_swapped_from_the_page(client_for, people, month):
    client = client_for(people.qa_lead)
    sample = draw_sample(month, per_team=1, seed=4, by=None)
    case = sample.cases.select_related("child").get(team=people.north_team)
    html = page(client, month)
    url = reverse("audits:programme_swap", args=[case.pk])
    assert url in html
    form = client.get(url).content.decode()
    assert f"Swap child {case.child.la_child_id} out of the sample" in form
    blank = client.post(url, {"reason": ""}).content.decode()
    assert "There is a problem" in blank
    assert blank.count("Enter the reason for swapping the case out") == 2
    assert "<title>Error:" in blank
    done = client.post(url, {"reason": "Case closing this week"})
    assert done.url == reverse("audits:programme_month", args=[month.pk])
    swap = SwappedCase.objects.select_related("replacement").get()
    html = client.get(done.url).content.decode()
    assert f"Child {case.child.la_child_id} has been swapped out of the sample" in html
    assert "Case closing this week" in html
    assert "1 case swapped out" in html and swap.replacement.la_child_id in html
    logged = AccessLog.objects.filter(action="listed", record_type="cases.child")
    assert logged.filter(route__contains="programme_swap").exists()


def test_no_replacement_is_shown_with_the_error_summary(client_for, people, month):
    client = client_for(people.qa_lead)
    sample = draw_sample(month, per_team=3, seed=4, by=None)  # every north child
    case = sample.cases.get(team=people.north_team, child__la_child_id="N1")
    html = client.post(reverse("audits:programme_swap", args=[case.pk]), {"reason": "x"})
    html = html.content.decode()
    assert "There is a problem" in html and "No other open case in North" in html
    assert not SwappedCase.objects.exists()


def test_the_swap_page_says_why_once_the_month_is_open(client_for, people, month):
    sample = confirm_sample(draw_sample(month, per_team=1, seed=4, by=None), by=None)
    programme.open_month(month, by=None)
    client = client_for(people.qa_lead)
    case = sample.cases.first()
    assert reverse("audits:programme_swap", args=[case.pk]) not in page(client, month)
    form = client.get(reverse("audits:programme_swap", args=[case.pk])).content.decode()
    assert "March 2024 is open: its sample can no longer be changed." in form
    assert 'name="reason"' not in form
    refused = client.post(reverse("audits:programme_swap", args=[case.pk]), {"reason": "x"})
    assert "March 2024 is open" in refused.content.decode()
    assert not SwappedCase.objects.exists()


# Previewing the allocation ---------------------------------------------------------------


@pytest.fixture
def three_teams(council, people, tmp_path):
    """A third team and its manager as an auditor, so each case has a choice."""
    third, third_manager, _ = add_team(council, "North Safeguarding 2")
    auditor_for(council, third_manager, third, "third.manager")
    return third_manager


def test_the_preview_is_the_allocation_that_is_made(people, month, three_teams):
    sample = confirm_sample(draw_sample(month, per_team=2, seed=4, by=None), by=None)
    plan = plan_allocation(sample)
    assert not Audit.objects.exists()  # previewing saves nothing
    previewed = {case.pk: auditor.pk for case, auditor in plan.rows()}
    assert len(previewed) == 4
    allocate_sample(sample, previewed=plan.digest, by=None)
    made = dict(Audit.objects.values_list("sample_case_id", "auditor_id"))
    assert made == previewed
    counts = {auditor.username: n for auditor, n in plan.counts()}
    assert sum(counts.values()) == 4
    for case in sample.cases.select_related("child", "team"):
        ruled_out = {c.auditor.pk for c in plan.conflicts(case)}
        assert made[case.pk] not in ruled_out
    north_case = next(c for c in plan.cases if c.team_id == people.north_team.pk)
    reasons = {c.auditor.username: c.why for c in plan.conflicts(north_case)}
    assert list(reasons) == ["north.manager"]
    assert "manages the child's team" in reasons["north.manager"]


def test_a_stale_preview_is_refused_and_nothing_is_allocated(people, month, three_teams):
    sample = confirm_sample(draw_sample(month, per_team=1, seed=4, by=None), by=None)
    digest = plan_allocation(sample).digest
    with pytest.raises(ValidationError, match="has changed since you previewed it"):
        allocate_sample(sample, previewed=digest[::-1], by=None)
    assert not Audit.objects.exists()


def test_the_allocation_is_previewed_and_confirmed_from_the_pages(
    client_for, people, month, three_teams
):
    client = client_for(people.qa_lead)
    sample = confirm_sample(draw_sample(month, per_team=1, seed=4, by=None), by=None)
    url = reverse("audits:programme_allocation_preview", args=[sample.pk])
    html = client.get(url).content.decode()
    plan = plan_allocation(sample)
    assert "Nothing has been allocated yet" in html
    for case, auditor in plan.rows():
        assert case.child.la_child_id in html and auditor.display_name in html
    assert "manages the child&#x27;s team" in html
    assert f'value="{plan.digest}"' in html and "Confirm allocation" in html
    assert not Audit.objects.exists()
    logged = AccessLog.objects.filter(action="listed", record_type="cases.child")
    assert logged.filter(route__contains="programme_allocation_preview").exists()

    done = client.post(
        reverse("audits:programme_allocate", args=[sample.pk]), {"previewed": plan.digest}
    )
    assert done.url == reverse("audits:programme_month", args=[month.pk])
    made = dict(Audit.objects.values_list("sample_case_id", "auditor_id"))
    assert made == {case.pk: auditor.pk for case, auditor in plan.rows()}
    assert "2 audits allocated to" in client.get(done.url).content.decode()
    # Allocated: the preview is no longer offered.
    again = client.get(url)
    assert again.url == done.url
    assert "has already been allocated" in client.get(again.url).content.decode()


def test_a_preview_gone_stale_sends_the_person_back_to_it(client_for, people, month, three_teams):
    client = client_for(people.qa_lead)
    sample = confirm_sample(draw_sample(month, per_team=1, seed=4, by=None), by=None)
    stale = client.post(
        reverse("audits:programme_allocate", args=[sample.pk]), {"previewed": "0" * 16}
    )
    preview = reverse("audits:programme_allocation_preview", args=[sample.pk])
    assert stale.url == preview
    assert "has changed since you previewed it" in client.get(preview).content.decode()
    assert not Audit.objects.exists()


# Who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["north_manager", "social_worker", "director", "councillor", "administrator"]
)
def test_no_one_but_the_qa_lead_may_swap_preview_or_draw(client_for, people, month, persona):
    sample = confirm_sample(draw_sample(month, per_team=1, seed=4, by=None), by=None)
    case = sample.cases.first()
    client = client_for(getattr(people, persona))
    gets = [
        reverse("audits:programme_swap", args=[case.pk]),
        reverse("audits:programme_allocation_preview", args=[sample.pk]),
        reverse("audits:programme_draw", args=[month.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 403, url
    assert client.post(gets[0], {"reason": "x"}).status_code == 403
    assert not SwappedCase.objects.exists() and not Audit.objects.exists()


def test_another_councils_qa_lead_cannot_swap_or_preview(client_for, people, month):
    sample = confirm_sample(draw_sample(month, per_team=1, seed=4, by=None), by=None)
    client = client_for(people.outsider)
    case = sample.cases.first()
    assert client.get(reverse("audits:programme_swap", args=[case.pk])).status_code == 404
    preview = reverse("audits:programme_allocation_preview", args=[sample.pk])
    assert client.get(preview).status_code == 404


# What the pages cost ---------------------------------------------------------------------


def test_the_preview_and_the_month_page_cost_the_same_however_many_cases(
    client_for, people, council, tmp_path
):
    client = client_for(people.qa_lead)
    north, south = people.north_team, people.south_team
    cases = team_cases(north, council.practitioners[north.pk], 4, "N") + team_cases(
        south, council.practitioners[south.pk], 4, "S"
    )
    import_cases(council.council, tmp_path, cases)

    def costs(month: datetime.date, per_team: int) -> tuple[int, int, int]:
        programme_month = make_month(council.council, month=month)
        sample = draw_sample(programme_month, per_team=per_team, seed=1, by=None)
        swap_case(sample.cases.first(), reason="Costed", by=None)
        month_url = reverse("audits:programme_month", args=[programme_month.pk])
        page_queries(client, month_url)
        drafted = page_queries(client, month_url)
        confirm_sample(sample, by=None)
        preview = reverse("audits:programme_allocation_preview", args=[sample.pk])
        page_queries(client, preview)
        return drafted, page_queries(client, preview), Sample.objects.count()

    one_each = costs(datetime.date(2024, 3, 1), 1)
    two_each = costs(datetime.date(2024, 4, 1), 2)
    assert two_each[:2] == one_each[:2]


def test_swapping_a_case_costs_the_same_however_big_the_sample(people, council, tmp_path):
    north, south = people.north_team, people.south_team
    cases = team_cases(north, council.practitioners[north.pk], 4, "N") + team_cases(
        south, council.practitioners[south.pk], 4, "S"
    )
    import_cases(council.council, tmp_path, cases)
    small = draw_sample(make_month(council.council), per_team=1, seed=2, by=None)
    case = swap_case(small.cases.get(team=north), reason="Warming up", by=None)
    one_each = query_count(lambda: swap_case(case, reason="Measured", by=None))
    april = make_month(council.council, month=datetime.date(2024, 4, 1))
    large = draw_sample(april, per_team=3, seed=2, by=None)
    in_large = large.cases.filter(team=north).first()
    three_each = query_count(lambda: swap_case(in_large, reason="Measured", by=None))
    assert three_each == one_each
    assert SwappedCase.objects.filter(reason="Measured").count() == 2


def test_the_qa_leads_home_page_shows_the_months_stage_and_next_task_as_its_page_does(
    client_for, people, month
):
    """The home page reads the same rule (audits.progress) as the month page."""
    client = client_for(people.qa_lead)
    with clock.set_to(month.month + datetime.timedelta(days=3)):
        home = client.get(reverse("home")).content.decode()
        assert '<strong class="govuk-tag govuk-tag--grey">Not started</strong>' in home
        assert "Next: draw the sample." in home
        draw_sample(month, per_team=1, seed=4, by=people.qa_lead)
        home = client.get(reverse("home")).content.decode()
        assert '<strong class="govuk-tag govuk-tag--light-blue">Sample drawn</strong>' in home
        assert "Next: check and confirm the sample." in home
        assert reverse("audits:programme_month", args=[month.pk]) in home
