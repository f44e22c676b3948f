import datetime

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods

from caseaudit.accounts import permissions, two_step
from caseaudit.accounts.access import client_ip
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


@method_decorator(guards.open_to_signed_in, name="dispatch")
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
    return render(request, "accounts/account.html", context)


@require_http_methods(["GET", "POST"])
@guards.open_to_signed_in
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


@guards.requires(permissions.can_read_access_log)
def access_log(request):
    entries = AccessLog.objects.filter(user__council_id=request.user.council_id).order_by(
        "-sequence"
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/access_log.html", {"page": page})
