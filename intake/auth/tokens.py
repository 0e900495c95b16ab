"""The rules of an API token: its key, its digest, and whether it still stands.

A token stands while it has not expired, its owner may sign in (intake.auth.policy), the owner's
password is the one it was issued under, and the owner still holds every role it was issued with.
These are compared with the database on every request, so a change made anywhere (a service, the
admin, a shell) takes effect at once, with no cache to wait out and no signal to miss. A token
acts with the roles it was issued with, never with roles added later.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.db import models
from django.utils.crypto import constant_time_compare

from .policy import may_sign_in

KEY_PREFIX = "bridge_"


class Standing(models.TextChoices):
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    PASSWORD_CHANGED = "password_changed", "Revoked: the password changed"
    ROLE_REMOVED = "role_removed", "Revoked: a role was removed"
    ACCOUNT_DISABLED = "account_disabled", "Revoked: the account may not sign in"


REFUSALS = {
    Standing.EXPIRED: "This token has expired. Create a new one.",
    Standing.PASSWORD_CHANGED: "This token was revoked: the account's password changed after it was created.",
    Standing.ROLE_REMOVED: "This token was revoked: a role it was created with was removed from the account.",
    Standing.ACCOUNT_DISABLED: "This token was revoked: the account may not sign in.",
}


def key_new() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_digest(key: str) -> str:
    # The key is 256 random bits: a plain hash is enough (no salt or stretching to protect a guessable secret).
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(user) -> str:
    """Changes whenever the password does (Django's session auth hash: an HMAC of the password hash)."""
    return user.get_session_auth_hash()


def _password_unchanged(token, user) -> bool:
    if constant_time_compare(token.password_fingerprint, password_fingerprint(user)):
        return True
    # Tokens issued before a SECRET_KEY rotation stand while the old key is in SECRET_KEY_FALLBACKS.
    return any(constant_time_compare(token.password_fingerprint, h) for h in user.get_session_auth_fallback_hash())


def token_standing(token, *, user, roles_now: set[str], now: datetime) -> Standing:
    if not may_sign_in(user):
        return Standing.ACCOUNT_DISABLED
    if not _password_unchanged(token, user):
        return Standing.PASSWORD_CHANGED
    if not set(token.roles) <= roles_now:
        return Standing.ROLE_REMOVED
    if token.expires_at <= now:
        return Standing.EXPIRED
    return Standing.ACTIVE
