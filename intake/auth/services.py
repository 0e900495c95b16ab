"""Writes of API tokens: create, revoke, record use, clear out the ones that no longer stand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from intake.phi import phi_screen_fields

from ..audit.models import AuditAction
from ..audit.services import audit_record
from .models import ApiToken
from .selectors import api_tokens_of, api_tokens_with_standing, user_roles_now
from .tokens import Standing, key_digest, key_new, password_fingerprint

# last_used_at is written at most this often per token, so a busy integration costs no write per call.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown to the owner once; only its digest is stored


@transaction.atomic
def api_token_issue(*, user, name: str) -> IssuedToken:
    """A new token for `user`, valid for API_TOKEN_DAYS, acting with the roles the user holds now."""
    name = name.strip()
    phi_screen_fields({"name": name})
    now = timezone.now()
    # Housekeeping: a user's expired tokens can never work again.
    api_tokens_of(user).filter(expires_at__lte=now).delete()
    key = key_new()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        digest=key_digest(key),
        roles=sorted(user_roles_now(user)),
        password_fingerprint=password_fingerprint(user),
        created_at=now,
        expires_at=now + timedelta(days=settings.API_TOKEN_DAYS),
    )
    audit_record(action=AuditAction.TOKEN_ISSUE, actor=user, target=token, after=_token_state(token))
    return IssuedToken(token=token, key=key)


def _token_state(token: ApiToken) -> dict:
    """What the audit keeps of a token: never its key or digest."""
    return {"name": token.name, "roles": token.roles, "expires_at": token.expires_at}


@transaction.atomic
def api_token_revoke(*, user, token_id: int) -> None:
    """Delete one of `user`'s own tokens (ApiToken.DoesNotExist for anyone else's)."""
    token = api_tokens_of(user).get(pk=token_id)
    audit_record(action=AuditAction.TOKEN_REVOKE, actor=user, target=token, before=_token_state(token))
    token.delete()


@transaction.atomic
def api_tokens_revoke_as_admin(*, actor, token_ids: list[int]) -> int:
    """An administrator deletes tokens (the Django admin): each revocation audited with who did it."""
    tokens = list(ApiToken.objects.select_for_update().filter(pk__in=token_ids).order_by("pk"))
    for token in tokens:
        audit_record(
            action=AuditAction.TOKEN_REVOKE,
            actor=actor,
            target=token,
            before=_token_state(token) | {"owner": token.user.get_username()},
        )
    ApiToken.objects.filter(pk__in=[token.pk for token in tokens]).delete()
    return len(tokens)


def api_token_mark_used(*, token: ApiToken, now: datetime) -> None:
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def api_tokens_clear_revoked(*, user) -> int:
    """Delete `user`'s tokens that no longer stand, so that undoing the change does not revive them.

    Called after an administrator changes the account (password, roles, active flag). A token is
    refused the moment its standing changes whether or not this runs; this makes the refusal final.
    """
    dead = [
        token.pk for token in api_tokens_with_standing(user, api_tokens_of(user)) if token.standing != Standing.ACTIVE
    ]
    ApiToken.objects.filter(pk__in=dead).delete()
    return len(dead)
