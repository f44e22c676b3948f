"""How each status of a thematic audit and its parts may move (``core.transitions``)."""

from caseaudit.core.transitions import Transitions
from caseaudit.thematic.choices import ActionStatus, FindingStatus, SampleStatus, ThematicStatus

THEMATIC = Transitions(
    allowed_from={
        ThematicStatus.IN_PROGRESS: (ThematicStatus.PLANNED,),
        ThematicStatus.REPORTING: (ThematicStatus.IN_PROGRESS,),
        ThematicStatus.COMPLETE: (ThematicStatus.REPORTING,),
    },
    done={
        ThematicStatus.IN_PROGRESS: "started",
        ThematicStatus.REPORTING: "moved to reporting",
        ThematicStatus.COMPLETE: "completed",
    },
    subject=lambda audit: f"'{audit.title}'",
)

# Samples and findings may change while the audit is under way, not once it is complete.
WORKING = (ThematicStatus.PLANNED, ThematicStatus.IN_PROGRESS, ThematicStatus.REPORTING)

SAMPLE = Transitions(
    allowed_from={SampleStatus.CONFIRMED: (SampleStatus.DRAFT,)},
    done={SampleStatus.CONFIRMED: "confirmed"},
    subject=lambda sample: "The sample",
)

FINDING = Transitions(
    allowed_from={
        FindingStatus.CONFIRMED: (FindingStatus.IDENTIFIED,),
        FindingStatus.DISMISSED: (FindingStatus.IDENTIFIED,),
        FindingStatus.ASSIGNED: (FindingStatus.CONFIRMED,),
        # A strength closes once confirmed; an area for improvement once assigned and its
        # actions are done (``thematic.permissions.move_finding``).
        FindingStatus.CLOSED: (FindingStatus.CONFIRMED, FindingStatus.ASSIGNED),
    },
    done={
        FindingStatus.CONFIRMED: "confirmed",
        FindingStatus.DISMISSED: "dismissed",
        FindingStatus.ASSIGNED: "assigned",
        FindingStatus.CLOSED: "closed",
    },
)

ACTION = Transitions(
    allowed_from={
        ActionStatus.IN_PROGRESS: (ActionStatus.NOT_STARTED,),
        ActionStatus.DONE: (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS),
    },
    done={ActionStatus.IN_PROGRESS: "started", ActionStatus.DONE: "marked done"},
)
