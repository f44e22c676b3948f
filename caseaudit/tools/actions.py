"""Building audit tools without code: every change to a tool goes through these actions.

Only a draft version can change. Publishing checks the draft is complete and freezes it;
audits then keep the version they were started on, whatever happens to the tool later.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from caseaudit.core import clock, transitions
from caseaudit.core.grades import ORDER
from caseaudit.core.history import record_change, snapshot
from caseaudit.tools.choices import QuestionKind, ToolKind, VersionStatus
from caseaudit.tools.models import AuditTool, Domain, GradeDescriptor, Question, ToolVersion
from caseaudit.tools.transitions import TOOL_VERSION


def require_draft(version: ToolVersion) -> None:
    """Refuse any change to a version that is no longer a draft."""
    if version.is_frozen:
        raise ValidationError(
            f"Version {version.number} of {version.tool} is {version.get_status_display().lower()} "
            "and cannot change. Start a new draft to change the tool."
        )


@transaction.atomic
def create_tool(
    council,
    *,
    name: str,
    kind: str,
    description: str = "",
    has_overall_grade: bool | None = None,
    by,
) -> ToolVersion:
    if has_overall_grade is None:
        # A light-touch audit is a RAG rating, not an Ofsted-scale judgement.
        has_overall_grade = kind != ToolKind.LIGHT_TOUCH
    tool = AuditTool.objects.create(
        council=council,
        name=name,
        kind=kind,
        description=description,
        has_overall_grade=has_overall_grade,
    )
    version = ToolVersion.objects.create(tool=tool, number=1)
    record_change(tool, by=by, action="created")
    return version


@transaction.atomic
def start_draft(tool: AuditTool, *, by) -> ToolVersion:
    """A new draft version, copied from the latest published one (or the existing draft)."""
    existing = tool.versions.filter(status=VersionStatus.DRAFT).first()
    if existing is not None:
        return existing
    source = tool.published()
    number = (tool.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    draft = ToolVersion.objects.create(tool=tool, number=number)
    if source is not None:
        _copy_content(source, draft)
    record_change(
        draft,
        by=by,
        action="created",
        reason=f"Draft copied from v{source.number}" if source else "",
    )
    return draft


def _copy_content(source: ToolVersion, target: ToolVersion) -> None:
    for domain in source.domains.prefetch_related("questions", "descriptors"):
        copy = Domain.objects.create(
            version=target, position=domain.position, title=domain.title, guidance=domain.guidance
        )
        Question.objects.bulk_create(
            Question(
                domain=copy,
                position=q.position,
                text=q.text,
                kind=q.kind,
                required=q.required,
                guidance=q.guidance,
            )
            for q in domain.questions.all()
        )
        GradeDescriptor.objects.bulk_create(
            GradeDescriptor(domain=copy, grade=d.grade, text=d.text)
            for d in domain.descriptors.all()
        )


@transaction.atomic
def add_domain(version: ToolVersion, *, title: str, guidance: str = "", by) -> Domain:
    require_draft(version)
    position = (version.domains.aggregate(top=Max("position"))["top"] or 0) + 1
    domain = Domain.objects.create(
        version=version, position=position, title=title, guidance=guidance
    )
    if version.tool.has_overall_grade:
        Question.objects.create(
            domain=domain, position=1, text=f"Grade for {title.lower()}", kind=QuestionKind.GRADE
        )
    record_change(domain, by=by, action="created")
    return domain


@transaction.atomic
def add_question(
    domain: Domain, *, text: str, kind: str, required: bool = True, guidance: str = "", by
) -> Question:
    require_draft(domain.version)
    position = (domain.questions.aggregate(top=Max("position"))["top"] or 0) + 1
    question = Question.objects.create(
        domain=domain, position=position, text=text, kind=kind, required=required, guidance=guidance
    )
    record_change(question, by=by, action="created")
    return question


@transaction.atomic
def set_descriptor(domain: Domain, *, grade: str, text: str, by) -> GradeDescriptor:
    require_draft(domain.version)
    descriptor, created = GradeDescriptor.objects.get_or_create(
        domain=domain, grade=grade, defaults={"text": text}
    )
    if not created:
        before = snapshot(descriptor)
        descriptor.text = text
        descriptor.save(update_fields=["text"])
        record_change(descriptor, by=by, action="changed", before=before)
    else:
        record_change(descriptor, by=by, action="created")
    return descriptor


@transaction.atomic
def remove_question(question: Question, *, by) -> None:
    require_draft(question.domain.version)
    record_change(question, by=by, action="deleted", before=snapshot(question), after={})
    question.delete()


@transaction.atomic
def copy_tool(tool: AuditTool, council, *, name: str, by) -> ToolVersion:
    """A council's own tool, starting as a draft copy of another tool's published version
    (the tools that ship with caseaudit are shared by every council, so none changes them)."""
    source = tool.published()
    if source is None:
        raise ValidationError(f"{tool} has no published version to copy.")
    version = create_tool(
        council,
        name=name,
        kind=tool.kind,
        description=tool.description,
        has_overall_grade=tool.has_overall_grade,
        by=by,
    )
    _copy_content(source, version)
    record_change(version, by=by, action="created", reason=f"Copied from {source}")
    return version


@transaction.atomic
def edit_details(version: ToolVersion, *, name: str, description: str, notes: str, by) -> None:
    """The tool's name and description, and what changed in this version."""
    require_draft(version)
    tool = version.tool
    if (tool.name, tool.description) != (name, description):
        before = snapshot(tool)
        tool.name, tool.description = name, description
        tool.save(update_fields=["name", "description"])
        record_change(tool, by=by, action="changed", before=before)
    if version.notes != notes:
        before = snapshot(version)
        version.notes = notes
        version.save(update_fields=["notes"])
        record_change(version, by=by, action="changed", before=before)


@transaction.atomic
def edit_domain(domain: Domain, *, title: str, guidance: str = "", by) -> Domain:
    require_draft(domain.version)
    if (domain.title, domain.guidance) != (title, guidance):
        before = snapshot(domain)
        domain.title, domain.guidance = title, guidance
        domain.save(update_fields=["title", "guidance"])
        record_change(domain, by=by, action="changed", before=before)
    return domain


@transaction.atomic
def remove_domain(domain: Domain, *, by) -> None:
    """The domain goes with its questions and descriptors; history keeps all three."""
    require_draft(domain.version)
    before = snapshot(domain) | {
        "questions": [snapshot(q) for q in domain.questions.order_by("position")],
        "descriptors": [snapshot(d) for d in domain.descriptors.all()],
    }
    record_change(domain, by=by, action="deleted", before=before, after={})
    domain.delete()


@transaction.atomic
def move_domain(domain: Domain, *, up: bool, by) -> None:
    """Swap the domain with the one before (``up``) or after it; at either end, nothing."""
    version = ToolVersion.objects.select_for_update().get(pk=domain.version_id)
    require_draft(version)
    _swap_with_neighbour(Domain.objects.filter(version=version), domain.pk, up=up, by=by)


@transaction.atomic
def edit_question(
    question: Question, *, text: str, kind: str, required: bool = True, guidance: str = "", by
) -> Question:
    require_draft(question.domain.version)
    before = snapshot(question)
    question.text, question.kind = text, kind
    question.required, question.guidance = required, guidance
    if snapshot(question) != before:
        question.save(update_fields=["text", "kind", "required", "guidance"])
        record_change(question, by=by, action="changed", before=before)
    return question


@transaction.atomic
def move_question(question: Question, *, up: bool, by) -> None:
    """Swap the question with the one before (``up``) or after it in its domain."""
    version = ToolVersion.objects.select_for_update().get(pk=question.domain.version_id)
    require_draft(version)
    _swap_with_neighbour(
        Question.objects.filter(domain_id=question.domain_id), question.pk, up=up, by=by
    )


def _swap_with_neighbour(siblings, pk: int, *, up: bool, by) -> None:
    item = siblings.get(pk=pk)
    if up:
        neighbour = siblings.filter(position__lt=item.position).order_by("-position").first()
    else:
        neighbour = siblings.filter(position__gt=item.position).order_by("position").first()
    if neighbour is None:
        return
    befores = snapshot(item), snapshot(neighbour)
    # Positions are unique per parent (and PostgreSQL checks each statement), so one of the
    # two waits at 0, a position nothing else uses, while the other takes its place.
    first, second = item.position, neighbour.position
    siblings.filter(pk=item.pk).update(position=0)
    siblings.filter(pk=neighbour.pk).update(position=first)
    siblings.filter(pk=item.pk).update(position=second)
    item.position, neighbour.position = second, first
    for obj, before in zip((item, neighbour), befores, strict=True):
        record_change(obj, by=by, action="changed", before=before)


@transaction.atomic
def set_descriptors(domain: Domain, *, texts: dict[str, str], by) -> None:
    """All four descriptors of a domain at once. A blank text removes that grade's
    descriptor; an unchanged one is left alone, so history shows only real changes."""
    require_draft(domain.version)
    existing = {d.grade: d for d in domain.descriptors.all()}
    for grade in ORDER:
        text = texts.get(grade, "").strip()
        descriptor = existing.get(grade)
        if not text and descriptor is not None:
            record_change(
                descriptor, by=by, action="deleted", before=snapshot(descriptor), after={}
            )
            descriptor.delete()
        elif text and (descriptor is None or descriptor.text != text):
            set_descriptor(domain, grade=grade, text=text, by=by)


def problems_before_publishing(version: ToolVersion) -> list[str]:
    problems = []
    domains = list(version.domains.prefetch_related("questions", "descriptors"))
    if not domains:
        problems.append("Add at least one domain.")
    for domain in domains:
        questions = list(domain.questions.all())
        if not questions:
            problems.append(f"Add a question to '{domain.title}'.")
        graded = any(q.kind == QuestionKind.GRADE for q in questions)
        if graded:
            have = {d.grade for d in domain.descriptors.all()}
            missing = [g.label for g in ORDER if g not in have]
            if missing:
                problems.append(
                    f"Describe what {', '.join(missing)} looks like in '{domain.title}'."
                )
    return problems


@transaction.atomic
def publish(version: ToolVersion, *, by) -> ToolVersion:
    version = ToolVersion.objects.select_for_update().get(pk=version.pk)
    require_draft(version)
    problems = problems_before_publishing(version)
    if problems:
        raise ValidationError(problems)
    # The version it replaces stays as it was for the audits done on it, but is retired.
    for replaced in version.tool.versions.filter(status=VersionStatus.PUBLISHED):
        transitions.move(replaced, VersionStatus.RETIRED, transitions=TOOL_VERSION, by=by)
    return transitions.move(
        version,
        VersionStatus.PUBLISHED,
        transitions=TOOL_VERSION,
        by=by,
        published_at=clock.now(),
        published_by=by if getattr(by, "is_authenticated", False) else None,
    )
