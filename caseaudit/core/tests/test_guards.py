"""The declarative view guards, and the rule that no page forgets its guard."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.decorators import method_decorator
from django.views import View

from caseaudit.accounts import permissions
from caseaudit.accounts.choices import AccessAction
from caseaudit.accounts.models import AccessLog
from caseaudit.core import guards

# Pages anyone may open, signed in or not: signing in itself (with a password or the council's
# identity provider), and the site's icon.
PUBLIC = {
    "accounts:login",
    "accounts:sign_in_code",
    "accounts:sso_start",
    "accounts:sso_callback",
    "favicon",
}
# Django's own pages, with their own permission checks.
EXCLUDED_NAMESPACES = {"admin"}


def _patterns(resolvers, namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if inner in EXCLUDED_NAMESPACES:
                continue
            yield from _patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, entry.callback


def _ok(request, *args, **kwargs):
    return HttpResponse("ok")


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_every_page_is_guarded_or_says_it_is_open_to_anyone_signed_in():
    unmarked = [
        name
        for name, view in _patterns(get_resolver().url_patterns)
        if name not in PUBLIC and guards.required_permission(view) is None
    ]
    assert unmarked == [], (
        "These pages say nothing of who may open them: add @guards.requires(<rule>) or, for "
        f"a page every signed-in person may open, @guards.open_to_signed_in: {unmarked}"
    )


def test_only_the_sign_in_pages_are_open_to_people_not_signed_in():
    views = dict(_patterns(get_resolver().url_patterns))
    assert PUBLIC <= set(views)
    for name in PUBLIC:
        assert getattr(views[name], "login_required", True) is False, name
    # Pages that answer a signed-out person themselves still say who may use them.
    for name, view in views.items():
        if getattr(view, "login_required", True) is False and name not in PUBLIC:
            assert guards.required_permission(view) is not None, name


def test_the_guard_of_each_section_is_its_permission():
    views = dict(_patterns(get_resolver().url_patterns))
    assert guards.required_permission(views["audits:programme"]) is permissions.can_run_programme
    assert guards.required_permission(views["tools:tools"]) is permissions.can_run_programme
    assert guards.required_permission(views["cases:imports"]) is permissions.can_import_case_data
    assert guards.required_permission(views["reports:draft"]) is permissions.can_publish_reports
    assert guards.required_permission(views["home"]) is guards.signed_in


def test_requires_refuses_unless_the_predicate_holds():
    view = guards.requires(lambda user: user.username == "yes")(_ok)
    allowed, refused = _request(type("U", (), {"username": "yes"})()), _request(AnonymousUser())
    assert view(allowed).status_code == 200
    with pytest.raises(PermissionDenied):
        view(refused)


def test_requires_marks_a_class_based_view_through_method_decorator():
    def rule(user):
        return False

    @method_decorator(guards.requires(rule), name="dispatch")
    class Page(View):
        def get(self, request):
            return HttpResponse("ok")

    view = Page.as_view()
    assert guards.required_permission(view) is rule
    with pytest.raises(PermissionDenied):
        view(_request(AnonymousUser()))


def test_check_is_the_object_level_guard():
    guards.check(True)
    with pytest.raises(PermissionDenied, match="not yours"):
        guards.check(False, "not yours")


def test_a_guarded_refusal_is_a_logged_403(people, client_for):
    response = client_for(people.social_worker).get(reverse("audits:programme"))
    assert response.status_code == 403
    refusal = AccessLog.objects.order_by("-sequence").first()
    assert refusal.action == AccessAction.DENIED
    assert refusal.username == "social.worker"
