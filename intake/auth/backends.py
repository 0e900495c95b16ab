"""Authentication backends, in the order settings.AUTHENTICATION_BACKENDS lists them.

1. `LockoutBackend` (django-axes) refuses a locked-out username or client address before any
   password is checked, so the right password does not help during a lockout.
2. `AccountBackend` checks local passwords and restores browser sessions, for accounts that
   `policy.may_sign_in` allows (active; demo accounts only with DEBUG on).
3. `intake.auth.oidc.OIDCBackend`, when single sign-on is configured.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from .policy import may_sign_in


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        # Every sign-in from a client passes its request (login form, admin, token endpoint, single
        # sign-on). Without one the call comes from code on the server (a management command, the
        # test client's login()), which no one can brute-force over the network.
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return may_sign_in(user)
