"""`Authorization: Token <key>` for the API, checked against the database on every request.

Two indexed queries read the token with its owner, and the owner's roles; intake.auth.tokens
decides whether the token still stands. Nothing is cached, so a revocation, a password change, a
role removal or a deactivation stops the very next request, and a Redis outage cannot stop token checks.
"""

from __future__ import annotations

from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from intake.auth.selectors import api_token_for_key
from intake.auth.services import api_token_mark_used
from intake.auth.tokens import REFUSALS, Standing, token_standing


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        found = api_token_for_key(key)
        if found is None:
            raise AuthenticationFailed("Invalid token.")
        token, roles_now = found
        now = timezone.now()
        standing = token_standing(token, user=token.user, roles_now=roles_now, now=now)
        if standing is not Standing.ACTIVE:
            raise AuthenticationFailed(REFUSALS[standing])
        user = token.user
        user._role_cache = set(token.roles)  # a token acts with the roles it was created with
        api_token_mark_used(token=token, now=now)
        return user, token
