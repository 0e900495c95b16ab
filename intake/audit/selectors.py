"""Reading the audit: newest first, filtered by who, which problem, which action and since when."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from .models import AuditEvent


def audit_events(
    *,
    actor: str | None = None,
    problem_id: int | None = None,
    action: str | None = None,
    since: datetime | None = None,
) -> QuerySet[AuditEvent]:
    """Audit rows, newest first. `actor` is a username (as recorded, so a refused sign-in's name matches too)."""
    events = AuditEvent.objects.order_by("-at", "-id")
    if actor:
        events = events.filter(actor_name=actor)
    if problem_id is not None:
        events = events.filter(problem_id=problem_id)
    if action:
        events = events.filter(action=action)
    if since is not None:
        events = events.filter(at__gte=since)
    return events
