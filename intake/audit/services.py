"""Recording the audit: `audit_record`, called by every write service inside its transaction, and the
snapshots of what intake writes (before and after)."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from ..numbers import REPORT_NUMBER_NAMES
from .models import AuditAction, AuditEvent

SITE_FIELDS = ("code", "name", "region", "providers", "shifts_per_week", "visits_per_week", "active")


def audit_record(
    *,
    action: AuditAction,
    actor=None,
    problem=None,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_name: str | None = None,
    address: str | None = None,
) -> AuditEvent:
    """One audit row for a write, in that write's transaction (refused outside one: an audit row
    that could commit without its write, or the write without it, is no audit)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record() runs inside the transaction of the write it records.")
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_name=(actor_name if actor_name is not None else actor.get_username() if actor else "")[:150],
        problem=problem,
        object_type=target._meta.model_name if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        before=before,
        after=after,
        address=address,
    )


def site_state(site) -> dict[str, Any]:
    return {name: getattr(site, name) for name in SITE_FIELDS}


def report_state(report) -> dict[str, Any]:
    return {
        "site": report.site.code,
        "reporter": report.reporter.get_username(),
        **{name: getattr(report, name) for name in REPORT_NUMBER_NAMES},
    }


def evidence_state(evidence) -> dict[str, Any]:
    return {
        "kind": evidence.kind,
        "site": evidence.site.code if evidence.site_id else None,
        "value": evidence.value,
        "sample_size": evidence.sample_size,
        "note": evidence.note,
    }


def user_state(user) -> dict[str, Any]:
    """What an administrator changes about a person: roles, sites and access (never the password)."""
    return {
        "username": user.get_username(),
        "roles": sorted(user.roles_given(user.groups.values_list("name", flat=True))),
        "home_site": user.home_site.code if user.home_site_id else None,
        "sites": sorted(user.sites.values_list("code", flat=True)),
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
    }


def problem_state(problem) -> dict[str, Any]:
    return {
        "title": problem.title,
        "workflow_area": problem.workflow_area,
        "affected_roles": list(problem.affected_roles),
        "safety_concern": problem.safety_concern,
        "status": problem.status,
    }
