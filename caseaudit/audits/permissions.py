"""What a person may do to an audit, an alert or a practice action *now*: the role rules of
``accounts.permissions`` joined to the state maps of ``audits.transitions``.

Each is a ``core.guards.Rule``. The audit page asks ``rules.CANCEL_AUDIT(user, audit)`` before
it offers "Cancel this audit"; ``actions.workflow.cancel_audit`` calls
``rules.CANCEL_AUDIT.check(by, audit)``. One rule, so the page never offers a button the action
would refuse, nor hides one it would allow. (``accounts`` cannot import ``audits``, so the
rules that need an audit's status live here.)
"""

from django.core.exceptions import ValidationError

from caseaudit.accounts import permissions
from caseaudit.audits.choices import ActionStatus, AuditStatus, Decision
from caseaudit.audits.models import Exemption, Extension
from caseaudit.audits.transitions import AUDIT, OPEN
from caseaudit.core.guards import Rule
from caseaudit.core.transitions import status_label

# An audit that ended without being done: nothing more follows from it.
ENDED = frozenset({AuditStatus.CANCELLED, AuditStatus.EXEMPTED})

ONLY_THE_AUDITOR = "Only the person this audit is allocated to can change it."
ONLY_QA = "Only the audit and practice standards lead can do this."


def _is_open(audit) -> bool:
    return audit.status in OPEN


def _moving_to(to: str):
    """``when`` and ``not_now`` for a rule that moves an audit to ``to``: the AUDIT map's."""
    return {
        "when": lambda audit: AUDIT.may(audit.status, to),
        "not_now": lambda audit: AUDIT.refusal_to(audit, to),
    }


def _auditor(user, audit) -> bool:
    return permissions.can_do_audit(user, audit)


def _qa(user, audit) -> bool:
    """The QA lead of the audit's council (a QA lead elsewhere cannot even see it)."""
    return permissions.can_run_programme(user) and audit.council_id == user.council_id


# Doing the audit ------------------------------------------------------------------------------

# Fill in and save the audit (the form on the audit page).
EDIT_AUDIT = Rule(
    who=_auditor,
    when=_is_open,
    not_you=ONLY_THE_AUDITOR,
    not_now=lambda audit: AUDIT.refusal(audit, doing="changed"),
)
SUBMIT_AUDIT = Rule(who=_auditor, not_you=ONLY_THE_AUDITOR, **_moving_to(AuditStatus.SUBMITTED))


def _may_ask(model, what: str, already: str) -> Rule:
    """Ask for an exemption or more time: the auditor, while the audit is open and no request
    of the same kind is waiting for a decision."""

    def when(audit) -> bool:
        return _is_open(audit) and not _pending(audit, model)

    def not_now(audit) -> ValidationError:
        if not _is_open(audit):
            return ValidationError(
                f"This audit is {status_label(audit)}, so you cannot ask for {what}."
            )
        return ValidationError(already)

    return Rule(who=_auditor, when=when, not_you=ONLY_THE_AUDITOR, not_now=not_now)


def _pending(audit, model) -> bool:
    return model.objects.filter(audit_id=audit.pk, decision=Decision.PENDING).exists()


REQUEST_EXEMPTION = _may_ask(
    Exemption,
    "an exemption",
    already="You have already asked for this audit to be exempted.",
)
REQUEST_EXTENSION = _may_ask(
    Extension,
    "an extension",
    already="You have already asked for more time for this audit.",
)

# QA's side roads: stop an audit, or give it to someone else, while it is still open.
CANCEL_AUDIT = Rule(who=_qa, not_you=ONLY_QA, **_moving_to(AuditStatus.CANCELLED))
REALLOCATE_AUDIT = Rule(
    who=_qa,
    when=_is_open,
    not_you=ONLY_QA,
    not_now=lambda audit: AUDIT.refusal(audit, doing="reallocated"),
)


# After the audit ------------------------------------------------------------------------------

RAISE_ALERT = Rule(
    who=permissions.can_raise_safeguarding_alert,
    when=lambda audit: audit.status != AuditStatus.CANCELLED,
    not_you="Only the auditor or QA can raise an alert from this audit.",
    not_now=lambda audit: ValidationError(
        "This audit is cancelled. Raise the concern with the child's team."
    ),
)
ADD_PRACTICE_ACTION = Rule(
    who=permissions.can_follow_up_audit,
    when=lambda audit: audit.status not in ENDED,
    not_you="Only the auditor or QA can add actions to this audit.",
    not_now=lambda audit: ValidationError(
        f"This audit is {status_label(audit)}, so it cannot have actions."
    ),
)
RECORD_FEEDBACK = Rule(
    who=permissions.can_follow_up_audit,
    when=lambda audit: audit.status not in ENDED,
    not_you="Only the auditor or QA can record feedback on this audit.",
    not_now=lambda audit: ValidationError(
        f"This audit is {status_label(audit)}, so feedback cannot be linked to it."
    ),
)
RECORD_REFLECTION = Rule(
    who=permissions.can_follow_up_audit,
    when=lambda audit: audit.status in AuditStatus.completed(),
    not_you="Only the auditor or QA can record the reflection.",
    not_now=lambda audit: ValidationError(
        "The reflection meeting follows the audit: submit the audit first."
    ),
)
CLOSE_ALERT = Rule(
    who=permissions.can_close_safeguarding_alert,
    when=lambda alert: alert.closed_at is None,
    not_you="Only the managers told of this alert, or QA, can close it.",
    not_now=lambda alert: ValidationError(
        "The action taken on this alert has already been recorded."
    ),
)
CLOSE_PRACTICE_ACTION = Rule(
    who=permissions.can_update_practice_action,
    when=lambda action: action.status == ActionStatus.OPEN,
    not_you="Only the owner, their manager or QA can update this action.",
    not_now=lambda action: ValidationError("This action has already been closed."),
)
