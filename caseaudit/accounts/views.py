from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from caseaudit.accounts import permissions
from caseaudit.accounts.access import log_list_access
from caseaudit.accounts.forms import ChangePasswordForm, SignInForm
from caseaudit.accounts.home import home_context
from caseaudit.accounts.models import AccessLog
from caseaudit.cases.models import Child


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


class ChangePasswordView(auth_views.PasswordChangeView):
    template_name = "accounts/change_password.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        from django.contrib import messages

        messages.success(self.request, "Your password has been changed.")
        return super().form_valid(form)


def home(request):
    context = home_context(request.user)
    if context["alerts"]:
        # The safeguarding banner names children by their IDs: a list like any other.
        log_list_access(request, Child, ids=[alert.audit.child_id for alert in context["alerts"]])
    return render(request, "accounts/home.html", context)


def account(request):
    return render(request, "accounts/account.html", home_context(request.user))


def access_log(request):
    if not permissions.can_read_access_log(request.user):
        raise PermissionDenied
    entries = AccessLog.objects.filter(user__council_id=request.user.council_id).order_by(
        "-sequence"
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/access_log.html", {"page": page})
