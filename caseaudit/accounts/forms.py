from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from caseaudit.accounts import throttle, two_step
from caseaudit.accounts.access import client_ip


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "The username or password is not correct",
        "inactive": "This account has been closed. Contact your administrator.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false", "autofocus": False}
        )
        self.helper = FormHelper()
        self.helper.layout = Layout("username", "password", Button.primary("submit", "Sign in"))

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if not (username and self.cleaned_data.get("password")):
            return super().clean()  # the fields' own "Enter your …" errors; nothing to count
        address = client_ip(self.request) if self.request else None
        try:
            attempt = throttle.begin_attempt(username, address)
        except throttle.Throttled as refusal:
            # Refused unchecked and uncounted while the delay runs (see throttle.py).
            raise forms.ValidationError(str(refusal), code="throttled") from None
        cleaned = super().clean()  # a wrong password raises: the attempt stands as a failure
        if two_step.is_enabled(self.get_user()):
            # The failures stand until the code is right too: otherwise re-entering a known
            # password would wipe the count of wrong codes.
            throttle.withdraw(attempt)
        else:
            throttle.clear_failures(username)
        return cleaned


def _code_field(label: str = "Code from your authenticator app") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text="The 6-digit code your app shows now, for example 123456.",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "max_length": "Enter the code as 6 digits, for example 123456",
        },
    )


class CodeForm(forms.Form):
    """One code from the authenticator app: the second step of signing in, and the check
    before two-step sign-in is turned on or off."""

    code = _code_field()

    def __init__(self, *args, button: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("code", field_width=5), Button.primary("submit", button)
        )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isdigit()):
            raise forms.ValidationError("Enter the code as 6 digits, for example 123456")
        return code


class ChangePasswordForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "old_password",
            "new_password1",
            "new_password2",
            Button.primary("submit", "Change password"),
        )
