"""Writes of the notices themselves: marking them read. One transaction each."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from intake.models import User

from .models import Notification


@transaction.atomic
def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark `user`'s notices read: those with `ids`, or all when `ids` is None. Others' ids are ignored."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
