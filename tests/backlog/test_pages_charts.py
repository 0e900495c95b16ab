"""The problem page's chart geometry: pure functions, unit and property tests."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backlog.charts import line_chart, score_bars
from scoring.engine import SiteBreakdown


def breakdown(site, provider_minutes, weighted_minutes, patient_minutes):
    return SiteBreakdown(
        site=site,
        minutes_per_occurrence=1,
        occurrences_per_shift=1,
        providers_affected_pct=100,
        after_hours_pct=0,
        patient_wait_minutes=0,
        visits_affected_pct=0,
        provider_minutes=provider_minutes,
        weighted_minutes=weighted_minutes,
        patient_minutes=patient_minutes,
    )


def test_bars_split_each_site_into_provider_after_hours_and_patient_hours_scaled_to_the_longest():
    per_site = [breakdown("NORTH", 600, 900, 120), breakdown("SOUTH", 300, 300, 0)]

    bars = score_bars(per_site, {"SOUTH": 4.0, "WEST": 1.0}, patient_weight=0.5)

    assert [b.site for b in bars] == ["NORTH", "SOUTH", "WEST"]
    north, south, west = bars
    assert (north.provider_hours, north.after_hours_extra, north.patient_hours_weighted) == (10.0, 5.0, 1.0)
    assert (north.provider_pct, north.after_hours_pct, north.patient_pct) == (62.5, 31.25, 6.25)
    assert (south.provider_hours, south.cost_hours, south.provider_pct, south.cost_pct) == (5.0, 4.0, 31.25, 25.0)
    assert (west.gain_hours, west.cost_hours, west.cost_pct) == (0.0, 1.0, 6.25)


def test_no_sites_give_no_bars_and_zero_hours_give_empty_bars():
    assert score_bars([], {}, patient_weight=0.25) == []
    (bar,) = score_bars([breakdown("NORTH", 0, 0, 0)], {}, patient_weight=0.25)
    assert (bar.provider_pct, bar.cost_pct) == (0.0, 0.0)


minutes = st.floats(min_value=0, max_value=1e5, allow_nan=False)


@given(
    sites=st.lists(st.tuples(minutes, minutes, minutes), min_size=1, max_size=8),
    cost=st.floats(min_value=0, max_value=1e4, allow_nan=False),
)
def test_bars_never_exceed_the_scale(sites, cost):
    per_site = [breakdown(f"S{i}", p, p + extra, w) for i, (p, extra, w) in enumerate(sites)]

    bars = score_bars(per_site, {"S0": cost}, patient_weight=0.25)

    for bar in bars:
        assert 0 <= bar.provider_pct + bar.after_hours_pct + bar.patient_pct <= 100.05
        assert 0 <= bar.cost_pct <= 100


def test_rank_chart_puts_rank_one_at_the_top_and_breaks_where_the_problem_was_not_ranked():
    chart = line_chart([3, 1, None, 2], width=100, height=50, pad=10, invert=True, fmt="#{:g}")

    assert [(p.x, p.y) for p in chart.points] == [(10.0, 40.0), (36.7, 10.0), (90.0, 25.0)]
    assert chart.segments == ["10.0,40.0 36.7,10.0"]
    assert (chart.top_label, chart.bottom_label) == ("#1", "#3")


def test_priority_chart_puts_the_highest_value_at_the_top_and_a_single_point_in_the_middle():
    rising = line_chart([1.0, 4.0], width=100, height=50, pad=10, fmt="{:.1f}")
    single = line_chart([2.5], width=100, height=50, pad=10)

    assert [(p.x, p.y) for p in rising.points] == [(10.0, 40.0), (90.0, 10.0)]
    assert (rising.top_label, rising.bottom_label) == ("4.0", "1.0")
    assert [(p.x, p.y) for p in single.points] == [(50.0, 25.0)]
    assert single.segments == []
    assert line_chart([]).points == []


@given(st.lists(st.one_of(st.none(), st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)), max_size=40))
@pytest.mark.parametrize("invert", [False, True])
def test_every_point_lies_inside_the_chart(invert, values):
    chart = line_chart(values, width=320, height=120, pad=12, invert=invert)

    assert len(chart.points) == sum(v is not None for v in values)
    for point in chart.points:
        assert 12 <= point.x <= 308 or point.x == 160
        assert 12 <= point.y <= 108
