from .roles import permissions


def roles(request):
    """What the user may do (intake.roles), for templates: navigation shows what each role may use."""
    user = getattr(request, "user", None)
    return {"can": permissions(user)}
