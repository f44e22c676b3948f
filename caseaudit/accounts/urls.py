from django.urls import path

from caseaudit.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-in/code/", views.sign_in_code, name="sign_in_code"),
    path("sign-in/council/", views.SingleSignOnStartView.as_view(), name="sso_start"),
    path(
        "sign-in/council/callback/", views.SingleSignOnCallbackView.as_view(), name="sso_callback"
    ),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("", views.account, name="account"),
    path("password/", views.ChangePasswordView.as_view(), name="change_password"),
    path("two-step/", views.two_step_on, name="two_step_on"),
    path("two-step/off/", views.two_step_off, name="two_step_off"),
    path("access-log/", views.access_log, name="access_log"),
    path("access-log/access-log.csv", views.access_log_csv, name="access_log_csv"),
]
