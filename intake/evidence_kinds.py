"""The kinds of evidence (docs/domain.md) and every rule of each: the one table they all read.

Per kind: what `value` measures and its range, whether a site is required, whether it carries a
sample size, and what it does in the score (scoring.engine reads `overrides`, `aggregate`,
`total` and `measured`; nothing there names a kind). The database constraint (intake.models),
the page's form and its kind-dependent fields, the API's serializer and its messages, the
problem page's evidence list, the stale marks (intake.services: only scored kinds change a
score) and the demo data all come from here. A new kind is a row of KINDS, a migration for the
constraint, and, if it feeds a new total, that total in the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import TextChoices

from .numbers import Range


class EvidenceKind(TextChoices):
    TIME_STUDY = "time_study", "Time study (minutes lost per occurrence)"
    EHR_METRIC = "ehr_metric", "EHR metric (occurrences per provider per shift)"
    COST_REPORT = "cost_report", "Cost report (provider hours per week a change would cost)"
    AFTER_HOURS_METRIC = "after_hours_metric", "After-hours metric (share of the lost time made up after hours, %)"
    REVENUE_REPORT = "revenue_report", "Revenue report (money per week the problem costs the site)"
    SURVEY = "survey", "Survey (provider frustration 1–5)"
    NOTE = "note", "Note"


class Aggregate(StrEnum):
    """How a kind's values at a site become one number."""

    WEIGHTED_MEAN = "weighted_mean"  # sample-size-weighted mean at the site, else of the site-less ones
    LATEST = "latest"  # the latest value at the site counts


@dataclass(frozen=True)
class KindRule:
    kind: EvidenceKind
    noun: str  # "time study": messages say "a time study", "the time study"
    measures: str  # what `value` is, as the API's messages say it
    value_label: str  # the form's label for `value`
    help: str  # the form's help for `value`
    range: Range | None = None  # None: the kind has no value (a note: text only)
    site_required: bool = False
    sample_size: bool = False  # carries a sample size (≥ 1, required); no other kind may
    # In the score (scoring.engine):
    overrides: str | None = None  # the site-report number (intake.numbers) it replaces at its site
    gives: str = ""  # what it replaces, in the problem page's words: "a time study gives the minutes"
    aggregate: Aggregate | None = None  # how values at a site count, for `overrides` and `total`
    total: str | None = None  # the score total it adds to: the latest value per site, summed
    measured: bool = False  # counts as measured evidence (confidence + 0.2)
    # On the problem page: "<before><strong>value<unit></strong><after>".
    shown: tuple[str, str, str] = ("", "", "")

    @property
    def title(self) -> str:
        """'Time study', 'EHR metric': the kind's label without what it measures."""
        return self.kind.label.split(" (")[0]

    @property
    def a_noun(self) -> str:
        return ("an " if self.noun[0].lower() in "aeiou" else "a ") + self.noun

    @property
    def scored(self) -> bool:
        """Whether the kind changes a score: adding it marks the problem stale."""
        return self.overrides is not None or self.total is not None

    def show(self, value: float | None) -> tuple[str, str, str]:
        """(before, in bold, after) for the problem page's evidence list."""
        if value is None or self.range is None:
            return ("", "", "")
        before, unit, after = self.shown
        return (before, f"{value:,.10g}{unit}", after)


KINDS: dict[str, KindRule] = {
    rule.kind: rule
    for rule in (
        KindRule(
            EvidenceKind.TIME_STUDY,
            noun="time study",
            measures="minutes lost per occurrence",
            value_label="Measured minutes lost per occurrence",
            help="From a time study; up to 240.",
            range=Range(0, 240, low_open=True),
            sample_size=True,
            overrides="minutes_lost_per_occurrence",
            gives="the minutes",
            aggregate=Aggregate.WEIGHTED_MEAN,
            measured=True,
            shown=("", " minutes", " lost per occurrence"),
        ),
        KindRule(
            EvidenceKind.EHR_METRIC,
            noun="EHR metric",
            measures="occurrences per provider per shift",
            value_label="Occurrences per provider per shift",
            help="From EHR logs at the site; up to 200.",
            range=Range(0, 200, low_open=True),
            site_required=True,
            overrides="occurrences_per_shift",
            gives="the times per shift",
            aggregate=Aggregate.LATEST,
            measured=True,
            shown=("", "", " occurrences per provider per shift"),
        ),
        KindRule(
            EvidenceKind.COST_REPORT,
            noun="cost report",
            measures="provider hours per week the change would cost the site",
            value_label="Provider hours per week the change would cost the site",
            help="The latest report per site counts; 0 to 10,000.",
            range=Range(0, 10000),
            site_required=True,
            aggregate=Aggregate.LATEST,
            total="cost_hours_per_week",
            shown=("", " provider hours/week", " the change would cost"),
        ),
        KindRule(
            EvidenceKind.AFTER_HOURS_METRIC,
            noun="after-hours metric",
            measures="share of the lost time made up after hours, %",
            value_label="Share of the lost time made up after hours (%)",
            help="From EHR audit logs at the site (“work outside work”, “pajama time”); 0 to 100. "
            "The latest per site replaces the reported share.",
            range=Range(0, 100),
            site_required=True,
            overrides="after_hours_pct",
            gives="the after-hours share",
            aggregate=Aggregate.LATEST,
            measured=True,
            shown=("", " %", " of the lost time made up after hours"),
        ),
        KindRule(
            EvidenceKind.REVENUE_REPORT,
            noun="revenue report",
            measures="money per week the problem costs the site",
            value_label="Money per week the problem costs the site",
            help="Missed charges, under-coded acuity, walk-outs, in the network's currency; the latest report "
            "per site counts; 0 to 10,000,000.",
            range=Range(0, 10_000_000),
            site_required=True,
            aggregate=Aggregate.LATEST,
            total="revenue_per_week",
            shown=("", " a week", " in lost revenue"),
        ),
        KindRule(
            EvidenceKind.SURVEY,
            noun="survey",
            measures="provider frustration",
            value_label="Provider frustration (1–5)",
            help="1 = not frustrated, 5 = very frustrated.",
            range=Range(1, 5, whole=True),
            shown=("frustration ", " / 5", ""),
        ),
        KindRule(
            EvidenceKind.NOTE,
            noun="note",
            measures="",
            value_label="",
            help="",
        ),
    )
}
SCORED_KINDS = tuple(kind for kind, rule in KINDS.items() if rule.scored)


def measured_replaces() -> str:
    """'a time study gives the minutes, an EHR metric gives the times per shift' (the problem page)."""
    return ", ".join(f"{rule.a_noun} gives {rule.gives}" for rule in KINDS.values() if rule.overrides)
