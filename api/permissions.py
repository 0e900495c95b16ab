"""The role matrix of product.md §2 as DRF permissions.

Everyone logged in may read; each write names the roles that may make it. Anonymous callers
get 401 (DRF answers NotAuthenticated because token authentication sends a challenge).
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from intake.models import Role

ROLE_LABELS = {
    Role.CLINICIAN: "clinicians",
    Role.INFORMATICS: "clinical informatics staff",
    Role.PRODUCT_MANAGER: "product managers",
    Role.IT_LEAD: "IT leads",
    Role.ADMIN: "administrators",
}


def roles_sentence(roles: tuple[str, ...]) -> str:
    labels = [ROLE_LABELS[Role(role)] for role in roles]
    listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return f"Only {listed} may do this."


class ReadAnyWriteRoles(BasePermission):
    """Any authenticated user reads; unsafe methods need one of `write_roles`."""

    write_roles: tuple[str, ...] = ()

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or user.has_role(*self.write_roles)


def writers(*roles: str) -> type[ReadAnyWriteRoles]:
    """A permission class: everyone logged in reads, only `roles` write."""
    name = "Writers" + "".join(Role(role).name.title().replace("_", "") for role in roles)
    return type(name, (ReadAnyWriteRoles,), {"write_roles": tuple(roles), "message": roles_sentence(roles)})


SUBMITTERS = (Role.CLINICIAN, Role.INFORMATICS, Role.PRODUCT_MANAGER)
MEASURERS = (Role.INFORMATICS, Role.PRODUCT_MANAGER)
TRIAGERS = (Role.PRODUCT_MANAGER, Role.IT_LEAD)
