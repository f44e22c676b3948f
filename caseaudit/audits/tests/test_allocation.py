"""Allocating a confirmed sample to team managers, evenly, never to the child's own team
manager or worker; and reallocating one audit with a reason."""

import datetime
from collections import Counter

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from caseaudit.accounts.choices import Role, Scope
from caseaudit.audits.actions import programme
from caseaudit.audits.actions.allocation import allocate_sample, auditors_for, reallocate
from caseaudit.audits.actions.sampling import confirm_sample, draw_sample
from caseaudit.audits.choices import AuditKind
from caseaudit.audits.models import Audit
from caseaudit.audits.tests.test_programme_helpers import (
    Case,
    add_team,
    auditor_for,
    import_cases,
    make_month,
    practice_tool,
    team_cases,
)
from caseaudit.conftest import make_user
from caseaudit.core.history import history_of
from caseaudit.organisation import actions as organisation
from caseaudit.organisation.choices import JobRole
from caseaudit.organisation.models import Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def four_teams(council, people):
    """The north and south teams with their managers (people's auditors), and two more."""
    third, third_manager, third_workers = add_team(council, "North Safeguarding 2")
    fourth, fourth_manager, fourth_workers = add_team(council, "South Safeguarding 2")
    people.north_manager.email = "north.manager@example.org"
    people.north_manager.save()
    auditors = {
        people.north_team.pk: people.north_manager,
        people.south_team.pk: people.south_manager,
        third.pk: auditor_for(council, third_manager, third, "third.manager", "t@example.org"),
        fourth.pk: auditor_for(council, fourth_manager, fourth, "fourth.manager", "f@example.org"),
    }
    workers = {
        people.north_team.pk: council.practitioners[people.north_team.pk],
        people.south_team.pk: council.practitioners[people.south_team.pk],
        third.pk: third_workers,
        fourth.pk: fourth_workers,
    }
    return auditors, workers


@pytest.fixture
def sample(council, four_teams, tmp_path):
    """A confirmed sample of two cases from each of the four teams."""
    _, workers = four_teams
    cases = []
    for number, (team_id, team_workers) in enumerate(workers.items()):
        cases += team_cases(Team.objects.get(pk=team_id), team_workers, 4, f"T{number}-")
    import_cases(council.council, tmp_path, cases)
    month = make_month(council.council)
    return confirm_sample(draw_sample(month, per_team=2, seed=1, by=None), by=None)


def _auditor_team(user):
    return user.worker.current_assignment().team_id


def test_each_case_gets_one_audit_on_the_months_tool_due_when_the_month_says(sample, people):
    audits = allocate_sample(sample, by=people.qa_lead)
    assert len(audits) == 8 == Audit.objects.count()
    month = sample.month
    for audit in Audit.objects.select_related("sample_case"):
        case = audit.sample_case
        assert (audit.child_id, audit.team_id, audit.worker_id) == (
            case.child_id,
            case.team_id,
            case.worker_id,
        )
        assert (audit.kind, audit.status, audit.month, audit.council) == (
            AuditKind.AUDIT,
            "allocated",
            month,
            month.council,
        )
        assert (audit.tool_version, audit.due_date) == (practice_tool(), month.due_date)
        created = history_of(audit).get()
        assert created.username == "qa.lead" and "Allocated from" in created.reason
    assert Audit.objects.visible_to(audits[0].auditor).filter(pk=audits[0].pk).exists()


def test_a_due_date_may_be_given(sample):
    audits = allocate_sample(sample, due_date=datetime.date(2024, 4, 15), by=None)
    assert {a.due_date for a in audits} == {datetime.date(2024, 4, 15)}


def test_never_the_childs_own_team_manager(sample):
    for audit in allocate_sample(sample, by=None):
        assert audit.auditor.scope_team_id != audit.team_id
        assert _auditor_team(audit.auditor) != audit.team_id
        assert audit.auditor.worker_id != audit.worker_id


def test_the_work_is_shared_evenly(sample, four_teams):
    allocate_sample(sample, by=None)
    counts = Counter(Audit.objects.values_list("auditor__username", flat=True))
    assert sorted(counts.values()) == [2, 2, 2, 2]


def test_those_with_most_open_audits_get_fewer(sample, four_teams, people):
    auditors, _ = four_teams
    busy = people.south_manager
    child = sample.cases.exclude(team=people.south_team).first().child
    for _ in range(3):
        Audit.objects.create(
            council=child.council,
            child=child,
            team=child.allocated_team,
            tool_version=practice_tool(),
            auditor=busy,
            due_date=datetime.date(2024, 3, 1),
        )
    allocate_sample(sample, by=None)
    open_counts = Counter(
        Audit.objects.filter(status="allocated").values_list("auditor__username", flat=True)
    )
    # Eleven open audits among four people: 3, 3, 3 and 2, with the busy one given none new.
    assert sorted(open_counts.values()) == [2, 3, 3, 3]
    assert open_counts[busy.username] == 3


def test_never_the_childs_worker_and_the_case_is_named_when_no_one_may(council, people, tmp_path):
    north, south = people.north_team, people.south_team
    # S1's worker is the north team's manager, who is also the only other auditor.
    cases = [Case("N1", north, council.practitioners[north.pk][0]), Case("S1", south)]
    cases[1].worker = people.north_manager.worker
    import_cases(council.council, tmp_path, cases)
    month = make_month(council.council)
    sample = confirm_sample(draw_sample(month, per_team=1, seed=1, by=None), by=None)
    with pytest.raises(ValidationError, match="No team manager may audit child S1 of South"):
        allocate_sample(sample, by=None)
    assert not Audit.objects.exists()


def test_only_active_current_team_managers_with_the_auditor_role_are_given_audits(
    sample, four_teams, council, people
):
    auditors, _ = four_teams
    retired = auditors[people.south_team.pk]
    retired.is_active = False
    retired.save()
    moved = auditors[people.north_team.pk]
    organisation.move_worker(
        moved.worker,
        team=people.north_team,
        job_role=JobRole.SOCIAL_WORKER,
        on=timezone.localdate(),
    )
    service_manager = council.hire(people.south_team, JobRole.SERVICE_MANAGER)
    make_user(council.council, "service.manager", Role.SENIOR_MANAGER, Scope.COUNCIL,
              worker=service_manager)  # fmt: skip
    allocate_sample(sample, by=None)
    given = set(Audit.objects.values_list("auditor__username", flat=True))
    assert given == {"third.manager", "fourth.manager"}


def test_only_a_confirmed_sample_not_yet_allocated_in_a_live_month_is_allocated(sample, council):
    allocate_sample(sample, by=None)
    with pytest.raises(ValidationError, match="already been allocated"):
        allocate_sample(sample, by=None)
    april = make_month(council.council, month=datetime.date(2024, 4, 1))
    draft = draw_sample(april, per_team=1, seed=1, by=None)
    with pytest.raises(ValidationError, match="Confirm the sample before allocating"):
        allocate_sample(draft, by=None)
    confirm_sample(draft, by=None)
    programme.pause_month(april, by=None)
    with pytest.raises(ValidationError, match="paused"):
        allocate_sample(draft, by=None)
    assert Audit.objects.count() == 8


def test_auditors_are_emailed_once_the_allocation_is_committed(
    sample, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        allocate_sample(sample, by=None)
    assert waiting and not mail.outbox  # nothing is sent before the commit
    with django_capture_on_commit_callbacks(execute=True):
        Audit.objects.all().delete()
        allocate_sample(sample, by=None)
    # south.manager has no email address, so three of the four are told.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "f@example.org",
        "north.manager@example.org",
        "t@example.org",
    ]
    message = mail.outbox[0]
    assert message.subject == "You have been allocated 2 case audits"
    assert "March 2024" in message.body and "due by 28 March 2024" in message.body
    assert not any(c.child.la_child_id in message.body for c in sample.cases.all())


@pytest.fixture
def audit(sample, people):
    allocate_sample(sample, by=None)
    return Audit.objects.filter(team=people.north_team).select_related("auditor").first()


def test_reallocating_needs_a_reason_and_keeps_it(audit, four_teams, people):
    auditors, _ = four_teams
    others = [u for u in auditors.values() if u.pk != audit.auditor_id]
    to_user = next(u for u in others if u.scope_team_id != audit.team_id)
    with pytest.raises(ValidationError) as refused:
        reallocate(audit, to_user=to_user, reason="  ", by=people.qa_lead)
    assert refused.value.message_dict == {"reason": ["Enter the reason for reallocating the audit"]}
    reallocate(audit, to_user=to_user, reason="Long-term sick", by=people.qa_lead)
    audit.refresh_from_db()
    assert (audit.auditor, audit.lock_version) == (to_user, 1)
    change = history_of(audit).first()
    assert (change.reason, change.username, change.after["auditor"]) == (
        "Long-term sick",
        "qa.lead",
        to_user.pk,
    )


def test_reallocating_follows_the_same_rules(audit, people):
    own_manager = people.north_manager
    with pytest.raises(ValidationError, match="manages the child's team"):
        reallocate(audit, to_user=own_manager, reason="Cover", by=None)
    with pytest.raises(ValidationError, match="already allocated to"):
        reallocate(audit, to_user=audit.auditor, reason="Cover", by=None)
    with pytest.raises(ValidationError, match="not an active team manager"):
        reallocate(audit, to_user=people.director, reason="Cover", by=None)
    assert own_manager not in auditors_for(audit)
    assert audit.auditor not in auditors_for(audit)
    Audit.objects.filter(pk=audit.pk).update(status="submitted")
    with pytest.raises(ValidationError, match="is submitted, so it cannot be reallocated"):
        reallocate(audit, to_user=people.south_manager, reason="Cover", by=None)


def test_the_new_auditor_is_told(audit, four_teams, people, django_capture_on_commit_callbacks):
    auditors, _ = four_teams
    to_user = next(
        u for u in auditors.values() if u.email and u.pk != audit.auditor_id and
        u.scope_team_id != audit.team_id
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        reallocate(audit, to_user=to_user, reason="Cover", by=None)
    assert [m.to for m in mail.outbox] == [[to_user.email]]
    assert mail.outbox[0].subject == "You have been allocated a case audit"
