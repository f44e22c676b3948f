"""Building audit tools without code: every change to a tool goes through these actions.

Only a draft version can change. Publishing checks the draft is complete and freezes it;
audits then keep the version they were started on, whatever happens to the tool later.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from caseaudit.audits.choices import QuestionKind, VersionStatus
from caseaudit.audits.models import AuditTool, Domain, GradeDescriptor, Question, ToolVersion
from caseaudit.core.grades import ORDER
from caseaudit.core.history import record_change, snapshot


def _require_draft(version: ToolVersion) -> None:
    if version.is_frozen:
        raise ValidationError(
            f"Version {version.number} of {version.tool} is {version.get_status_display().lower()} "
            "and cannot change. Start a new draft to change the tool."
        )


@transaction.atomic
def create_tool(council, *, name: str, kind: str, description: str = "", by) -> ToolVersion:
    tool = AuditTool.objects.create(council=council, name=name, kind=kind, description=description)
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
    _require_draft(version)
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
    _require_draft(domain.version)
    position = (domain.questions.aggregate(top=Max("position"))["top"] or 0) + 1
    question = Question.objects.create(
        domain=domain, position=position, text=text, kind=kind, required=required, guidance=guidance
    )
    record_change(question, by=by, action="created")
    return question


@transaction.atomic
def set_descriptor(domain: Domain, *, grade: str, text: str, by) -> GradeDescriptor:
    _require_draft(domain.version)
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
    _require_draft(question.domain.version)
    record_change(question, by=by, action="deleted", before=snapshot(question), after={})
    question.delete()


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
    _require_draft(version)
    problems = problems_before_publishing(version)
    if problems:
        raise ValidationError(problems)
    before = snapshot(version)
    # The version it replaces stays as it was for the audits done on it, but is retired.
    for replaced in version.tool.versions.filter(status=VersionStatus.PUBLISHED):
        replaced_before = snapshot(replaced)
        replaced.status = VersionStatus.RETIRED
        replaced.save(update_fields=["status"])
        record_change(replaced, by=by, action="changed", before=replaced_before)
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = by if getattr(by, "is_authenticated", False) else None
    version.save(update_fields=["status", "published_at", "published_by"])
    record_change(version, by=by, action="changed", before=before)
    return version
