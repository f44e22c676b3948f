"""Where a programme month has got to: the one place its stage and its task list are worked
out, from what has happened to it (its status, and whether its sample has been drawn,
confirmed and allocated), never from a status kept beside those.

``ProgrammeMonth.objects.with_progress()`` reads the three facts in the month's own query;
``ProgrammeMonth.progress`` turns them into a ``MonthProgress``: the stage shown as the
month's status tag wherever the month is listed, and the tasks of its page (draw → confirm →
allocate → open), each Completed, Not started or Cannot start yet, and the next one to do.
"""

from dataclasses import dataclass
from enum import StrEnum

from caseaudit.audits.choices import MonthStatus


class TaskStatus(StrEnum):
    """A GOV.UK task list's statuses: the month's tasks and an audit's parts (``audit_parts``)."""

    COMPLETED = "Completed"
    IN_PROGRESS = "In progress"
    NOT_STARTED = "Not started"
    CANNOT_START = "Cannot start yet"


@dataclass(frozen=True)
class Task:
    key: str  # draw, confirm, allocate, open
    name: str
    status: TaskStatus
    hint: str

    @property
    def completed(self) -> bool:
        return self.status == TaskStatus.COMPLETED


@dataclass(frozen=True)
class Stage:
    label: str
    # The GOV.UK tag colour: a modifier of govuk-tag, or blank for the default (blue).
    colour: str


# The month's stages, in order, with the tag each is shown with.
NOT_STARTED = Stage("Not started", "grey")
SAMPLE_DRAWN = Stage("Sample drawn", "light-blue")
SAMPLE_CONFIRMED = Stage("Sample confirmed", "light-blue")
ALLOCATED = Stage("Allocated, not open", "blue")
OPEN = Stage("Open", "green")
PAUSED = Stage("Paused", "yellow")
CLOSED = Stage("Closed", "")


@dataclass(frozen=True)
class MonthProgress:
    status: str  # MonthStatus
    drawn: bool  # a sample has been drawn: a preview or a confirmed one
    confirmed: bool
    allocated: bool

    @property
    def stage(self) -> Stage:
        if self.status == MonthStatus.OPEN:
            return OPEN
        if self.status == MonthStatus.PAUSED:
            return PAUSED
        if self.status == MonthStatus.CLOSED:
            return CLOSED
        if self.allocated:
            return ALLOCATED
        if self.confirmed:
            return SAMPLE_CONFIRMED
        if self.drawn:
            return SAMPLE_DRAWN
        return NOT_STARTED

    @property
    def opened(self) -> bool:
        """Open now, or open once: a paused or closed month has been opened (or paused
        before it began, when it takes nothing new either)."""
        return self.status != MonthStatus.PLANNED

    @property
    def tasks(self) -> list[Task]:
        def status(done: bool, may_start: bool) -> TaskStatus:
            if done:
                return TaskStatus.COMPLETED
            return TaskStatus.NOT_STARTED if may_start else TaskStatus.CANNOT_START

        # A month opened before its sample was allocated (as the programme allowed before the
        # task list) still shows what is left to do.
        return [
            Task(
                "draw",
                "Draw the sample",
                status(self.drawn or self.confirmed, True),
                "Draw cases at random from each team's open cases.",
            ),
            Task(
                "confirm",
                "Check and confirm the sample",
                status(self.confirmed, self.drawn),
                "Swap out a case if you need to, then confirm the sample.",
            ),
            Task(
                "allocate",
                "Allocate the audits",
                status(self.allocated, self.confirmed),
                "Preview who would audit each case, then confirm the allocation.",
            ),
            Task(
                "open",
                "Open the month",
                status(self.opened, self.allocated),
                "Team managers can then start their audits.",
            ),
        ]

    @property
    def next_task(self) -> Task | None:
        """The first task not completed that may start: the page's one primary button.
        None in a paused or closed month, which takes nothing new."""
        if self.status in (MonthStatus.PAUSED, MonthStatus.CLOSED):
            return None
        return next((t for t in self.tasks if t.status == TaskStatus.NOT_STARTED), None)
