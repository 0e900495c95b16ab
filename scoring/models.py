"""The scoring policy (versioned), stored scores, their history, and re-rank jobs."""

import uuid

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q

from intake.models import NOTE_MAX, Problem, User, range_q

from .engine import POLICY_WEIGHTS, PolicyWeight


class PolicyWeights(models.Model):
    """One float column per weight of the engine's Policy (scoring.engine.POLICY_WEIGHTS)."""

    class Meta:
        abstract = True


for _weight in POLICY_WEIGHTS:
    PolicyWeights.add_to_class(_weight.name, models.FloatField(default=_weight.default))


class ScoringPolicy(PolicyWeights):
    """One row per policy version; the highest version is in force. `reason` says why it changed."""

    version = models.PositiveIntegerField(primary_key=True)
    reason = models.TextField(blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "scoring policies"
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(condition=range_q(weight.name, weight.range), name=f"policy_{weight.name}_range")
            for weight in POLICY_WEIGHTS
        ]

    @property
    def weights(self) -> list[tuple[PolicyWeight, float]]:
        """Each weight with its value in this version, in the engine's order (for pages)."""
        return [(weight, getattr(self, weight.name)) for weight in POLICY_WEIGHTS]


class ProblemScore(models.Model):
    """The stored score of one problem, so listings never compute on read.

    `inputs_version` and `policy_version` record what the score was computed from; when the
    problem's inputs_version or the policy in force differs, the score is pending
    (scoring.ranking). The weight-independent parts of the score are stored beside the weighted
    results, so a policy change re-weighs them in SQL (scoring.reweigh); `effort_weeks` is IT's
    estimate when `effort_estimated`, else the policy's default.
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
    revenue_per_week = models.FloatField(default=0)
    # The parts a policy change re-weighs (scoring.engine.Parts, scoring.reweigh), beside
    # patient_hours_per_week, cost_hours_per_week, revenue_per_week, confidence and the effort estimate.
    provider_hours_unweighted = models.FloatField(default=0)
    after_hours_hours_per_week = models.FloatField(default=0)
    active_sites = models.PositiveIntegerField(default=1)
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
    """A point in a problem's score-and-rank history, written when either changes.

    Derived data, written only by the scoring pipeline for problems it has just read. It has no
    foreign key in the database: a policy change adds a point for nearly every problem, and
    checking 100,000 keys at commit cost as much as the re-rank itself (benchmarks/README.md).
    Problems are never deleted by the application; Django's collector still cascades a delete."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="score_history", db_constraint=False)
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
