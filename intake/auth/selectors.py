"""Reads of API tokens and of the roles their owners hold now."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from intake.models import Role

from .models import ApiToken
from .tokens import key_digest, token_standing


def api_token_for_key(key: str) -> tuple[ApiToken, set[str]] | None:
    """The token with this key and its owner's roles now (two indexed queries); None for an unknown key.

    Two plain queries cost less than one with a subquery per role: Django compiles a query on every
    call, and five EXISTS subqueries took several times longer to compile than to run.
    """
    found = list(ApiToken.objects.select_related("user").filter(digest=key_digest(key))[:1])
    if not found:
        return None
    return found[0], user_roles_now(found[0].user)


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
