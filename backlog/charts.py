"""Geometry for the problem page's charts: plain numbers in, positions and percentages out.

Pure functions (no ORM, no templates), so the charts are tested without a database. The
templates draw them as CSS bars and inline SVG; the numbers themselves are always shown beside
the drawing, so nothing is conveyed by the picture alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SiteBar:
    """One site's contribution to the score, in hours per week, and each part's share of the scale (%)."""

    site: str
    provider_hours: float  # plain provider hours lost
    after_hours_extra: float  # what the after-hours weighting adds on top
    patient_hours_weighted: float  # patient waiting hours × patient weight
    cost_hours: float  # hours per week the change would cost this site
    provider_pct: float
    after_hours_pct: float
    patient_pct: float
    cost_pct: float
    revenue_hours_weighted: float = 0.0  # lost revenue a week × revenue weight
    revenue_pct: float = 0.0

    @property
    def gain_hours(self) -> float:
        return self.provider_hours + self.after_hours_extra + self.patient_hours_weighted + self.revenue_hours_weighted


def score_bars(
    per_site: Sequence,
    cost_by_site: dict[str, float],
    *,
    patient_weight: float,
    revenue_by_site: dict[str, float] | None = None,
    revenue_weight: float = 0.0,
) -> list[SiteBar]:
    """Bars for each site that reports the problem or reports a cost or lost revenue, scaled to the
    longest one.

    `per_site` holds scoring.engine.SiteBreakdown rows (minutes per week); costs are hours per
    week; revenue is money per week, counted as hours by `revenue_weight`.
    """
    revenue_by_site = revenue_by_site or {}
    parts: dict[str, tuple[float, float, float]] = {}
    for row in per_site:
        provider = row.provider_minutes / 60
        parts[row.site] = (provider, row.weighted_minutes / 60 - provider, row.patient_minutes / 60 * patient_weight)
    revenue = {code: value * revenue_weight for code, value in revenue_by_site.items()}
    codes = sorted(set(parts) | set(cost_by_site) | {code for code, hours in revenue.items() if hours})
    scale = max(
        [sum(parts.get(code, (0.0, 0.0, 0.0))) + revenue.get(code, 0.0) for code in codes]
        + [cost_by_site.get(code, 0.0) for code in codes],
        default=0.0,
    )

    def pct(value: float) -> float:
        return round(100 * value / scale, 2) if scale > 0 else 0.0

    bars = []
    for code in codes:
        provider, extra, patient = parts.get(code, (0.0, 0.0, 0.0))
        cost = cost_by_site.get(code, 0.0)
        bars.append(
            SiteBar(
                site=code,
                provider_hours=provider,
                after_hours_extra=extra,
                patient_hours_weighted=patient,
                cost_hours=cost,
                provider_pct=pct(provider),
                after_hours_pct=pct(extra),
                patient_pct=pct(patient),
                cost_pct=pct(cost),
                revenue_hours_weighted=revenue.get(code, 0.0),
                revenue_pct=pct(revenue.get(code, 0.0)),
            )
        )
    return bars


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    segments: list[str]  # SVG polyline `points` strings; a gap (None value) starts a new segment
    points: list[Point]
    low: float | None  # smallest and largest value drawn, for the axis labels
    high: float | None
    top_label: str
    bottom_label: str


def line_chart(
    values: Sequence[float | None],
    *,
    width: int = 320,
    height: int = 120,
    pad: int = 12,
    invert: bool = False,
    fmt: str = "{:g}",
) -> LineChart:
    """Evenly spaced points for `values`; with `invert` the smallest value is drawn at the top (rank 1)."""
    present = [v for v in values if v is not None]
    low, high = (min(present), max(present)) if present else (None, None)
    step = (width - 2 * pad) / (len(values) - 1) if len(values) > 1 else 0.0
    inner = height - 2 * pad

    def y_of(value: float) -> float:
        if high == low:
            return pad + inner / 2
        share = (value - low) / (high - low)
        return pad + (share if invert else 1 - share) * inner

    segments: list[list[Point]] = [[]]
    points = []
    for index, value in enumerate(values):
        if value is None:
            if segments[-1]:
                segments.append([])
            continue
        x = pad + index * step if len(values) > 1 else width / 2
        point = Point(x=round(x, 1), y=round(y_of(value), 1), value=value)
        segments[-1].append(point)
        points.append(point)
    top, bottom = (low, high) if invert else (high, low)
    return LineChart(
        width=width,
        height=height,
        segments=[" ".join(f"{p.x},{p.y}" for p in seg) for seg in segments if len(seg) > 1],
        points=points,
        low=low,
        high=high,
        top_label=fmt.format(top) if top is not None else "",
        bottom_label=fmt.format(bottom) if bottom is not None else "",
    )
