"""A case judged Inadequate is re-audited by someone else; the re-audit shows the movement."""

import datetime

import pytest
from django.urls import reverse

from caseaudit.accounts.choices import Role, Scope
from caseaudit.audits.actions import reaudits, workflow
from caseaudit.audits.choices import AuditKind, AuditStatus
from caseaudit.audits.models import Audit
from caseaudit.audits.tests.test_workflow import fill_in, import_children, make_audit
from caseaudit.conftest import make_user
from caseaudit.core import clock
from caseaudit.core.history import history_of
from caseaudit.organisation.choices import JobRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def children(people, council, tmp_path):
    return import_children(people, council, tmp_path)


@pytest.fixture
def more_managers(people, council):
    """Two more team managers in the south, able to audit northern children."""
    south = people.south_team

    def manager(name):
        worker = council.hire(south, JobRole.TEAM_MANAGER)
        return make_user(
            council.council, name, Role.AUDITOR, Scope.TEAM, worker=worker, scope_team=south
        )

    return manager("west.manager"), manager("east.manager")


def judged_inadequate(audit, auditor):
    fill_in(audit, by=auditor, grade="inadequate", overall="inadequate")
    return workflow.submit_audit(audit, by=auditor)


def test_inadequate_creates_a_reaudit_for_the_least_loaded_other_manager(
    children, people, more_managers
):
    west, east = more_managers
    make_audit(children["S1"], west)  # west already has an open audit; east has none
    audit = make_audit(children["N1"], people.south_manager)
    # The last day of a long month: three months on is the last day of April, not the 31st.
    with clock.set_to(datetime.date(2027, 1, 31)):
        submission = judged_inadequate(audit, people.south_manager)
    reaudit = submission.reaudit
    assert reaudit is not None and submission.reaudit_problem == ""
    assert (reaudit.kind, reaudit.reaudit_of, reaudit.child) == (
        AuditKind.REAUDIT,
        audit,
        children["N1"],
    )
    # Never the first auditor, nor the child's own team manager (north.manager).
    assert reaudit.auditor == east
    assert reaudit.status == AuditStatus.ALLOCATED
    assert reaudit.due_date == datetime.date(2027, 4, 30)
    assert "Re-audit of audit" in history_of(reaudit).first().reason
    assert f"Re-audit {reaudit.pk} due" in history_of(audit).first().reason


def test_the_interval_is_a_setting(children, people, more_managers, settings):
    settings.REAUDIT_INTERVAL_MONTHS = 6
    audit = make_audit(children["N2"], people.south_manager)
    with clock.set_to(datetime.date(2027, 1, 31)):
        submission = judged_inadequate(audit, people.south_manager)
    assert submission.reaudit.due_date == datetime.date(2027, 7, 31)


def test_when_nobody_else_can_reaudit_none_is_created_and_the_reason_is_kept(children, people):
    # The only other auditor manages the child's own team.
    audit = make_audit(children["N1"], people.south_manager)
    submission = judged_inadequate(audit, people.south_manager)
    assert submission.reaudit is None
    assert submission.reaudit_problem == (
        "No re-audit was created for child N1: there is no other team manager to allocate it "
        "to. Allocate the re-audit by hand."
    )
    assert not Audit.objects.filter(kind=AuditKind.REAUDIT).exists()
    assert submission.reaudit_problem in history_of(audit).first().reason


def test_a_good_judgement_needs_no_reaudit(children, people, more_managers):
    audit = make_audit(children["N1"], people.south_manager)
    fill_in(audit, by=people.south_manager)
    assert workflow.submit_audit(audit, by=people.south_manager).reaudit is None


def test_a_reaudit_records_the_movement_since_the_first_audit(children, people, more_managers):
    first = make_audit(children["N1"], people.south_manager)
    reaudit = judged_inadequate(first, people.south_manager).reaudit
    auditor = reaudit.auditor
    fill_in(reaudit, by=auditor, grade="good", overall="good")
    submission = workflow.submit_audit(reaudit, by=auditor)
    assert submission.movement == 2
    entry = history_of(reaudit).first()
    assert entry.after["movement"] == 2
    assert f"Since audit {first.pk} (Inadequate): improved by 2 grades." in entry.reason
    rows = reaudits.compare_with_previous(Audit.objects.get(pk=reaudit.pk))
    voice = rows[0]
    assert (voice.label, voice.before_label, voice.after_label, voice.movement_label) == (
        "Voice and lived experience of the child",
        "Inadequate",
        "Good",
        "Improved by 2 grades",
    )
    assert (rows[-1].label, rows[-1].movement) == ("Overall judgement", 2)


def test_the_reaudit_page_shows_the_previous_grades_beside_the_new(
    children, people, more_managers, client_for
):
    first = make_audit(children["N1"], people.south_manager)
    reaudit = judged_inadequate(first, people.south_manager).reaudit
    page = client_for(reaudit.auditor).get(reverse("audits:audit", args=[reaudit.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Grades at the previous audit and in this re-audit" in html
    assert "Not graded yet" in html
    # Each domain's page says what that domain had at the previous audit.
    domain = client_for(reaudit.auditor).get(reverse("audits:part", args=[reaudit.pk, 1]))
    assert "At the previous audit: Inadequate" in domain.content.decode()
    # The first auditor no longer sees a re-audit that is not theirs.
    other = client_for(people.south_manager).get(reverse("audits:audit", args=[reaudit.pk]))
    assert other.status_code == 404


def test_the_reauditor_is_told_by_email(
    children, people, more_managers, mailoutbox, django_capture_on_commit_callbacks
):
    for manager in more_managers:
        manager.email = f"{manager.username}@example.org"
        manager.save()
    audit = make_audit(children["N1"], people.south_manager)
    with django_capture_on_commit_callbacks(execute=True):
        reaudit = judged_inadequate(audit, people.south_manager).reaudit
    (told,) = mailoutbox
    assert told.to == [f"{reaudit.auditor.username}@example.org"]
    assert told.subject == "You have been allocated a re-audit"
    assert "N1" not in told.body


def test_qa_is_told_when_no_reauditor_could_be_found(
    children, people, mailoutbox, django_capture_on_commit_callbacks
):
    people.qa_lead.email = "qa@example.org"
    people.qa_lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        judged_inadequate(make_audit(children["N1"], people.south_manager), people.south_manager)
    (told,) = mailoutbox
    assert (told.to, told.subject) == (["qa@example.org"], "A re-audit needs allocating")
