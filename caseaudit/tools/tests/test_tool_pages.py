"""The pages for building audit tools: only the QA lead may use them, only on their own
council's tools; a tool is built, described and published from the pages; a published version
(and a tool that ships with caseaudit) refuses every change; bad input writes nothing; and the
tool page costs the same however many questions the tool has.

The actions these pages added to ``tools.actions`` are tested at the end."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from caseaudit.core.grades import ORDER
from caseaudit.core.history import record_types
from caseaudit.core.models import ChangeRecord
from caseaudit.testing.queries import page_queries
from caseaudit.tools import actions
from caseaudit.tools.choices import QuestionKind, ToolKind, VersionStatus
from caseaudit.tools.models import AuditTool, Domain, GradeDescriptor, Question, ToolVersion

pytestmark = pytest.mark.django_db

EVERY_GRADE = {grade.value: f"{grade.label} practice." for grade in ORDER}


def _text(response) -> str:
    return response.content.decode()


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def draft(people):
    """A draft of the council's own tool: one domain (graded) with one more question."""
    version = actions.create_tool(
        people.qa_lead.council, name="Missing children", kind=ToolKind.THEMATIC, by=people.qa_lead
    )
    domain = actions.add_domain(version, title="Return home interviews", by=people.qa_lead)
    actions.add_question(
        domain, text="Was an RHI offered?", kind=QuestionKind.YES_NO_PARTLY, by=people.qa_lead
    )
    return version


@pytest.fixture
def published(draft, people):
    domain = draft.domains.get()
    actions.set_descriptors(domain, texts=EVERY_GRADE, by=people.qa_lead)
    return actions.publish(draft, by=people.qa_lead)


def _pages(version: ToolVersion) -> list[str]:
    domain = version.domains.first()
    question = domain.questions.first()
    return [
        reverse("tools:tools"),
        reverse("tools:tool_create"),
        reverse("tools:tool", args=[version.tool_id]),
        reverse("tools:tool_start_draft", args=[version.tool_id]),
        reverse("tools:tool_version", args=[version.pk]),
        reverse("tools:tool_preview", args=[version.pk]),
        reverse("tools:tool_details", args=[version.pk]),
        reverse("tools:tool_order", args=[version.pk]),
        reverse("tools:tool_domain_add", args=[version.pk]),
        reverse("tools:tool_publish", args=[version.pk]),
        reverse("tools:tool_domain", args=[domain.pk]),
        reverse("tools:tool_domain_remove", args=[domain.pk]),
        reverse("tools:tool_descriptors", args=[domain.pk]),
        reverse("tools:tool_question_add", args=[domain.pk]),
        reverse("tools:tool_question", args=[question.pk]),
        reverse("tools:tool_question_remove", args=[question.pk]),
    ]


def _posts(version: ToolVersion) -> list[str]:
    domain = version.domains.first()
    question = domain.questions.first()
    return [
        reverse("tools:tool_create"),
        reverse("tools:tool_copy", args=[version.tool_id]),
        reverse("tools:tool_start_draft", args=[version.tool_id]),
        reverse("tools:tool_details", args=[version.pk]),
        reverse("tools:tool_domain_add", args=[version.pk]),
        reverse("tools:tool_publish", args=[version.pk]),
        reverse("tools:tool_domain", args=[domain.pk]),
        reverse("tools:tool_domain_remove", args=[domain.pk]),
        reverse("tools:tool_domain_move", args=[domain.pk, "down"]),
        reverse("tools:tool_descriptors", args=[domain.pk]),
        reverse("tools:tool_question_add", args=[domain.pk]),
        reverse("tools:tool_question", args=[question.pk]),
        reverse("tools:tool_question_remove", args=[question.pk]),
        reverse("tools:tool_question_move", args=[question.pk, "up"]),
    ]


# Who may use the pages ------------------------------------------------------------------------


def test_the_qa_lead_may_open_every_page_of_a_draft(client_for, people, draft):
    client = client_for(people.qa_lead)
    for url in _pages(draft):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "persona",
    ["north_manager", "social_worker", "area_lead", "director", "councillor", "administrator"],
)
def test_no_one_else_may_see_or_use_them(client_for, people, draft, persona):
    client = client_for(getattr(people, persona))
    before = ChangeRecord.objects.count()
    for url in _pages(draft):
        assert client.get(url).status_code == 403, url
    for url in _posts(draft):
        assert client.post(url, {"name": "X", "title": "X"}).status_code == 403, url
    assert ChangeRecord.objects.count() == before


def test_signed_out_people_are_sent_to_sign_in(client, draft):
    response = client.get(reverse("tools:tool", args=[draft.tool_id]))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_another_councils_tools_are_not_found(client_for, people, draft):
    client = client_for(people.outsider)
    before = ChangeRecord.objects.count()
    for url in _pages(draft)[2:]:
        assert client.get(url).status_code == 404, url
    for url in _posts(draft)[1:]:
        assert client.post(url, {"name": "X", "title": "X"}).status_code == 404, url
    assert ChangeRecord.objects.count() == before
    listing = _text(client.get(reverse("tools:tools")))
    assert "Missing children" not in listing
    assert "Practice audit" in listing  # the tools that ship with caseaudit are everyone's


# Building a tool from the pages ---------------------------------------------------------------


def test_the_qa_lead_builds_and_publishes_a_tool(client_for, people):
    client = client_for(people.qa_lead)
    response = client.post(
        reverse("tools:tool_create"),
        {"name": "Children missing from home", "kind": ToolKind.THEMATIC, "description": ""},
    )
    tool = AuditTool.objects.get(name="Children missing from home")
    version = tool.versions.get()
    assert (tool.council, version.status) == (people.qa_lead.council, VersionStatus.DRAFT)
    assert response["Location"] == reverse("tools:tool_version", args=[version.pk])

    response = client.post(
        reverse("tools:tool_domain_add", args=[version.pk]),
        {"title": "Return home interviews", "guidance": "Look at the RHI records."},
    )
    domain = version.domains.get()
    assert response["Location"].endswith(f"#domain-{domain.pk}")
    client.post(
        reverse("tools:tool_question_add", args=[domain.pk]),
        {
            "text": "Was an RHI offered within 72 hours?",
            "kind": QuestionKind.YES_NO_PARTLY,
            "required": "yes",
            "guidance": "Within 72 hours of the child's return.",
        },
    )
    client.post(
        reverse("tools:tool_question_add", args=[domain.pk]),
        {"text": "What did the child say?", "kind": QuestionKind.TEXT, "required": "no"},
    )
    questions = list(domain.questions.order_by("position"))
    assert [(q.kind, q.required) for q in questions] == [
        (QuestionKind.GRADE, True),  # every domain of a graded tool starts with its grade
        (QuestionKind.YES_NO_PARTLY, True),
        (QuestionKind.TEXT, False),
    ]
    assert questions[1].guidance == "Within 72 hours of the child's return."

    # Not yet: the domain is graded, so it needs all four descriptors.
    response = client.post(reverse("tools:tool_publish", args=[version.pk]))
    page = _text(response)
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Describe what Outstanding, Good, Requires Improvement, Inadequate looks like" in page
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT

    client.post(reverse("tools:tool_descriptors", args=[domain.pk]), EVERY_GRADE)
    assert {d.grade: d.text for d in domain.descriptors.all()} == EVERY_GRADE

    editor = _text(client.get(reverse("tools:tool_version", args=[version.pk])))
    assert "Was an RHI offered within 72 hours?" in editor
    assert "Requires Improvement practice." in editor
    preview = _text(client.get(reverse("tools:tool_preview", args=[version.pk])))
    assert "Was an RHI offered within 72 hours?" in preview
    assert "Outstanding practice." in preview  # descriptors are hints on the grade radios
    assert "Overall judgement" in preview

    assert "Publish version 1" in _text(
        client.get(reverse("tools:tool_publish", args=[version.pk]))
    )
    response = client.post(reverse("tools:tool_publish", args=[version.pk]))
    assert response["Location"] == reverse("tools:tool", args=[tool.pk])
    version.refresh_from_db()
    assert (version.status, version.published_by) == (VersionStatus.PUBLISHED, people.qa_lead)
    page = _text(client.get(reverse("tools:tool", args=[tool.pk])))
    assert "Version 1, as auditors use it now" in page and "Start a new draft" in page
    # Every change kept its history, made by the QA lead.
    changes = ChangeRecord.objects.filter(user=people.qa_lead)
    assert {c.record_type for c in changes} >= {
        "tools.audittool",
        "tools.toolversion",
        "tools.domain",
        "tools.question",
        "tools.gradedescriptor",
    }


def test_changing_and_removing_in_a_draft(client_for, people, draft):
    client = client_for(people.qa_lead)
    domain = draft.domains.get()
    question = domain.questions.get(kind=QuestionKind.YES_NO_PARTLY)
    client.post(
        reverse("tools:tool_details", args=[draft.pk]),
        {"name": "Missing from home", "description": "RHIs.", "notes": "First version."},
    )
    client.post(
        reverse("tools:tool_domain", args=[domain.pk]),
        {"title": "Return home interviews (RHI)", "guidance": "RHI records"},
    )
    client.post(
        reverse("tools:tool_question", args=[question.pk]),
        {"text": "Was an RHI done?", "kind": QuestionKind.RAG, "required": "no", "guidance": ""},
    )
    draft.refresh_from_db()
    domain.refresh_from_db()
    question.refresh_from_db()
    assert (draft.tool.name, draft.tool.description, draft.notes) == (
        "Missing from home",
        "RHIs.",
        "First version.",
    )
    assert (domain.title, domain.guidance) == ("Return home interviews (RHI)", "RHI records")
    assert (question.text, question.kind, question.required) == (
        "Was an RHI done?",
        QuestionKind.RAG,
        False,
    )
    # Removing asks first, then removes.
    url = reverse("tools:tool_question_remove", args=[question.pk])
    assert "Are you sure you want to remove" in _text(client.get(url))
    client.post(url)
    assert not Question.objects.filter(pk=question.pk).exists()
    client.post(reverse("tools:tool_domain_remove", args=[domain.pk]))
    assert not draft.domains.exists()
    assert ChangeRecord.objects.filter(
        record_type__in=record_types(Domain), record_id=str(domain.pk), action="deleted"
    ).exists()


def test_domains_and_questions_can_be_reordered(client_for, people, draft):
    client = client_for(people.qa_lead)
    first = draft.domains.get()
    second = actions.add_domain(draft, title="Education", by=people.qa_lead)
    response = client.post(reverse("tools:tool_domain_move", args=[second.pk, "up"]))
    assert response["Location"].startswith(reverse("tools:tool_order", args=[draft.pk]))
    assert list(draft.domains.order_by("position")) == [second, first]
    # Moving the first one up changes nothing.
    client.post(reverse("tools:tool_domain_move", args=[second.pk, "up"]))
    assert list(draft.domains.order_by("position")) == [second, first]
    grade, rhi = first.questions.order_by("position")
    client.post(reverse("tools:tool_question_move", args=[grade.pk, "down"]))
    assert list(first.questions.order_by("position")) == [rhi, grade]
    assert (
        client.post(reverse("tools:tool_domain_move", args=[first.pk, "sideways"])).status_code
        == 404
    )
    order = _text(client.get(reverse("tools:tool_order", args=[draft.pk])))
    assert order.index("Education") < order.index("Return home interviews")


def test_a_new_draft_copies_the_published_version(client_for, people, published):
    client = client_for(people.qa_lead)
    url = reverse("tools:tool_start_draft", args=[published.tool_id])
    assert "starts as a copy of version 1" in _text(client.get(url))
    response = client.post(url)
    draft = published.tool.versions.get(status=VersionStatus.DRAFT)
    assert draft.number == 2
    assert response["Location"] == reverse("tools:tool_version", args=[draft.pk])
    assert list(draft.domains.values_list("title", flat=True)) == ["Return home interviews"]
    page = _text(client.get(reverse("tools:tool", args=[published.tool_id])))
    assert "Continue editing the draft" in page and "Version 1, as auditors use it now" in page
    # One draft at a time: asking again offers the same draft.
    client.post(url)
    assert published.tool.versions.count() == 2


# A frozen version refuses every change --------------------------------------------------------


def test_a_published_version_shows_no_edit_links_and_refuses_edits(client_for, people, published):
    client = client_for(people.qa_lead)
    domain = published.domains.get()
    page = _text(client.get(reverse("tools:tool_version", args=[published.pk])))
    assert "is published, so it cannot change" in page
    for name in ("tools:tool_domain", "tools:tool_descriptors", "tools:tool_question_add"):
        assert reverse(name, args=[domain.pk]) not in page
    assert reverse("tools:tool_publish", args=[published.pk]) not in page
    tool_page = _text(client.get(reverse("tools:tool", args=[published.tool_id])))
    assert reverse("tools:tool_domain", args=[domain.pk]) not in tool_page

    before = ChangeRecord.objects.count()
    data = {"name": "New", "title": "New", "text": "New?", "kind": "text", "required": "yes"}
    data |= EVERY_GRADE | {"good": "Changed."}
    for url in _posts(published)[3:]:
        response = client.post(url, data, follow=True)
        assert response.redirect_chain[-1][0] == reverse(
            "tools:tool_version", args=[published.pk]
        ), url
        assert "is published and cannot change. Start a new draft" in _messages(response), url
    # Opening an edit page says the same, rather than offering a form.
    response = client.get(reverse("tools:tool_domain", args=[domain.pk]), follow=True)
    assert "cannot change" in _messages(response)
    assert ChangeRecord.objects.count() == before
    published.refresh_from_db()
    assert published.tool.name == "Missing children"
    assert list(published.domains.values_list("title", flat=True)) == ["Return home interviews"]
    assert GradeDescriptor.objects.get(domain=domain, grade="good").text == "Good practice."
    assert published.status == VersionStatus.PUBLISHED


def test_a_tool_that_ships_with_caseaudit_is_copied_not_changed(client_for, people):
    client = client_for(people.qa_lead)
    shipped = AuditTool.objects.get(council__isnull=True, kind=ToolKind.PRACTICE)
    version = shipped.published()
    page = _text(client.get(reverse("tools:tool", args=[shipped.pk])))
    assert "Make a copy for your council" in page and "Start a new draft" not in page
    response = client.post(reverse("tools:tool_start_draft", args=[shipped.pk]), follow=True)
    assert "ships with caseaudit" in _messages(response)
    assert shipped.versions.count() == 1
    response = client.post(
        reverse("tools:tool_domain_add", args=[version.pk]), {"title": "Ours"}, follow=True
    )
    assert "ships with caseaudit" in _messages(response)
    assert not version.domains.filter(title="Ours").exists()

    response = client.post(reverse("tools:tool_copy", args=[shipped.pk]))
    copy = AuditTool.objects.get(council=people.qa_lead.council)
    draft = copy.versions.get()
    assert response["Location"] == reverse("tools:tool_version", args=[draft.pk])
    assert copy.name == f"{shipped.name} (Testshire County Council)"
    assert (draft.status, draft.domains.count()) == (VersionStatus.DRAFT, 10)
    assert GradeDescriptor.objects.filter(domain__version=draft).count() == 40
    # The copy is the council's own: the outsider cannot see it.
    outsider = client_for(people.outsider)
    assert outsider.get(reverse("tools:tool", args=[copy.pk])).status_code == 404


# Bad input ------------------------------------------------------------------------------------


def test_bad_input_shows_errors_and_writes_nothing(client_for, people, draft):
    client = client_for(people.qa_lead)
    domain = draft.domains.get()
    question = domain.questions.last()
    tools_before, changes_before = AuditTool.objects.count(), ChangeRecord.objects.count()
    create = reverse("tools:tool_create")
    details = reverse("tools:tool_details", args=[draft.pk])
    add_domain = reverse("tools:tool_domain_add", args=[draft.pk])
    edit_domain = reverse("tools:tool_domain", args=[domain.pk])
    add_question = reverse("tools:tool_question_add", args=[domain.pk])
    edit_question = reverse("tools:tool_question", args=[question.pk])
    cases = [
        (
            create,
            {"name": " ", "kind": ""},
            ["Enter the name of the tool", "Select what kind of audit the tool is for"],
        ),
        (
            create,
            {"name": "x" * 151, "kind": "nonsense"},
            [
                "The name of the tool must be 150 characters or fewer",
                "Select one of the kinds of audit offered",
            ],
        ),
        (details, {"name": ""}, ["Enter the name of the tool"]),
        (add_domain, {"title": ""}, ["Enter the domain title"]),
        (
            edit_domain,
            {"title": "t" * 201},
            ["The domain title must be 200 characters or fewer"],
        ),
        (
            add_question,
            {},
            [
                "Enter the question text",
                "Select how the auditor answers the question",
                "Select yes if the auditor must answer the question",
            ],
        ),
        (
            edit_question,
            {"text": "Why?", "kind": "essay", "required": "maybe", "guidance": "g" * 10_001},
            [
                "Select one of the kinds of answer offered",
                "Select yes or no",
                "The guidance must be 10,000 characters or fewer",
            ],
        ),
    ]
    for url, data, errors in cases:
        response = client.post(url, data)
        page = _text(response)
        assert response.status_code == 200, url
        assert "There is a problem" in page and "<title>Error:" in page, url
        for error in errors:
            assert error in page, (url, error)
    assert (AuditTool.objects.count(), ChangeRecord.objects.count()) == (
        tools_before,
        changes_before,
    )
    question.refresh_from_db()
    assert question.kind == QuestionKind.YES_NO_PARTLY


def test_publishing_an_empty_draft_shows_why_not(client_for, people):
    version = actions.create_tool(
        people.qa_lead.council, name="Empty", kind=ToolKind.PRACTICE, by=people.qa_lead
    )
    client = client_for(people.qa_lead)
    response = client.post(reverse("tools:tool_publish", args=[version.pk]))
    page = _text(response)
    assert 'class="govuk-error-summary"' in page and "Add at least one domain." in page
    assert "<title>Error:" in page
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


# Cost -----------------------------------------------------------------------------------------


def test_the_tool_pages_cost_the_same_however_many_questions(client_for, people, published):
    client = client_for(people.qa_lead)
    page_queries(client, reverse("tools:tools"))  # a session's first request does more

    def pages_with(extra_questions: int) -> list[int]:
        draft = actions.start_draft(published.tool, by=people.qa_lead)
        for number in range(extra_questions):
            domain = actions.add_domain(draft, title=f"Domain {number}", by=people.qa_lead)
            actions.add_question(
                domain, text=f"Q{number}?", kind=QuestionKind.TEXT, by=people.qa_lead
            )
            actions.set_descriptors(domain, texts=EVERY_GRADE, by=people.qa_lead)
        actions.publish(draft, by=people.qa_lead)
        # A draft beside it, as the QA lead would have while editing; the next round's.
        actions.start_draft(published.tool, by=people.qa_lead)
        urls = [
            reverse("tools:tools"),
            reverse("tools:tool", args=[published.tool_id]),
            reverse("tools:tool_version", args=[draft.pk]),
            reverse("tools:tool_preview", args=[draft.pk]),
        ]
        return [page_queries(client, url) for url in urls]

    assert pages_with(0) == pages_with(30)


# The actions the pages added ------------------------------------------------------------------


def test_the_new_actions_refuse_a_frozen_version(people, published):
    domain = published.domains.get()
    question = domain.questions.first()
    by = people.qa_lead
    refused = [
        lambda: actions.edit_details(published, name="x", description="", notes="", by=by),
        lambda: actions.edit_domain(domain, title="x", by=by),
        lambda: actions.remove_domain(domain, by=by),
        lambda: actions.move_domain(domain, up=True, by=by),
        lambda: actions.edit_question(question, text="x", kind=QuestionKind.TEXT, by=by),
        lambda: actions.move_question(question, up=False, by=by),
        lambda: actions.set_descriptors(domain, texts={}, by=by),
    ]
    for attempt in refused:
        with pytest.raises(ValidationError, match="cannot change"):
            attempt()
    assert Domain.objects.filter(pk=domain.pk).exists()


def test_descriptors_change_only_where_they_differ(people, draft):
    domain = draft.domains.get()
    by = people.qa_lead
    actions.set_descriptors(domain, texts=EVERY_GRADE, by=by)
    count = ChangeRecord.objects.filter(record_type__in=record_types(GradeDescriptor)).count
    assert count() == 4
    actions.set_descriptors(domain, texts=EVERY_GRADE | {"good": "Better."}, by=by)
    assert count() == 5
    actions.set_descriptors(
        domain, texts=EVERY_GRADE | {"good": "Better.", "inadequate": " "}, by=by
    )
    assert count() == 6
    assert {d.grade: d.text for d in domain.descriptors.all()} == {
        "outstanding": "Outstanding practice.",
        "good": "Better.",
        "requires_improvement": "Requires Improvement practice.",
    }


def test_edits_that_change_nothing_keep_no_history(people, draft):
    domain = draft.domains.get()
    question = domain.questions.last()
    before = ChangeRecord.objects.count()
    actions.edit_details(
        draft, name="Missing children", description="", notes="", by=people.qa_lead
    )
    actions.edit_domain(domain, title=domain.title, guidance=domain.guidance, by=people.qa_lead)
    actions.edit_question(
        question,
        text=question.text,
        kind=question.kind,
        required=question.required,
        guidance=question.guidance,
        by=people.qa_lead,
    )
    assert ChangeRecord.objects.count() == before


def test_a_light_touch_tool_has_no_overall_grade_unless_asked(people):
    light = actions.create_tool(
        people.qa_lead.council, name="Covid RAG", kind=ToolKind.LIGHT_TOUCH, by=people.qa_lead
    )
    assert not light.tool.has_overall_grade
    # So its domains start without a grade question.
    assert not actions.add_domain(light, title="Risk", by=people.qa_lead).questions.exists()
    practice = actions.create_tool(
        people.qa_lead.council, name="Practice", kind=ToolKind.PRACTICE, by=people.qa_lead
    )
    assert practice.tool.has_overall_grade


def test_a_tool_with_nothing_published_cannot_be_copied(people, draft):
    with pytest.raises(ValidationError, match="no published version"):
        actions.copy_tool(draft.tool, people.qa_lead.council, name="Copy", by=people.qa_lead)
