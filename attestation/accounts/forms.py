from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from attestation.accounts import services
from attestation.core.net import client_ip


class SignInForm(AuthenticationForm):
    """Django's sign-in form with throttling: after too many failures the form refuses
    before checking the password, so guessing gains nothing."""

    def clean_username(self):
        # Django sets the field's max_length after building it, so no validator enforces it:
        # a 50,000-character name reached the lookups (SQLite: "LIKE pattern too complex").
        username = self.cleaned_data.get("username") or ""
        if len(username) > self.fields["username"].max_length:
            # Shown where the page shows sign-in errors; no lookup is made with it.
            self.add_error(None, self.error_messages["invalid_login"])
            raise forms.ValidationError(self.error_messages["invalid_login"], code="max_length")
        return username

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password. Check the keyboard layout and Caps Lock."),
        "locked": _("Too many failed attempts. Wait %(minutes)s minutes and try again."),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        ip = client_ip(self.request)
        if not username:
            return super().clean()
        attempt = services.signin_attempt_begin(username=username, ip=ip)
        if attempt is None:
            from django.conf import settings

            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.SIGNIN_WINDOW_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            services.signin_attempt_end(attempt=attempt, succeeded=False)
            raise
        services.signin_attempt_end(attempt=attempt, succeeded=True)
        return cleaned
