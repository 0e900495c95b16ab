"""Invariants of the §4 score, checked over generated problems (hypothesis).

Floating-point rounding is monotone, so "never lowers" is asserted exactly (>=), not approximately:
if one of these fails, the formula or the code really does move the wrong way.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from scoring.engine import COST_REPORT, EHR_METRIC, TIME_STUDY, Fact, Inputs, Policy, Report, SiteFacts, score

CODES = ["EAST", "LAKESIDE", "MIDTOWN", "NORTH", "SOUTH", "WEST", "HARBOR", "VALLEY"]
T0 = datetime(2025, 1, 6, tzinfo=UTC)

minutes = st.floats(min_value=0.1, max_value=240, allow_nan=False)
occurrences = st.floats(min_value=0.1, max_value=200, allow_nan=False)
percent = st.floats(min_value=0, max_value=100, allow_nan=False)
wait = st.floats(min_value=0, max_value=240, allow_nan=False)

site_facts = st.builds(
    SiteFacts,
    code=st.just(""),
    providers=st.integers(min_value=0, max_value=40),
    shifts_per_week=st.sampled_from([0.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 7.0]),
    visits_per_week=st.integers(min_value=0, max_value=2000),
)


def report_at(code: str) -> st.SearchStrategy[Report]:
    return st.builds(
        Report,
        site=st.just(code),
        minutes_lost_per_occurrence=minutes,
        occurrences_per_shift=occurrences,
        providers_affected_pct=percent,
        after_hours_pct=percent,
        patient_wait_minutes=wait,
        visits_affected_pct=percent,
    )


@st.composite
def facts(draw, codes: list[str], *, costs: bool = True) -> list[Fact]:
    kinds = [TIME_STUDY, EHR_METRIC, COST_REPORT] if costs else [TIME_STUDY, EHR_METRIC]
    count = draw(st.integers(min_value=0, max_value=6))
    orders = draw(st.lists(st.integers(min_value=1, max_value=10_000), min_size=count, max_size=count, unique=True))
    result = []
    for order in orders:
        kind = draw(st.sampled_from(kinds))
        at = T0 + timedelta(hours=draw(st.integers(min_value=0, max_value=5)))  # ties on purpose
        if kind == TIME_STUDY:
            result.append(
                Fact(
                    kind=kind,
                    value=draw(minutes),
                    created_at=at,
                    order=order,
                    site=draw(st.none() | st.sampled_from(codes)),
                    sample_size=draw(st.integers(min_value=1, max_value=60)),
                )
            )
        elif kind == EHR_METRIC:
            result.append(
                Fact(kind=kind, value=draw(occurrences), created_at=at, order=order, site=draw(st.sampled_from(codes)))
            )
        else:
            value = draw(st.floats(min_value=0, max_value=50, allow_nan=False))
            result.append(Fact(kind=kind, value=value, created_at=at, order=order, site=draw(st.sampled_from(codes))))
    return result


@st.composite
def problems(draw, *, costs: bool = True, max_sites: int = len(CODES)) -> Inputs:
    """A problem with 1..max_sites reporting sites, any evidence, any S and any effort."""
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=max_sites, unique=True))
    sites = {code: dataclasses.replace(draw(site_facts), code=code) for code in CODES}
    reports = []
    for code in codes:
        reports += draw(st.lists(report_at(code), min_size=1, max_size=3))
    return Inputs(
        sites=sites,
        reports=reports,
        evidence=draw(facts(CODES, costs=costs)),
        active_sites=draw(st.integers(min_value=0, max_value=20)),
        effort_weeks=draw(st.none() | st.floats(min_value=0.1, max_value=52, allow_nan=False)),
    )


policies = st.builds(
    Policy,
    version=st.integers(min_value=1, max_value=50),
    after_hours_weight=st.floats(min_value=0, max_value=10, allow_nan=False),
    patient_weight=st.floats(min_value=0, max_value=10, allow_nan=False),
    breadth_weight=st.floats(min_value=0, max_value=10, allow_nan=False),
    default_effort_weeks=st.floats(min_value=0.1, max_value=52, allow_nan=False),
)


@given(problems(), policies)
def test_priority_is_never_negative_and_follows_the_formula(inputs, policy):
    result = score(inputs, policy)
    assert result.priority >= 0
    assert result.priority == max(result.value_hours_per_week, 0) * result.breadth * result.confidence / (
        result.effort_weeks
    )
    assert 0.5 <= result.confidence <= 1
    assert result.breadth >= 1
    assert result.sites_affected == len({r.site for r in inputs.reports})


@given(problems(), policies, st.randoms(use_true_random=False))
def test_the_same_data_in_any_order_gives_identical_numbers(inputs, policy, rng):
    first = score(inputs, policy)
    shuffled_reports, shuffled_evidence = list(inputs.reports), list(inputs.evidence)
    rng.shuffle(shuffled_reports)
    rng.shuffle(shuffled_evidence)
    shuffled_sites = dict(rng.sample(list(inputs.sites.items()), len(inputs.sites)))
    shuffled = dataclasses.replace(inputs, reports=shuffled_reports, evidence=shuffled_evidence, sites=shuffled_sites)
    # Exact equality, float for float: a re-rank must not move problems because rows came back in another order
    assert score(inputs, policy) == first
    assert score(shuffled, policy) == first


@given(problems(), policies, st.data())
def test_more_minutes_in_any_report_never_lower_the_priority(inputs, policy, data):
    index = data.draw(st.integers(min_value=0, max_value=len(inputs.reports) - 1))
    before = inputs.reports[index]
    higher = data.draw(st.floats(min_value=before.minutes_lost_per_occurrence, max_value=240, allow_nan=False))
    reports = list(inputs.reports)
    reports[index] = dataclasses.replace(before, minutes_lost_per_occurrence=higher)
    assert score(dataclasses.replace(inputs, reports=reports), policy).priority >= score(inputs, policy).priority


@given(problems(), policies, st.data())
def test_more_occurrences_in_any_report_never_lower_the_priority(inputs, policy, data):
    index = data.draw(st.integers(min_value=0, max_value=len(inputs.reports) - 1))
    before = inputs.reports[index]
    higher = data.draw(st.floats(min_value=before.occurrences_per_shift, max_value=200, allow_nan=False))
    reports = list(inputs.reports)
    reports[index] = dataclasses.replace(before, occurrences_per_shift=higher)
    assert score(dataclasses.replace(inputs, reports=reports), policy).priority >= score(inputs, policy).priority


@given(problems(), policies, st.data())
def test_more_measured_minutes_or_occurrences_never_lower_the_priority(inputs, policy, data):
    measured = [i for i, f in enumerate(inputs.evidence) if f.kind in (TIME_STUDY, EHR_METRIC)]
    assume(measured)
    index = data.draw(st.sampled_from(measured))
    before = inputs.evidence[index]
    ceiling = 240 if before.kind == TIME_STUDY else 200
    evidence = list(inputs.evidence)
    evidence[index] = dataclasses.replace(
        before, value=data.draw(st.floats(min_value=before.value, max_value=ceiling, allow_nan=False))
    )
    assert score(dataclasses.replace(inputs, evidence=evidence), policy).priority >= score(inputs, policy).priority


@given(problems(costs=False, max_sites=len(CODES) - 1), policies, st.data())
def test_a_new_site_with_a_report_never_lowers_the_priority_without_cost(inputs, policy, data):
    new_code = data.draw(st.sampled_from(sorted(set(CODES) - {r.site for r in inputs.reports})))
    new_report = data.draw(report_at(new_code))
    more = dataclasses.replace(inputs, reports=[*inputs.reports, new_report])
    before, after = score(inputs, policy), score(more, policy)
    assert after.sites_affected == before.sites_affected + 1
    assert after.breadth >= before.breadth
    assert after.confidence >= before.confidence
    assert after.priority >= before.priority


@given(problems(costs=True, max_sites=len(CODES) - 1), policies, st.data())
def test_a_new_site_never_lowers_the_priority_even_with_cost_reports(inputs, policy, data):
    # Cost counts over every site whether or not it reported (§4), so a new report cannot add cost.
    new_code = data.draw(st.sampled_from(sorted(set(CODES) - {r.site for r in inputs.reports})))
    more = dataclasses.replace(inputs, reports=[*inputs.reports, data.draw(report_at(new_code))])
    assert score(more, policy).priority >= score(inputs, policy).priority


@given(problems(), policies, st.floats(min_value=0, max_value=50, allow_nan=False), st.sampled_from(CODES))
def test_a_new_cost_report_never_raises_the_priority(inputs, policy, value, code):
    latest = max((f.created_at for f in inputs.evidence), default=T0) + timedelta(days=1)
    # a site with no cost yet: the new report can only add cost
    assume(all(f.site != code for f in inputs.evidence if f.kind == COST_REPORT))
    new_cost = Fact(kind=COST_REPORT, value=value, created_at=latest, order=10_001, site=code)
    more = dataclasses.replace(inputs, evidence=[*inputs.evidence, new_cost])
    assert score(more, policy).priority <= score(inputs, policy).priority


@given(problems(), policies, st.floats(min_value=0.1, max_value=52, allow_nan=False))
def test_priority_scales_as_one_over_effort(inputs, policy, effort):
    one_week = score(dataclasses.replace(inputs, effort_weeks=1.0), policy)
    estimated = score(dataclasses.replace(inputs, effort_weeks=effort), policy)
    assert estimated.effort_estimated is True
    assert estimated.priority * effort == pytest.approx(one_week.priority, rel=1e-12, abs=1e-300)
    assert estimated.value_hours_per_week == one_week.value_hours_per_week


@given(problems(), policies)
def test_more_after_hours_or_patient_weight_never_lowers_the_priority(inputs, policy):
    base = score(inputs, policy).priority
    assert score(inputs, dataclasses.replace(policy, after_hours_weight=policy.after_hours_weight + 1)).priority >= base
    assert score(inputs, dataclasses.replace(policy, patient_weight=policy.patient_weight + 1)).priority >= base
    assert score(inputs, dataclasses.replace(policy, breadth_weight=policy.breadth_weight + 1)).priority >= base


def test_order_independence_holds_for_a_large_fixed_case():
    # A deterministic stress case beside the generated ones: 8 sites, 40 reports, 30 facts, 50 shuffles.
    rng = random.Random(20250306)
    sites = {c: SiteFacts(c, rng.randint(4, 25), rng.choice([3.0, 4.0, 5.0]), rng.randint(300, 1500)) for c in CODES}
    reports = [
        Report(
            site=rng.choice(CODES),
            minutes_lost_per_occurrence=rng.uniform(0.1, 30),
            occurrences_per_shift=rng.uniform(0.1, 40),
            providers_affected_pct=rng.uniform(0, 100),
            after_hours_pct=rng.uniform(0, 100),
            patient_wait_minutes=rng.uniform(0, 60),
            visits_affected_pct=rng.uniform(0, 100),
        )
        for _ in range(40)
    ]
    evidence = [
        Fact(
            kind=kind,
            value=rng.uniform(0.1, 30),
            created_at=T0 + timedelta(minutes=rng.randint(0, 3)),
            order=order,
            site=rng.choice([None, *CODES]) if kind == TIME_STUDY else rng.choice(CODES),
            sample_size=rng.randint(1, 40) if kind == TIME_STUDY else None,
        )
        for order, kind in enumerate(rng.choices([TIME_STUDY, EHR_METRIC, COST_REPORT], k=30), start=1)
    ]
    inputs = Inputs(sites=sites, reports=reports, evidence=evidence, active_sites=12)
    expected = score(inputs, Policy())
    for _ in range(50):
        rng.shuffle(reports)
        rng.shuffle(evidence)
        assert score(
            Inputs(sites=sites, reports=list(reports), evidence=list(evidence), active_sites=12), Policy()
        ) == (expected)
