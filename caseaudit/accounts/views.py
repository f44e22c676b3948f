import datetime
import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods
from mozilla_django_oidc import views as oidc_views

from caseaudit.accounts import lists, permissions, sso, two_step
from caseaudit.accounts.access import client_ip, log_list_access
from caseaudit.accounts.choices import AccessAction
from caseaudit.accounts.forms import ChangePasswordForm, CodeForm, SignInForm
from caseaudit.accounts.models import AccessLog, User
from caseaudit.accounts.profile import profile
from caseaudit.core import guards
from caseaudit.core.forms import add_action_errors, form_data

# Session keys: who has given the right password and still owes a code; a secret being
# enrolled, not yet confirmed.
PENDING = "two_step_pending"
PENDING_FOR = datetime.timedelta(minutes=5)
NEW_SECRET = "two_step_new_secret"  # noqa: S105 (a session key, not a secret) # nosec B105


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        # With local passwords off there is no form, and a password sent anyway is refused
        # unread (and the refusal logged, as every 403 is).
        if request.method == "POST" and not settings.LOCAL_PASSWORDS:
            raise PermissionDenied("Local passwords are turned off: sign in with single sign-on.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["local_passwords"] = settings.LOCAL_PASSWORDS
        context["sso_enabled"] = sso.enabled()
        return context

    def form_valid(self, form):
        user = form.get_user()
        if not two_step.is_enabled(user):
            return super().form_valid(form)
        # The password was right, but the session is not signed in until the code is: it
        # only remembers who is half-way, for a few minutes.
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "until": (timezone.now() + PENDING_FOR).isoformat(),
        }
        return redirect("accounts:sign_in_code")


def _sso_refused(request, reason: str):
    return render(
        request,
        "accounts/sso_refused.html",
        {
            "unknown_person": reason == sso.UNKNOWN_PERSON,
            "closed": reason == sso.CLOSED_ACCOUNT,
            "unavailable": reason == sso.PROVIDER_UNAVAILABLE,
        },
        # The provider out of reach is no refusal of the person: try again later.
        status=503 if reason == sso.PROVIDER_UNAVAILABLE else 403,
    )


@method_decorator(login_not_required, name="dispatch")
class SingleSignOnStartView(oidc_views.OIDCAuthenticationRequestView):
    """ "Sign in with your council account": off to the provider, with a fresh state and
    nonce kept in the session (mozilla-django-oidc)."""

    def __init__(self, *args, **kwargs):
        # The provider's endpoints are read when someone starts, not at import.
        super(oidc_views.OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not sso.enabled():
            raise Http404("Single sign-on is not configured.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = sso.endpoints()["authorization_endpoint"]
        except sso.Refused as refusal:
            sso.record_refusal(request, refusal)
            return _sso_refused(request, refusal.reason)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class SingleSignOnCallbackView(oidc_views.OIDCAuthenticationCallbackView):
    """Back from the provider: the backend checks the code's ID token and finds the person
    (backends.SingleSignOnBackend). Signed in, or a page that says why not."""

    def get(self, request):
        if not sso.enabled():
            raise Http404("Single sign-on is not configured.")
        try:
            return super().get(request)
        except SuspiciousOperation as error:
            # A state this session never sent: a forged or replayed callback.
            sso.record_refusal(request, sso.Refused(sso.BAD_STATE, str(error)))
            return _sso_refused(request, sso.BAD_STATE)

    def login_success(self):
        response = super().login_success()
        sso.record_sign_in(self.request, self.user)
        return response

    def login_failure(self):
        reason = getattr(self.request, "sso_refusal", None)
        if reason is None:
            # Refused before any token: the provider said no (or the person cancelled there),
            # or the session has no sign-in under way.
            error = self.request.GET.get("error")
            refusal = (
                sso.Refused(sso.PROVIDER_ERROR, error[:100])
                if error
                else sso.Refused(sso.BAD_STATE, "no sign-in under way in this session")
            )
            sso.record_refusal(self.request, refusal)
            reason = refusal.reason
        return _sso_refused(self.request, reason)


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or datetime.datetime.fromisoformat(pending["until"]) < timezone.now():
        return None, pending
    return User.objects.filter(pk=pending["user"], is_active=True).first(), pending


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    """The second step of signing in, for people who have turned two-step sign-in on."""
    user, pending = _pending_user(request)
    if user is None or not two_step.is_enabled(user):
        if request.session.pop(PENDING, None):
            messages.info(request, "Sign in again: the code was not entered in time.")
        return redirect("accounts:login")
    form = CodeForm(form_data(request), button="Continue")
    if request.method == "POST" and form.is_valid():
        try:
            two_step.sign_in_with_code(user, form.cleaned_data["code"], address=client_ip(request))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            request.session.pop(PENDING, None)
            auth_login(request, user, backend=pending["backend"])
            return redirect(pending["next"])
    return render(request, "accounts/sign_in_code.html", {"form": form})


@method_decorator(guards.open_to_signed_in, name="dispatch")
class SignOutView(auth_views.LogoutView):
    pass


def _local_passwords_only(view):
    """A page about caseaudit's own password or code: refused while local passwords are off
    (people sign in through their council's provider, which does both)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.LOCAL_PASSWORDS:
            raise PermissionDenied("Local passwords are turned off.")
        return view(request, *args, **kwargs)

    return wrapper


@method_decorator(guards.open_to_signed_in, name="dispatch")
@method_decorator(_local_passwords_only, name="dispatch")
class ChangePasswordView(auth_views.PasswordChangeView):
    template_name = "accounts/change_password.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        from django.contrib import messages

        messages.success(self.request, "Your password has been changed.")
        return super().form_valid(form)


@guards.open_to_signed_in
def account(request):
    context = profile(request.user)
    context["two_step_on"] = two_step.is_enabled(request.user)
    context["local_passwords"] = settings.LOCAL_PASSWORDS
    return render(request, "accounts/account.html", context)


@require_http_methods(["GET", "POST"])
@guards.open_to_signed_in
@_local_passwords_only
def two_step_on(request):
    """Turn on two-step sign-in: the new secret as text and as a QR code, and a code to
    show the app has it. The secret stays in the session until then."""
    if two_step.is_enabled(request.user):
        return redirect("accounts:two_step_off")
    secret = request.session.get(NEW_SECRET) or two_step.new_secret()
    request.session[NEW_SECRET] = secret
    form = CodeForm(form_data(request), button="Turn on two-step sign-in")
    if request.method == "POST" and form.is_valid():
        try:
            two_step.enable(request.user, secret=secret, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            request.session.pop(NEW_SECRET, None)
            messages.success(request, "Two-step sign-in is on. You will need a code each time.")
            return redirect("accounts:account")
    context = {
        "form": form,
        "secret": two_step.grouped(secret),
        "qr_code": two_step.qr_code_data_uri(request.user, secret),
    }
    return render(request, "accounts/two_step_on.html", context)


@require_http_methods(["GET", "POST"])
@guards.open_to_signed_in
@_local_passwords_only
def two_step_off(request):
    if not two_step.is_enabled(request.user):
        return redirect("accounts:two_step_on")
    form = CodeForm(form_data(request), button="Turn off two-step sign-in")
    if request.method == "POST" and form.is_valid():
        try:
            two_step.disable(
                request.user, code=form.cleaned_data["code"], address=client_ip(request)
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "Two-step sign-in is off.")
            return redirect("accounts:account")
    return render(request, "accounts/two_step_off.html", {"form": form})


def _log(request):
    return AccessLog.objects.filter(user__council_id=request.user.council_id)


@guards.requires(permissions.can_read_access_log)
def access_log(request):
    csv_href = reverse("accounts:access_log_csv")
    shown = lists.ACCESS_LOG.show(request, _log(request), csv_href=csv_href)
    return render(request, "accounts/access_log.html", {"shown": shown, "page": shown.page})


@guards.requires(permissions.can_read_access_log)
def access_log_csv(request):
    """The entries the page shows (its filters and order), every one: the download is itself
    logged, as an export of the log."""
    entries = list(lists.ACCESS_LOG.rows(request, _log(request)))
    log_list_access(request, AccessLog, ids=[], action=AccessAction.EXPORTED)
    return lists.ACCESS_LOG.csv_response(entries, "access-log")
