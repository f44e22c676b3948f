"""What a person may do to a thematic audit, its findings and its actions *now*: the role
rules of ``accounts.permissions`` joined to the state maps of ``thematic.transitions``. The
pages ask these before offering a button; the actions call ``rule.check``."""

from django.core.exceptions import ValidationError

from caseaudit.accounts import permissions
from caseaudit.core.guards import Rule
from caseaudit.core.transitions import status_label
from caseaudit.thematic.choices import (
    ActionStatus,
    FindingKind,
    FindingStatus,
    SampleStatus,
    ThematicStatus,
)
from caseaudit.thematic.transitions import FINDING, THEMATIC, WORKING

ONLY_THE_LEAD = "Only the lead of this thematic audit, or the QA lead, can do this."
ONLY_OWNER = "Only the action's owner or the thematic audit's lead can update this action."


def may_manage(user, thematic_audit) -> bool:
    """The thematic audit's lead, or the council's QA lead."""
    return (
        permissions.can_lead_thematic_audits(user)
        and thematic_audit.council_id == user.council_id
        and (thematic_audit.lead_id == user.pk or permissions.sees_all_thematic_audits(user))
    )


def _working(thematic_audit) -> bool:
    return thematic_audit.status in WORKING


def _not_working(thematic_audit) -> ValidationError:
    return ValidationError(
        f"'{thematic_audit.title}' is {status_label(thematic_audit)}, so it cannot be changed."
    )


EDIT = Rule(who=may_manage, when=_working, not_you=ONLY_THE_LEAD, not_now=_not_working)
RECORD = EDIT  # consultations, findings, recommendations: while the audit is under way


def _may_draw(thematic_audit) -> bool:
    return (
        thematic_audit.status in (ThematicStatus.PLANNED, ThematicStatus.IN_PROGRESS)
        and thematic_audit.cohort_id is not None
        and not thematic_audit.samples.filter(status=SampleStatus.CONFIRMED).exists()
    )


def _no_draw(thematic_audit) -> ValidationError:
    if thematic_audit.cohort_id is None:
        return ValidationError("Choose the thematic audit's cohort before drawing a sample.")
    if thematic_audit.status not in (ThematicStatus.PLANNED, ThematicStatus.IN_PROGRESS):
        return _not_working(thematic_audit)
    return ValidationError("The sample is confirmed and cannot be drawn again or changed.")


DRAW_SAMPLE = Rule(who=may_manage, when=_may_draw, not_you=ONLY_THE_LEAD, not_now=_no_draw)


def _moving_to(to: str) -> Rule:
    return Rule(
        who=may_manage,
        when=lambda audit: THEMATIC.may(audit.status, to),
        not_you=ONLY_THE_LEAD,
        not_now=lambda audit: THEMATIC.refusal_to(audit, to),
    )


START = _moving_to(ThematicStatus.IN_PROGRESS)
TO_REPORTING = _moving_to(ThematicStatus.REPORTING)
COMPLETE = _moving_to(ThematicStatus.COMPLETE)
NEXT_STATUS = {
    ThematicStatus.PLANNED: (ThematicStatus.IN_PROGRESS, START),
    ThematicStatus.IN_PROGRESS: (ThematicStatus.REPORTING, TO_REPORTING),
    ThematicStatus.REPORTING: (ThematicStatus.COMPLETE, COMPLETE),
}


def _open_actions(finding) -> bool:
    """Whether any action answering the finding is not done (or it has none yet)."""
    # Read through ``all()`` so a page that prefetched the actions asks nothing more.
    actions = list(finding.actions.all())
    return not actions or any(action.status in ActionStatus.open() for action in actions)


def _may_move_finding(finding, to: str) -> bool:
    if not FINDING.may(finding.status, to):
        return False
    if to == FindingStatus.ASSIGNED:
        return finding.kind == FindingKind.IMPROVEMENT
    if to == FindingStatus.CLOSED and finding.kind == FindingKind.IMPROVEMENT:
        return finding.status == FindingStatus.ASSIGNED and not _open_actions(finding)
    return True


def _finding_refusal(finding, to: str) -> ValidationError:
    if not FINDING.may(finding.status, to):
        return FINDING.refusal_to(finding, to)
    if to == FindingStatus.ASSIGNED:
        return ValidationError("Only an area for improvement is assigned an owner.")
    if finding.status != FindingStatus.ASSIGNED:
        return ValidationError("Assign the area for improvement before closing it.")
    return ValidationError(
        "The finding has actions not done yet, or none: it closes once its actions are done."
    )


def move_finding(to: str) -> Rule:
    """identified → confirmed → assigned → closed (``thematic.transitions.FINDING``), where an
    area for improvement is assigned before it closes, and closes only once it has actions and
    every one is done."""
    return Rule(
        who=lambda user, finding: may_manage(user, finding.thematic_audit),
        when=lambda finding: _may_move_finding(finding, to),
        not_you=ONLY_THE_LEAD,
        not_now=lambda finding: _finding_refusal(finding, to),
    )


def _may_update_action(user, action) -> bool:
    return (
        permissions.can_own_thematic_actions(user)
        and action.thematic_audit.council_id == user.council_id
        and (action.owner_id == user.pk or may_manage(user, action.thematic_audit))
    )


UPDATE_ACTION = Rule(
    who=_may_update_action,
    when=lambda action: action.status in ActionStatus.open(),
    not_you=ONLY_OWNER,
    not_now=lambda action: ValidationError("This action is done and cannot be changed."),
)
