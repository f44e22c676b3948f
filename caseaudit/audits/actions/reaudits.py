"""Re-audits: a case judged Inadequate is audited again, by someone else, a few months on.

The interval is ``settings.REAUDIT_INTERVAL_MONTHS`` (3 unless the council says otherwise).
The re-audit goes to the least-loaded team manager who did not do the first audit and is not
the child's own team manager, line manager or worker; when nobody is left, none is created
and the caller is told why, so QA can allocate it by hand.
"""

from dataclasses import dataclass

from django.conf import settings

from caseaudit.audits import eligibility
from caseaudit.audits.choices import AuditKind, AuditStatus
from caseaudit.audits.models import Answer, Audit
from caseaudit.core import clock
from caseaudit.core.grades import Grade, movement
from caseaudit.core.history import record_change
from caseaudit.core.months import add_months
from caseaudit.tools.choices import QuestionKind

DEFAULT_INTERVAL_MONTHS = 3
OVERALL = "Overall judgement"


@dataclass(frozen=True)
class ReauditOutcome:
    reaudit: Audit | None = None
    # Why no re-audit could be created, in words QA can act on; empty when all is well.
    problem: str = ""


@dataclass(frozen=True)
class GradeChange:
    """One row of a re-audit's comparison: a domain (or the overall judgement), then and now."""

    label: str
    before: str = ""
    after: str = ""

    @property
    def before_label(self) -> str:
        return Grade(self.before).label if self.before else "Not graded"

    @property
    def after_label(self) -> str:
        return Grade(self.after).label if self.after else "Not graded yet"

    @property
    def movement(self) -> int | None:
        if not (self.before and self.after):
            return None
        return movement(Grade(self.before), Grade(self.after))

    @property
    def movement_label(self) -> str:
        return "" if self.movement is None else movement_words(self.movement)


def interval_months() -> int:
    return getattr(settings, "REAUDIT_INTERVAL_MONTHS", DEFAULT_INTERVAL_MONTHS)


def create_reaudit(audit: Audit, *, by) -> ReauditOutcome:
    """Called by ``submit_audit`` in its transaction: a re-audit if the judgement is Inadequate."""
    if audit.overall_grade != Grade.INADEQUATE:
        return ReauditOutcome()
    existing = audit.reaudits.exclude(status=AuditStatus.CANCELLED).first()
    if existing is not None:
        return ReauditOutcome(reaudit=existing)
    candidates = eligibility.eligible_auditors(audit.council_id, eligibility.ties_of_audit(audit))
    auditor = candidates[0] if candidates else None
    if auditor is None:
        return ReauditOutcome(
            problem=f"No re-audit was created for child {audit.child.la_child_id}: there is no "
            "other team manager to allocate it to. Allocate the re-audit by hand."
        )
    child = audit.child
    version = audit.tool_version.tool.published() or audit.tool_version
    reaudit = Audit.objects.create(
        council_id=audit.council_id,
        kind=AuditKind.REAUDIT,
        child=child,
        # The child's team and worker now, as for any audit drawn today.
        team_id=child.allocated_team_id or audit.team_id,
        worker_id=child.allocated_worker_id or audit.worker_id,
        tool_version=version,
        auditor=auditor,
        due_date=add_months(clock.today(), interval_months()),
        reaudit_of=audit,
    )
    record_change(
        reaudit,
        by=by,
        action="created",
        reason=f"Re-audit of audit {audit.pk}, judged Inadequate; allocated to "
        f"{auditor.display_name}, who had {auditor.open_audits} open audits.",
    )
    return ReauditOutcome(reaudit=reaudit)


def domain_grades(audit: Audit) -> dict[str, str]:
    """Each domain's grade in this audit, by domain title (titles carry across tool versions)."""
    rows = (
        Answer.objects.filter(audit=audit, question__kind=QuestionKind.GRADE)
        .exclude(value="")
        .order_by("question__domain__position", "question__position")
        .values_list("question__domain__title", "value")
    )
    grades: dict[str, str] = {}
    for title, value in rows:
        grades.setdefault(title, value)
    return grades


def compare_with_previous(audit: Audit) -> list[GradeChange]:
    """The previous audit's grades beside this one's, domain by domain, then overall."""
    previous = audit.reaudit_of
    if previous is None:
        return []
    before, after = domain_grades(previous), domain_grades(audit)
    titles = list(audit.tool_version.domains.values_list("title", flat=True))
    titles += [title for title in before if title not in titles]
    rows = [GradeChange(title, before.get(title, ""), after.get(title, "")) for title in titles]
    if audit.tool_version.tool.has_overall_grade:
        rows.append(GradeChange(OVERALL, previous.overall_grade, audit.overall_grade))
    return rows


def movement_since_previous(audit: Audit) -> int | None:
    """For a submitted re-audit: grades of improvement in the overall judgement (+ is better)."""
    previous = audit.reaudit_of
    if previous is None or not (previous.overall_grade and audit.overall_grade):
        return None
    return movement(Grade(previous.overall_grade), Grade(audit.overall_grade))


def movement_words(steps: int) -> str:
    if steps == 0:
        return "No change"
    grades = "grade" if abs(steps) == 1 else "grades"
    return f"{'Improved' if steps > 0 else 'Declined'} by {abs(steps)} {grades}"


def describe_movement(previous: Audit, steps: int) -> str:
    return (
        f"Since audit {previous.pk} ({previous.get_overall_grade_display()}): "
        f"{movement_words(steps).lower()}."
    )
