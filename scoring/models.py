"""The scoring policy (versioned), stored scores, their history, and re-rank jobs."""

import uuid

from django.db import models
from django.db.models import Q

from intake.models import Problem, User


class ScoringPolicy(models.Model):
    """One row per policy version; the highest version is in force."""

    version = models.PositiveIntegerField(primary_key=True)
    after_hours_weight = models.FloatField(default=0.5)
    patient_weight = models.FloatField(default=0.25)
    breadth_weight = models.FloatField(default=1.0)
    default_effort_weeks = models.FloatField(default=2.0)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "scoring policies"
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(after_hours_weight__gte=0, after_hours_weight__lte=10), name="policy_after_hours_range"
            ),
            models.CheckConstraint(
                condition=Q(patient_weight__gte=0, patient_weight__lte=10), name="policy_patient_range"
            ),
            models.CheckConstraint(
                condition=Q(breadth_weight__gte=0, breadth_weight__lte=10), name="policy_breadth_range"
            ),
            models.CheckConstraint(
                condition=Q(default_effort_weeks__gt=0, default_effort_weeks__lte=520), name="policy_effort_range"
            ),
        ]


class ProblemScore(models.Model):
    """The stored score of one problem, so listings never compute on read.

    `inputs_version` and `policy_version` record what the score was computed from; when the
    problem's inputs_version or the policy in force differs, the score is pending.
    `rank` is the place among open problems (1 = top), null when not open or not yet ranked.
    It is refreshed in the same transaction as the scores, so among open scores rank order is
    (priority desc, created_at, problem) order: listings walk score_order_idx, and `rank` has no
    index, so the many rank-only UPDATEs of a refresh are HOT (see migration 0004, fillfactor 70).
    """

    problem = models.OneToOneField(Problem, primary_key=True, on_delete=models.CASCADE, related_name="score")
    priority = models.FloatField(default=0)
    value_hours_per_week = models.FloatField(default=0)
    provider_hours_per_week = models.FloatField(default=0)
    patient_hours_per_week = models.FloatField(default=0)
    cost_hours_per_week = models.FloatField(default=0)
    provider_hours_unweighted = models.FloatField(default=0)
    sites_affected = models.PositiveIntegerField(default=0)
    sites = models.JSONField(default=list)
    breadth = models.FloatField(default=1)
    confidence = models.FloatField(default=0)
    effort_weeks = models.FloatField(default=2)
    effort_estimated = models.BooleanField(default=False)
    policy_version = models.PositiveIntegerField(default=0)
    inputs_version = models.PositiveIntegerField(default=0)
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField()  # the problem's, copied so ranking needs no join
    rank = models.PositiveIntegerField(null=True, blank=True)
    scored_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                models.F("priority").desc(),
                "created_at",
                "problem",
                name="score_order_idx",
                condition=Q(is_open=True),
            ),
        ]


class ScoreHistory(models.Model):
    """A point in a problem's score-and-rank history, written when either changes."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="score_history")
    priority = models.FloatField()
    rank = models.PositiveIntegerField(null=True, blank=True)
    policy_version = models.PositiveIntegerField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["problem", "at"], name="history_problem_at_idx")]


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class RerankJob(models.Model):
    """A full re-rank after a policy change, with progress for the page and the API."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    policy_version = models.PositiveIntegerField()
    state = models.CharField(max_length=8, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class PipelineCounter(models.Model):
    """Running totals of the recompute pipeline (runs, problems scored), so tests and benchmarks
    can measure coalescing: "recompute runs per evidence row". Bumped in the run's own transaction,
    so a run that is killed or rolled back is not counted."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
