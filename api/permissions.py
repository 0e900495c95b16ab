"""The role rules of intake.roles as DRF permissions.

Everyone logged in may read; each write names the action it takes, and intake.roles says which
roles may. Anonymous callers get 401 (DRF answers NotAuthenticated because token authentication
sends a challenge).
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from intake.roles import Action, may, refusal


class ReadAnyWriteAction(BasePermission):
    """Any authenticated user reads; unsafe methods need `write_action`."""

    write_action: Action

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or may(user, self.write_action)


def writers(action: Action) -> type[ReadAnyWriteAction]:
    """A permission class: everyone logged in reads, only the roles that may take `action` write."""
    name = "Writers" + "".join(part.title() for part in action.value.split("_"))
    return type(name, (ReadAnyWriteAction,), {"write_action": action, "message": refusal(action)})


class OnlyAction(BasePermission):
    """Every method, reads included, needs `action` (e.g. the audit, or webhooks: administrators only)."""

    action: Action

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated) and may(user, self.action)


def only(action: Action) -> type[OnlyAction]:
    """A permission class: only the roles that may take `action`, for every method."""
    name = "Only" + "".join(part.title() for part in action.value.split("_"))
    return type(name, (OnlyAction,), {"action": action, "message": refusal(action)})
