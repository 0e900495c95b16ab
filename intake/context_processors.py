from .roles import permissions, uses_the_api


def roles(request):
    """What the user may do (intake.roles), for templates: navigation shows what each role may use."""
    user = getattr(request, "user", None)
    return {"can": permissions(user), "uses_api": uses_the_api(user)}
