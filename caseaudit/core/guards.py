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
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied

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
