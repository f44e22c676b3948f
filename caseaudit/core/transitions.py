"""Guarded state changes: the one way a record's status moves.

Each status type declares its ``Transitions``: for each status, the statuses it may be reached
from, and the word for reaching it ("submitted", "opened"). ``move`` then changes a record in
one conditional UPDATE (``… WHERE status = <what we read>``), so of two people acting at once
exactly one wins on SQLite or PostgreSQL and the other is refused, never silently overwritten;
it writes the history row in the caller's transaction; and it refuses a move the map does not
allow with a sentence a person can read ("March 2024 is closed, so it cannot be opened.").
``update_while`` is the same guard for a change that keeps the status (an audit reallocated or
given more time while it is still open).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

from caseaudit.core.history import record_change, snapshot


def _this(obj: models.Model) -> str:
    return f"This {obj._meta.verbose_name}"


@dataclass(frozen=True)
class Transitions:
    """The moves one status type allows: ``allowed_from[to]`` is where ``to`` may be reached
    from, ``done[to]`` the past participle for reaching it."""

    allowed_from: Mapping[str, Iterable[str]]
    done: Mapping[str, str]
    # How a refusal names the record: "This audit", "March 2024".
    subject: Callable[[models.Model], str] = _this
    field: str = "status"

    def may(self, current: str, to: str) -> bool:
        return current in self.allowed_from.get(to, ())

    def refusal(self, obj: models.Model, *, doing: str) -> ValidationError:
        status = status_label(obj, self.field)
        return ValidationError(
            f"{self.subject(obj)} is {status}, so it cannot be {doing}.", code="wrong_state"
        )

    def already(self, obj: models.Model) -> ValidationError:
        return ValidationError(
            f"{self.subject(obj)} is already {status_label(obj, self.field)}.", code="wrong_state"
        )

    def refusal_to(
        self, obj: models.Model, to: str, *, doing: str | None = None
    ) -> ValidationError:
        """What ``move`` says when ``obj`` may not move to ``to`` from where it is now."""
        if getattr(obj, self.field) == to:
            return self.already(obj)
        return self.refusal(obj, doing=doing or self.done[to])


CHANGED_MEANWHILE = (
    "Someone else changed this while you were working on it. Reload the page and try again."
)


def status_label(obj: models.Model, name: str = "status") -> str:
    """A record's status as a sentence says it: "submitted", "in progress"."""
    return getattr(obj, f"get_{name}_display")().lower()


def move(
    obj: models.Model,
    to: str,
    *,
    transitions: Transitions,
    by,
    reason: str = "",
    doing: str | None = None,
    **updates,
) -> models.Model:
    """Move ``obj`` to status ``to`` if the map allows it from the status it has now, setting
    ``updates`` (values or expressions) in the same UPDATE, and record the change. Returns the
    record as it now is. Call inside the action's transaction."""
    moved, before = move_row(obj, to, transitions=transitions, doing=doing, **updates)
    _record(moved, before, by=by, reason=reason)
    return moved


def move_row(
    obj: models.Model, to: str, *, transitions: Transitions, doing: str | None = None, **updates
) -> tuple[models.Model, dict]:
    """``move`` without the history row, for an action that records the change itself once it
    knows more (a submission's re-audit): the record as it now is, and what it was."""
    doing = doing or transitions.done[to]

    def check(record) -> None:
        if not transitions.may(getattr(record, transitions.field), to):
            raise transitions.refusal_to(record, to, doing=doing)

    current = type(obj).objects.get(pk=obj.pk)
    check(current)
    condition = {transitions.field: getattr(current, transitions.field)}
    return _write(current, condition, {transitions.field: to, **updates}, check=check)


def update_while(
    obj: models.Model,
    statuses: Iterable[str],
    *,
    transitions: Transitions,
    doing: str,
    by,
    reason: str = "",
    **updates,
) -> models.Model:
    """Set ``updates`` on ``obj`` only while its status is one of ``statuses``; record it."""
    statuses = frozenset(statuses)

    def check(record) -> None:
        if getattr(record, transitions.field) not in statuses:
            raise transitions.refusal(record, doing=doing)

    current = type(obj).objects.get(pk=obj.pk)
    check(current)
    condition = {f"{transitions.field}__in": statuses}
    changed, before = _write(current, condition, updates, check=check)
    _record(changed, before, by=by, reason=reason)
    return changed


def _write(current, condition: dict, updates: dict, *, check) -> tuple[models.Model, dict]:
    """One conditional UPDATE of ``current``; ``check`` raises the refusal for a record whose
    status no longer allows the change."""
    model = type(current)
    before = snapshot(current, fields=list(updates))
    if not model.objects.filter(pk=current.pk, **condition).update(**updates):
        # Someone else moved it between our read and our write: say what happened if the
        # status tells, rather than guess.
        check(model.objects.get(pk=current.pk))
        raise ValidationError(CHANGED_MEANWHILE, code="changed")
    current.refresh_from_db()
    return current, before


def _record(obj, before: dict, *, by, reason: str) -> None:
    record_change(
        obj,
        by=by,
        action="changed",
        before=before,
        after=snapshot(obj, fields=list(before)),
        reason=reason,
    )
