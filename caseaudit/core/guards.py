"""Declarative view guards: each page says who may open it, in one line above the view.

    @requires(permissions.can_run_programme)
    def overview(request): ...

``requires`` refuses with ``PermissionDenied`` (a 403, which ``RefusalLogMiddleware`` logs as
a refusal) unless ``predicate(request.user)`` is true. Rules about one record (may this person
do *this* audit?) cannot be asked before the record is fetched: the view fetches it through
its access-scoped queryset (404 for what the person may not see), then asks

    guards.check(permissions.can_do_audit(request.user, audit))

Core is the bottom layer and imports no app, so the predicate is always passed in.

Every view records what guards it (``view.required_permission``), so a test can walk the URL
patterns and fail for a page that forgot: a page any signed-in person may open says so with
``@open_to_signed_in``.

What a page offers to do to a record (cancel this audit, close this alert) is a ``Rule``: the
page and the action ask the same one.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

ATTRIBUTE = "required_permission"


def signed_in(user) -> bool:
    """The rule of a page open to anyone signed in (LoginRequiredMiddleware sees to that)."""
    return bool(user and user.is_authenticated)


def requires(predicate: Callable[..., bool]):
    """Refuse the view with 403 unless ``predicate(request.user)``. For a class-based view,
    ``method_decorator(requires(...), name="dispatch")``: ``as_view`` copies the mark."""

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            check(predicate(request.user))
            return view(request, *args, **kwargs)

        setattr(guarded, ATTRIBUTE, predicate)
        return guarded

    return decorator


def open_to_signed_in(view):
    """Mark a page that every signed-in person may open (their home page, their account), or
    whose rule is about the record it shows and is checked with ``check`` once it is fetched."""
    setattr(view, ATTRIBUTE, signed_in)
    return view


def check(allowed: bool, message: str = "") -> None:
    """The object-level guard: 403 unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message)


def required_permission(view) -> Callable[..., bool] | None:
    """What guards ``view``, or None if nothing says."""
    return getattr(view, ATTRIBUTE, None)


@dataclass(frozen=True)
class Rule:
    """What a person may do to a record, in two parts: who may (role and scope, a rule from
    ``accounts.permissions``) and when (the record's state). A page asks ``rule(user, record)``
    before it offers the button; the action calls ``rule.check(by, record)``, so a page never
    offers what the action would refuse, nor hides what it would allow.

    ``check`` refuses the wrong person with ``PermissionDenied(not_you)`` and the wrong moment
    with ``not_now(record)``, a ``ValidationError`` the person can read.
    """

    who: Callable[[Any, Any], bool]
    when: Callable[[Any], bool]
    not_you: str
    not_now: Callable[[Any], ValidationError]

    def __call__(self, user, record) -> bool:
        return bool(self.who(user, record) and self.when(record))

    def check(self, user, record) -> None:
        check(self.who(user, record), self.not_you)
        self.check_state(record)

    def check_state(self, record) -> None:
        """The ``when`` half alone, for an action that leaves the ``who`` to its callers
        (the programme's actions, which the command line also runs, as no one)."""
        if not self.when(record):
            raise self.not_now(record)
