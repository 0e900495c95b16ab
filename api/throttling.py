"""DRF's rate limits, counted per client address (intake.auth.client) or per user.

DRF's own throttles read `X-Forwarded-For` as the client whenever it is present, so a caller
that sent a new value each time was never limited; these use the trusted-proxy rule instead.
The counts live in the default cache; in production that is Redis with a per-process fallback
(intake.auth.cache), so while Redis is down each web process counts on its own.
"""

from __future__ import annotations

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from intake.auth.client import client_address


class ClientAddressMixin:
    def get_ident(self, request) -> str:
        return client_address(request) or "unknown"


class ClientAnonRateThrottle(ClientAddressMixin, AnonRateThrottle):
    """Callers without credentials, per client address."""


class ClientUserRateThrottle(ClientAddressMixin, UserRateThrottle):
    """Signed-in callers per user; anyone else per client address."""
