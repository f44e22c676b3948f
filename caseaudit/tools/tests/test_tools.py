import pytest
from django.core.exceptions import ValidationError

from caseaudit.core.grades import ORDER
from caseaudit.tools import actions
from caseaudit.tools.choices import QuestionKind, ToolKind, VersionStatus
from caseaudit.tools.models import AuditTool, GradeDescriptor

pytestmark = pytest.mark.django_db


def test_the_default_tools_ship_as_reference_data():
    practice = AuditTool.objects.get(council__isnull=True, kind=ToolKind.PRACTICE)
    version = practice.published()
    titles = list(version.domains.values_list("title", flat=True))
    assert titles[0] == "Voice and lived experience of the child"
    assert "Supervision and management oversight" in titles
    assert len(titles) == 10
    # Every domain describes all four grades, and is graded.
    for domain in version.domains.all():
        assert {d.grade for d in domain.descriptors.all()} == set(ORDER)
        assert domain.questions.filter(kind=QuestionKind.GRADE).count() == 1
    light = AuditTool.objects.get(council__isnull=True, kind=ToolKind.LIGHT_TOUCH)
    assert not light.has_overall_grade
    assert light.published().domains.filter(questions__kind=QuestionKind.RAG).exists()


def test_a_published_version_is_frozen(people):
    version = AuditTool.objects.get(kind=ToolKind.PRACTICE).published()
    domain = version.domains.first()
    with pytest.raises(ValidationError, match="cannot change"):
        actions.add_question(domain, text="New?", kind=QuestionKind.TEXT, by=people.qa_lead)
    with pytest.raises(ValidationError, match="cannot change"):
        actions.set_descriptor(domain, grade="good", text="x", by=people.qa_lead)


def test_changing_a_tool_makes_a_new_version_and_keeps_the_old_one(people):
    tool = AuditTool.objects.get(kind=ToolKind.PRACTICE)
    v1 = tool.published()
    draft = actions.start_draft(tool, by=people.qa_lead)
    assert draft.number == 2 and draft.status == VersionStatus.DRAFT
    assert draft.domains.count() == v1.domains.count()
    assert actions.start_draft(tool, by=people.qa_lead) == draft  # one draft at a time
    domain = actions.add_domain(draft, title="Education", by=people.qa_lead)
    actions.add_question(
        domain, text="Is there a PEP?", kind=QuestionKind.YES_NO_PARTLY, by=people.qa_lead
    )
    with pytest.raises(ValidationError) as refused:
        actions.publish(draft, by=people.qa_lead)
    every_grade = "Outstanding, Good, Requires Improvement, Inadequate"
    assert f"Describe what {every_grade} looks like in 'Education'" in str(refused.value)
    for grade in ORDER:
        actions.set_descriptor(
            domain, grade=grade, text=f"{grade.label} education", by=people.qa_lead
        )
    actions.publish(draft, by=people.qa_lead)
    v1.refresh_from_db()
    assert (v1.status, tool.published()) == (VersionStatus.RETIRED, draft)
    # The old version is untouched for the audits done on it.
    assert not v1.domains.filter(title="Education").exists()
    assert GradeDescriptor.objects.filter(domain__version=v1).count() == 40


def test_a_council_builds_its_own_tool(people):
    draft = actions.create_tool(
        people.qa_lead.council, name="Missing children", kind=ToolKind.THEMATIC, by=people.qa_lead
    )
    assert (
        AuditTool.objects.for_council(people.qa_lead.council_id).filter(pk=draft.tool_id).exists()
    )
    assert (
        not AuditTool.objects.for_council(people.outsider.council_id)
        .filter(pk=draft.tool_id)
        .exists()
    )
    with pytest.raises(ValidationError, match="Add at least one domain"):
        actions.publish(draft, by=people.qa_lead)


def test_a_question_can_be_removed_from_a_draft_only(people):
    tool = AuditTool.objects.get(kind=ToolKind.PRACTICE)
    published_question = tool.published().domains.first().questions.last()
    with pytest.raises(ValidationError, match="cannot change"):
        actions.remove_question(published_question, by=people.qa_lead)
    draft = actions.start_draft(tool, by=people.qa_lead)
    question = draft.domains.first().questions.last()
    actions.remove_question(question, by=people.qa_lead)
    assert not draft.domains.first().questions.filter(pk=question.pk).exists()
    assert published_question.__class__.objects.filter(pk=published_question.pk).exists()
