"""The pages of the report kinds besides the highlight report (``reports.kinds``): choose what
a report covers, preview the draft, publish it, read and download the published copy. Thin
views: the rules are the kind's and ``actions``'s. Another council's report is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from caseaudit.accounts import permissions
from caseaudit.audits.compliance import default_period
from caseaudit.core import clock, guards
from caseaudit.core.forms import form_data
from caseaudit.core.months import add_months, month_key, months_between
from caseaudit.inspection.models import JudgementArea
from caseaudit.performance.pages import snapshot_dates
from caseaudit.reports import actions, formats, kinds
from caseaudit.reports import permissions as rules
from caseaudit.reports.choices import Edition, ReportKind, ReportStatus
from caseaudit.reports.forms import PackForm, SelfEvaluationForm, ThematicAuditsForm
from caseaudit.reports.models import KindReport, ReportFile
from caseaudit.reports.render_html import render_kind_body
from caseaudit.reports.views import file_response, publishing_page
from caseaudit.thematic.models import ThematicAudit


def _kind(value: str) -> kinds.Kind:
    if value not in kinds.KINDS:
        raise Http404("No such kind of report.")
    return kinds.KINDS[value]


def _form(kind: kinds.Kind, request):
    user = request.user
    if kind.value == ReportKind.THEMATIC:
        audits = ThematicAudit.objects.visible_to(user).order_by("period_start", "title")
        return ThematicAuditsForm(form_data(request), audits=audits)
    if kind.value == ReportKind.SELF_EVALUATION:
        today = clock.today()
        first, last = default_period(today)
        months = months_between(add_months(last, -47), last)
        areas = JudgementArea.objects.for_council(user.council_id)
        initial = {
            "area": request.GET.get("area"),
            "from": request.GET.get("from") or month_key(first),
            "to": request.GET.get("to") or month_key(last),
        }
        return SelfEvaluationForm(form_data(request), areas=areas, months=months, initial=initial)
    return PackForm(form_data(request), dates=snapshot_dates(user.council))


def _report(request, pk: int, *, status: str) -> KindReport:
    return get_object_or_404(
        KindReport.objects.select_related("council", "created_by", "published_by"),
        pk=pk,
        council_id=request.user.council_id,
        status=status,
    )


def _draft(request, pk: int) -> KindReport:
    """A draft, for the person who started it (or the QA lead): it is built from live data,
    which another lead's chosen audits may hold and this person may not see."""
    report = _report(request, pk, status=ReportStatus.DRAFT)
    guards.check(rules.PUBLISH_KIND_REPORT.who(request.user, report))
    return report


@guards.requires(permissions.can_prepare_a_report)
def start(request, kind: str):
    chosen = _kind(kind)
    guards.check(chosen.may_prepare(request.user))
    form = _form(chosen, request)
    if request.method == "POST" and form.is_valid():
        try:
            report = actions.start_kind_report(
                request.user.council, kind=kind, parameters=form.parameters(), by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("reports:kind_draft", pk=report.pk)
    return render(request, "reports/kinds/start.html", {"form": form, "kind": chosen})


@guards.requires(permissions.can_prepare_a_report)
def draft(request, pk: int):
    report = _draft(request, pk)
    data = actions.preview_kind(report)
    return render(
        request,
        "reports/kinds/draft.html",
        {
            "report": report,
            "kind": kinds.KINDS[report.kind],
            "body": render_kind_body(data),
            "may_publish": rules.PUBLISH_KIND_REPORT(request.user, report)
            and not actions.is_publishing(report),
            "publishing": actions.is_publishing(report),
            "may_read_internal": permissions.can_read_internal_reports(request.user),
        },
    )


@guards.requires(permissions.can_prepare_a_report)
def draft_download(request, pk: int, fmt: str):
    report = _draft(request, pk)
    if fmt not in formats.RENDERINGS:
        raise Http404("No such format.")
    edition = request.GET.get("edition", Edition.PUBLIC)
    if edition not in Edition.values:
        raise Http404("No such edition.")
    if edition == Edition.INTERNAL:
        guards.check(permissions.can_read_internal_reports(request.user))
    data = actions.preview_kind(report, edition)
    return file_response(
        formats.render(data, fmt),
        formats.RENDERINGS[fmt].content_type,
        "draft-" + formats.filename(data, fmt),
    )


@require_POST
@guards.requires(permissions.can_prepare_a_report)
def publish(request, pk: int):
    """Queued for the background worker, as a highlight report is: the PDF and Word files of
    both editions take longer than a page should."""
    report = _draft(request, pk)
    try:
        actions.queue_publication(report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:kind_draft", pk=report.pk)
    return redirect("reports:kind_publishing", pk=report.pk)


@guards.requires(permissions.can_prepare_a_report)
def publishing(request, pk: int):
    report = get_object_or_404(
        KindReport.objects.defer("data", "html"), pk=pk, council_id=request.user.council_id
    )
    guards.check(rules.PUBLISH_KIND_REPORT.who(request.user, report))
    return publishing_page(
        request,
        report,
        title=f"the {kinds.KINDS[report.kind].label.lower()}",
        caption=report.title,
        urls={
            "status": reverse("reports:kind_publishing", args=[report.pk]),
            "draft": reverse("reports:kind_draft", args=[report.pk]),
            # Publishing is a button on the draft (a POST), not a page of its own.
            "retry": reverse("reports:kind_draft", args=[report.pk]),
            "published": reverse("reports:kind_report", args=[report.pk]),
        },
    )


@guards.requires(permissions.can_read_reports)
def report(request, pk: int):
    published = _report(request, pk, status=ReportStatus.PUBLISHED)
    files = list(published.files.defer("content").order_by("format"))
    return render(
        request,
        "reports/kinds/report.html",
        {
            "report": published,
            "files": [file for file in files if file.edition == Edition.PUBLIC],
            "internal_files": [file for file in files if file.edition == Edition.INTERNAL]
            if permissions.can_read_internal_reports(request.user)
            else [],
        },
    )


@guards.requires(permissions.can_read_reports)
def download(request, pk: int, fmt: str):
    published = _report(request, pk, status=ReportStatus.PUBLISHED)
    file = get_object_or_404(ReportFile, kind_report=published, edition=Edition.PUBLIC, format=fmt)
    return file_response(bytes(file.content), file.content_type, file.filename)


@guards.requires(permissions.can_read_internal_reports)
def download_internal(request, pk: int, fmt: str):
    published = _report(request, pk, status=ReportStatus.PUBLISHED)
    file = get_object_or_404(
        ReportFile, kind_report=published, edition=Edition.INTERNAL, format=fmt
    )
    return file_response(bytes(file.content), file.content_type, file.filename)
