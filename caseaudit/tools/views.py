"""Building audit tools (QA lead): the list, a tool and its versions, a new tool, a new draft,
the draft editor (details, domains, questions, grade descriptors), a preview as the auditor
sees it, and publishing. Rules live in ``actions``; these only parse, call and render.

Only a draft of the council's own tool can change. The tools that ship with caseaudit are
shared by every council, so a council copies one to change it; a published version is frozen
for the audits done on it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from caseaudit.accounts import permissions
from caseaudit.core import guards
from caseaudit.core.forms import add_action_errors, form_data
from caseaudit.core.grades import ORDER
from caseaudit.tools import actions, previews
from caseaudit.tools.choices import QuestionKind, VersionStatus
from caseaudit.tools.forms import (
    DescriptorsForm,
    DetailsForm,
    DomainForm,
    QuestionForm,
    ToolForm,
)
from caseaudit.tools.models import AuditTool, Domain, Question, ToolVersion
from caseaudit.tools.querysets import load_domains

SHIPPED = (
    "{tool} ships with caseaudit and every council uses it, so it cannot be changed here. "
    "Make a copy for your council, then change the copy."
)
MOVES = {"up": True, "down": False}


def _visible(request) -> Q:
    """The council's own tools and those that ship with caseaudit; never another council's."""
    return Q(council_id=request.user.council_id) | Q(council__isnull=True)


def _tool(request, pk: int) -> AuditTool:
    return get_object_or_404(AuditTool.objects.filter(_visible(request)), pk=pk)


def _version(request, pk: int) -> ToolVersion:
    return get_object_or_404(
        ToolVersion.objects.select_related("tool", "published_by").filter(
            tool__in=AuditTool.objects.filter(_visible(request))
        ),
        pk=pk,
    )


def _domain(request, pk: int) -> Domain:
    return get_object_or_404(
        Domain.objects.select_related("version__tool").filter(
            version__tool__in=AuditTool.objects.filter(_visible(request))
        ),
        pk=pk,
    )


def _question(request, pk: int) -> Question:
    return get_object_or_404(
        Question.objects.select_related("domain__version__tool").filter(
            domain__version__tool__in=AuditTool.objects.filter(_visible(request))
        ),
        pk=pk,
    )


def _why_not_editable(version: ToolVersion) -> str:
    """Why this version cannot change, in the user's words, or "" if it can."""
    if version.tool.council_id is None:
        return SHIPPED.format(tool=version.tool)
    try:
        actions.require_draft(version)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def _refuse(request, version: ToolVersion, reason: str):
    messages.error(request, reason)
    return redirect("tools:tool_version", pk=version.pk)


def _editor(version: ToolVersion, anchor: str = ""):
    url = reverse("tools:tool_version", args=[version.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _content(version: ToolVersion) -> list[Domain]:
    """The version's domains with their questions and, in the Ofsted order, the grade
    descriptors (three queries however big the tool)."""
    domains = load_domains(version)
    for domain in domains:
        have = {d.grade: d.text for d in domain.descriptors.all()}
        domain.grades = [(grade.label, have.get(grade, "")) for grade in ORDER]
        domain.graded = any(q.kind == QuestionKind.GRADE for q in domain.questions.all())
    return domains


# The tools and their versions -----------------------------------------------------------------


@require_GET
@guards.requires(permissions.can_run_programme)
def tool_list(request):
    tool_rows = AuditTool.objects.filter(_visible(request)).prefetch_related(
        Prefetch("versions", queryset=ToolVersion.objects.order_by("-number"))
    )
    return render(request, "tools/list.html", {"tools": tool_rows})


@guards.requires(permissions.can_run_programme)
def tool_create(request):
    form = ToolForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            version = actions.create_tool(
                request.user.council, **form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request, f"{version.tool} has been created. Add its domains and questions."
            )
            return _editor(version)
    return render(request, "tools/create.html", {"form": form})


@require_GET
@guards.requires(permissions.can_run_programme)
def tool_detail(request, pk: int):
    tool = _tool(request, pk)
    versions = list(tool.versions.select_related("published_by").order_by("-number"))
    published = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
    draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
    context = {
        "tool": tool,
        "versions": versions,
        "published": published,
        "draft": draft,
        "domains": _content(published) if published else [],
        "shipped": tool.council_id is None,
    }
    return render(request, "tools/tool.html", context)


@require_POST
@guards.requires(permissions.can_run_programme)
def tool_copy(request, pk: int):
    tool = _tool(request, pk)
    name = f"{tool.name} ({request.user.council.name})"[:150]
    try:
        version = actions.copy_tool(tool, request.user.council, name=name, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("tools:tool", pk=tool.pk)
    messages.success(request, f"{version.tool} is your council's copy. Change it, then publish it.")
    return _editor(version)


@guards.requires(permissions.can_run_programme)
def draft_start(request, pk: int):
    """Start a new draft: a copy of the published version to change."""
    tool = _tool(request, pk)
    if tool.council_id is None:
        messages.error(request, SHIPPED.format(tool=tool))
        return redirect("tools:tool", pk=tool.pk)
    draft = tool.versions.filter(status=VersionStatus.DRAFT).first()
    if request.method == "POST":
        draft = actions.start_draft(tool, by=request.user)
        messages.success(request, f"Version {draft.number} is a draft. Change it, then publish it.")
        return _editor(draft)
    context = {"tool": tool, "draft": draft, "published": tool.published()}
    return render(request, "tools/start_draft.html", context)


@require_GET
@guards.requires(permissions.can_run_programme)
def version_detail(request, pk: int):
    """A version read-only, or for a draft of the council's own tool, the editor."""
    version = _version(request, pk)
    context = {
        "tool": version.tool,
        "version": version,
        "domains": _content(version),
        "editable": not _why_not_editable(version),
    }
    return render(request, "tools/version.html", context)


@require_GET
@guards.requires(permissions.can_run_programme)
def version_preview(request, pk: int):
    """The version as the person filling it in will see it (``previews``)."""
    return previews.render(request, _version(request, pk))


# The draft editor -----------------------------------------------------------------------------


@guards.requires(permissions.can_run_programme)
def version_details(request, pk: int):
    version = _version(request, pk)
    if reason := _why_not_editable(version):
        return _refuse(request, version, reason)
    tool = version.tool
    initial = {"name": tool.name, "description": tool.description, "notes": version.notes}
    form = DetailsForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_details(version, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "The details have been saved.")
            return _editor(version)
    return render(request, "tools/details.html", {"tool": tool, "version": version, "form": form})


@guards.requires(permissions.can_run_programme)
def domain_add(request, pk: int):
    version = _version(request, pk)
    if reason := _why_not_editable(version):
        return _refuse(request, version, reason)
    form = DomainForm(form_data(request), button="Add the domain")
    if request.method == "POST" and form.is_valid():
        try:
            domain = actions.add_domain(version, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"‘{domain.title}’ has been added.")
            return _editor(version, f"domain-{domain.pk}")
    context = {"tool": version.tool, "version": version, "form": form, "domain": None}
    return render(request, "tools/domain.html", context)


@guards.requires(permissions.can_run_programme)
def domain_edit(request, pk: int):
    domain = _domain(request, pk)
    version = domain.version
    if reason := _why_not_editable(version):
        return _refuse(request, version, reason)
    initial = {"title": domain.title, "guidance": domain.guidance}
    form = DomainForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_domain(domain, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"‘{domain.title}’ has been saved.")
            return _editor(version, f"domain-{domain.pk}")
    context = {"tool": version.tool, "version": version, "form": form, "domain": domain}
    return render(request, "tools/domain.html", context)


@guards.requires(permissions.can_run_programme)
def domain_remove(request, pk: int):
    domain = _domain(request, pk)
    version = domain.version
    if reason := _why_not_editable(version):
        return _refuse(request, version, reason)
    if request.method == "POST":
        try:
            actions.remove_domain(domain, by=request.user)
        except ValidationError as error:
            return _refuse(request, version, " ".join(error.messages))
        messages.success(request, f"‘{domain.title}’ has been removed.")
        return _editor(version)
    context = {
        "tool": version.tool,
        "version": version,
        "thing": f"the domain ‘{domain.title}’",
        "consequence": "Its questions and grade descriptors are removed with it.",
    }
    return render(request, "tools/remove.html", context)


def _order_page(version: ToolVersion, domain_pk: int):
    url = reverse("tools:tool_order", args=[version.pk])
    return redirect(f"{url}#domain-{domain_pk}")


@require_GET
@guards.requires(permissions.can_run_programme)
def version_order(request, pk: int):
    """Move domains, and questions within their domain, up and down."""
    version = _version(request, pk)
    if reason := _why_not_editable(version):
        return _refuse(request, version, reason)
    context = {"tool": version.tool, "version": version, "domains": load_domains(version)}
    return render(request, "tools/order.html", context)


@require_POST
@guards.requires(permissions.can_run_programme)
def domain_move(request, pk: int, direction: str):
    if direction not in MOVES:
        raise Http404("No such move.")
    domain = _domain(request, pk)
    version = domain.version
    if reason := _why_not_editable(version):
        return _refuse(request, version, reason)
    try:
        actions.move_domain(domain, up=MOVES[direction], by=request.user)
    except ValidationError as error:
        return _refuse(request, version, " ".join(error.messages))
    return _order_page(version, domain.pk)


@guards.requires(permissions.can_run_programme)
def descriptors_edit(request, pk: int):
    domain = _domain(request, pk)
    version = domain.version
    if reason := _why_not_editable(version):
        return _refuse(request, version, reason)
    initial = {d.grade: d.text for d in domain.descriptors.all()}
    form = DescriptorsForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_descriptors(domain, texts=form.texts(), by=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"The grade descriptors for ‘{domain.title}’ are saved.")
            return _editor(version, f"domain-{domain.pk}")
    context = {"tool": version.tool, "version": version, "domain": domain, "form": form}
    return render(request, "tools/descriptors.html", context)


@guards.requires(permissions.can_run_programme)
def question_add(request, pk: int):
    domain = _domain(request, pk)
    version = domain.version
    if reason := _why_not_editable(version):
        return _refuse(request, version, reason)
    form = QuestionForm(form_data(request), initial={"required": True}, button="Add the question")
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_question(domain, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"The question has been added to ‘{domain.title}’.")
            return _editor(version, f"domain-{domain.pk}")
    context = {
        "tool": version.tool,
        "version": version,
        "domain": domain,
        "form": form,
        "question": None,
    }
    return render(request, "tools/question.html", context)


@guards.requires(permissions.can_run_programme)
def question_edit(request, pk: int):
    question = _question(request, pk)
    domain = question.domain
    version = domain.version
    if reason := _why_not_editable(version):
        return _refuse(request, version, reason)
    initial = {
        "text": question.text,
        "kind": question.kind,
        "required": question.required,
        "guidance": question.guidance,
    }
    form = QuestionForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_question(question, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "The question has been saved.")
            return _editor(version, f"domain-{domain.pk}")
    context = {
        "tool": version.tool,
        "version": version,
        "domain": domain,
        "form": form,
        "question": question,
    }
    return render(request, "tools/question.html", context)


@guards.requires(permissions.can_run_programme)
def question_remove(request, pk: int):
    question = _question(request, pk)
    version = question.domain.version
    if reason := _why_not_editable(version):
        return _refuse(request, version, reason)
    if request.method == "POST":
        try:
            actions.remove_question(question, by=request.user)
        except ValidationError as error:
            return _refuse(request, version, " ".join(error.messages))
        messages.success(request, "The question has been removed.")
        return _editor(version, f"domain-{question.domain_id}")
    context = {
        "tool": version.tool,
        "version": version,
        "thing": f"the question ‘{question.text}’",
        "consequence": f"It is removed from ‘{question.domain.title}’.",
    }
    return render(request, "tools/remove.html", context)


@require_POST
@guards.requires(permissions.can_run_programme)
def question_move(request, pk: int, direction: str):
    if direction not in MOVES:
        raise Http404("No such move.")
    question = _question(request, pk)
    version = question.domain.version
    if reason := _why_not_editable(version):
        return _refuse(request, version, reason)
    try:
        actions.move_question(question, up=MOVES[direction], by=request.user)
    except ValidationError as error:
        return _refuse(request, version, " ".join(error.messages))
    return _order_page(version, question.domain_id)


@guards.requires(permissions.can_run_programme)
def version_publish(request, pk: int):
    """Publishing asks first: it freezes the version and retires the one it replaces."""
    version = _version(request, pk)
    if reason := _why_not_editable(version):
        return _refuse(request, version, reason)
    problems: list[str] = []
    if request.method == "POST":
        try:
            actions.publish(version, by=request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                f"Version {version.number} of {version.tool} is published. "
                "Programme months can now use it.",
            )
            return redirect("tools:tool", pk=version.tool_id)
    context = {
        "tool": version.tool,
        "version": version,
        "replaces": version.tool.published(),
        "problems": problems,
    }
    return render(request, "tools/publish.html", context)
