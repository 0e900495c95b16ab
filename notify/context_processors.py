from .selectors import unread_count


def notifications(request):
    """The unread count in the page header: one COUNT over a partial index, for a logged-in user only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
