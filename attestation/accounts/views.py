from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, override
from django.utils.translation import gettext_lazy as _

from attestation.accounts.forms import SignInForm
from attestation.accounts.services import user_language_set

DEMO_ACCOUNTS = [
    ("student01", _("student")),
    ("secretary", _("technical secretary")),
    ("member1", _("commission member")),
    ("deputy", _("deputy chair")),
    ("chair", _("chair")),
    ("registrar", _("registrar")),
    ("appeal1", _("appeal commission chair")),
]


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The demo accounts are listed only while DEBUG is on (CONTRACT.md).
        context["demo_accounts"] = DEMO_ACCOUNTS if settings.DEBUG else []
        return context


class SignOutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("cabinet:home")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


def set_language(request):
    """Switch the page language: keep the same page under the new prefix, and remember the
    choice on the person, for mail."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    if not check_for_language(language) or language not in dict(settings.LANGUAGES):
        return HttpResponseRedirect(next_url)
    parts = next_url.split("/")
    if len(parts) > 1 and parts[1] in dict(settings.LANGUAGES):
        parts[1] = language
        next_url = "/".join(parts)
    else:
        next_url = f"/{language}{next_url}"
    if request.user.is_authenticated:
        with override(language):
            user_language_set(user=request.user, language=language)
    response = HttpResponseRedirect(next_url)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response
