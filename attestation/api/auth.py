from ninja.security import APIKeyCookie, HttpBearer

from attestation.accounts.services import api_token_user


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(key=token)
        if user is not None:
            request.user = user
            request.api_token_key = token  # for POST /auth/logout
        return user


class SessionCookie(APIKeyCookie):
    """A browser session, with Django's CSRF check on unsafe methods (ninja's `csrf=True`)."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def __call__(self, request):
        # A request that sends a bearer token is a token client: an invalid or expired token
        # is 401 (WWW-Authenticate: Bearer), not a session's "CSRF check failed".
        if request.headers.get("Authorization", "").lower().startswith("bearer "):
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


auth = [BearerToken(), SessionCookie()]
