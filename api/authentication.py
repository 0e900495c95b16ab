"""Token authentication that remembers valid tokens for a short while.

Looking the token up in PostgreSQL costs as much as reading a backlog page, and integrations
call the API with the same token all day. A valid token is therefore kept in the cache for
`settings.API_TOKEN_CACHE_SECONDS` (default 60; 0 turns the cache off). The price: revoking a
token, or deactivating its user, takes effect within that many seconds rather than at once.
Only the user's id, username and flags are cached (no password hash); anything else is loaded
from the database on first use, as a deferred field.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import router
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

DEFAULT_CACHE_SECONDS = 60
CACHED_USER_FIELDS = {"id", "username", "is_active", "is_superuser", "is_staff", "home_site_id"}


def _user_fields() -> list[str]:
    """The cached fields in the model's own order, as Model.from_db expects them."""
    return [f.attname for f in get_user_model()._meta.concrete_fields if f.attname in CACHED_USER_FIELDS]


def _cache_key(key: str) -> str:
    return "api-token:" + hashlib.sha256(key.encode()).hexdigest()


class CachedTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        seconds = getattr(settings, "API_TOKEN_CACHE_SECONDS", DEFAULT_CACHE_SECONDS)
        if not seconds:
            return super().authenticate_credentials(key)
        cache_key = _cache_key(key)
        values = cache.get(cache_key)
        if values is None:
            user, token = super().authenticate_credentials(key)
            cache.set(cache_key, [getattr(user, field) for field in _user_fields()], seconds)
            return user, token
        user_model = get_user_model()
        user = user_model.from_db(router.db_for_read(user_model), _user_fields(), values)
        token = Token.from_db(router.db_for_read(Token), ["key", "user_id"], [key, user.pk])
        return user, token
