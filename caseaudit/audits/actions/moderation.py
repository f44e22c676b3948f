"""Moderation: QA's second look at a sample of submitted audits (DESIGN.md C2).

QA selects audits — a reproducible random share, or chosen ones — then records a moderated
grade for each domain and overall beside the auditor's. Wherever the two differ, the moderator
must say why. Completing a moderation moves the audit from submitted to moderated.

The agreement rate (moderated overall grade equals the auditor's) is counted in the database
and rounded by the same rule as compliance (``compliance.whole_percent``).
"""

import math
import random
import secrets
from dataclasses import dataclass
from fractions import Fraction

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q

from caseaudit.audits.choices import AuditStatus
from caseaudit.audits.compliance import (
    auditor_fields,
    auditor_label,
    counted_audits,
    format_rate,
    reporting_month,
    whole_percent,
)
from caseaudit.audits.models import Answer, Audit, ModeratedDomain, Moderation, ProgrammeMonth
from caseaudit.audits.transitions import AUDIT
from caseaudit.core import clock, transitions
from caseaudit.core.grades import ORDER, Grade
from caseaudit.core.history import record_change, snapshot
from caseaudit.core.months import month_key, month_label
from caseaudit.tools.choices import QuestionKind
from caseaudit.tools.models import Domain

DEFAULT_SHARE = Fraction(1, 10)


# Selecting -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """What a selection chose, and the seed that repeats it (None when audits were named)."""

    seed: int | None
    moderations: list[Moderation]


def awaiting_selection(council):
    """Submitted audits of ``council`` not yet selected for moderation."""
    return Audit.objects.filter(
        council=council, status=AuditStatus.SUBMITTED, moderation__isnull=True
    )


def how_many(pool: int, share) -> int:
    """``share`` of ``pool``, rounded up so any pool gives at least one. Exact arithmetic:
    a float 0.1 × 30 is 3.0000000000000004, which would round up to 4."""
    return min(pool, math.ceil(Fraction(str(share)) * pool))


@transaction.atomic
def select_for_moderation(
    council, *, month=None, share=DEFAULT_SHARE, seed: int | None = None, audits=None, by
) -> Selection:
    """Select audits for ``by`` to moderate: the given ``audits``, or a random ``share`` of the
    submitted audits not yet moderated (in ``month`` — a ProgrammeMonth or the first day of a
    month — if given; a re-audit's month is the month it was due).

    The same seed and the same waiting audits always give the same selection; the seed is kept
    in each moderation's history so a draw can be explained and repeated.
    """
    if isinstance(month, ProgrammeMonth):
        month = month.month
    if audits is not None:
        chosen = _check_chosen(council, [audit.pk for audit in audits])
        seed = None
    else:
        share = Fraction(str(share))
        if not 0 < share <= 1:
            raise ValidationError("The share to moderate must be more than 0% and at most 100%.")
        pool = awaiting_selection(council)
        if month is not None:
            pool = pool.alias(reporting_month=reporting_month()).filter(reporting_month=month)
        ids = list(pool.order_by("pk").values_list("pk", flat=True))
        if not ids:
            where = f" in {month_label(month)}" if month else ""
            raise ValidationError(f"There are no submitted audits{where} waiting for moderation.")
        seed = secrets.randbelow(2**31) if seed is None else seed
        # Seeded for repeatability, never for security.
        picked = random.Random(seed).sample(ids, how_many(len(ids), share))  # noqa: S311
        # Checked again under the lock: another QA lead may have selected some meanwhile.
        chosen = _check_chosen(council, picked)
    reason = (
        f"Random {float(share):.0%} of submitted audits"
        f"{' for ' + month_key(month) if month else ''}, seed {seed}"
        if seed is not None
        else "Selected by name"
    )
    moderations = []
    for audit in chosen:
        moderation = Moderation.objects.create(audit=audit, moderator=by)
        record_change(moderation, by=by, action="created", reason=reason)
        moderations.append(moderation)
    return Selection(seed=seed, moderations=moderations)


def _check_chosen(council, ids: list[int]) -> list[Audit]:
    if not ids:
        raise ValidationError("Select at least one audit to moderate.")
    locked = list(
        Audit.objects.select_for_update().filter(pk__in=ids).select_related("child").order_by("pk")
    )
    taken = set(Moderation.objects.filter(audit_id__in=ids).values_list("audit_id", flat=True))
    problems = []
    for audit in locked:
        if audit.council_id != council.pk:
            problems.append(f"{audit.child} is not one of this council's audits.")
        elif audit.status != AuditStatus.SUBMITTED:
            problems.append(
                f"Only a submitted audit can be moderated: the audit of {audit.child} is "
                f"{audit.get_status_display().lower()}."
            )
        elif audit.pk in taken:
            problems.append(f"The audit of {audit.child} is already selected for moderation.")
    if len(locked) != len(set(ids)):
        problems.append("An audit selected no longer exists.")
    if problems:
        raise ValidationError(problems)
    return locked


# Recording -------------------------------------------------------------------------------------


def graded_domains(audit: Audit):
    """The domains of the audit's tool version that carry a grade."""
    return (
        Domain.objects.filter(version_id=audit.tool_version_id, questions__kind=QuestionKind.GRADE)
        .distinct()
        .order_by("position")
    )


def auditor_domain_grades(audit: Audit) -> dict[int, str]:
    """The auditor's grade for each domain: the answer to its grade question (the first, if a
    tool ever has two)."""
    answers = (
        Answer.objects.filter(audit=audit, question__kind=QuestionKind.GRADE)
        .exclude(value="")
        .order_by("question__domain_id", "-question__position")
        .values_list("question__domain_id", "value")
    )
    # Later positions first, so the first question's answer is the one the dict keeps.
    return dict(answers)


def grade_field(domain_id: int) -> str:
    return f"grade_{domain_id}"


def reason_field(domain_id: int) -> str:
    return f"reason_{domain_id}"


@transaction.atomic
def record_moderation(
    moderation: Moderation,
    *,
    overall_grade: str,
    domain_grades: dict[int, str],
    reasons: dict[int, str],
    overall_reason: str = "",
    by,
) -> Moderation:
    """Record the moderated grades and complete the moderation: the audit becomes moderated.

    Refused (``ValidationError``, keyed by the form field each message belongs to) unless the
    audit is submitted and every graded domain has a moderated grade, with a reason wherever it
    differs from the auditor's; likewise the overall grade.
    """
    # The moderation's row lock keeps two moderators of it apart; the audit itself moves by
    # one conditional UPDATE (core.transitions) at the end.
    moderation = Moderation.objects.select_for_update().get(pk=moderation.pk)
    audit = Audit.objects.select_related("tool_version__tool", "child").get(pk=moderation.audit_id)
    if moderation.completed_at is not None:
        raise ValidationError("This audit has already been moderated.")
    if audit.status != AuditStatus.SUBMITTED:
        raise ValidationError(
            f"Only a submitted audit can be moderated: this one is "
            f"{audit.get_status_display().lower()}."
        )
    if audit.auditor_id == getattr(by, "pk", None):
        raise ValidationError("You cannot moderate an audit you did yourself.")

    domains = list(graded_domains(audit))
    theirs = auditor_domain_grades(audit)
    errors: dict[str, list[str]] = {}
    grades = {int(key): value for key, value in domain_grades.items()}
    why = {int(key): (value or "").strip() for key, value in reasons.items()}
    if set(grades) - {domain.pk for domain in domains}:
        errors[NON_FIELD_ERRORS] = ["A grade was given for a domain not in this audit's tool."]
    for domain in domains:
        grade = grades.get(domain.pk, "")
        if grade not in Grade.values:
            errors[grade_field(domain.pk)] = [f"Select the moderated grade for {domain.title}"]
        elif grade != theirs.get(domain.pk, "") and not why.get(domain.pk):
            errors[reason_field(domain.pk)] = [
                f"Enter why the moderated grade for {domain.title} differs from the auditor's"
            ]
    overall_reason = (overall_reason or "").strip()
    if audit.tool_version.tool.has_overall_grade:
        if overall_grade not in Grade.values:
            errors["overall_grade"] = ["Select the moderated overall grade"]
        elif overall_grade != audit.overall_grade and not overall_reason:
            errors["overall_reason"] = [
                "Enter why the moderated overall grade differs from the auditor's"
            ]
    elif overall_grade:
        errors["overall_grade"] = ["This audit's tool has no overall grade"]
    if errors:
        raise ValidationError(errors)

    now = clock.now()
    ModeratedDomain.objects.bulk_create(
        ModeratedDomain(
            moderation=moderation,
            domain=domain,
            grade=grades[domain.pk],
            reason=why.get(domain.pk, ""),
        )
        for domain in domains
    )
    moderation.overall_grade = overall_grade or ""
    moderation.reason = overall_reason
    moderation.moderator = by
    moderation.completed_at = now
    moderation.save(update_fields=["overall_grade", "reason", "moderator", "completed_at"])
    record_change(
        moderation,
        by=by,
        action="changed",
        after={
            **snapshot(moderation),
            "domains": {str(pk): grade for pk, grade in sorted(grades.items())},
        },
        reason="Moderation completed",
    )

    transitions.move(
        audit,
        AuditStatus.MODERATED,
        transitions=AUDIT,
        by=by,
        moderated_at=now,
        # Whatever form is still open on the audit can no longer be saved over it.
        lock_version=F("lock_version") + 1,
    )
    return moderation


# Agreement -------------------------------------------------------------------------------------

# group_by: (values() fields, the key first; ordering)
AGREEMENT_GROUPINGS = {
    "auditor": (
        auditor_fields("audit__"),
        ("audit__auditor__last_name", "audit__auditor__first_name", "audit__auditor__username"),
    ),
    "team": (("audit__team_id", "audit__team__name"), ("audit__team__name",)),
}


@dataclass(frozen=True)
class AgreementRow:
    key: str | int | None
    label: str
    moderated: int
    agreed: int

    @property
    def rate(self) -> int | None:
        return whole_percent(self.agreed, self.moderated)

    @property
    def rate_text(self) -> str:
        return format_rate(self.rate)

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "moderated": self.moderated,
            "agreed": self.agreed,
            "rate": self.rate,
        }


@dataclass(frozen=True)
class AgreementTable:
    group_by: str
    rows: list[AgreementRow]
    total: AgreementRow

    @property
    def heading(self) -> str:
        return self.group_by.capitalize()

    def as_json(self) -> dict:
        return {
            "group_by": self.group_by,
            "rows": [row.as_json() for row in self.rows],
            "total": self.total.as_json(),
        }


def agreement_rates(
    council, *, group_by: str, from_month=None, to_month=None, user=None
) -> AgreementTable:
    """How often moderation agreed with the auditor's overall grade, by auditor, team or
    month: two queries (the rows and the total), whatever the number of moderations."""
    if group_by not in (*AGREEMENT_GROUPINGS, "month"):
        raise ValueError(f"Agreement rates are by auditor, team or month, not {group_by!r}")
    audits = counted_audits(council, user=user, from_month=from_month, to_month=to_month)
    # Only moderations with an overall grade to agree on (light-touch tools have none).
    moderations = (
        Moderation.objects.filter(audit__in=audits, completed_at__isnull=False)
        .exclude(overall_grade="")
        .order_by()
    )
    counts = {
        "moderated": Count("pk"),
        "agreed": Count("pk", filter=Q(overall_grade=F("audit__overall_grade"))),
    }
    if group_by == "month":
        grouped = (
            moderations.values(month=reporting_month("audit__"))
            .annotate(**counts)
            .order_by("month")
        )
        rows = [
            AgreementRow(
                month_key(v["month"]), month_label(v["month"]), v["moderated"], v["agreed"]
            )
            for v in grouped
        ]
    else:
        fields, ordering = AGREEMENT_GROUPINGS[group_by]
        grouped = moderations.values(*fields).annotate(**counts).order_by(*ordering, fields[0])
        rows = [
            AgreementRow(v[fields[0]], _label(group_by, v), v["moderated"], v["agreed"])
            for v in grouped
        ]
    total = moderations.aggregate(**counts)
    return AgreementTable(
        group_by=group_by,
        rows=rows,
        total=AgreementRow(None, "Total", total["moderated"], total["agreed"]),
    )


def _label(group_by: str, values: dict) -> str:
    if group_by == "team":
        return values["audit__team__name"]
    return auditor_label(values, "audit__")


# Agreement beyond chance -----------------------------------------------------------------------


@dataclass(frozen=True)
class GradeAgreement:
    """Auditor's overall grade (rows) against the moderator's (columns), in grade order, for
    the completed moderations of audits counted in a period; and what they say together."""

    matrix: list[list[int]]

    @property
    def moderated(self) -> int:
        return sum(map(sum, self.matrix))

    @property
    def agreed(self) -> int:
        return sum(self.matrix[i][i] for i in range(len(self.matrix)))

    @property
    def rate(self) -> int | None:
        return whole_percent(self.agreed, self.moderated)

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa: agreement beyond what the two sets of grades would reach by chance,
        (observed − expected) ÷ (1 − expected). None when it cannot be worked out (nothing
        moderated, or every grade the same on both sides, so chance alone explains it)."""
        n = self.moderated
        if not n:
            return None
        observed = Fraction(self.agreed, n)
        rows = [sum(row) for row in self.matrix]
        columns = [sum(column) for column in zip(*self.matrix, strict=True)]
        expected = sum(Fraction(r * c, n * n) for r, c in zip(rows, columns, strict=True))
        if expected == 1:
            return None
        return round(float((observed - expected) / (1 - expected)), 2)


def grade_agreement(council, *, from_month, to_month) -> GradeAgreement:
    """One grouped query: the completed moderations with an overall grade of audits counted in
    the period (by their reporting month, as every figure of the period is)."""
    grades = [grade.value for grade in ORDER]
    grouped = (
        Moderation.objects.filter(
            audit__in=counted_audits(council, from_month=from_month, to_month=to_month),
            completed_at__isnull=False,
            overall_grade__in=grades,
            audit__overall_grade__in=grades,
        )
        .values("audit__overall_grade", "overall_grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    matrix = [[0] * len(grades) for _ in grades]
    for row in grouped:
        matrix[grades.index(row["audit__overall_grade"])][grades.index(row["overall_grade"])] = row[
            "n"
        ]
    return GradeAgreement(matrix)
