"""The task list's statuses: each part of an audit, and whether it can be submitted yet."""

import pytest

from caseaudit.audits import audit_parts
from caseaudit.audits.actions import workflow
from caseaudit.audits.tests.test_workflow import (
    full_answers,
    import_children,
    make_audit,
    questions,
    tool,
)
from caseaudit.tools.choices import QuestionKind, ToolKind
from caseaudit.tools.querysets import load_domains

pytestmark = pytest.mark.django_db


@pytest.fixture
def children(people, council, tmp_path):
    return import_children(people, council, tmp_path)


def parts_of(audit):
    audit.refresh_from_db()
    return audit_parts.parts(audit, load_domains(audit.tool_version), audit.answers.all())


def test_a_part_is_done_when_nothing_it_must_have_is_missing(children, people):
    audit = make_audit(children["N1"], people.south_manager)
    parts = parts_of(audit)
    assert [p.status for p in parts] == [audit_parts.NOT_STARTED] * 11
    assert parts[-1].title == "Overall judgement" and parts[-1].is_overall
    assert audit_parts.check_status(parts) == audit_parts.CANNOT_START_YET

    first = [q for q in questions(audit) if q.domain.title == parts[0].title]
    text = next(q for q in first if q.kind == QuestionKind.TEXT)
    # A written answer alone: started, but the domain's grade is still missing.
    workflow.save_answers(
        audit, answers={text.pk: "Seen."}, lock_version=0, by=people.south_manager
    )
    parts = parts_of(audit)
    assert parts[0].status == audit_parts.IN_PROGRESS
    assert list(parts[0].missing.values())[0] == (
        "Select a grade for Voice and lived experience of the child"
    )

    # Everything answered: every part completed, and the audit may be submitted, as the
    # action that submits agrees.
    workflow.save_answers(
        audit,
        answers=full_answers(audit),
        overall_grade="good",
        overall_rationale="Purposeful work.",
        lock_version=1,
        by=people.south_manager,
    )
    parts = parts_of(audit)
    assert all(p.completed for p in parts) and not audit_parts.unfinished(parts)
    assert audit_parts.check_status(parts) == audit_parts.NOT_STARTED
    assert workflow.problems_before_submitting(audit) == {}
    assert audit_parts.last_saved_at(audit) is not None


def test_a_light_touch_audit_has_no_judgement_part(children, people):
    audit = make_audit(children["N1"], people.south_manager, version=tool(ToolKind.LIGHT_TOUCH))
    parts = parts_of(audit)
    assert not any(p.is_overall for p in parts)
    assert len(parts) == len(load_domains(audit.tool_version))
    assert audit_parts.last_saved_at(audit) is None
