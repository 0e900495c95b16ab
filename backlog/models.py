"""Triage history and outcomes: what happens to a problem once it is in the backlog."""

from django.db import models
from django.db.models import Q

from intake.models import Problem, Site, User


class TriageAudit(models.Model):
    """Every triage write: who, when, what it was before and after. Written in the same transaction."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="triage_audit")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="triage_audit")
    action = models.CharField(max_length=32)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["problem", "-at"], name="audit_problem_at_idx")]


class Outcome(models.Model):
    """A provider's answer after delivery: one per (problem, site, respondent)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="outcomes")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="outcomes")
    respondent = models.ForeignKey(User, on_delete=models.PROTECT, related_name="outcomes")
    better_care = models.PositiveSmallIntegerField()
    less_frustrated = models.PositiveSmallIntegerField()
    more_confident = models.PositiveSmallIntegerField()
    minutes_saved_per_shift = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["problem", "site", "respondent"], name="outcome_one_per_respondent"),
            models.CheckConstraint(
                condition=Q(better_care__gte=1, better_care__lte=5)
                & Q(less_frustrated__gte=1, less_frustrated__lte=5)
                & Q(more_confident__gte=1, more_confident__lte=5),
                name="outcome_likert_range",
            ),
            models.CheckConstraint(
                condition=Q(minutes_saved_per_shift__gte=0, minutes_saved_per_shift__lte=240),
                name="outcome_minutes_range",
            ),
        ]
