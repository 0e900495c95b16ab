"""The audit table: one row per write, never updated or deleted by the application."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    PROBLEM_SUBMIT = "problem_submit", "Problem submitted"
    SITE_REPORT = "site_report", "Site report added or replaced"
    EVIDENCE_ADD = "evidence_add", "Evidence added"
    TRIAGE = "triage", "Triage"
    MERGE = "merge", "Merge"
    MERGED_IN = "merged_in", "Another problem merged into this one"
    UNMERGE = "unmerge", "Merge undone"
    UNMERGED_OUT = "unmerged_out", "A problem merged into this one taken back out"
    NOT_DUPLICATE = "not_duplicate", "Marked not a duplicate"
    REOPEN = "reopen", "Reopened"
    SUBMITTER_EDIT = "edit", "Edited by the submitter"
    NEEDS_INFO_ANSWER = "answer", "Needs info answered"
    COMMENT_ADD = "comment_add", "Comment added"
    WEBHOOK_CREATE = "webhook_create", "Webhook registered"
    WEBHOOK_DELETE = "webhook_delete", "Webhook deleted"
    OUTCOME_ANSWER = "outcome_answer", "Outcome answered"
    SITE_CREATE = "site_create", "Site created"
    SITE_UPDATE = "site_update", "Site changed"
    POLICY_CHANGE = "policy_change", "Scoring policy changed"
    USER_CREATE = "user_create", "User created"
    USER_CHANGE = "user_change", "User changed (roles, sites, access)"
    TOKEN_ISSUE = "token_issue", "API token issued"
    TOKEN_REVOKE = "token_revoke", "API token revoked"
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Sign-in refused"


# The writes that change a problem's triage fields: the problem page's audit trail, and who changed
# it last when a stale `version` is refused.
TRIAGE_ACTIONS = (
    AuditAction.TRIAGE,
    AuditAction.MERGE,
    AuditAction.UNMERGE,
    AuditAction.REOPEN,
    AuditAction.SUBMITTER_EDIT,
    AuditAction.NEEDS_INFO_ANSWER,
)
# What the problem page's audit trail shows: its triage writes and what merges and duplicate
# decisions did to it from the other side.
PROBLEM_TRAIL_ACTIONS = (
    *TRIAGE_ACTIONS,
    AuditAction.MERGED_IN,
    AuditAction.UNMERGED_OUT,
    AuditAction.NOT_DUPLICATE,
)


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, editable=False)
    # Null for the system itself (demo load, a benchmark) and for a refused sign-in of an unknown name.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    # The username as it was (a refused sign-in's attempted name; never a password).
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    problem = models.ForeignKey(
        "intake.Problem", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    # What was written: e.g. ("sitereport", "12"), ("site", "3"), ("user", "7"), ("scoringpolicy", "4").
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    # The client address of a sign-in (intake.auth.client), else null.
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(action__in=AuditAction.values), name="audit_action_valid"),
        ]
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_at_idx"),
            models.Index(fields=["problem", "-at"], name="audit_problem_idx"),
            models.Index(fields=["actor", "-at"], name="audit_actor_idx"),
            models.Index(fields=["action", "-at"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or 'system'} {self.action}"

    @property
    def before_text(self) -> str:
        return _compact(self.before)

    @property
    def after_text(self) -> str:
        return _compact(self.after)


def _compact(state) -> str:
    """A before/after state as one line for the page: `status: new, effort_weeks: 2`."""
    if not state:
        return ""
    return ", ".join(f"{key}: {'—' if value is None or value == '' else value}" for key, value in state.items())
