from __future__ import annotations

from django.db.models import QuerySet

from intake.models import User

from .models import Notification


def notifications_of(user: User) -> QuerySet[Notification]:
    """The user's own notices (newest first is the pagination's order)."""
    return Notification.objects.filter(user=user).select_related("event")


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
