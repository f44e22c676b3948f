"""Highlight report pages. Thin views: parse, call ``actions`` (or ``build`` for a preview),
render. Drafts are the QA lead's; published reports are for everyone ``can_read_reports``
allows, served from the frozen copy. Another council's report is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from caseaudit.accounts import permissions
from caseaudit.accounts.access import log_list_access
from caseaudit.audits.compliance import reporting_month
from caseaudit.audits.models import Answer, Audit, Feedback
from caseaudit.core import guards
from caseaudit.core.forms import form_data, with_versions
from caseaudit.core.grades import ORDER
from caseaudit.reports import actions, candidates, formats, kinds
from caseaudit.reports import permissions as rules
from caseaudit.reports.choices import (
    Edition,
    ExemplarKind,
    ReflectionQuestion,
    ReportStatus,
    Section,
)
from caseaudit.reports.forms import ExemplarForm, NarrativeForm, PeriodForm, version_name
from caseaudit.reports.models import Exemplar, HighlightReport, KindReport, Narrative, ReportFile
from caseaudit.reports.periods import period_label, reportable_months
from caseaudit.reports.render_html import render_body
from caseaudit.reports.sections import CROSS_SECTION, month_focus

CANDIDATES_PER_PAGE = 20
TABS = {
    "descriptors": "Practice theme descriptors",
    "feedback": "Feedback quotes",
    "reflection": "Reflection answers",
}


def _report(request, pk: int, *, status: str) -> HighlightReport:
    """The council's report in ``status``; a draft that has since been published is a 404 on
    the draft pages (its own page is the published one)."""
    return get_object_or_404(
        HighlightReport.objects.select_related("council", "published_by", "created_by"),
        pk=pk,
        council_id=request.user.council_id,
        status=status,
    )


def _draft(request, pk: int) -> HighlightReport:
    """A draft of the council's (the views that call this are for ``can_publish_reports``)."""
    return _report(request, pk, status=ReportStatus.DRAFT)


# Lists and starting ----------------------------------------------------------------------------


@guards.requires(permissions.can_read_reports)
def index(request):
    user = request.user
    reports = HighlightReport.objects.filter(council_id=user.council_id).defer("data", "html")
    can_publish = permissions.can_publish_reports(user)
    return render(
        request,
        "reports/index.html",
        {
            "published": reports.filter(status=ReportStatus.PUBLISHED).select_related(
                "published_by"
            ),
            "drafts": reports.filter(status=ReportStatus.DRAFT) if can_publish else [],
            "can_publish": can_publish,
            "kinds": _kinds_listed(user),
        },
    )


def _kinds_listed(user) -> list[dict]:
    """Each other kind's published reports, and its drafts for those who may prepare it."""
    found = KindReport.objects.filter(council_id=user.council_id).defer("data", "html")
    listed = []
    for kind in kinds.KINDS.values():
        may_prepare = kind.may_prepare(user)
        of_kind = found.filter(kind=kind.value)
        listed.append(
            {
                "value": kind.value,
                "label": kind.label,
                "may_prepare": may_prepare,
                "published": of_kind.filter(status=ReportStatus.PUBLISHED),
                "drafts": [
                    draft
                    for draft in of_kind.filter(status=ReportStatus.DRAFT)
                    if rules.PUBLISH_KIND_REPORT.who(user, draft)
                ]
                if may_prepare
                else [],
            }
        )
    return listed


@guards.requires(permissions.can_publish_reports)
def start(request):
    council = request.user.council
    form = PeriodForm(form_data(request), months=reportable_months(council))
    if request.method == "POST" and form.is_valid():
        try:
            report = actions.start_report(
                council,
                from_month=form.cleaned_data["from"],
                to_month=form.cleaned_data["month"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("reports:draft", pk=report.pk)
    return render(request, "reports/start.html", {"form": form})


# Drafts ----------------------------------------------------------------------------------------


@guards.requires(permissions.can_publish_reports)
def draft(request, pk: int):
    report = _draft(request, pk)
    data = actions.preview(report)
    return render(
        request,
        "reports/draft.html",
        {
            "report": report,
            "body": render_body(data, draft=True),
            "formats": formats.RENDERINGS,
            "may_publish": rules.PUBLISH_REPORT(request.user, report)
            and not actions.is_publishing(report),
            "publishing": actions.is_publishing(report),
        },
    )


@guards.requires(permissions.can_publish_reports)
def draft_download(request, pk: int, fmt: str):
    """A draft as PDF, Word, Excel or HTML, built from the data as it is now; ``?edition=``
    internal for the internal edition."""
    report = _draft(request, pk)
    if fmt not in formats.RENDERINGS:
        raise Http404("No such format.")
    edition = request.GET.get("edition", Edition.PUBLIC)
    if edition not in Edition.values:
        raise Http404("No such edition.")
    data = actions.preview(report, edition)
    return file_response(
        formats.render(data, fmt),
        formats.RENDERINGS[fmt].content_type,
        "draft-" + formats.filename(data, fmt),
    )


@guards.requires(permissions.can_publish_reports)
def narrative(request, pk: int):
    report = _draft(request, pk)
    council = request.user.council
    month = report.to_month
    saved = dict(
        Narrative.objects.filter(council=council, month=month).values_list("section", "text")
    )
    versions = _version_fields(actions.narrative_versions(council, month))
    form = NarrativeForm(form_data(request), initial={**saved, **versions})
    saved_now, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_month_narrative(
                council,
                month=month,
                texts={section.value: form.cleaned_data[section.value] for section in Section},
                versions={s.value: form.cleaned_data[version_name(s)] for s in Section},
                by=request.user,
            )
        except actions.NarrativeChanged as error:
            # Nothing was saved: they keep what they typed and see what is saved now.
            versions = _version_fields(actions.narrative_versions(council, month))
            form = with_versions(NarrativeForm, request.POST, versions, initial={})
            form.add_error(None, error)
            saved_now, status = _narrative_as_saved(council, month), 409
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The narrative for {month:%B %Y} is saved.")
            return redirect("reports:draft", pk=report.pk)
    context = {"report": report, "form": form, "saved_now": saved_now}
    return render(request, "reports/narrative.html", context, status=status)


def _version_fields(versions: dict[str, int]) -> dict[str, int]:
    return {version_name(Section(section)): version for section, version in versions.items()}


def _narrative_as_saved(council, month) -> dict:
    rows = Narrative.objects.filter(council=council, month=month).select_related("updated_by")
    by_section = {row.section: row for row in rows}
    latest = max(rows, key=lambda row: row.updated_at, default=None)
    return {
        "rows": [
            (section.label, by_section[section].text if section in by_section else "")
            for section in Section
        ],
        "by": latest.updated_by.display_name if latest and latest.updated_by else "",
        "at": latest.updated_at if latest else None,
    }


@guards.requires(permissions.can_publish_reports)
def exemplars(request, pk: int):
    """The text chosen so far, and one kind of candidate text to choose from, a page at a time."""
    report = _draft(request, pk)
    user = request.user
    tab = request.GET.get("show", "descriptors")
    if tab not in TABS:
        tab = "descriptors"
    if tab == "descriptors":
        sources = candidates.answers(report, user)
    elif tab == "feedback":
        sources = candidates.feedback(report, user)
    else:
        sources = candidates.reflections(report, user)
    page = Paginator(sources, CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))
    chosen = list(
        Exemplar.objects.filter(council_id=user.council_id)
        .alias(counted_month=reporting_month("audit__"))
        .filter(counted_month__gte=report.from_month, counted_month__lte=report.to_month)
        .select_related("audit__month")
        .order_by("kind", "grade", "question", "chosen_at")
    )
    shown = [source.audit_id for source in page] + [exemplar.audit_id for exemplar in chosen]
    log_list_access(request, Audit, ids=sorted(set(shown)))
    return render(
        request,
        "reports/exemplars.html",
        {
            "report": report,
            "tab": tab,
            "tabs": TABS,
            "page": page,
            "items": [_candidate(tab, source) for source in page.object_list],
            "chosen": chosen,
            "grades": ORDER,
            "questions": ReflectionQuestion,
            "kinds": ExemplarKind,
        },
    )


def _candidate(tab: str, source) -> dict:
    """One audit's text, as the chooser shows it: a heading and one form per piece of text."""
    audit = source.audit
    cohort = month_focus(audit.month) if audit.month else CROSS_SECTION
    month = f"{audit.month.month:%B %Y}" if audit.month else "Re-audit"
    grade = audit.overall_grade
    heading = f"{cohort}, {month}"
    sources = []
    if tab == "descriptors":
        heading += f": {source.question.domain.title}"
        sources.append(
            {
                "label": f"{source.question.text} (overall: {audit.get_overall_grade_display()})",
                "text": source.text,
                "kind": ExemplarKind.DESCRIPTOR,
                "answer_id": source.pk,
                "grade": grade,
                "prefix": f"a{source.pk}",
                "button": "Add as a descriptor",
            }
        )
    elif tab == "feedback":
        heading += f": feedback from {source.get_given_by_display().lower()}"
        good = source.quote or source.what_was_good
        if good:
            sources.append(
                {
                    "label": "What was good",
                    "text": good,
                    "kind": ExemplarKind.STRENGTH,
                    "feedback_id": source.pk,
                    "prefix": f"s{source.pk}",
                    "button": "Add as a practice strength",
                }
            )
        if source.could_be_better:
            sources.append(
                {
                    "label": "What could be better",
                    "text": source.could_be_better,
                    "kind": ExemplarKind.IMPROVEMENT,
                    "feedback_id": source.pk,
                    "prefix": f"i{source.pk}",
                    "button": "Add as an area for improvement",
                }
            )
    else:
        heading += ": reflection"
        for question in ReflectionQuestion:
            text = getattr(source, question.value)
            if text:
                sources.append(
                    {
                        "label": question.label,
                        "text": text,
                        "kind": ExemplarKind.REFLECTION,
                        "question": question.value,
                        "prefix": f"r{source.pk}-{question.value}",
                        "button": "Add as a reflection theme",
                    }
                )
    return {"heading": heading, "audit_id": audit.pk, "sources": sources}


@require_POST
@guards.requires(permissions.can_publish_reports)
def exemplar_choose(request, pk: int):
    report = _draft(request, pk)
    user = request.user
    form = ExemplarForm(request.POST)
    back = request.POST.get("back", "descriptors")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_exemplars(report, back)
    data = form.cleaned_data
    audit = (
        (Audit.objects.filter(council_id=user.council_id) & Audit.objects.visible_to(user))
        .select_related("child")
        .filter(pk=data["audit"])
        .first()
    )
    if audit is None:
        raise Http404("No such audit.")
    answer = (
        Answer.objects.filter(pk=data["answer"], audit=audit).first() if data["answer"] else None
    )
    feedback = (
        Feedback.objects.filter(pk=data["feedback"], audit=audit).first()
        if data["feedback"]
        else None
    )
    try:
        actions.choose_exemplar(
            audit,
            kind=data["kind"],
            text=data["text"],
            grade=data["grade"],
            answer=answer,
            feedback=feedback,
            question=data["question"],
            by=user,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "The text is added to the report.")
    return _back_to_exemplars(report, back)


@require_POST
@guards.requires(permissions.can_publish_reports)
def exemplar_remove(request, pk: int, exemplar: int):
    report = _draft(request, pk)
    chosen = get_object_or_404(Exemplar, pk=exemplar, council_id=request.user.council_id)
    actions.remove_exemplar(chosen, by=request.user)
    messages.success(request, "The text is removed from the report.")
    return _back_to_exemplars(report, request.POST.get("back", "descriptors"))


def _back_to_exemplars(report, tab: str):
    response = redirect("reports:exemplars", pk=report.pk)
    response["Location"] += f"?show={tab if tab in TABS else 'descriptors'}"
    return response


@guards.requires(permissions.can_publish_reports)
def publish(request, pk: int):
    """A confirmation page, then publication: the report is frozen and readable by all."""
    report = _draft(request, pk)
    if request.method == "POST":
        try:
            actions.queue_publication(report, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("reports:draft", pk=report.pk)
        return redirect("reports:publishing", pk=report.pk)
    context = {"report": report, "notes": actions.before_publishing(report)}
    return render(request, "reports/publish.html", context)


@guards.requires(permissions.can_publish_reports)
def publishing(request, pk: int):
    report = get_object_or_404(
        HighlightReport.objects.defer("data", "html"), pk=pk, council_id=request.user.council_id
    )
    return publishing_page(
        request,
        report,
        title=f"the audit highlight report for {report.period_label}",
        urls={
            "status": reverse("reports:publishing", args=[report.pk]),
            "draft": reverse("reports:draft", args=[report.pk]),
            "retry": reverse("reports:publish", args=[report.pk]),
            "published": reverse("reports:report", args=[report.pk]),
        },
    )


def publishing_page(request, report, *, title: str, urls: dict[str, str], caption: str = ""):
    """How far the background worker has got publishing ``report`` (any kind: the same page
    for all); the published report once it is done. The status region asks again every two
    seconds (htmx) while the work runs. ``urls``: this page ("status"), the draft, where to
    try again ("retry") and the published report."""
    if report.is_published:
        messages.success(request, f"{title[0].upper()}{title[1:]} is published.")
        if request.htmx:
            # A whole page to go to, not a fragment to swap in.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = urls["published"]
            return response
        return redirect(urls["published"])
    context = {
        "report": report,
        "title": title,
        "caption": caption,
        "urls": urls,
        "running": actions.is_publishing(report),
        "steps": actions.PUBLISH_STEPS,
    }
    if request.htmx:
        return render(request, "reports/_publishing_status.html", context)
    return render(request, "reports/publishing.html", context)


# Published -------------------------------------------------------------------------------------


@guards.requires(permissions.can_read_reports)
def report(request, pk: int):
    published = _report(request, pk, status=ReportStatus.PUBLISHED)
    files = list(published.files.defer("content").order_by("format"))
    return render(
        request,
        "reports/report.html",
        {
            "report": published,
            "files": [file for file in files if file.edition == Edition.PUBLIC],
            "internal_files": [file for file in files if file.edition == Edition.INTERNAL]
            if permissions.can_read_internal_reports(request.user)
            else [],
            "period": period_label(published.from_month, published.to_month),
        },
    )


@guards.requires(permissions.can_read_reports)
def download(request, pk: int, fmt: str):
    published = _report(request, pk, status=ReportStatus.PUBLISHED)
    file = get_object_or_404(ReportFile, report=published, edition=Edition.PUBLIC, format=fmt)
    return file_response(bytes(file.content), file.content_type, file.filename)


@guards.requires(permissions.can_read_internal_reports)
def download_internal(request, pk: int, fmt: str):
    """The internal edition frozen with the published report, every figure as counted."""
    published = _report(request, pk, status=ReportStatus.PUBLISHED)
    file = get_object_or_404(ReportFile, report=published, edition=Edition.INTERNAL, format=fmt)
    return file_response(bytes(file.content), file.content_type, file.filename)


def file_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if content_type.startswith("text/html") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    if disposition == "inline":
        # A report's own HTML file: shown as a document, never able to run script.
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
        )
    return response
