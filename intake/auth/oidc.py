"""Single sign-on through an OpenID Connect provider (mozilla-django-oidc), on only when configured.

The provider says who someone is; Bridge decides what they may do. A provider's user is mapped to
an existing local account by the `OIDC_USERNAME_CLAIM` claim (default `preferred_username`) equal
to the username, else by a (not unverified) e-mail address that exactly one account has. No
account is created, and roles stay Django groups an administrator assigns: nothing the provider
sends grants a role. The account must be allowed to sign in (intake.auth.policy), and the
lockout backend runs first as for any sign-in.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from .policy import may_sign_in

NO_ACCOUNT = (
    "Single sign-on worked, but no Bridge account that may sign in matches you. "
    "Ask a Bridge administrator to set up your account, or log in with your Bridge password."
)


class OIDCBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims) -> bool:
        return bool(claims.get(settings.OIDC_USERNAME_CLAIM) or claims.get("email"))

    def filter_users_by_claims(self, claims):
        username = claims.get(settings.OIDC_USERNAME_CLAIM)
        if username:
            by_username = self.UserModel.objects.filter(username=username)
            if by_username.exists():
                return by_username
        email = claims.get("email")
        if not email or claims.get("email_verified") is False:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email)

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        return user if user is not None and may_sign_in(user) else None

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and may_sign_in(user) else None


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    def login_failure(self):
        messages.error(self.request, NO_ACCOUNT)
        return super().login_failure()
