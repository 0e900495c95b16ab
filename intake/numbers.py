"""The numbers that come in: their ranges, and the six numbers of a site report (docs/domain.md).

Plain data, read by everything that takes or checks one of these numbers: the database
constraints (intake.models), the forms (intake.forms), the API's serializers, the pages, the
pure score function (scoring.engine) and the demo data. A range or a default is written here
once; nothing else repeats it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, make_dataclass


def plain(value: float) -> str:
    """A bound as messages write it: 240, 0.5, 10000000 (never 1e+07)."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@dataclass(frozen=True)
class Range:
    """`low` ≤ v ≤ `high` (or `low` < v with `low_open`); `whole`: integers only."""

    low: float
    high: float
    low_open: bool = False
    whole: bool = False

    def __contains__(self, value: float) -> bool:
        above = value > self.low if self.low_open else value >= self.low
        return above and value <= self.high and (not self.whole or float(value).is_integer())

    @property
    def lower_words(self) -> str:
        return f"more than {plain(self.low)}" if self.low_open else f"at least {plain(self.low)}"

    @property
    def words(self) -> str:
        """'a number more than 0 and at most 240', 'a whole number at least 1 and at most 5'."""
        number = "a whole number" if self.whole else "a number"
        return f"{number} {self.lower_words} and at most {plain(self.high)}"

    @property
    def symbols(self) -> str:
        """'0 < v ≤ 240', '0–100'."""
        if self.low_open:
            return f"{plain(self.low)} < v ≤ {plain(self.high)}"
        return (
            f"{plain(self.low)}–{self.high:,.0f}"
            if float(self.high).is_integer()
            else f"{plain(self.low)}–{plain(self.high)}"
        )


@dataclass(frozen=True)
class ReportNumber:
    """One number of a site report; `default` None means the reporter must give it."""

    name: str
    range: Range
    default: float | None
    label: str  # the form's label (the intake page, "this happens at my site too")
    help: str  # the form's example
    api_help: str  # the API schema's description
    column: str  # a table's column heading (the problem page)
    noun: str  # the number inside a sentence ("the median minutes lost per occurrence at NORTH fell …")


REPORT_NUMBERS: tuple[ReportNumber, ...] = (
    ReportNumber(
        "minutes_lost_per_occurrence",
        Range(0, 240, low_open=True),
        None,
        label="Minutes lost each time",
        help="A rough guess is fine. For example: 3 (re-typing a medication list), 10 (a fax and a callback).",
        api_help="Minutes lost each time (0 < m ≤ 240).",
        column="Minutes each time",
        noun="minutes lost per occurrence",
    ),
    ReportNumber(
        "occurrences_per_shift",
        Range(0, 200, low_open=True),
        None,
        label="Times per shift, for one provider",
        help="For example: 1 (once a shift), 12 (every other patient), 0.2 (about once a week).",
        api_help="How often per provider per shift (0 < f ≤ 200).",
        column="Times per shift",
        noun="occurrences per shift",
    ),
    ReportNumber(
        "providers_affected_pct",
        Range(0, 100),
        100.0,
        label="Share of providers at your site it affects (%)",
        help="For example: 100 (everyone), 30 (only those on the evening shift).",
        api_help="Share of providers affected, 0–100.",
        column="Providers %",
        noun="share of providers affected (%)",
    ),
    ReportNumber(
        "after_hours_pct",
        Range(0, 100),
        0.0,
        label="Share of that lost time made up after hours (%)",
        help="For example: 0 (never), 50 (half of it is charting at home).",
        api_help="Share of the lost time made up after hours, 0–100.",
        column="After hours %",
        noun="share of lost time made up after hours (%)",
    ),
    ReportNumber(
        "patient_wait_minutes",
        Range(0, 240),
        0.0,
        label="Minutes a patient waits because of it",
        help="For example: 0 (patients don’t notice), 15 (they wait in the room).",
        api_help="Minutes a patient waits because of it, 0–240.",
        column="Patient wait min",
        noun="minutes a patient waits",
    ),
    ReportNumber(
        "visits_affected_pct",
        Range(0, 100),
        0.0,
        label="Share of visits where patients wait (%)",
        help="For example: 5 (only walk-ins needing an x-ray), 100 (every visit).",
        api_help="Share of visits affected, 0–100.",
        column="Visits %",
        noun="share of visits where patients wait (%)",
    ),
)
REPORT_NUMBER_NAMES = tuple(number.name for number in REPORT_NUMBERS)
REPORT_DEFAULTS = {number.name: number.default for number in REPORT_NUMBERS if number.default is not None}

# One reporter's six numbers, as the services take them: the required ones first, then those
# with a default (a dataclass of REPORT_NUMBERS, so a seventh number is one more row above).
ReportValues = make_dataclass(
    "ReportValues",
    [
        (number.name, float) if number.default is None else (number.name, float, field(default=number.default))
        for number in sorted(REPORT_NUMBERS, key=lambda number: number.default is not None)
    ],
    frozen=True,
)
ReportValues.__module__ = __name__

# Other numbers that come in, each with its one range.
SHIFTS_PER_WEEK = Range(0, 21)  # a site's shifts per provider per week
EFFORT_WEEKS = Range(0, 520, low_open=True)  # IT's estimate, and the policy's default effort
MINUTES_SAVED_PER_SHIFT = Range(0, 240)  # an outcome answer
LIKERT = Range(1, 5, whole=True)  # an outcome answer's agreement, 1 (strongly disagree) to 5

# How many values a list filter takes (site codes, statuses, areas; docs/deploy.md: bad input never
# costs a stalled worker). The backlog API's and the backlog page's filters read it.
FILTER_VALUES_MAX = 50


def too_many_values(count: int, noun: str) -> str | None:
    """The refusal for a list filter of `count` values, or None when it is within FILTER_VALUES_MAX."""
    if count <= FILTER_VALUES_MAX:
        return None
    return f"At most {FILTER_VALUES_MAX} {noun} in one filter ({count} given)."
