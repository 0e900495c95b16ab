"""Outcomes: what happens to a problem once it is delivered. (Triage writes are audited in intake.audit.)"""

from django.db import models

from intake.models import Problem, Site, User, range_q
from intake.numbers import LIKERT, MINUTES_SAVED_PER_SHIFT

# The outcome survey's questions, in the exact wording of product.md §3 (Outcome).
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
