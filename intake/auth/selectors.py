"""Reads of API tokens, with their owner and the owner's current roles chosen up front."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from intake.models import Role

from .models import ApiToken
from .tokens import key_digest, token_standing


def _role_flags() -> dict[str, Exists]:
    memberships = get_user_model().groups.through.objects
    return {
        f"holds_{role}": Exists(memberships.filter(user_id=OuterRef("user_id"), group__name=role))
        for role in Role.values
    }


def api_token_for_key(key: str) -> tuple[ApiToken, set[str]] | None:
    """The token with this key and its owner's roles now, in one query; None for an unknown key."""
    token = ApiToken.objects.select_related("user").annotate(**_role_flags()).filter(digest=key_digest(key)).first()
    if token is None:
        return None
    held = [role for role in Role.values if getattr(token, f"holds_{role}")]
    return token, token.user.roles_given(held)


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """A user's tokens, newest first (their standing: intake.auth.tokens.token_standing)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def user_roles_now(user) -> set[str]:
    """The user's roles as the database has them now (a token-authenticated request's `user.roles`
    are the token's roles, which may be fewer)."""
    return user.roles_given(user.groups.values_list("name", flat=True)) & set(Role.values)


def api_tokens_with_standing(user, tokens) -> list[ApiToken]:
    """`tokens` (the user's) with `.standing` set on each: whether it works now, and if not, why."""
    roles_now, now = user_roles_now(user), timezone.now()
    tokens = list(tokens)
    for token in tokens:
        token.standing = token_standing(token, user=user, roles_now=roles_now, now=now)
    return tokens
