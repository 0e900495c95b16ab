"""The client's network address, the one key for throttles and lockouts.

`X-Forwarded-For` is a header any client can send. It counts only when `TRUSTED_PROXY_COUNT`
(default 0) says how many proxies of our own stand in front of the app: each of them appends
the address it received the request from, so the client is the entry that many places from the
right. With 0, or a header shorter than that, or an entry that is not an address, the address of
the connection itself (`REMOTE_ADDR`) is used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The address requests from this client are counted under (None if the server cannot tell)."""
    meta = request.META
    direct = _address(meta.get("REMOTE_ADDR") or "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return direct
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < proxies:
        return direct
    return _address(hops[-proxies]) or direct
