from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from attestation.accounts import services


def client_ip(request) -> str | None:
    # Behind a proxy, set it to pass the real address in REMOTE_ADDR (gunicorn
    # --forwarded-allow-ips); X-Forwarded-For is not trusted here, clients can forge it.
    return request.META.get("REMOTE_ADDR") if request is not None else None


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
        if username and services.signin_locked(username=username, ip=ip):
            from django.conf import settings

            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.SIGNIN_WINDOW_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                services.signin_failure_record(username=username, ip=ip)
            raise
        services.signin_succeeded(username=username)
        return cleaned
