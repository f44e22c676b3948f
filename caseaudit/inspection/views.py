"""Inspection pages: parse, call an action, render. Who may open each page is said above it.

Nothing here is about one child: inspections, recommendations and the evidence's aggregate
figures. Elected members read the judgements and each recommendation's confirmed RAG, never
the working (actions, evidence, history)."""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from caseaudit.accounts import permissions
from caseaudit.accounts.access import get_object_for_user
from caseaudit.audits.choices import Rag
from caseaudit.audits.compliance import default_period
from caseaudit.core import clock, guards
from caseaudit.core.forms import add_action_errors, form_data, with_versions
from caseaudit.core.grades import ORDER
from caseaudit.core.months import month_key, parse_month
from caseaudit.core.versioning import ChangedSinceOpened
from caseaudit.inspection import actions, lists, mock, self_evaluation
from caseaudit.inspection import evidence as reading
from caseaudit.inspection.choices import EvidenceKind
from caseaudit.inspection.forms import (
    ActionForm,
    AreaForm,
    CohortForm,
    EvidenceForm,
    InspectionForm,
    JudgementsForm,
    MockInspectionForm,
    RagForm,
    RecommendationForm,
)
from caseaudit.inspection.models import (
    Evidence,
    Inspection,
    JudgementArea,
    Recommendation,
    RecommendationAction,
)
from caseaudit.performance.indicators import INDICATORS
from caseaudit.thematic import actions as thematic
from caseaudit.thematic.forms import ActionUpdateForm
from caseaudit.thematic.models import ThematicAudit
from caseaudit.thematic.querysets import overdue_q

readers = guards.requires(permissions.can_see_inspection_rags)
staff_readers = guards.requires(permissions.can_see_inspections)
qa_only = guards.requires(permissions.can_manage_inspections)


NOT_FOR_YOU_MOCK = "A mock inspection is the council's own working: it is not for your role."


def _inspection(request, pk: int) -> Inspection:
    """The inspection, if the person may see it (404 out of the council); a mock inspection
    only to those who may read the working (403 to the rest)."""
    found = get_object_for_user(
        request,
        Inspection.objects.select_related(
            "thematic_audit__lead", "thematic_audit__cohort", "thematic_audit__tool_version__tool"
        ),
        pk,
    )
    guards.check(
        not found.is_mock or permissions.can_see_mock_inspections(request.user), NOT_FOR_YOU_MOCK
    )
    return found


def _not_mock(inspection: Inspection) -> Inspection:
    if inspection.is_mock:
        raise Http404(actions.MOCK_RECOMMENDATIONS)
    return inspection


def _recommendation(request, pk: int) -> Recommendation:
    return get_object_for_user(
        request,
        Recommendation.objects.select_related("inspection__council", "area").with_rag(),
        pk,
    )


def _rag_counts(recommendations) -> list[tuple[str, str, int]]:
    counted = Counter(r.confirmed_rag for r in recommendations)
    return [(rag.value, rag.label, counted.get(rag.value, 0)) for rag in Rag] + [
        ("", "Not yet set", counted.get(None, 0))
    ]


@readers
def index(request):
    user = request.user
    listed = (
        Inspection.objects.visible_to(user)
        .prefetch_related("judgements__area")
        .order_by("-started_on", "-pk")
    )
    # Mock inspections in a section of their own: never among Ofsted's, nor "the last".
    mocks = listed.mock().select_related("thematic_audit")
    if not permissions.can_see_mock_inspections(user):
        mocks = mocks.none()
    areas = JudgementArea.objects.none()
    if permissions.can_see_inspections(user):
        # Those Ofsted judges now, and any older area the council's recommendations still
        # answer to.
        answered = Recommendation.objects.filter(inspection__council_id=user.council_id)
        areas = JudgementArea.objects.for_council(user.council_id).filter(
            Q(pk__in=JudgementArea.objects.active_on(clock.today()).values("pk"))
            | Q(pk__in=answered.values("area_id"))
        )
    return render(
        request,
        "inspection/index.html",
        {
            "inspections": listed.real(),
            "mocks": mocks,
            "may_manage": permissions.can_manage_inspections(user),
            "areas": areas,
        },
    )


@readers
def detail(request, pk: int):
    inspection = _inspection(request, pk)
    user = request.user
    context = {
        "inspection": inspection,
        "judgements": inspection.judgements.select_related("area"),
        "may_manage": permissions.can_manage_inspections(user),
    }
    if inspection.is_mock:
        context.update(_mock_context(user, inspection))
    else:
        recommendations = list(
            inspection.recommendations.select_related("area").with_rag().order_by("number")
        )
        context["recommendations"] = recommendations
        context["rag_counts"] = _rag_counts(recommendations)
    return render(request, "inspection/detail.html", context)


def _mock_context(user, inspection) -> dict:
    """The thematic audit that carries the mock inspection out, its figures, and which of its
    pages the person may open (the thematic app's rules say)."""
    carried_out = inspection.thematic_audit
    if carried_out is None:
        return {"carried_out": None}
    return {
        "carried_out": carried_out,
        "summary": mock.summarise(carried_out),
        "may_open_thematic": ThematicAudit.objects.visible_to(user)
        .filter(pk=carried_out.pk)
        .exists(),
        "may_open_cohort": permissions.can_build_cohorts(user),
    }


def _targets(inspection, rows, user) -> dict[int, list]:
    """Each recommendation's linked indicators: target, latest value and trend, as the person
    is shown them on the indicator's page. Each indicator is read once, however many
    recommendations link it."""
    linked = Evidence.objects.filter(recommendation__in=rows, kind=EvidenceKind.INDICATOR).order_by(
        "recommendation_id", "pk"
    )
    values: dict[str, list | None] = {}
    found: dict[int, list] = {}
    for evidence in linked:
        code = evidence.indicator_code
        if code not in values:
            values[code] = reading.indicator_values(inspection.council, code, user)
        if values[code] is not None:
            found.setdefault(evidence.recommendation_id, []).append(
                reading.IndicatorReading(INDICATORS[code], evidence.target, values[code])
            )
    return found


@readers
def recommendations(request, pk: int):
    """Every recommendation with its RAG; for staff also its actions done and overdue and its
    latest evidence. One query for the list, one for the evidence, however many there are."""
    inspection = _not_mock(_inspection(request, pk))
    full = permissions.can_see_inspections(request.user)
    rows = inspection.recommendations.select_related("area").with_rag().order_by("number")
    if full:
        rows = rows.with_action_counts()
    rows = list(rows)
    targets = _targets(inspection, rows, request.user)
    for row in rows:
        row.targets = targets.get(row.pk, [])
    if full:
        latest = {}
        for linked in (
            Evidence.objects.filter(recommendation__in=rows)
            .select_related("thematic_audit", "finding")
            .order_by("recommendation_id", "-added_at", "-pk")
        ):
            latest.setdefault(linked.recommendation_id, linked)
        for row in rows:
            row.latest_evidence = latest.get(row.pk)
    return render(
        request,
        "inspection/recommendations.html",
        {
            "inspection": inspection,
            "recommendations": rows,
            "full": full,
            "rag_counts": _rag_counts(rows),
        },
    )


def _recommendation_page(request, recommendation, rag_form, *, status: int = 200):
    user = request.user
    readings = actions.readings_of(recommendation, user)
    action_list = list(recommendation.actions.select_related("owner"))
    proposal = actions.propose_rag(recommendation, readings)
    for action in action_list:
        action.may_update = actions.UPDATE_ACTION(user, action)
    return render(
        request,
        "inspection/recommendation.html",
        {
            "recommendation": recommendation,
            "inspection": recommendation.inspection,
            "actions": action_list,
            "readings": readings,
            "indicators": [r for r in readings if r.indicator is not None],
            "proposal": proposal,
            "history": recommendation.rag_history.select_related("decided_by"),
            "may_manage": permissions.can_manage_inspections(user),
            "rag_form": rag_form,
            "evidence_kinds": EvidenceKind.choices,
            "stale_months": reading.STALE_AFTER_MONTHS,
        },
        status=status,
    )


@staff_readers
def recommendation(request, pk: int):
    """The recommendation, its actions, its evidence as it reads now, what the chain
    proposes beside the confirmed RAG, and the RAG's history; the QA lead sets the RAG here."""
    found = _recommendation(request, pk)
    may_manage = permissions.can_manage_inspections(request.user)
    if request.method == "POST":
        guards.check(may_manage, actions.ONLY_QA)
    form = RagForm(
        form_data(request),
        initial={"lock_version": found.lock_version, "rag_value": found.confirmed_rag},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.confirm_rag(
                found,
                rag_value=data["rag_value"],
                rationale=data["rationale"],
                lock_version=data["lock_version"],
                by=request.user,
            )
        except ChangedSinceOpened as error:
            found = _recommendation(request, pk)
            form = with_versions(RagForm, request.POST, {"lock_version": found.lock_version})
            add_action_errors(form, error)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"The RAG status of {found} has been set.")
            return redirect(found)
    return _recommendation_page(request, found, form)


def _form_page(request, recommendation, form, *, title: str, **extra):
    return render(
        request,
        "inspection/form.html",
        {"recommendation": recommendation, "form": form, "title": title, **extra},
    )


def _run(request, form, action, *, success: str, to):
    try:
        action()
    except ValidationError as error:
        add_action_errors(form, error)
        return None
    messages.success(request, success)
    return redirect(to)


@qa_only
def add_action(request, pk: int):
    found = _recommendation(request, pk)
    form = ActionForm(form_data(request), council_id=found.inspection.council_id)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: actions.add_action(found, **form.cleaned_data, by=request.user),
            success="The action has been added.",
            to=found,
        )
        if done:
            return done
    return _form_page(request, found, form, title="Add an action")


@qa_only
def link_evidence(request, pk: int, kind: str):
    found = _recommendation(request, pk)
    if kind not in EvidenceKind.values:
        raise Http404("There is no such kind of evidence.")
    form = EvidenceForm(form_data(request), kind=kind, council=found.inspection.council)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: actions.link_evidence(
                found, kind=kind, **form.action_fields(), by=request.user
            ),
            success="The evidence has been linked.",
            to=found,
        )
        if done:
            return done
    return _form_page(
        request, found, form, title=f"Link evidence: {EvidenceKind(kind).label.lower()}"
    )


@guards.requires(permissions.can_own_inspection_actions)
def your_actions(request):
    """The actions a person owns, whichever recommendation they answer: a team manager sees
    these and nothing else of the inspection."""
    owned = (
        RecommendationAction.objects.visible_to(request.user)
        .filter(owner=request.user)
        .select_related("recommendation__inspection")
    )
    shown = lists.YOUR_INSPECTION_ACTIONS.show(request, owned)
    on_page = [action.pk for action in shown.page]
    overdue = set(owned.filter(overdue_q(), pk__in=on_page).values_list("pk", flat=True))
    return render(request, "inspection/your_actions.html", {"shown": shown, "overdue": overdue})


@guards.requires(permissions.can_own_inspection_actions)
def update_action(request, action_pk: int):
    found = get_object_for_user(
        request,
        RecommendationAction.objects.select_related("recommendation__inspection"),
        action_pk,
    )
    guards.check(actions.UPDATE_ACTION.who(request.user, found), actions.ONLY_OWNER)
    form = ActionUpdateForm(form_data(request), initial={"evidence": found.evidence})
    if request.method == "POST" and form.is_valid():
        to = (
            found.recommendation
            if permissions.can_see_inspections(request.user)
            else "inspection:your_actions"
        )
        done = _run(
            request,
            form,
            lambda: actions.update_action(found, **form.cleaned_data, by=request.user),
            success="The action has been updated.",
            to=to,
        )
        if done:
            return done
    return _form_page(
        request, None, form, title=f"Update the action: {found}", recommendation_action=found
    )


# Recording an inspection (the QA lead) ------------------------------------------------------


@qa_only
def create(request):
    form = InspectionForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.record_inspection(
                request.user.council, **form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"The {created} has been recorded.")
            return redirect(created)
    return _form_page(request, None, form, title="Record an inspection", recording=True)


@qa_only
def judgements(request, pk: int):
    inspection = _inspection(request, pk)
    if not inspection.is_graded:
        raise Http404("This kind of inspection gives no judgements.")
    current = dict(inspection.judgements.values_list("area_id", "grade"))
    form = JudgementsForm(form_data(request), areas=actions.areas_for(inspection), current=current)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: actions.record_judgements(inspection, form.grades(), by=request.user),
            success="The judgements have been saved.",
            to=inspection,
        )
        if done:
            return done
    return _form_page(
        request, None, form, title="Record the judgements", inspection=inspection, recording=True
    )


@qa_only
def add_recommendation(request, pk: int):
    inspection = _not_mock(_inspection(request, pk))
    form = RecommendationForm(form_data(request), areas=actions.areas_for(inspection))
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: actions.add_recommendation(inspection, **form.cleaned_data, by=request.user),
            success="The recommendation has been added.",
            to=reverse("inspection:recommendations", args=[inspection.pk]),
        )
        if done:
            return done
    return _form_page(
        request, None, form, title="Add a recommendation", inspection=inspection, recording=True
    )


def _period(request, today) -> tuple:
    """The months asked for (``?from=2025-12&to=2026-11``), else the last 12 complete months;
    with what was wrong with what was asked for, in words."""
    first, last = default_period(today)
    asked = request.GET.get("from"), request.GET.get("to")
    if not any(asked):
        return first, last, ""
    try:
        chosen = [parse_month(text or "") for text in asked]
    except ValueError:
        return first, last, "Enter the months as year and month, for example 2025-12."
    if chosen[0] > chosen[1]:
        return first, last, "The first month must not be after the last month."
    return chosen[0], chosen[1], ""


@staff_readers
def know_ourselves(request, pk: int):
    """One judgement area's self-evaluation: what we know, how we know, what we will do."""
    user = request.user
    area = get_object_or_404(JudgementArea.objects.for_council(user.council_id), pk=pk)
    today = clock.today()
    first, last, problem = _period(request, today)
    built = self_evaluation.build(
        user.council, area, user, today=today, from_month=first, to_month=last
    )
    return render(
        request,
        "inspection/know_ourselves.html",
        {
            "built": built,
            "area": area,
            "problem": problem,
            "from_key": month_key(first),
            "to_key": month_key(last),
            "stale_months": reading.STALE_AFTER_MONTHS,
            "grade_labels": [grade.label for grade in ORDER],
            "may_publish": permissions.can_manage_inspections(user),
            "may_change_cohort": permissions.can_manage_inspections(user)
            and area.council_id == user.council_id,
        },
    )


@qa_only
def area_cohort(request, pk: int):
    """Whose audits count for one of the council's own judgement areas (the national areas'
    come with caseaudit)."""
    area = get_object_or_404(
        JudgementArea.objects.filter(council_id=request.user.council_id), pk=pk
    )
    form = CohortForm(form_data(request), initial={"cohort_services": area.cohort_services})
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: actions.set_area_cohort(
                area, services=form.cleaned_data["cohort_services"], by=request.user
            ),
            success="Whose audits count for this judgement area has been changed.",
            to=reverse("inspection:know_ourselves", args=[area.pk]),
        )
        if done:
            return done
    return render(request, "inspection/area_cohort.html", {"area": area, "form": form})


@qa_only
def map_recommendation(request, pk: int):
    found = _recommendation(request, pk)
    council_id = found.inspection.council_id
    form = AreaForm(form_data(request), council_id=council_id, initial={"area": found.area})
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: actions.map_recommendation(
                found, area=form.cleaned_data["area"], by=request.user
            ),
            success="The judgement area has been changed.",
            to=found,
        )
        if done:
            return done
    return _form_page(request, found, form, title="Change the judgement area")


# Mock inspections (the QA lead): recorded and changed through the thematic audit that carries
# each out ------------------------------------------------------------------------------------


@qa_only
def create_mock(request):
    council = request.user.council
    form = MockInspectionForm(form_data(request), council=council, initial={"lead": request.user})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        auditors = data.pop("auditors")
        try:
            created = actions.record_mock_inspection(
                council, auditors=auditors, by=request.user, **data
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"The {created} has been recorded.")
            return redirect(created)
    return _form_page(request, None, form, title="Record a mock inspection", recording=True)


@qa_only
def edit_mock(request, pk: int):
    inspection = _inspection(request, pk)
    carried_out = inspection.thematic_audit
    if carried_out is None:
        raise Http404("This mock inspection has no thematic audit to change.")
    initial = {name: getattr(carried_out, name) for name in thematic.DETAIL_FIELDS}
    initial["auditors"] = list(carried_out.auditors.all())
    form = MockInspectionForm(form_data(request), council=inspection.council, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        auditors = data.pop("auditors")
        done = _run(
            request,
            form,
            lambda: actions.edit_mock_inspection(
                inspection, auditors=auditors, by=request.user, **data
            ),
            success="The mock inspection has been changed.",
            to=inspection,
        )
        if done:
            return done
    return _form_page(
        request,
        None,
        form,
        title="Change the mock inspection",
        inspection=inspection,
        recording=True,
    )
