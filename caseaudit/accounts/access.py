"""Reading sensitive records: filtered by scope, and logged in the same transaction.

Views fetch child-level and staff records only through ``get_object_for_user`` (one record)
or ``log_list_access`` (a list or export), so nothing is shown that was not logged: if the
log cannot be written the read fails with it and the page is refused.
"""

from collections.abc import Iterable

from django.db import models, transaction
from django.http import Http404, HttpRequest

from caseaudit.accounts.choices import AccessAction
from caseaudit.accounts.models import AccessLog


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: behind a load balancer, set it from X-Forwarded-For in the proxy,
    # never trust a header the browser can write.
    return request.META.get("REMOTE_ADDR") or None


def record_access(
    request: HttpRequest,
    *,
    action: str,
    record_type: str,
    record_id: str = "",
    record_ids: Iterable | None = None,
) -> AccessLog:
    user = request.user if request.user.is_authenticated else None
    match = getattr(request, "resolver_match", None)
    route = request.get_full_path()[:450]
    if match and match.view_name:
        route = f"{route} ({match.view_name})"
    return AccessLog.append(
        user=user,
        username=user.get_username() if user else "",
        action=action,
        record_type=record_type,
        record_id=str(record_id)[:64],
        record_ids=None if record_ids is None else ",".join(str(pk) for pk in record_ids),
        route=route,
        ip_address=client_ip(request),
    )


def record_refusal(request: HttpRequest) -> AccessLog:
    """Log a 403: what was asked for, as far as the URL says (an admin page names its model,
    most pages their record's id; the route always says which page)."""
    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match else {}
    model_admin = getattr(match.func, "model_admin", None) if match else None
    return record_access(
        request,
        action=AccessAction.DENIED,
        record_type=model_admin.model._meta.label_lower if model_admin else "",
        record_id=kwargs.get("object_id") or kwargs.get("pk") or "",
    )


def get_object_for_user(request: HttpRequest, queryset: models.QuerySet, pk) -> models.Model:
    """The record, if the person may see it; otherwise 404, and the refusal is logged.

    ``queryset`` must offer ``visible_to(user)``; pass it with whatever ``select_related`` the
    page needs.
    """
    record_type = queryset.model._meta.label_lower
    with transaction.atomic():
        obj = queryset.visible_to(request.user).filter(pk=pk).first()
        action = AccessAction.VIEWED if obj is not None else AccessAction.DENIED
        record_access(request, action=action, record_type=record_type, record_id=pk)
    if obj is None:
        raise Http404("Not found, or not yours to see.")
    return obj


def log_list_access(
    request: HttpRequest, model: type[models.Model], *, ids: Iterable, action=None
) -> None:
    """Log a list or export of ``model`` records: ``ids`` are the ones actually shown (the
    page's, after pagination), so the log says whose records were on screen.

    Pass ids already in hand (``[row.pk for row in page]``, or ``row.child_id`` for what a
    row shows of a child), never a fresh query per row.
    """
    record_access(
        request,
        action=action or AccessAction.LISTED,
        record_type=model._meta.label_lower,
        record_ids=ids,
    )
