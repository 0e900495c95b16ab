"""Every rule of docs/scoring.md, one at a time, with the arithmetic done by hand in the comments.

The engine is a pure function, so these tests need no database. Unless a test says otherwise a
site has 10 providers × 4 shifts a week, a report affects 100 % of providers with no after-hours
share and no patient wait, and the policy is the default (after-hours 0.5, patient 0.25,
breadth 1.0, default effort 2 weeks).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from intake.evidence_kinds import EvidenceKind
from scoring.engine import (
    COST_REPORT,
    EHR_METRIC,
    TIME_STUDY,
    Answer,
    Fact,
    Inputs,
    Policy,
    Report,
    SiteFacts,
    realized_provider_hours,
    score,
)

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
DEFAULT = Policy()


def site(code: str, providers: int = 10, shifts: float = 4.0, visits: int = 700) -> SiteFacts:
    return SiteFacts(code=code, providers=providers, shifts_per_week=shifts, visits_per_week=visits)


def report(code: str, m: float = 1.0, f: float = 1.0, **values: float) -> Report:
    return Report(site=code, minutes_lost_per_occurrence=m, occurrences_per_shift=f, **values)


def fact(kind: str, value: float, *, order: int, site: str | None = None, day: int = 0, n: int | None = None) -> Fact:
    return Fact(kind=kind, value=value, created_at=T0 + timedelta(days=day), order=order, site=site, sample_size=n)


def study(value: float, n: int, *, order: int, site: str | None = None, day: int = 0) -> Fact:
    return fact(TIME_STUDY, value, order=order, site=site, day=day, n=n)


def metric(value: float, *, site: str, order: int, day: int = 0) -> Fact:
    return fact(EHR_METRIC, value, order=order, site=site, day=day)


def cost(value: float, *, site: str, order: int, day: int = 0) -> Fact:
    return fact(COST_REPORT, value, order=order, site=site, day=day)


def inputs(
    reports: list[Report],
    evidence: list[Fact] | None = None,
    *,
    sites: list[SiteFacts] | None = None,
    active_sites: int = 12,
    effort_weeks: float | None = None,
) -> Inputs:
    codes = {r.site for r in reports} | {f.site for f in evidence or [] if f.site}
    given = {s.code: s for s in sites or []}
    return Inputs(
        sites={code: given.get(code, site(code)) for code in sorted(codes)},
        reports=reports,
        evidence=evidence or [],
        active_sites=active_sites,
        effort_weeks=effort_weeks,
    )


def only_site(result):
    (breakdown,) = result.per_site
    return breakdown


# --- m_s: minutes lost per occurrence ------------------------------------------------------------


def test_minutes_are_the_median_of_an_odd_number_of_reports():
    # Given three reports at NORTH saying 2, 9 and 4 minutes (1 occurrence a shift)
    result = score(inputs([report("NORTH", m=2), report("NORTH", m=9), report("NORTH", m=4)]), DEFAULT)
    # Then m = median(2, 4, 9) = 4, and provider minutes = 10 providers × 1.00 × 1 × 4 shifts × 4 = 160
    assert only_site(result).minutes_per_occurrence == 4
    assert only_site(result).provider_minutes == 160
    assert result.provider_hours_per_week == pytest.approx(160 / 60)


def test_minutes_of_an_even_number_of_reports_are_the_mean_of_the_two_middle_values():
    # Given four reports saying 10, 2, 5 and 3 minutes: sorted 2, 3, 5, 10
    reports = [report("NORTH", m=10), report("NORTH", m=2), report("NORTH", m=5), report("NORTH", m=3)]
    # Then m = (3 + 5) / 2 = 4
    assert only_site(score(inputs(reports), DEFAULT)).minutes_per_occurrence == 4


def test_two_reports_give_the_mean_of_both():
    # (1.5 + 2) / 2 = 1.75
    reports = [report("NORTH", m=1.5), report("NORTH", m=2)]
    assert only_site(score(inputs(reports), DEFAULT)).minutes_per_occurrence == 1.75


def test_site_time_studies_replace_the_reports_weighted_by_sample_size():
    # Given reports of 10 minutes, and at NORTH studies of 6 min (n=10) and 3 min (n=20),
    # and a network-wide study of 9 min (n=5) that a site study outranks
    evidence = [study(6, 10, site="NORTH", order=1), study(3, 20, site="NORTH", order=2), study(9, 5, order=3)]
    result = score(inputs([report("NORTH", m=10), report("NORTH", m=10)], evidence), DEFAULT)
    # Then m = (6×10 + 3×20) / (10 + 20) = 120 / 30 = 4, not 10 and not 9
    assert only_site(result).minutes_per_occurrence == 4
    assert only_site(result).provider_minutes == 10 * 1 * 1 * 4 * 4


def test_network_time_studies_apply_when_the_site_has_none():
    # Given reports of 2 minutes and network-wide studies of 5 min (n=1) and 8 min (n=2)
    evidence = [study(5, 1, order=1), study(8, 2, order=2)]
    result = score(inputs([report("NORTH", m=2)], evidence), DEFAULT)
    # Then m = (5×1 + 8×2) / 3 = 21 / 3 = 7
    assert only_site(result).minutes_per_occurrence == 7


def test_a_time_study_at_one_site_does_not_apply_to_another_site():
    # Given NORTH reports 2 minutes, SOUTH reports 2 minutes, and a study at SOUTH measured 6 (n=3)
    result = score(inputs([report("NORTH", m=2), report("SOUTH", m=2)], [study(6, 3, site="SOUTH", order=1)]), DEFAULT)
    # Then NORTH keeps its reports' median (2) and SOUTH takes its study (6)
    by_site = {b.site: b.minutes_per_occurrence for b in result.per_site}
    assert by_site == {"NORTH": 2, "SOUTH": 6}


def test_site_studies_win_at_their_site_and_network_studies_cover_the_rest():
    # Given a study at NORTH (4 min, n=2) and a network study (7 min, n=9); both sites report 1 minute
    evidence = [study(4, 2, site="NORTH", order=1), study(7, 9, order=2)]
    result = score(inputs([report("NORTH"), report("SOUTH")], evidence), DEFAULT)
    assert {b.site: b.minutes_per_occurrence for b in result.per_site} == {"NORTH": 4, "SOUTH": 7}


def test_a_time_study_at_a_site_without_reports_adds_no_site():
    # A study at EAST (no report there) neither adds EAST to R nor changes NORTH's minutes
    result = score(inputs([report("NORTH", m=3)], [study(9, 4, site="EAST", order=1)]), DEFAULT)
    assert result.sites == ["NORTH"]
    assert only_site(result).minutes_per_occurrence == 3


# --- f_s: occurrences per shift ------------------------------------------------------------------


def test_occurrences_are_the_median_of_the_reports_odd_and_even():
    odd = [report("NORTH", f=12), report("NORTH", f=3), report("NORTH", f=7)]  # median(3, 7, 12) = 7
    even = [report("NORTH", f=12), report("NORTH", f=3), report("NORTH", f=7), report("NORTH", f=1)]  # (3+7)/2 = 5
    assert only_site(score(inputs(odd), DEFAULT)).occurrences_per_shift == 7
    assert only_site(score(inputs(even), DEFAULT)).occurrences_per_shift == 5


def test_the_latest_ehr_metric_at_the_site_replaces_the_reports():
    # Given reports of 30 a shift and metrics 12 (day 1), 8 (day 2, the latest) and 20 (day 0)
    evidence = [
        metric(12, site="NORTH", order=1, day=1),
        metric(8, site="NORTH", order=2, day=2),
        metric(20, site="NORTH", order=3, day=0),
    ]
    result = score(inputs([report("NORTH", f=30)], evidence), DEFAULT)
    # Then f = 8: the latest by created_at, even though another was added with a higher id
    assert only_site(result).occurrences_per_shift == 8
    # and provider minutes = 10 × 1.00 × 8 × 4 × 1 = 320
    assert only_site(result).provider_minutes == 320


def test_ehr_metrics_with_the_same_timestamp_are_ordered_by_id():
    # Two metrics recorded in the same instant: the one with the higher id (order) is the later one
    evidence = [metric(5, site="NORTH", order=7), metric(9, site="NORTH", order=3)]
    assert only_site(score(inputs([report("NORTH", f=30)], evidence), DEFAULT)).occurrences_per_shift == 5


def test_an_ehr_metric_at_another_site_does_not_apply():
    # SOUTH's metric (20) leaves NORTH on its reports (4); SOUTH is not in R, so it is not scored at all
    result = score(inputs([report("NORTH", f=4)], [metric(20, site="SOUTH", order=1)]), DEFAULT)
    assert result.sites == ["NORTH"]
    assert only_site(result).occurrences_per_shift == 4


# --- after-hours metrics --------------------------------------------------------------------------


def after_hours(value: float, *, site: str, order: int, day: int = 0) -> Fact:
    return fact(EvidenceKind.AFTER_HOURS_METRIC, value, order=order, site=site, day=day)


def test_the_latest_after_hours_metric_at_a_site_replaces_the_reported_share():
    # Given NORTH's reports of 10 % and 30 % after hours (median 20 %), and the EHR audit log's
    # measured shares 60 % (day 0), 40 % (day 2, the latest) and 80 % (day 1); SOUTH has no metric
    north, south = site("NORTH", providers=12, shifts=3.5), site("SOUTH", providers=10)
    reports = [
        report("NORTH", m=2.5, f=6, providers_affected_pct=50, after_hours_pct=10),
        report("NORTH", m=2.5, f=6, providers_affected_pct=50, after_hours_pct=30),
        report("SOUTH", m=1, f=6, after_hours_pct=50),
    ]
    evidence = [
        after_hours(60, site="NORTH", order=1, day=0),
        after_hours(40, site="NORTH", order=2, day=2),
        after_hours(80, site="NORTH", order=3, day=1),
    ]
    result = score(inputs(reports, evidence, sites=[north, south]), DEFAULT)
    by_site = {b.site: b for b in result.per_site}
    # Then NORTH counts 40 % (the latest), SOUTH its own reported 50 %
    assert (by_site["NORTH"].after_hours_pct, by_site["SOUTH"].after_hours_pct) == (40, 50)
    # NORTH: 12 × 0.5 × 6 × 3.5 × 2.5 = 315 min, 40 % after hours: 315 × (1 + 0.5 × 0.40) = 378
    assert by_site["NORTH"].weighted_minutes == pytest.approx(378)
    # SOUTH: 10 × 1 × 6 × 4 × 1 = 240 min, 50 % after hours: 240 × 1.25 = 300
    assert by_site["SOUTH"].weighted_minutes == pytest.approx(300)
    # after-hours hours = (315 × 0.40 + 240 × 0.50) / 60 = 4.1; provider hours = 555 / 60 + 0.5 × 4.1 = 11.3
    assert result.after_hours_hours_per_week == pytest.approx(4.1)
    assert result.provider_hours_per_week == pytest.approx(11.3)


def test_an_after_hours_metric_counts_as_measured_and_at_another_site_does_not_apply():
    # SOUTH's metric leaves NORTH's reported 0 %; but it is measured evidence: confidence 0.5 + 0.2
    result = score(inputs([report("NORTH", m=2, f=3)], [after_hours(90, site="SOUTH", order=1)]), DEFAULT)
    assert only_site(result).after_hours_pct == 0
    assert result.confidence == pytest.approx(0.7)


# --- medians of p, a, w, v -----------------------------------------------------------------------


def test_the_other_four_numbers_are_medians_per_site():
    reports = [
        report("NORTH", providers_affected_pct=50, after_hours_pct=0, patient_wait_minutes=10, visits_affected_pct=5),
        report("NORTH", providers_affected_pct=100, after_hours_pct=20, patient_wait_minutes=30, visits_affected_pct=1),
        report("NORTH", providers_affected_pct=80, after_hours_pct=20, patient_wait_minutes=20, visits_affected_pct=9),
        report("NORTH", providers_affected_pct=60, after_hours_pct=0, patient_wait_minutes=0, visits_affected_pct=3),
    ]
    breakdown = only_site(score(inputs(reports), DEFAULT))
    # p: 50 60 80 100 → (60+80)/2 = 70;  a: 0 0 20 20 → 10;  w: 0 10 20 30 → 15;  v: 1 3 5 9 → 4
    assert breakdown.providers_affected_pct == 70
    assert breakdown.after_hours_pct == 10
    assert breakdown.patient_wait_minutes == 15
    assert breakdown.visits_affected_pct == 4


def test_defaults_of_a_report_are_all_providers_no_after_hours_and_no_patient_wait():
    breakdown = only_site(score(inputs([report("NORTH", m=2, f=3)]), DEFAULT))
    assert (breakdown.providers_affected_pct, breakdown.after_hours_pct) == (100, 0)
    assert (breakdown.patient_wait_minutes, breakdown.visits_affected_pct) == (0, 0)
    assert breakdown.patient_minutes == 0


# --- provider minutes, after hours, patient minutes ----------------------------------------------


def test_provider_minutes_multiply_size_share_frequency_shifts_and_minutes():
    # 12 providers × 50 % × 6 a shift × 3.5 shifts × 2.5 min = 12 × 0.5 × 6 × 3.5 × 2.5 = 315
    north = site("NORTH", providers=12, shifts=3.5)
    result = score(inputs([report("NORTH", m=2.5, f=6, providers_affected_pct=50)], sites=[north]), DEFAULT)
    assert only_site(result).provider_minutes == 315
    assert result.provider_hours_per_week == 315 / 60  # 5.25 h, no after-hours share
    assert result.provider_hours_unweighted == 5.25


def test_after_hours_time_is_weighted_up():
    # 315 minutes with 40 % made up after hours: 315 × (1 + 0.5 × 0.40) = 315 × 1.2 = 378 min = 6.3 h
    north = site("NORTH", providers=12, shifts=3.5)
    reports = [report("NORTH", m=2.5, f=6, providers_affected_pct=50, after_hours_pct=40)]
    result = score(inputs(reports, sites=[north]), DEFAULT)
    assert only_site(result).weighted_minutes == pytest.approx(378)
    assert result.provider_hours_per_week == pytest.approx(6.3)
    # the unweighted hours (used for estimate accuracy) stay at 315 / 60 = 5.25
    assert result.provider_hours_unweighted == pytest.approx(5.25)


def test_a_site_with_no_providers_loses_no_provider_time():
    result = score(inputs([report("NORTH", m=30, f=30)], sites=[site("NORTH", providers=0)]), DEFAULT)
    assert result.provider_hours_per_week == 0
    assert result.priority == 0


def test_patient_minutes_are_visits_times_share_times_wait():
    # 900 visits × 20 % × 15 minutes = 2700 min = 45 h; weighted 0.25 → 11.25 h of value
    north = site("NORTH", providers=0, visits=900)
    result = score(inputs([report("NORTH", visits_affected_pct=20, patient_wait_minutes=15)], sites=[north]), DEFAULT)
    assert only_site(result).patient_minutes == 2700
    assert result.patient_hours_per_week == 45
    assert result.value_hours_per_week == 11.25
    # priority = 11.25 × breadth 1 × confidence 0.5 / 2 weeks = 2.8125
    assert result.priority == 2.8125


def test_hours_are_summed_over_sites():
    # NORTH: 10 × 1 × 3 × 4 × 2 = 240 min; SOUTH: 6 × 1 × 5 × 4 × 1 = 120 min → 360 min = 6 h
    result = score(
        inputs([report("NORTH", m=2, f=3), report("SOUTH", m=1, f=5)], sites=[site("NORTH"), site("SOUTH", 6)]),
        DEFAULT,
    )
    assert [b.provider_minutes for b in result.per_site] == [240, 120]
    assert result.provider_hours_per_week == 6


# --- cost reports and value ----------------------------------------------------------------------


def test_the_latest_cost_report_per_site_counts_summed_over_sites_including_sites_not_in_r():
    # Given NORTH (in R) reported costs 10 (day 0) then 4 (day 1); SOUTH (no report, not in R) 3;
    # EAST 6 then 0 (the later one, a withdrawal)
    evidence = [
        cost(10, site="NORTH", order=1, day=0),
        cost(4, site="NORTH", order=2, day=1),
        cost(3, site="SOUTH", order=3),
        cost(6, site="EAST", order=4, day=0),
        cost(0, site="EAST", order=5, day=2),
    ]
    # and NORTH loses 10 × 1 × 6 × 4 × 3 / 60 = 12 h a week
    result = score(inputs([report("NORTH", m=3, f=6)], evidence), DEFAULT)
    # Then cost = 4 + 3 + 0 = 7 and value = 12 − 7 = 5
    assert result.cost_hours_per_week == 7
    assert result.value_hours_per_week == 5
    assert result.sites == ["NORTH"]
    # priority = 5 × 1 × 0.5 / 2 = 1.25 (cost reports are not measurements: no confidence bonus)
    assert result.confidence == 0.5
    assert result.priority == 1.25


def revenue(value: float, *, site: str, order: int, day: int = 0) -> Fact:
    return fact(EvidenceKind.REVENUE_REPORT, value, order=order, site=site, day=day)


def test_the_latest_revenue_report_per_site_counts_and_weighs_by_the_revenue_weight():
    # Given NORTH loses 10 × 1 × 6 × 4 × 3 / 60 = 12 h a week, and revenue reports: NORTH 900 then
    # 600 (the latest), SOUTH (not in R) 400
    evidence = [
        revenue(900, site="NORTH", order=1, day=0),
        revenue(600, site="NORTH", order=2, day=1),
        revenue(400, site="SOUTH", order=3),
    ]
    reports = [report("NORTH", m=3, f=6)]
    # Then revenue = 600 + 400 = 1000 a week, which by default (weight 0) leaves value at 12 h
    default = score(inputs(reports, evidence), DEFAULT)
    assert default.revenue_per_week == 1000
    assert (default.value_hours_per_week, default.priority) == (12, 12 * 0.5 / 2)
    assert default.confidence == 0.5  # revenue reports are not measurements
    # and a weight of 0.01 hours per unit a week adds 10 hours: value 22, priority 22 × 0.5 / 2
    weighted = score(inputs(reports, evidence), Policy(revenue_weight=0.01))
    assert weighted.value_hours_per_week == pytest.approx(22)
    assert weighted.priority == pytest.approx(5.5)


def test_a_revenue_weight_of_zero_leaves_every_number_as_without_revenue():
    reports = [report("NORTH", m=2.5, f=6, after_hours_pct=40, patient_wait_minutes=5, visits_affected_pct=10)]
    costs = [cost(3, site="NORTH", order=1)]
    without = score(inputs(reports, costs), DEFAULT)
    with_revenue = score(inputs(reports, [*costs, revenue(123456.78, site="NORTH", order=2)]), DEFAULT)
    assert (with_revenue.value_hours_per_week, with_revenue.priority) == (
        without.value_hours_per_week,
        without.priority,
    )


def test_cost_reports_in_the_same_instant_are_ordered_by_id():
    evidence = [cost(9, site="NORTH", order=8), cost(2, site="NORTH", order=5)]
    assert score(inputs([report("NORTH")], evidence), DEFAULT).cost_hours_per_week == 9


def test_value_adds_weighted_patient_hours_and_subtracts_cost():
    # provider 10 × 1 × 6 × 4 × 3 = 720 min = 12 h; patient 600 visits × 10 % × 20 min = 1200 min = 20 h
    # value = 12 + 0.25 × 20 − 2 = 15
    result = score(
        inputs(
            [report("NORTH", m=3, f=6, visits_affected_pct=10, patient_wait_minutes=20)],
            [cost(2, site="NORTH", order=1)],
            sites=[site("NORTH", visits=600)],
        ),
        DEFAULT,
    )
    assert (result.provider_hours_per_week, result.patient_hours_per_week) == (12, 20)
    assert result.value_hours_per_week == 15


def test_negative_value_gives_priority_zero_and_keeps_the_negative_value():
    # 12 h of provider time against 30 h a week of cost elsewhere: value = 12 − 30 = −18
    result = score(inputs([report("NORTH", m=3, f=6)], [cost(30, site="SOUTH", order=1)]), DEFAULT)
    assert result.value_hours_per_week == -18
    assert result.priority == 0


def test_value_of_exactly_zero_gives_priority_zero():
    result = score(inputs([report("NORTH", m=3, f=6)], [cost(12, site="SOUTH", order=1)]), DEFAULT)
    assert result.value_hours_per_week == 0
    assert result.priority == 0


# --- breadth -------------------------------------------------------------------------------------


def reports_at(*codes: str) -> list[Report]:
    return [report(code, m=3, f=6) for code in codes]


@pytest.mark.parametrize(
    ("codes", "active_sites", "breadth"),
    [
        (["NORTH"], 12, 1.0),  # 1 + 1 × 0 / 11
        (["NORTH", "SOUTH"], 12, 1 + 1 / 11),  # 1 + 1 × 1 / 11
        (["NORTH", "SOUTH", "EAST", "WEST"], 12, 1 + 3 / 11),  # 1 + 1 × 3 / 11
        (["NORTH", "SOUTH", "EAST"], 3, 2.0),  # every active site: 1 + 2 / 2
        (["NORTH", "SOUTH"], 2, 2.0),  # 1 + 1 / max(1, 1)
    ],
)
def test_breadth_grows_with_the_share_of_active_sites_affected(codes, active_sites, breadth):
    result = score(inputs(reports_at(*codes), active_sites=active_sites), DEFAULT)
    assert result.sites_affected == len(codes)
    assert result.sites == sorted(codes)
    assert result.breadth == pytest.approx(breadth)


def test_breadth_with_a_single_active_site_does_not_divide_by_zero():
    # S = 1: max(S − 1, 1) = 1, so one affected site gives 1 + 0 / 1 = 1
    assert score(inputs(reports_at("NORTH"), active_sites=1), DEFAULT).breadth == 1
    # and with no active site at all the guard still holds
    assert score(inputs(reports_at("NORTH"), active_sites=0), DEFAULT).breadth == 1


def test_inactive_sites_leave_s_and_still_count_in_r():
    # Given three sites report; one of them was later deactivated, so S = 2 active sites.
    # R is every site with a report (§4), so sites_affected = 3:
    # breadth = 1 + 1 × (3 − 1) / max(2 − 1, 1) = 3
    result = score(inputs(reports_at("NORTH", "SOUTH", "EAST"), active_sites=2), DEFAULT)
    assert result.sites_affected == 3
    assert result.breadth == 3


def test_deactivating_a_site_raises_breadth_of_multi_site_problems():
    # The same two-site problem: S = 5 → 1 + 1/4 = 1.25; S = 4 → 1 + 1/3
    two_sites = reports_at("NORTH", "SOUTH")
    assert score(inputs(two_sites, active_sites=5), DEFAULT).breadth == 1.25
    assert score(inputs(two_sites, active_sites=4), DEFAULT).breadth == pytest.approx(4 / 3)


def test_breadth_weight_scales_the_bonus():
    # 1 + 2.0 × (3 − 1) / (5 − 1) = 2;  with weight 0: 1
    three = reports_at("NORTH", "SOUTH", "EAST")
    assert score(inputs(three, active_sites=5), Policy(breadth_weight=2.0)).breadth == 2
    assert score(inputs(three, active_sites=5), Policy(breadth_weight=0.0)).breadth == 1


def test_several_reports_at_one_site_count_one_site():
    result = score(inputs(reports_at("NORTH", "NORTH", "NORTH"), active_sites=3), DEFAULT)
    assert (result.sites_affected, result.breadth, result.confidence) == (1, 1, 0.5)


# --- confidence ----------------------------------------------------------------------------------

FIVE = ["EAST", "LAKESIDE", "NORTH", "SOUTH", "WEST"]


@pytest.mark.parametrize(
    ("site_count", "confidence"),
    [(1, 0.5), (2, 0.6), (3, 0.7), (4, 0.8), (5, 0.8)],  # 0.5 + 0.1 × min(n − 1, 3)
)
def test_confidence_grows_with_sites_up_to_four(site_count, confidence):
    result = score(inputs(reports_at(*FIVE[:site_count])), DEFAULT)
    assert result.confidence == pytest.approx(confidence)


@pytest.mark.parametrize(
    ("site_count", "confidence"),
    [(1, 0.7), (2, 0.8), (3, 0.9), (4, 1.0), (5, 1.0)],  # + 0.2 when measured, capped at 1
)
def test_measured_evidence_adds_a_fifth_and_confidence_is_capped_at_one(site_count, confidence):
    evidence = [study(3, 12, order=1)]
    result = score(inputs(reports_at(*FIVE[:site_count]), evidence), DEFAULT)
    assert result.confidence == pytest.approx(confidence)
    assert result.confidence <= 1


@pytest.mark.parametrize(
    "evidence",
    [
        [study(3, 4, site="NORTH", order=1)],  # a time study at the site
        [study(3, 4, site="EAST", order=1)],  # a time study anywhere counts as measured
        [study(3, 4, order=1)],  # a network-wide time study
        [metric(6, site="NORTH", order=1)],  # an EHR metric
        [metric(6, site="EAST", order=1)],  # an EHR metric at a site outside R
    ],
)
def test_time_studies_and_ehr_metrics_count_as_measured(evidence):
    assert score(inputs(reports_at("NORTH"), evidence), DEFAULT).confidence == pytest.approx(0.7)


def test_cost_reports_do_not_count_as_measured():
    assert score(inputs(reports_at("NORTH"), [cost(0, site="NORTH", order=1)]), DEFAULT).confidence == 0.5


def test_a_problem_without_reports_scores_zero():
    result = score(Inputs(sites={}, reports=[], evidence=[], active_sites=12), DEFAULT)
    assert (result.sites_affected, result.sites, result.per_site) == (0, [], [])
    assert (result.breadth, result.confidence, result.priority) == (1, 0.5, 0)


# --- effort --------------------------------------------------------------------------------------


def test_without_an_estimate_the_default_effort_applies_and_is_flagged():
    # 12 h (10 × 1 × 6 × 4 × 3 / 60) × 1 × 0.5 / 2 weeks = 3
    result = score(inputs(reports_at("NORTH")), DEFAULT)
    assert (result.effort_weeks, result.effort_estimated) == (2.0, False)
    assert result.priority == 3


def test_an_estimate_replaces_the_default():
    # 12 × 1 × 0.5 / 0.5 weeks = 12
    result = score(inputs(reports_at("NORTH"), effort_weeks=0.5), DEFAULT)
    assert (result.effort_weeks, result.effort_estimated) == (0.5, True)
    assert result.priority == 12


def test_an_estimate_equal_to_the_default_is_still_an_estimate():
    result = score(inputs(reports_at("NORTH"), effort_weeks=2.0), DEFAULT)
    assert (result.effort_weeks, result.effort_estimated) == (2.0, True)


def test_the_policy_default_effort_applies_only_without_an_estimate():
    policy = Policy(default_effort_weeks=4.0)
    assert score(inputs(reports_at("NORTH")), policy).priority == 1.5  # 12 × 0.5 / 4
    assert score(inputs(reports_at("NORTH"), effort_weeks=1.0), policy).priority == 6  # 12 × 0.5 / 1


# --- policy weights ------------------------------------------------------------------------------


def weighted_case() -> Inputs:
    # NORTH 10 providers × 4 shifts, 800 visits; 6 a shift × 3 min, half made up after hours;
    # 25 % of visits wait 12 minutes. Four sites of twelve active affected → breadth 1 + 3/11 at weight 1.
    north = site("NORTH", visits=800)
    reports = [
        report("NORTH", m=3, f=6, after_hours_pct=50, visits_affected_pct=25, patient_wait_minutes=12),
        *reports_at("SOUTH", "EAST", "WEST"),
    ]
    return inputs(reports, sites=[north, site("SOUTH", 0), site("EAST", 0), site("WEST", 0)])


def test_policy_weights_change_the_score_as_the_formula_says():
    # Unweighted NORTH minutes: 10 × 1 × 6 × 4 × 3 = 720; patient: 800 × 0.25 × 12 = 2400 min = 40 h
    default = score(weighted_case(), DEFAULT)
    # default: 720 × (1 + 0.5 × 0.5) = 900 min = 15 h; value = 15 + 0.25 × 40 = 25
    assert default.provider_hours_per_week == 15
    assert default.value_hours_per_week == 25
    assert default.policy_version == 1
    # after-hours weight 1.0: 720 × 1.5 = 1080 min = 18 h; value = 18 + 10 = 28
    heavier = score(weighted_case(), Policy(version=2, after_hours_weight=1.0))
    assert (heavier.provider_hours_per_week, heavier.value_hours_per_week) == (18, 28)
    assert heavier.policy_version == 2
    # patient weight 0: value = 15
    assert score(weighted_case(), Policy(patient_weight=0.0)).value_hours_per_week == 15
    # patient weight 1: value = 15 + 40 = 55
    assert score(weighted_case(), Policy(patient_weight=1.0)).value_hours_per_week == 55
    # after-hours weight 0: provider hours = 720 / 60 = 12
    assert score(weighted_case(), Policy(after_hours_weight=0.0)).provider_hours_per_week == 12


def test_priority_follows_every_weight():
    # default: 25 × (1 + 3/11) × 0.8 / 2 = 25 × 14/11 × 0.4 = 140/11
    assert score(weighted_case(), DEFAULT).priority == pytest.approx(140 / 11)
    # breadth weight 0: 25 × 1 × 0.8 / 2 = 10
    assert score(weighted_case(), Policy(breadth_weight=0.0)).priority == pytest.approx(10)
    # breadth weight 11/3: breadth = 1 + (11/3) × 3/11 = 2 → 25 × 2 × 0.8 / 2 = 20
    assert score(weighted_case(), Policy(breadth_weight=11 / 3)).priority == pytest.approx(20)
    # default effort 5: 25 × 14/11 × 0.8 / 5 = 56/11
    assert score(weighted_case(), Policy(default_effort_weeks=5.0)).priority == pytest.approx(56 / 11)


# --- a whole problem, as a product manager would check it by hand --------------------------------


def worked_example() -> Inputs:
    sites = [
        site("NORTH", providers=10, shifts=4.0, visits=800),
        site("MIDTOWN", providers=20, shifts=3.5, visits=1200),
        site("LAKESIDE", providers=6, shifts=5.0, visits=400),
        site("SOUTH", providers=8, shifts=4.0, visits=600),  # cost report only, not in R
    ]
    reports = [
        # NORTH: two clinicians
        report(
            "NORTH",
            m=3,
            f=10,
            providers_affected_pct=100,
            after_hours_pct=20,
            patient_wait_minutes=5,
            visits_affected_pct=10,
        ),
        report(
            "NORTH",
            m=5,
            f=6,
            providers_affected_pct=80,
            after_hours_pct=40,
            patient_wait_minutes=15,
            visits_affected_pct=30,
        ),
        # MIDTOWN: one report, overridden by measurements
        report("MIDTOWN", m=2, f=12, providers_affected_pct=50),
        # LAKESIDE: three reports
        report("LAKESIDE", m=4, f=5, after_hours_pct=0, patient_wait_minutes=20, visits_affected_pct=5),
        report("LAKESIDE", m=6, f=5, after_hours_pct=10, patient_wait_minutes=0, visits_affected_pct=15),
        report(
            "LAKESIDE",
            m=8,
            f=2,
            providers_affected_pct=50,
            after_hours_pct=50,
            patient_wait_minutes=10,
            visits_affected_pct=10,
        ),
    ]
    evidence = [
        study(3, 4, site="MIDTOWN", order=1),
        study(4, 12, site="MIDTOWN", order=2),
        metric(9, site="MIDTOWN", order=3),
        cost(2, site="NORTH", order=4, day=0),
        cost(3, site="NORTH", order=5, day=1),
        cost(5, site="SOUTH", order=6),
    ]
    return inputs(reports, evidence, sites=sites, active_sites=12, effort_weeks=3.0)


def test_worked_example_with_three_sites():
    result = score(worked_example(), DEFAULT)
    north, midtown, lakeside = (
        next(b for b in result.per_site if b.site == c) for c in ("NORTH", "MIDTOWN", "LAKESIDE")
    )

    # NORTH: medians m (3,5)→4, f (10,6)→8, p (100,80)→90, a (20,40)→30, w (5,15)→10, v (10,30)→20
    assert (north.minutes_per_occurrence, north.occurrences_per_shift) == (4, 8)
    assert (north.providers_affected_pct, north.after_hours_pct) == (90, 30)
    assert (north.patient_wait_minutes, north.visits_affected_pct) == (10, 20)
    # provider = 10 × 0.9 × 8 × 4 × 4 = 1152; weighted = 1152 × (1 + 0.5 × 0.3) = 1324.8
    # patient = 800 × 0.2 × 10 = 1600
    assert north.provider_minutes == pytest.approx(1152)
    assert north.weighted_minutes == pytest.approx(1324.8)
    assert north.patient_minutes == pytest.approx(1600)

    # MIDTOWN: m from its studies (3×4 + 4×12) / 16 = 60 / 16 = 3.75; f from its EHR metric = 9; p = 50
    # provider = 20 × 0.5 × 9 × 3.5 × 3.75 = 1181.25; no after hours; no patient wait
    assert (midtown.minutes_per_occurrence, midtown.occurrences_per_shift) == (3.75, 9)
    assert midtown.provider_minutes == pytest.approx(1181.25)
    assert midtown.weighted_minutes == pytest.approx(1181.25)
    assert midtown.patient_minutes == 0

    # LAKESIDE: m (4,6,8)→6, f (5,5,2)→5, p (100,100,50)→100, a (0,10,50)→10, w (20,0,10)→10, v (5,15,10)→10
    # provider = 6 × 1 × 5 × 5 × 6 = 900; weighted = 900 × 1.05 = 945; patient = 400 × 0.1 × 10 = 400
    assert (lakeside.minutes_per_occurrence, lakeside.occurrences_per_shift) == (6, 5)
    assert lakeside.weighted_minutes == pytest.approx(945)
    assert lakeside.patient_minutes == pytest.approx(400)

    # provider hours = (1324.8 + 1181.25 + 945) / 60 = 3451.05 / 60 = 57.5175
    # unweighted     = (1152 + 1181.25 + 900) / 60 = 3233.25 / 60 = 53.8875
    # patient hours  = (1600 + 0 + 400) / 60 = 33.333…
    # cost           = NORTH latest 3 + SOUTH 5 = 8
    # value          = 57.5175 + 0.25 × 33.333… − 8 = 57.850833…
    assert result.provider_hours_per_week == pytest.approx(57.5175)
    assert result.provider_hours_unweighted == pytest.approx(53.8875)
    assert result.patient_hours_per_week == pytest.approx(100 / 3)
    assert result.cost_hours_per_week == 8
    assert result.value_hours_per_week == pytest.approx(57.5175 + 25 / 3 - 8)

    # sites 3 of 12 active: breadth = 1 + 2/11; confidence = 0.5 + 0.1 × 2 + 0.2 (measured) = 0.9
    # effort 3 weeks (estimated): priority = 57.850833… × 13/11 × 0.9 / 3 = 20.51075
    assert result.sites == ["LAKESIDE", "MIDTOWN", "NORTH"]
    assert result.sites_affected == 3
    assert result.breadth == pytest.approx(13 / 11)
    assert result.confidence == pytest.approx(0.9)
    assert (result.effort_weeks, result.effort_estimated) == (3.0, True)
    assert result.priority == pytest.approx(20.51075)


def test_per_site_breakdown_is_in_site_code_order():
    result = score(inputs(reports_at("WEST", "EAST", "NORTH")), DEFAULT)
    assert [b.site for b in result.per_site] == ["EAST", "NORTH", "WEST"]


# --- realized value and estimate accuracy --------------------------------------------------------


def test_realized_hours_use_the_median_minutes_saved_per_site():
    result = score(worked_example(), DEFAULT)
    p_by_site = {b.site: b.providers_affected_pct for b in result.per_site}
    answers = [
        Answer(site="NORTH", minutes_saved_per_shift=30),
        Answer(site="NORTH", minutes_saved_per_shift=10),
        Answer(site="NORTH", minutes_saved_per_shift=20),
        Answer(site="LAKESIDE", minutes_saved_per_shift=15),
        Answer(site="LAKESIDE", minutes_saved_per_shift=5),
    ]
    realized = realized_provider_hours(answers, worked_example().sites, p_by_site)
    # NORTH: 10 × 0.9 × 4 × median(10, 20, 30) = 10 × 0.9 × 4 × 20 = 720 min
    # LAKESIDE: 6 × 1.0 × 5 × median(5, 15) = 6 × 5 × 10 = 300 min
    # realized = 1020 / 60 = 17 h a week; MIDTOWN gave no answers and adds nothing
    assert realized == pytest.approx(17)
    # estimate accuracy = realized / unweighted estimate = 17 / 53.8875 = 0.31547…
    assert realized / result.provider_hours_unweighted == pytest.approx(0.3154720, rel=1e-6)


def test_realized_hours_at_a_site_without_reports_assume_every_provider():
    # SOUTH answered but never reported: p defaults to 100 %. 8 × 1 × 4 × 15 / 60 = 8 h
    sites = {"SOUTH": site("SOUTH", providers=8)}
    assert realized_provider_hours([Answer(site="SOUTH", minutes_saved_per_shift=15)], sites, {}) == 8


def test_realized_hours_without_answers_are_zero():
    assert realized_provider_hours([], {"NORTH": site("NORTH")}, {"NORTH": 100}) == 0


def test_estimate_accuracy_of_one_when_the_change_saved_what_was_lost():
    # Lost: 10 × 1 × 6 × 4 × 3 = 720 min a week = 12 h, i.e. 18 minutes per provider per shift.
    # After delivery, NORTH's providers say they save 18 minutes a shift: 10 × 1 × 4 × 18 / 60 = 12 h.
    result = score(inputs([report("NORTH", m=3, f=6, after_hours_pct=100)]), DEFAULT)
    realized = realized_provider_hours(
        [Answer(site="NORTH", minutes_saved_per_shift=18)], {"NORTH": site("NORTH")}, {"NORTH": 100}
    )
    # after-hours weighting (×1.5 here) is left out of the estimate, so both sides count plain hours
    assert result.provider_hours_per_week == 18
    assert realized / result.provider_hours_unweighted == 1
