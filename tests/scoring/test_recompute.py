"""Recompute through the services: what users write marks problems stale, and the stored scores follow.

Test settings have CELERY_ENABLED=False, so the stale notifier recomputes in-process after commit;
`django_capture_on_commit_callbacks(execute=True)` runs those after-commit callbacks inside the test
transaction. Sites: NORTH (10 providers, 4 shifts, 800 visits) and SOUTH (6 providers, 4 shifts,
500 visits), both active, unless a test adds more.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import transaction

from backlog.selectors.problem import problem_detail
from backlog.services import outcome_answer, problem_merge, problem_triage
from intake.models import Problem, Role, SiteReport
from intake.services import ReportValues, evidence_add, problem_submit, site_report_upsert, site_update
from scoring.models import ProblemScore, ScoreHistory
from scoring.recompute import scores_recompute
from scoring.stage import SCORE_FIELDS
from tests.factories import SiteFactory, UserFactory

pytestmark = pytest.mark.django_db


def submit(author, site, title: str, *, m: float, f: float, **values) -> Problem:
    return problem_submit(
        author=author,
        site=site,
        title=title,
        statement=f"{title}. It happens several times a shift and costs every provider time.",
        workflow_area="charting",
        report=ReportValues(minutes_lost_per_occurrence=m, occurrences_per_shift=f, **values),
    )


def add_report(problem, site, reporter, *, m: float, f: float, **values) -> None:
    site_report_upsert(
        problem=problem,
        site=site,
        reporter=reporter,
        report=ReportValues(minutes_lost_per_occurrence=m, occurrences_per_shift=f, **values),
    )


def stored(problem) -> ProblemScore:
    return ProblemScore.objects.get(problem=problem)


def inputs_version(problem) -> int:
    return Problem.objects.values_list("inputs_version", flat=True).get(pk=problem.pk)


@pytest.fixture
def nurse(site):
    return UserFactory(username="rn.okafor", home_site=site, role=Role.CLINICIAN)


@pytest.fixture
def np_south(other_site):
    return UserFactory(username="np.rivera", home_site=other_site, role=Role.CLINICIAN)


# --- merges --------------------------------------------------------------------------------------


def test_a_merged_problems_reports_count_for_the_target_and_the_later_report_wins(
    users, site, other_site, nurse, np_south, pm, django_capture_on_commit_callbacks
):
    clinician = users[Role.CLINICIAN]
    with django_capture_on_commit_callbacks(execute=True):
        # Given B: the nurse reports 1 min × 10 at NORTH; the clinician adds 6 min × 10 at NORTH
        target = submit(nurse, site, "Vitals re-typed into the note", m=1, f=10)
        add_report(target, site, clinician, m=6, f=10)
        # and later A: the clinician reports the same thing at NORTH as 3 min × 10, and SOUTH reports 2 min × 5
        source = submit(clinician, site, "Vitals do not flow into the note", m=3, f=10)
        add_report(source, other_site, np_south, m=2, f=5)
        # When A is merged into B
        problem_merge(problem_id=source.pk, into_id=target.pk, actor=pm, version=source.version)

    # Then B counts NORTH as (nurse 1, clinician 3): the clinician's later report in A replaces their 6 in B
    #   NORTH: m = median(1, 3) = 2, f = 10 → 10 × 1 × 10 × 4 × 2 = 800 min
    #   SOUTH: 6 × 1 × 5 × 4 × 2 = 240 min                 → 1040 min = 17.333… h
    # S = 2 active sites: breadth = 1 + 1 × 1/1 = 2; confidence = 0.6; priority = 17.333 × 2 × 0.6 / 2 = 10.4
    score = stored(target)
    assert score.sites == ["NORTH", "SOUTH"]
    assert score.sites_affected == 2
    assert score.provider_hours_per_week == pytest.approx(1040 / 60)
    assert (score.breadth, score.confidence) == (2.0, pytest.approx(0.6))
    assert score.priority == pytest.approx(10.4)
    assert score.rank == 1
    assert score.inputs_version == inputs_version(target)
    # and A is closed for ranking
    merged = stored(source)
    assert (merged.is_open, merged.rank) == (False, None)


def test_the_later_report_wins_when_it_is_the_targets(users, site, nurse, pm, django_capture_on_commit_callbacks):
    clinician = users[Role.CLINICIAN]
    with django_capture_on_commit_callbacks(execute=True):
        source = submit(clinician, site, "Discharge papers print twice", m=3, f=10)
        target = submit(nurse, site, "Discharge printing duplicates pages", m=1, f=10)
        add_report(target, site, clinician, m=7, f=10)  # later than the clinician's report in A
        problem_merge(problem_id=source.pk, into_id=target.pk, actor=pm, version=source.version)

    # NORTH: median(1, 7) = 4 min × 10 × 10 providers × 4 shifts = 1600 min; 1 site: breadth 1, confidence 0.5
    score = stored(target)
    assert score.provider_hours_per_week == pytest.approx(1600 / 60)
    assert (score.sites_affected, score.breadth, score.confidence) == (1, 1.0, 0.5)


def test_a_merged_problems_evidence_counts_for_the_target(users, site, nurse, pm, django_capture_on_commit_callbacks):
    informatics = users[Role.INFORMATICS]
    with django_capture_on_commit_callbacks(execute=True):
        target = submit(nurse, site, "Order set missing the strep test", m=2, f=5)
        source = submit(users[Role.CLINICIAN], site, "Strep test not in the order set", m=2, f=5)
        evidence_add(problem=source, added_by=informatics, kind="time_study", value=4, sample_size=12, site=site)
        evidence_add(problem=source, added_by=informatics, kind="ehr_metric", value=8, site=site)
        problem_merge(problem_id=source.pk, into_id=target.pk, actor=pm, version=source.version)

    # NORTH: m = the study's 4, f = the metric's 8 → 10 × 1 × 8 × 4 × 4 = 1280 min; measured: confidence 0.7
    score = stored(target)
    assert score.provider_hours_per_week == pytest.approx(1280 / 60)
    assert score.confidence == pytest.approx(0.7)


# --- site changes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected_minutes"),
    [
        ({"providers": 20}, 20 * 1 * 5 * 4 * 3),  # 1200
        ({"shifts_per_week": 3.0}, 10 * 1 * 5 * 3 * 3),  # 450
    ],
)
def test_a_site_size_change_marks_its_problems_stale_and_the_recompute_follows(
    users, site, other_site, np_south, change, expected_minutes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        at_north = submit(users[Role.CLINICIAN], site, "Label printer jams at check-in", m=3, f=5)
        at_south = submit(np_south, other_site, "Tracking board lags behind", m=1, f=4)
    # 10 × 1 × 5 × 4 × 3 = 600 min before
    assert stored(at_north).provider_hours_per_week == pytest.approx(10)
    north_before, south_before = inputs_version(at_north), inputs_version(at_south)

    with django_capture_on_commit_callbacks() as callbacks:
        site_update(site=site, **change)
    # The mark is written with the change: NORTH's problem is pending, SOUTH's is not touched
    assert inputs_version(at_north) == north_before + 1
    assert inputs_version(at_south) == south_before
    assert stored(at_north).inputs_version == north_before
    assert len(callbacks) == 1

    callbacks[0]()  # what happens after commit
    assert stored(at_north).provider_hours_per_week == pytest.approx(expected_minutes / 60)
    assert stored(at_north).inputs_version == north_before + 1


def test_a_visits_change_moves_patient_hours(users, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        problem = submit(
            users[Role.CLINICIAN],
            site,
            "Interpreter line holds",
            m=2,
            f=1,
            visits_affected_pct=10,
            patient_wait_minutes=12,
        )
    # 800 visits × 10 % × 12 min = 960 min = 16 h
    assert stored(problem).patient_hours_per_week == pytest.approx(16)
    with django_capture_on_commit_callbacks(execute=True):
        site_update(site=site, visits_per_week=1200)
    # 1200 × 10 % × 12 = 1440 min = 24 h
    assert stored(problem).patient_hours_per_week == pytest.approx(24)


def test_renaming_a_site_marks_nothing_stale(users, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        problem = submit(users[Role.CLINICIAN], site, "Fax queue for prior authorizations", m=5, f=2)
    before = inputs_version(problem)
    with django_capture_on_commit_callbacks() as callbacks:
        site_update(site=site, name="North Walk-in Clinic", region="North")
    assert inputs_version(problem) == before
    assert callbacks == []


def test_deactivating_a_site_changes_every_problems_breadth(
    users, site, other_site, nurse, np_south, django_capture_on_commit_callbacks
):
    east = SiteFactory(code="EAST", providers=8, visits_per_week=600)
    clinician = users[Role.CLINICIAN]
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(clinician, site, "Work notes need three screens", m=2, f=3)
        add_report(first, other_site, np_south, m=2, f=3)
        second = submit(np_south, other_site, "School notes print blank", m=1, f=2)
        add_report(second, site, nurse, m=1, f=2)
        single = submit(nurse, site, "Sepsis alert fires on every fever", m=1, f=6)
    # S = 3 active sites: two-site problems have breadth 1 + 1/2 = 1.5; the single-site one 1
    assert [stored(p).breadth for p in (first, second, single)] == [1.5, 1.5, 1.0]
    versions = [inputs_version(p) for p in (first, second, single)]

    with django_capture_on_commit_callbacks(execute=True):
        site_update(site=east, active=False)

    # S = 2: breadth 1 + 1/1 = 2 for both two-site problems; every problem was marked and recomputed
    assert [stored(p).breadth for p in (first, second, single)] == [2.0, 2.0, 1.0]
    assert [inputs_version(p) for p in (first, second, single)] == [v + 1 for v in versions]
    assert [stored(p).inputs_version for p in (first, second, single)] == [v + 1 for v in versions]


# --- ranks ---------------------------------------------------------------------------------------


def test_ranks_are_one_to_n_over_open_problems_by_priority_then_age_then_id(
    users, site, pm, django_capture_on_commit_callbacks
):
    clinician = users[Role.CLINICIAN]
    with django_capture_on_commit_callbacks(execute=True):
        small = submit(clinician, site, "Login timeout every ten minutes", m=1, f=2)  # 10×2×4×1 = 80 min
        big = submit(clinician, site, "Medication reconciliation clicks", m=4, f=8)  # 10×8×4×4 = 1280 min
        middle = submit(clinician, site, "Callback list is on paper", m=2, f=5)  # 400 min
        twin_a = submit(clinician, site, "Inbox duplicates lab results", m=2, f=5)  # 400 min, same priority
        twin_b = submit(clinician, site, "Inbox duplicate result messages", m=2, f=5)  # 400 min, same priority
        declined = submit(clinician, site, "Wallpaper on the workstations", m=3, f=9)
        problem_triage(
            problem_id=declined.pk,
            actor=pm,
            version=declined.version,
            status="declined",
            decline_reason="Outside what the EHR team can change.",
        )
        merged = submit(clinician, site, "Med rec takes too many clicks", m=4, f=8)
        problem_merge(problem_id=merged.pk, into_id=big.pk, actor=pm, version=merged.version)

    # Given equal priorities, the older problem ranks first, then the lower id. Make twin_b the older one,
    # and give `middle` and twin_a the very same created_at so only the id separates them.
    Problem.objects.filter(pk=twin_b.pk).update(created_at=datetime(2025, 1, 1, tzinfo=UTC))
    Problem.objects.filter(pk__in=[middle.pk, twin_a.pk]).update(created_at=datetime(2025, 1, 2, tzinfo=UTC))
    scores_recompute(problem_ids=Problem.objects.values_list("id", flat=True))

    ranked = list(ProblemScore.objects.filter(is_open=True).order_by("rank").values_list("problem_id", "rank"))
    assert ranked == [(big.pk, 1), (twin_b.pk, 2), (middle.pk, 3), (twin_a.pk, 4), (small.pk, 5)]
    assert stored(declined).rank is None
    assert stored(merged).rank is None
    assert ProblemScore.objects.filter(is_open=False).count() == 2


def test_a_problem_leaving_the_open_statuses_frees_its_rank(users, site, pm, django_capture_on_commit_callbacks):
    clinician = users[Role.CLINICIAN]
    with django_capture_on_commit_callbacks(execute=True):
        top = submit(clinician, site, "Prior authorization faxes", m=6, f=4)
        second = submit(clinician, site, "Label printer offline", m=1, f=1)
    assert (stored(top).rank, stored(second).rank) == (1, 2)

    with django_capture_on_commit_callbacks(execute=True):
        problem_triage(problem_id=top.pk, actor=pm, version=top.version, status="planned")
        top.refresh_from_db()
        problem_triage(problem_id=top.pk, actor=pm, version=top.version, status="in_progress")
        top.refresh_from_db()
        problem_triage(problem_id=top.pk, actor=pm, version=top.version, status="delivered")

    assert (stored(top).rank, stored(top).is_open) == (None, False)
    assert stored(second).rank == 1


# --- determinism ---------------------------------------------------------------------------------


def test_recomputing_twice_gives_identical_stored_numbers(
    users, site, other_site, nurse, np_south, django_capture_on_commit_callbacks
):
    informatics = users[Role.INFORMATICS]
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(nurse, site, "Tracking board refresh lag", m=1.5, f=7, after_hours_pct=25)
        add_report(first, other_site, np_south, m=2.5, f=3, visits_affected_pct=20, patient_wait_minutes=9)
        add_report(first, site, users[Role.CLINICIAN], m=2, f=6, providers_affected_pct=70)
        evidence_add(problem=first, added_by=informatics, kind="time_study", value=1.8, sample_size=25)
        evidence_add(problem=first, added_by=informatics, kind="cost_report", value=1.5, site=other_site)
        second = submit(np_south, other_site, "E-prescribing queue stalls", m=4, f=2)
        evidence_add(problem=second, added_by=informatics, kind="ehr_metric", value=3.3, site=other_site)
    fields = [f for f in SCORE_FIELDS if f != "scored_at"]
    before = list(ProblemScore.objects.order_by("problem_id").values_list("problem_id", "rank", *fields))
    history_before = ScoreHistory.objects.count()

    scores_recompute(problem_ids=[second.pk, first.pk])
    scores_recompute(problem_ids=[first.pk, second.pk])

    after = list(ProblemScore.objects.order_by("problem_id").values_list("problem_id", "rank", *fields))
    assert after == before
    # nothing moved, so no history point was added
    assert ScoreHistory.objects.count() == history_before


# --- stale marking is part of the write's transaction --------------------------------------------


class Abandoned(Exception):
    pass


def test_a_rolled_back_report_leaves_the_problem_fresh_and_queues_nothing(
    users, site, nurse, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        problem = submit(users[Role.CLINICIAN], site, "Re-entering vitals", m=2, f=10)
    before = inputs_version(problem)

    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(Abandoned), transaction.atomic():
            add_report(problem, site, nurse, m=9, f=10)
            assert inputs_version(problem) == before + 1  # marked inside the write's transaction…
            raise Abandoned

    # …and gone with it: no report, no mark, no recompute queued
    assert inputs_version(problem) == before
    assert SiteReport.objects.filter(problem=problem).count() == 1
    assert callbacks == []
    assert stored(problem).inputs_version == before


def test_a_rolled_back_evidence_leaves_the_problem_fresh(users, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        problem = submit(users[Role.CLINICIAN], site, "Order set missing codes", m=2, f=4)
    before = inputs_version(problem)
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(Abandoned), transaction.atomic():
            evidence_add(problem=problem, added_by=users[Role.INFORMATICS], kind="time_study", value=3, sample_size=5)
            raise Abandoned
    assert (inputs_version(problem), callbacks) == (before, [])


def test_a_committed_report_marks_once_and_recomputes(users, site, nurse, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        problem = submit(users[Role.CLINICIAN], site, "Re-entering vitals", m=2, f=10)
    before = inputs_version(problem)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        add_report(problem, site, nurse, m=6, f=10)
    assert inputs_version(problem) == before + 1
    assert len(callbacks) == 1
    # NORTH: median(2, 6) = 4 × 10 × 10 × 4 = 1600 min
    assert stored(problem).provider_hours_per_week == pytest.approx(1600 / 60)
    assert stored(problem).inputs_version == before + 1


def test_a_note_is_not_scored_and_marks_nothing(users, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        problem = submit(users[Role.CLINICIAN], site, "Re-entering vitals", m=2, f=10)
    before = inputs_version(problem)
    with django_capture_on_commit_callbacks() as callbacks:
        evidence_add(problem=problem, added_by=users[Role.CLINICIAN], kind="note", note="Same at the evening huddle.")
        evidence_add(problem=problem, added_by=users[Role.INFORMATICS], kind="survey", value=4)
    assert (inputs_version(problem), callbacks) == (before, [])


# --- realized value, end to end ------------------------------------------------------------------


def test_outcome_answers_give_realized_hours_and_estimate_accuracy(
    users, site, nurse, pm, django_capture_on_commit_callbacks
):
    clinician = users[Role.CLINICIAN]
    with django_capture_on_commit_callbacks(execute=True):
        problem = submit(clinician, site, "Discharge paperwork prints eight pages", m=3, f=6, after_hours_pct=50)
        for status in ("planned", "in_progress", "delivered"):
            problem = problem_triage(problem_id=problem.pk, actor=pm, version=problem.version, status=status)
    for respondent, saved in ((clinician, 10), (nurse, 20), (pm, 30)):
        outcome_answer(
            problem=problem,
            site=site,
            respondent=respondent,
            better_care=4,
            less_frustrated=5,
            more_confident=3,
            minutes_saved_per_shift=saved,
        )

    outcomes = problem_detail(problem.pk).outcomes
    # estimate (unweighted): 10 × 1 × 6 × 4 × 3 = 720 min = 12 h
    # realized: 10 × 1 × 4 × median(10, 20, 30) = 800 min = 13.333 h → accuracy 13.333 / 12 = 1.111…
    assert outcomes.responses == 3
    assert (outcomes.better_care, outcomes.less_frustrated, outcomes.more_confident) == (4, 5, 3)
    assert outcomes.realized_provider_hours_per_week == pytest.approx(800 / 60)
    assert outcomes.estimate_accuracy == pytest.approx(800 / 720)
