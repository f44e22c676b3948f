"""The report kinds besides the highlight report (``choices.ReportKind``): for each, what its
parameters are and how they are checked, who may prepare it, and its builder. Drafting,
previewing, publishing, freezing and every format are the same for all of them (``actions``,
``formats``, ``reports.document``)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from caseaudit.accounts import permissions
from caseaudit.core.months import month_key, month_label, parse_month
from caseaudit.inspection.models import JudgementArea
from caseaudit.performance.indicators import NoSnapshot, snapshot_for
from caseaudit.reports import compendium_pack, self_evaluation_report, thematic_overview
from caseaudit.reports.choices import Edition, ReportKind
from caseaudit.thematic.models import ThematicAudit


@dataclass(frozen=True)
class Kind:
    value: str
    label: str
    # Who may choose what it covers, preview it and publish it.
    may_prepare: Callable[[object], bool]
    # The parameters as stored, checked for ``council`` (and, given one, for the person
    # preparing it): a ``ValidationError`` in words otherwise.
    clean: Callable[..., dict]
    build: Callable[..., dict]
    # The draft's working title, before its first build.
    title: Callable[[dict], str]


def _clean_thematic(council, parameters: dict, by=None) -> dict:
    ids = parameters.get("audits")
    if not ids:
        raise ValidationError("Choose at least one thematic audit for the report.")
    try:
        ids = sorted({int(pk) for pk in ids})
    except (TypeError, ValueError):
        raise ValidationError("Choose thematic audits from the list.") from None
    try:
        audits = thematic_overview.chosen_audits(council, ids)
    except thematic_overview.UnknownAudits as error:
        raise ValidationError(str(error)) from None
    if by is not None:
        mine = set(
            ThematicAudit.objects.visible_to(by).filter(pk__in=ids).values_list("pk", flat=True)
        )
        if mine != {audit.pk for audit in audits}:
            raise ValidationError("Choose only thematic audits you lead.")
    return {"audits": ids}


def _build_thematic(council, parameters: dict, *, today=None, edition=Edition.PUBLIC) -> dict:
    return thematic_overview.build_thematic(
        council, parameters["audits"], today=today, edition=edition
    )


def _clean_compendium(council, parameters: dict, by=None) -> dict:
    try:
        as_at = datetime.date.fromisoformat(str(parameters.get("as_at", "")))
    except ValueError:
        raise ValidationError("Choose the date of the case data the pack reports.") from None
    try:
        snapshot = snapshot_for(council, as_at)
    except NoSnapshot as error:
        raise ValidationError(str(error)) from None
    return {"as_at": snapshot.as_at.isoformat()}


def _build_compendium(council, parameters: dict, *, today=None, edition=Edition.PUBLIC) -> dict:
    return compendium_pack.build_compendium(
        council, datetime.date.fromisoformat(parameters["as_at"]), today=today, edition=edition
    )


def _clean_self_evaluation(council, parameters: dict, by=None) -> dict:
    text = str(parameters.get("area", "")).strip()
    area = None
    if text.isdigit() and len(text) < 12:
        area = JudgementArea.objects.for_council(council.pk).filter(pk=int(text)).first()
    if area is None:
        raise ValidationError("Choose the judgement area the self-evaluation is for.")
    try:
        from_month = parse_month(str(parameters.get("from", "")))
        to_month = parse_month(str(parameters.get("to", "")))
    except ValueError:
        raise ValidationError(
            "Choose the first and last months of the period, for example 2025-12."
        ) from None
    if from_month > to_month:
        raise ValidationError("The first month of the period must not be after the last.")
    return {
        "area": area.pk,
        "area_name": area.name,
        "from": month_key(from_month),
        "to": month_key(to_month),
    }


def _build_self_evaluation(
    council, parameters: dict, *, today=None, edition=Edition.PUBLIC
) -> dict:
    return self_evaluation_report.build_self_evaluation(
        council,
        parameters["area"],
        parse_month(parameters["from"]),
        parse_month(parameters["to"]),
        today=today,
        edition=edition,
    )


def _self_evaluation_title(parameters: dict) -> str:
    first, last = parse_month(parameters["from"]), parse_month(parameters["to"])
    return (
        f"Self-evaluation: {parameters['area_name']}, {month_label(first)} to {month_label(last)}"
    )


KINDS: dict[str, Kind] = {
    ReportKind.THEMATIC: Kind(
        value=ReportKind.THEMATIC.value,
        label=ReportKind.THEMATIC.label,
        may_prepare=permissions.can_prepare_thematic_reports,
        clean=_clean_thematic,
        build=_build_thematic,
        title=lambda parameters: (
            f"Thematic overview report ({len(parameters['audits'])} thematic "
            f"audit{'s' if len(parameters['audits']) != 1 else ''})"
        ),
    ),
    ReportKind.COMPENDIUM: Kind(
        value=ReportKind.COMPENDIUM.value,
        label=ReportKind.COMPENDIUM.label,
        may_prepare=permissions.can_prepare_performance_packs,
        clean=_clean_compendium,
        build=_build_compendium,
        title=lambda parameters: (
            "Performance information for select committee, case data as at "
            f"{datetime.date.fromisoformat(parameters['as_at']):%-d %B %Y}"
        ),
    ),
    ReportKind.SELF_EVALUATION: Kind(
        value=ReportKind.SELF_EVALUATION.value,
        label=ReportKind.SELF_EVALUATION.label,
        may_prepare=permissions.can_manage_inspections,
        clean=_clean_self_evaluation,
        build=_build_self_evaluation,
        title=_self_evaluation_title,
    ),
}


def kind_of(value: str) -> Kind:
    return KINDS[value]


def build(report, *, edition: str = Edition.PUBLIC, today: datetime.date | None = None) -> dict:
    """A report's data, built from the data as it is now."""
    return KINDS[report.kind].build(report.council, report.parameters, today=today, edition=edition)
