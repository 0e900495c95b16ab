"""What a site report changed in a problem's score, in words ("me too" and the intake's join).

The score is a pure function of the inputs (docs/scoring.md), so the score a report leads to is known
the moment it is saved, before the recompute stores it: the engine scores the problem's inputs
before and after, under the policy in force, and the message names the numbers that moved at the
reporting site and what that did to the priority. Intake reaches this through
settings.BRIDGE_REPORT_EXPLAINER (intake imports nothing of ours); backlog imports it.
"""

from __future__ import annotations

from intake.numbers import REPORT_NUMBERS, plain

from .engine import Score, SiteBreakdown, score
from .selectors import policy_as_engine, policy_current, score_inputs


def score_now(problem_id: int) -> Score:
    """The score of the problem's inputs as they are now, under the policy in force."""
    (inputs,) = score_inputs([problem_id])
    return score(inputs.inputs, policy_as_engine(policy_current()))


def _number(value: float) -> str:
    return plain(round(value, 2))


def _site(result: Score, code: str) -> SiteBreakdown | None:
    return next((s for s in result.per_site if s.site == code), None)


def _priority_words(before: Score, after: Score) -> str:
    if round(before.priority, 2) == round(after.priority, 2):
        return f"the priority stays at {before.priority:.2f}"
    return f"the priority goes from {before.priority:.2f} to {after.priority:.2f}"


def report_change_message(*, site_code: str, created: bool, before: Score, after: Score) -> str:
    """One sentence: whose report, what it changed at the site, and what that did to the priority."""
    was, now = _site(before, site_code), _site(after, site_code)
    verb = "added" if created else "updated"
    opening = f"{site_code}'s report {verb}"
    if was is None and now is not None:
        sites = f"{after.sites_affected} site{'s' if after.sites_affected != 1 else ''}"
        counted = f"{sites} instead of {before.sites_affected}"
        return (
            f"{opening}; {site_code} now counts toward this problem ({counted}), so {_priority_words(before, after)}."
        )
    if was is None or now is None:  # a site the score does not count (not active)
        return f"{opening}; {site_code} does not count toward the score, so {_priority_words(before, after)}."
    moves = [
        f"the median {number.noun} at {site_code} {'rose' if new > old else 'fell'} "
        f"from {_number(old)} to {_number(new)}"
        for number, old, new in zip(REPORT_NUMBERS, was.numbers, now.numbers, strict=True)
        if round(old, 9) != round(new, 9)
    ]
    if not moves:
        return (
            f"{opening}; {site_code} already counted and the numbers used for it did not change, "
            f"so {_priority_words(before, after)}."
        )
    listed = moves[0] if len(moves) == 1 else ", ".join(moves[:-1]) + " and " + moves[-1]
    return f"{opening}; {site_code} already counted, and {listed}, so {_priority_words(before, after)}."


class ReportChange:
    """Made before a report is saved (it scores the inputs then); `message()` after it is saved."""

    def __init__(self, *, problem_id: int, site_code: str) -> None:
        self.problem_id = problem_id
        self.site_code = site_code
        self.before = score_now(problem_id)

    def message(self, *, created: bool) -> str:
        return report_change_message(
            site_code=self.site_code, created=created, before=self.before, after=score_now(self.problem_id)
        )
