"""A generated council's case data, a cohort of its children looked after, a published tool
and a thematic audit led by the inspection lead, for the thematic tests."""

import datetime
from types import SimpleNamespace

import pytest

from caseaudit.accounts.choices import Role, Scope
from caseaudit.cases.actions import save_cohort
from caseaudit.cases.cohorts import Condition
from caseaudit.cases.generator import DEFAULT_AS_AT, generate_council
from caseaudit.cases.importer import import_annex_a
from caseaudit.conftest import make_user
from caseaudit.core import clock
from caseaudit.organisation.models import Team
from caseaudit.thematic import actions
from caseaudit.thematic.choices import FindingKind, SampleMethod
from caseaudit.tools.models import AuditTool

SCALE = 0.1
LOOKED_AFTER = [Condition("cla.ceased_looked_after_date", "blank")]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generate_council(tmp_path_factory.mktemp("thematic"), scale=SCALE, fmt="csv")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """Another return a month later, from another seed: different children throughout."""
    return generate_council(
        tmp_path_factory.mktemp("thematic2"),
        seed=2,
        scale=SCALE,
        fmt="csv",
        as_at=DEFAULT_AS_AT + datetime.timedelta(days=31),
    )


@pytest.fixture
def thematic(council, people, generated):
    c = council.council
    assert not import_annex_a(generated.path, council=c, as_at=DEFAULT_AS_AT).refused
    # The importer adds the return's teams with no area; a council would place them.
    teams = list(Team.objects.filter(area__isnull=True).order_by("pk"))
    for index, team in enumerate(teams):
        team.area = (council.north, council.south)[index % 2]
    Team.objects.bulk_update(teams, ["area"])
    inspection_lead = make_user(c, "inspection.lead", Role.INSPECTION_LEAD, Scope.COUNCIL)
    cohort = save_cohort(c, name="Looked after", conditions=LOOKED_AFTER, by=people.qa_lead)
    tool = AuditTool.objects.for_council(c.pk).order_by("pk").first().published()
    audit = actions.create_thematic_audit(
        c,
        title="Placement stability",
        lead=inspection_lead,
        purpose="How stable are children's placements?",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 3, 31),
        cohort=cohort,
        tool_version=tool,
        audits_due=DEFAULT_AS_AT + datetime.timedelta(days=28),
        by=people.qa_lead,
    )
    return SimpleNamespace(audit=audit, cohort=cohort, lead=inspection_lead, tool=tool)


@pytest.fixture
def running(thematic, people):
    """A thematic audit with a confirmed sample allocated, a finding and two actions: one
    owned by the north team manager (overdue), one by the lead."""
    audit, lead = thematic.audit, thematic.lead
    sample = actions.draw_sample(audit, method=SampleMethod.RANDOM_N, size=6, seed=11, by=lead)
    actions.confirm_sample(sample, by=lead)
    audits = actions.allocate_audits(audit, by=lead)
    # Done with the bespoke tool, and kept out of the monthly programme's figures.
    assert {(a.kind, a.tool_version_id, a.month_id) for a in audits} == {
        ("thematic", thematic.tool.pk, None)
    }
    finding = actions.add_finding(
        audit,
        kind=FindingKind.IMPROVEMENT,
        summary="Plans are not updated after moves",
        severity="high",
        evidence=audits[:2],
        by=lead,
    )
    theirs = actions.add_action(
        audit,
        action="Review every plan after a move",
        intended_outcome="Plans stay current",
        owner=people.north_manager,
        due_date=clock.today() - datetime.timedelta(days=3),
        finding=finding,
        by=lead,
    )
    own = actions.add_action(
        audit,
        action="Re-audit in six months",
        intended_outcome="Improvement is seen",
        owner=lead,
        due_date=clock.today() + datetime.timedelta(days=30),
        by=lead,
    )
    return audit, audits, finding, theirs, own
