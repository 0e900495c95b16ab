from .models import Role

# The roles that work with the REST API: the navigation links them to the API docs and their tokens.
API_ROLES = {Role.IT_LEAD, Role.ADMIN}


def roles(request):
    """Expose the user's roles to templates (navigation shows what each role may use)."""
    user = getattr(request, "user", None)
    user_roles = user.roles if user is not None and user.is_authenticated else set()
    return {"user_roles": user_roles, "Role": Role, "uses_api": bool(user_roles & API_ROLES)}
