"""Reading sensitive records: filtered by scope, and logged in the same transaction.

Views fetch child-level and staff records only through ``get_object_for_user`` (one record)
or ``log_list_access`` (a list or export), so nothing is shown that was not logged: if the
log cannot be written the read fails with it and the page is refused.
"""

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.db import models, transaction
from django.http import Http404, HttpRequest

from caseaudit.accounts.choices import AccessAction
from caseaudit.accounts.models import AccessLog


def _parse_ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address, or None for anything else. Some load balancers add the port
    ("203.0.113.7:51234", "[2001:db8::1]:443"), which is dropped."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":")[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _trusted_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    # Parsed on each call (a handful of entries): tests and deployments can change the setting.
    # A malformed entry fails loudly rather than silently trusting, or distrusting, a proxy.
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES]


def client_ip(request: HttpRequest) -> str | None:
    """The address of the person's browser, for throttling sign-ins and for the access log.

    REMOTE_ADDR is the peer that connected to us. Only when that peer is one of our own
    proxies (``TRUSTED_PROXIES``) do we read X-Forwarded-For, and then from the right: each
    proxy appends the address it saw, so the rightmost entries are the ones our proxies wrote
    and anything further left may have been written by the browser. The first address from
    the right that is not a trusted proxy is the client. A header sent by anyone else is
    ignored, so nobody can choose the address their failures are counted against.
    """
    peer = _parse_ip(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    proxies = _trusted_proxies()

    def trusted(address) -> bool:
        return any(address in network for network in proxies)

    if not trusted(peer):
        return str(peer)
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _parse_ip(hop)
        if address is None:
            # A proxy of ours never writes garbage, so whatever wrote it is the client side:
            # stop and count the attempt against the last proxy that handed it on.
            break
        if not trusted(address):
            return str(address)
        peer = address
    return str(peer)


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
