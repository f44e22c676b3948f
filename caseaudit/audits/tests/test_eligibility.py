"""Who may audit a case: one rule, checked through every way an auditor is chosen.

A child of the north team (its worker is our social worker) and a candidate: the manager of
a third team, and the only auditor who could take the case (the north manager manages the
child's team and did the first audit; the south manager has left). Each way of being close
to the case must keep the candidate off it, whether the case is allocated from a sample,
reallocated by hand or re-audited; an unrelated manager must be chosen.
"""

import pytest
from django.core.exceptions import ValidationError

from caseaudit.audits.actions import allocation, workflow
from caseaudit.audits.actions.sampling import confirm_sample, draw_sample
from caseaudit.audits.models import Audit
from caseaudit.audits.tests.test_programme_helpers import (
    Case,
    add_team,
    auditor_for,
    import_cases,
    make_month,
)
from caseaudit.audits.tests.test_workflow import fill_in, make_audit
from caseaudit.cases.models import Child
from caseaudit.organisation.models import Assignment

pytestmark = pytest.mark.django_db


def unrelated(world):
    pass


def the_childs_worker_now(world):
    Child.objects.filter(pk=world.child.pk).update(allocated_worker=world.candidate.worker)


def manages_the_childs_team_by_assignment(world):
    Assignment.objects.current().filter(worker=world.candidate.worker).update(
        team=world.people.north_team
    )


def manages_the_childs_team_by_scope(world):
    world.candidate.scope_team = world.people.north_team
    world.candidate.save(update_fields=["scope_team"])


def line_manages_the_childs_worker(world):
    Assignment.objects.current().filter(worker=world.people.social_worker.worker).update(
        manager=world.candidate.worker
    )


def manages_the_team_the_child_has_moved_to(world):
    Child.objects.filter(pk=world.child.pk).update(allocated_team=world.third)


TIES = [
    unrelated,
    the_childs_worker_now,
    manages_the_childs_team_by_assignment,
    manages_the_childs_team_by_scope,
    line_manages_the_childs_worker,
    manages_the_team_the_child_has_moved_to,
]


class World:
    def __init__(self, council, people, tmp_path):
        self.people = people
        self.third, manager, _ = add_team(council, "North Safeguarding 2")
        self.candidate = auditor_for(council, manager, self.third, "candidate")
        people.south_manager.is_active = False
        people.south_manager.save(update_fields=["is_active"])
        children = import_cases(
            council.council,
            tmp_path,
            [Case("C1", people.north_team, people.social_worker.worker)],
        )
        self.child = children["C1"]


@pytest.fixture
def world(council, people, tmp_path):
    return World(council, people, tmp_path)


def allocated_from_a_sample(world, tie) -> bool:
    month = make_month(world.people.qa_lead.council)
    sample = confirm_sample(draw_sample(month, per_team=1, seed=1, by=None), by=None)
    tie(world)
    try:
        (audit,) = allocation.allocate_sample(sample, by=world.people.qa_lead)
    except ValidationError as error:
        assert "No team manager may audit child C1" in str(error)
        return False
    assert audit.auditor == world.candidate
    return True


def reallocated(world, tie) -> bool:
    audit = make_audit(world.child, world.people.north_manager)
    tie(world)
    offered = world.candidate in allocation.auditors_for(audit)
    try:
        allocation.reallocate(audit, to_user=world.candidate, reason="Leave", by=None)
    except ValidationError as error:
        assert "may not audit this case" in str(error)
        assert not offered
        return False
    assert Audit.objects.get(pk=audit.pk).auditor == world.candidate
    assert offered
    return True


def reaudited(world, tie) -> bool:
    audit = make_audit(world.child, world.people.north_manager)
    tie(world)
    manager = world.people.north_manager
    fill_in(audit, by=manager, grade="inadequate", overall="inadequate")
    submission = workflow.submit_audit(audit, by=manager)
    if submission.reaudit is None:
        assert "no other team manager" in submission.reaudit_problem
        return False
    assert submission.reaudit.auditor == world.candidate
    return True


@pytest.mark.parametrize("tie", TIES, ids=lambda tie: tie.__name__)
@pytest.mark.parametrize("way", [allocated_from_a_sample, reallocated, reaudited])
def test_one_rule_for_who_may_audit_a_case(world, way, tie):
    assert way(world, tie) is (tie is unrelated)


def test_the_first_auditor_never_reaudits(world, people):
    # The candidate did the first audit: nobody else is left, so no re-audit is made.
    audit = make_audit(world.child, world.candidate)
    fill_in(audit, by=world.candidate, grade="inadequate", overall="inadequate")
    submission = workflow.submit_audit(audit, by=world.candidate)
    assert submission.reaudit is None


def test_the_least_loaded_goes_first_then_by_username(world, council, people):
    _, manager, _ = add_team(council, "South Safeguarding 2")
    # "another" sorts before "candidate" but has an open audit more.
    another = auditor_for(council, manager, world.third, "another")
    Assignment.objects.current().filter(worker=another.worker).update(team=world.third)
    audit = make_audit(world.child, people.north_manager)
    assert list(allocation.auditors_for(audit)) == [another, world.candidate]
    make_audit(world.child, another)
    assert list(allocation.auditors_for(audit)) == [world.candidate, another]
