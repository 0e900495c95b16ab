from .models import Role


def roles(request):
    """Expose the user's roles to templates (navigation shows what each role may use)."""
    user = getattr(request, "user", None)
    user_roles = user.roles if user is not None and user.is_authenticated else set()
    return {"user_roles": user_roles, "Role": Role}
