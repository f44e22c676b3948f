"""How each status in the audit programme may move (``core.transitions``): the one map per
status type that the actions follow and the pages ask before offering a button."""

from caseaudit.audits.choices import AuditStatus, MonthStatus, SampleStatus
from caseaudit.core.transitions import Transitions

OPEN = (AuditStatus.ALLOCATED, AuditStatus.IN_PROGRESS)

# allocated → in progress → submitted → moderated; exempted and cancelled end an open audit.
AUDIT = Transitions(
    allowed_from={
        AuditStatus.IN_PROGRESS: (AuditStatus.ALLOCATED,),
        # An auditor may fill in and submit in one go, without a draft save first.
        AuditStatus.SUBMITTED: OPEN,
        AuditStatus.EXEMPTED: OPEN,
        AuditStatus.CANCELLED: OPEN,
        AuditStatus.MODERATED: (AuditStatus.SUBMITTED,),
    },
    done={
        AuditStatus.IN_PROGRESS: "started",
        AuditStatus.SUBMITTED: "submitted",
        AuditStatus.EXEMPTED: "exempted",
        AuditStatus.CANCELLED: "cancelled",
        AuditStatus.MODERATED: "moderated",
    },
)

# planned → open ⇄ paused → closed. A planned month may be paused before it starts, as the
# seeds' pause covered months not yet begun; opening a paused month resumes it.
MONTH = Transitions(
    allowed_from={
        MonthStatus.OPEN: (MonthStatus.PLANNED, MonthStatus.PAUSED),
        MonthStatus.PAUSED: (MonthStatus.PLANNED, MonthStatus.OPEN),
        MonthStatus.CLOSED: (MonthStatus.OPEN,),
    },
    done={MonthStatus.OPEN: "opened", MonthStatus.PAUSED: "paused", MonthStatus.CLOSED: "closed"},
    subject=str,
)

# A drawn sample is a preview until it is confirmed.
SAMPLE = Transitions(
    allowed_from={SampleStatus.CONFIRMED: (SampleStatus.DRAFT,)},
    done={SampleStatus.CONFIRMED: "confirmed"},
    subject=lambda sample: f"The sample for {sample.month}",
)
