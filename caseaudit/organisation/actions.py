"""Every change to the organisation goes through these functions, which keep its history."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction

from caseaudit.core.history import record_change, snapshot
from caseaudit.organisation.models import Assignment, Council, Team, Worker

# The DfE's local-authority codes are three digits (936 is Surrey): benchmarks are matched by it.
COUNCIL_CODE = re.compile(r"\d{3}")


@transaction.atomic
def start_council(*, code: str, name: str, by=None) -> Council:
    """A new council, on a fresh installation or for another authority: its code and name.
    Its organisation comes from its first Annex A return and the administrator's pages."""
    code, name = code.strip(), " ".join(name.split())
    # Each problem names its field, so a form can put it beside the field it is about.
    if not COUNCIL_CODE.fullmatch(code):
        raise ValidationError(
            {
                "code": f"The council code must be the DfE's three-digit local-authority code, "
                f"like 936, not {code!r}."
            }
        )
    if not name:
        raise ValidationError({"name": "Give the council's name."})
    if len(name) > Council._meta.get_field("name").max_length:
        raise ValidationError({"name": "The council's name must be 200 characters or fewer."})
    if Council.objects.filter(code=code).exists():
        raise ValidationError({"code": f"A council with the code {code} already exists."})
    if Council.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"A council called {name} already exists."})
    council = Council.objects.create(code=code, name=name)
    record_change(council, by=by, action="created", after={"code": code, "name": name})
    return council


@transaction.atomic
def add_worker(
    council: Council,
    *,
    name: str,
    staff_id: str,
    team: Team,
    job_role: str,
    starts_on: datetime.date,
    manager: Worker | None = None,
    email: str = "",
    by=None,
) -> Worker:
    if team.council_id != council.pk:
        raise ValidationError("The team belongs to another council.")
    worker = Worker.objects.create(council=council, name=name, staff_id=staff_id, email=email)
    assignment = Assignment.objects.create(
        worker=worker, team=team, job_role=job_role, manager=manager, starts_on=starts_on
    )
    record_change(worker, by=by, action="created")
    record_change(assignment, by=by, action="created")
    return worker


@transaction.atomic
def move_worker(
    worker: Worker,
    *,
    team: Team,
    job_role: str,
    on: datetime.date,
    manager: Worker | None = None,
    by=None,
    reason: str = "",
) -> Assignment:
    """Close the worker's current assignment the day before ``on`` and open a new one."""
    if team.council_id != worker.council_id:
        raise ValidationError("The team belongs to another council.")
    if manager is not None and manager.pk == worker.pk:
        raise ValidationError("A worker cannot manage themselves.")
    current = worker.assignments.select_for_update().filter(ends_on__isnull=True).first()
    if current is not None:
        if on <= current.starts_on:
            raise ValidationError(
                f"The move must be after the current assignment started "
                f"({current.starts_on:%-d %B %Y})."
            )
        before = snapshot(current)
        current.ends_on = on - datetime.timedelta(days=1)
        current.save(update_fields=["ends_on"])
        record_change(current, by=by, action="changed", before=before, reason=reason)
    assignment = Assignment.objects.create(
        worker=worker, team=team, job_role=job_role, manager=manager, starts_on=on
    )
    record_change(assignment, by=by, action="created", reason=reason)
    return assignment


@transaction.atomic
def leave(worker: Worker, *, on: datetime.date, by=None, reason: str = "") -> None:
    """The worker leaves the council: their open assignment ends on ``on``."""
    current = worker.assignments.select_for_update().filter(ends_on__isnull=True).first()
    if current is None:
        raise ValidationError(f"{worker} has no current assignment to end.")
    if on < current.starts_on:
        raise ValidationError("The leaving date is before the current assignment started.")
    before = snapshot(current)
    current.ends_on = on
    current.save(update_fields=["ends_on"])
    record_change(current, by=by, action="changed", before=before, reason=reason)
