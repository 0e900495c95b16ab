"""Outcomes: what happens to a problem once it is delivered. (Triage writes are audited in intake.audit.)"""

from django.db import models

from intake.models import Problem, Site, User, range_q
from intake.numbers import LIKERT, MINUTES_SAVED_PER_SHIFT

# The outcome survey's questions, in the exact wording of docs/domain.md (Outcome).
OUTCOME_QUESTIONS = {
    "better_care": "The change helps me deliver better care",
    "less_frustrated": "I am less frustrated",
    "more_confident": "I feel more confident using the system",
}


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
                condition=range_q("better_care", LIKERT, integer_column=True)
                & range_q("less_frustrated", LIKERT, integer_column=True)
                & range_q("more_confident", LIKERT, integer_column=True),
                name="outcome_likert_range",
            ),
            models.CheckConstraint(
                condition=range_q("minutes_saved_per_shift", MINUTES_SAVED_PER_SHIFT), name="outcome_minutes_range"
            ),
        ]


class DuplicateDismissal(models.Model):
    """A product manager's "not a duplicate" for a pair of problems (docs/similar.md).

    The pair is unordered: it is stored normalised (`problem_low` < `problem_high`), so one row
    answers for both directions and the database refuses a second one.
    """

    problem_low = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="+")
    problem_high = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["problem_low", "problem_high"], name="duplicate_dismissal_one_per_pair"),
            models.CheckConstraint(
                condition=models.Q(problem_low__lt=models.F("problem_high")), name="duplicate_dismissal_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["problem_high"], name="duplicate_dismissal_high_idx")]

    @staticmethod
    def pair(one: int, other: int) -> tuple[int, int]:
        return (one, other) if one < other else (other, one)


class DuplicatePair(models.Model):
    """A likely pair of problems for the duplicates queue, found by the similar search ahead of time.

    Finding pairs asks the search once per open problem (seconds to minutes at 10,000 problems), so
    it is done in the background (backlog.duplicates) and the queue page only reads this table,
    leaving out pairs that are no longer both open or that a product manager dismissed.
    """

    problem_low = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="+")
    problem_high = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField()
    why = models.JSONField(default=list)
    found_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["problem_low", "problem_high"], name="duplicate_pair_one_per_pair"),
            models.CheckConstraint(
                condition=models.Q(problem_low__lt=models.F("problem_high")), name="duplicate_pair_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(similarity__gte=0, similarity__lte=1), name="duplicate_pair_similarity_range"
            ),
        ]
        indexes = [
            models.Index(fields=["-similarity", "problem_low", "problem_high"], name="duplicate_pair_best_idx"),
            models.Index(fields=["problem_high"], name="duplicate_pair_high_idx"),
        ]


class DuplicateScan(models.Model):
    """When a problem's likely duplicates were last looked for: due again once its text or status changes."""

    problem = models.OneToOneField(Problem, on_delete=models.CASCADE, primary_key=True, related_name="+")
    scanned_at = models.DateTimeField()
