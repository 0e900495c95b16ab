"""The recompute pipeline in-process, on real PostgreSQL: stale marks, coalesced recomputes of
everything stale, exact ranks, history, races with newer writes, re-ranks and their jobs.

Test settings have CELERY_ENABLED=False, so the stale notifier recomputes in-process after commit.
Tests that must see a problem *stay* stale replace the notifier with `notified`, which only
records what it was told.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backlog.services import problem_merge, problem_triage
from intake.models import Problem, Role
from intake.services import ReportValues, evidence_add, site_report_upsert, site_update
from intake.stale import problems_mark_stale
from scoring import recompute, services
from scoring.models import JobState, PipelineCounter, ProblemScore, RerankJob, ScoreHistory
from scoring.selectors import input_stale_problem_ids, policy_current, score_inputs, stale_problem_ids
from tests.factories import SiteFactory, UserFactory

from .pipeline_support import (
    expected_scores,
    ranks_by_definition,
    stored_ranks,
    stored_scores,
    submit,
)

RECORDED: list[list[int] | None] = []


def record_stale(problem_ids):
    RECORDED.append(problem_ids)


@pytest.fixture
def notified(settings):
    """Stale notifications are recorded, not acted on: the problems stay stale."""
    RECORDED.clear()
    settings.BRIDGE_STALE_NOTIFIER = "tests.scoring.test_pipeline_recompute.record_stale"
    return RECORDED


def counter(name: str) -> int:
    return PipelineCounter.objects.filter(name=name).values_list("value", flat=True).first() or 0


@pytest.fixture
def informatics(users):
    return users[Role.INFORMATICS]


@pytest.fixture
def network(users, site, other_site):
    """Three open problems of different weight at NORTH and SOUTH, a fourth one merged into the
    first (its reports and evidence count there), and a declined one."""
    clinician, pm = users[Role.CLINICIAN], users[Role.PRODUCT_MANAGER]
    clinician.sites.add(other_site)  # works at NORTH and SOUTH (docs/domain.md, Roles)
    south = UserFactory(username="np.south", home_site=other_site, role=Role.CLINICIAN)
    big = submit(clinician, site, "Med rec re-typed at discharge", m=3, f=10, after_hours_pct=50)
    site_report_upsert(
        problem=big,
        site=other_site,
        reporter=south,
        report=ReportValues(minutes_lost_per_occurrence=2, occurrences_per_shift=5),
    )
    middle = submit(
        clinician,
        other_site,
        "Duplicate lab results in the inbox",
        m=1,
        f=5,
        patient_wait_minutes=5,
        visits_affected_pct=10,
    )
    small = submit(south, other_site, "Fax cover sheet asks for the fax number twice", m=0.5, f=2)
    source = submit(south, other_site, "Home medication list does not carry over", m=4, f=6)
    evidence_add(
        problem=source, added_by=users[Role.INFORMATICS], kind="time_study", value=5, sample_size=9, site=other_site
    )
    problem_merge(problem_id=source.pk, into_id=big.pk, actor=pm, version=source.version)
    declined = submit(clinician, site, "Printer jams on the second floor", m=2, f=1)
    problem_triage(
        problem_id=declined.pk, actor=pm, version=declined.version, status="declined", decline_reason="Facilities"
    )
    return {"big": big, "middle": middle, "small": small, "source": source, "declined": declined}


@pytest.mark.django_db(transaction=True)
def test_every_change_is_recomputed_after_commit_to_exactly_the_pure_score_and_rank(network):
    # Given writes through the services (each one recomputed in-process after its commit)
    # Then every stored score and rank is what a fresh pure recompute of the database gives
    assert stored_scores() == expected_scores()
    assert stale_problem_ids() == []
    ranks = stored_ranks()
    assert [ranks[network[name].pk] for name in ("big", "middle", "small")] == [1, 2, 3]
    assert (ranks[network["source"].pk], ranks[network["declined"].pk]) == (None, None)


@pytest.mark.django_db(transaction=True)
def test_recomputing_twice_gives_identical_numbers(network):
    before = stored_scores()

    recompute.scores_recompute(problem_ids=Problem.objects.values_list("id", flat=True))
    recompute.scores_recompute(problem_ids=Problem.objects.values_list("id", flat=True))

    assert stored_scores() == before


@pytest.mark.django_db(transaction=True)
def test_a_merged_problem_has_the_same_inputs_alone_or_in_a_batch_with_its_target(network):
    source, target = network["source"], network["big"]

    (alone,) = score_inputs([source.pk])
    together = {item.problem_id: item for item in score_inputs([source.pk, target.pk])}

    assert together[source.pk].inputs == alone.inputs
    assert [r.site for r in alone.inputs.reports] == ["SOUTH"]
    # the target has NORTH, and at SOUTH the same reporter's later report (the merged one's 4 min) wins
    target_reports = {r.site: r.minutes_lost_per_occurrence for r in together[target.pk].inputs.reports}
    assert target_reports == {"NORTH": 3, "SOUTH": 4}


@pytest.mark.django_db(transaction=True)
def test_each_kind_of_input_change_marks_its_problems_stale_in_the_same_transaction(network, users, site, notified):
    informatics, pm = users[Role.INFORMATICS], users[Role.PRODUCT_MANAGER]
    big, middle, small = network["big"], network["middle"], network["small"]

    evidence_add(problem=middle, added_by=informatics, kind="ehr_metric", value=7, site=middle.site_reports.get().site)
    assert input_stale_problem_ids() == [middle.pk]

    problem_triage(problem_id=small.pk, actor=pm, version=small.version, effort_weeks=4)
    assert input_stale_problem_ids() == [middle.pk, small.pk]

    site_update(site=site, providers=12)  # NORTH: big and declined report there
    assert input_stale_problem_ids() == sorted([middle.pk, small.pk, big.pk, network["declined"].pk])

    assert notified == [[middle.pk], [small.pk], sorted([big.pk, network["declined"].pk])]


@pytest.mark.django_db(transaction=True)
def test_a_site_leaving_the_network_and_a_policy_change_make_every_problem_stale(network, site, notified):
    every = sorted(Problem.objects.values_list("id", flat=True))

    site_update(site=SiteFactory(code="EAST", name="East", providers=4), active=False)
    assert input_stale_problem_ids() == every
    assert notified == [None]

    recompute.scores_recompute(problem_ids=every)
    assert stale_problem_ids() == []
    services.policy_update(
        reason="A test of the re-rank.",
        actor=None,
        after_hours_weight=1.0,
        patient_weight=0.25,
        breadth_weight=1.0,
        default_effort_weeks=2.0,
    )  # in-process: the re-rank runs right after commit
    assert stale_problem_ids() == []
    assert set(ProblemScore.objects.values_list("policy_version", flat=True)) == {2}


@pytest.mark.django_db(transaction=True)
def test_the_stale_recompute_picks_up_everything_stale_in_one_run_and_counts_it(network, users, notified):
    informatics = users[Role.INFORMATICS]
    for name in ("big", "middle", "small"):
        evidence_add(problem=network[name], added_by=informatics, kind="time_study", value=2.5, sample_size=3)
    runs, scored = counter(recompute.RUNS_RECOMPUTE), counter(recompute.PROBLEMS_SCORED)

    count = recompute.stale_scores_recompute(source=recompute.RUNS_TASK)

    assert count == 3
    assert (counter(recompute.RUNS_RECOMPUTE), counter(recompute.PROBLEMS_SCORED)) == (runs + 1, scored + 3)
    assert counter(recompute.RUNS_TASK) == 1
    assert stored_scores() == expected_scores()
    # and a duplicate run finds nothing to do and changes nothing
    before = stored_scores()
    assert recompute.stale_scores_recompute(source=recompute.RUNS_TASK) == 0
    assert (counter(recompute.RUNS_TASK), counter(recompute.RUNS_RECOMPUTE)) == (2, runs + 1)
    assert stored_scores() == before


@pytest.mark.django_db(transaction=True)
def test_history_gets_a_point_when_priority_or_rank_changes_and_none_otherwise(network, users):
    middle, small = network["middle"], network["small"]
    points = ScoreHistory.objects.filter(problem=small).count()

    # When the small problem gets evidence that puts it on top
    evidence_add(problem=small, added_by=users[Role.INFORMATICS], kind="time_study", value=240, sample_size=50)

    # Then it has a new point at rank 1, the middle one is now 3rd; a no-op recompute adds nothing
    last = ScoreHistory.objects.filter(problem=small).last()
    assert (ScoreHistory.objects.filter(problem=small).count(), last.rank) == (points + 1, 1)
    assert stored_ranks()[middle.pk] == 3
    total = ScoreHistory.objects.count()
    recompute.scores_recompute(problem_ids=[small.pk])
    assert ScoreHistory.objects.count() == total


@pytest.mark.django_db(transaction=True)
def test_a_recompute_that_raced_a_newer_write_leaves_the_problem_stale(network, users, settings, notified):
    # Given a recompute of `middle` that has read its inputs and is held before writing
    middle = network["middle"]
    problems_mark_stale(problem_ids=[middle.pk])
    settings.SCORE_TEST_PAUSE_SECONDS = 1.5
    racing = threading.Thread(target=lambda: (recompute.scores_recompute(problem_ids=[middle.pk]), connection.close()))
    racing.start()
    while not _recompute_paused_after_reading_inputs():
        time.sleep(0.02)
    read_version = Problem.objects.values_list("inputs_version", flat=True).get(pk=middle.pk)

    # When evidence for it commits meanwhile
    evidence_add(problem=middle, added_by=users[Role.INFORMATICS], kind="time_study", value=9, sample_size=4)
    racing.join()

    # Then the stored score says which inputs it was computed from, and the problem is still stale
    stored = ProblemScore.objects.get(problem=middle)
    assert stored.inputs_version == read_version
    assert Problem.objects.values_list("inputs_version", flat=True).get(pk=middle.pk) == read_version + 1
    assert input_stale_problem_ids() == [middle.pk]
    # and the next recompute includes the evidence
    settings.SCORE_TEST_PAUSE_SECONDS = 0
    recompute.stale_scores_recompute(source=recompute.RUNS_TASK)
    assert stored_scores() == expected_scores()
    # SOUTH: 6 providers × 100% × 5/shift × 4 shifts × the study's 9 min = 1080 min = 18 h
    assert ProblemScore.objects.get(problem=middle).provider_hours_per_week == 18.0


def _recompute_paused_after_reading_inputs() -> bool:
    """Another session holds the recompute lock and has staged its scores (its inputs are read)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.objid = %s AND a.pid <> pg_backend_pid()"
            " AND a.state = 'idle in transaction' AND a.query LIKE 'COPY scoring_stage%%'",
            [recompute.RECOMPUTE_LOCK_KEY],
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_a_policy_change_reranks_every_problem_and_the_job_reports_it(network, pm):
    # When a product manager changes the policy (in-process: the re-rank runs after commit)
    policy, job = services.policy_update(
        reason="A test of the re-rank.",
        actor=pm,
        after_hours_weight=2.0,
        patient_weight=1.0,
        breadth_weight=0.5,
        default_effort_weeks=3.0,
    )

    # Then every problem is scored under it, exactly, and the job is done with done = total
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.policy_version) == (JobState.DONE, 5, 5, policy.version)
    assert stored_scores() == expected_scores()
    assert stale_problem_ids() == []
    assert counter(recompute.RERANK_RUNS) == 1


@pytest.mark.django_db(transaction=True)
def test_running_a_rerank_again_changes_nothing(network, pm, notified):
    _, job = services.policy_update(
        reason="A test of the re-rank.",
        actor=pm,
        after_hours_weight=2.0,
        patient_weight=1.0,
        breadth_weight=0.5,
        default_effort_weeks=3.0,
    )
    recompute.rerank_run(job_id=job.pk)
    before = (stored_scores(), dict(ProblemScore.objects.values_list("problem_id", "scored_at")))
    history = ScoreHistory.objects.count()

    recompute.rerank_run(job_id=job.pk)  # a duplicate delivery of the same job
    RerankJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING)  # as if a worker died at the very end
    recompute.rerank_run(job_id=job.pk)

    assert (stored_scores(), dict(ProblemScore.objects.values_list("problem_id", "scored_at"))) == before
    assert ScoreHistory.objects.count() == history
    assert RerankJob.objects.get(pk=job.pk).state == JobState.DONE


@pytest.mark.django_db(transaction=True)
def test_the_sweep_resumes_a_rerank_whose_message_was_lost(network, pm, notified):
    # Given a policy change whose job never reached a worker (the notifier records, nothing runs it)
    _, job = services.policy_update(
        reason="A test of the re-rank.",
        actor=pm,
        after_hours_weight=0.0,
        patient_weight=0.0,
        breadth_weight=0.0,
        default_effort_weeks=1.0,
    )
    # (policy_update's dispatch runs in-process in tests; simulate the lost message by undoing its work)
    RerankJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED, done=0, total=0)
    ProblemScore.objects.update(policy_version=1)
    assert len(stale_problem_ids()) == 5

    # When the sweep runs
    ran = recompute.rerank_resume()

    # Then the job is done and everything is scored under the policy in force
    assert ran is True
    assert RerankJob.objects.get(pk=job.pk).state == JobState.DONE
    assert stale_problem_ids() == []
    assert stored_scores() == expected_scores()
    assert recompute.rerank_resume() is False


@pytest.mark.django_db(transaction=True)
def test_the_sweep_creates_a_job_when_the_policy_changed_without_one(network):
    # A policy version written outside policy_update (e.g. a data fix) still gets everything re-ranked
    from scoring.models import ScoringPolicy

    ScoringPolicy.objects.create(version=policy_current().version + 1, breadth_weight=3.0)

    assert recompute.rerank_resume() is True
    job = RerankJob.objects.get()
    assert (job.state, job.done, job.total, job.created_by) == (JobState.DONE, 5, 5, None)
    assert stored_scores() == expected_scores()


@pytest.mark.django_db(transaction=True)
def test_ranks_refresh_repairs_ranks_written_behind_the_pipelines_back(network):
    ProblemScore.objects.filter(problem=network["small"]).update(rank=1)

    assert recompute.ranks_refresh() == 1
    assert stored_ranks() == ranks_by_definition()


# --- ranks are exactly the ROW_NUMBER definition, whatever the sequence of recomputes ---------------

PRIORITY_MINUTES = st.sampled_from([0.5, 1.0, 1.0, 2.0, 3.0, 3.0, 8.0])  # repeats make ties
STEP = st.tuples(
    st.integers(min_value=0, max_value=7),  # which problem
    st.sampled_from(["evidence", "close", "effort", "new"]),
    PRIORITY_MINUTES,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.lists(PRIORITY_MINUTES, min_size=3, max_size=8), steps=st.lists(STEP, min_size=1, max_size=6))
@pytest.mark.django_db
def test_ranks_always_equal_the_row_number_definition(start, steps, site, users, settings):
    settings.BRIDGE_STALE_NOTIFIER = "tests.scoring.test_pipeline_recompute.record_stale"
    clinician, pm, informatics = users[Role.CLINICIAN], users[Role.PRODUCT_MANAGER], users[Role.INFORMATICS]
    with transaction.atomic():
        problems = [submit(clinician, site, f"Problem {i}", m=m, f=4) for i, m in enumerate(start)]
        recompute.scores_recompute(problem_ids=[p.pk for p in problems])
        assert stored_ranks() == ranks_by_definition()
        for index, action, minutes in steps:
            problem = Problem.objects.get(pk=problems[index % len(problems)].pk)
            if action == "evidence" and problem.is_open:
                evidence_add(problem=problem, added_by=informatics, kind="time_study", value=minutes, sample_size=1)
            elif action == "close" and problem.status == "new":
                problem_triage(
                    problem_id=problem.pk, actor=pm, version=problem.version, status="declined", decline_reason="x"
                )
            elif action == "effort" and problem.is_open:
                problem_triage(problem_id=problem.pk, actor=pm, version=problem.version, effort_weeks=minutes)
            elif action == "new":
                problems.append(submit(clinician, site, f"Problem {len(problems)}", m=minutes, f=4))
            recompute.stale_scores_recompute(source=recompute.RUNS_TASK)
            assert stored_ranks() == ranks_by_definition()
        assert stored_scores() == expected_scores()
        transaction.set_rollback(True)


@pytest.mark.django_db(transaction=True)
def test_a_rerank_whose_sql_underflows_scores_in_python_with_the_same_numbers(network, users, site, pm, caplog):
    # Given a problem reported at the smallest float there is, all of it after hours: its stored
    # after-hours hours are 5e-324, and a weight of 0.25 makes 1.2e-324 of them, which Python rounds
    # to zero and PostgreSQL refuses as an underflow
    submit(users[Role.CLINICIAN], site, "Barely any time lost", m=5e-324, f=1, after_hours_pct=100)

    # When the policy changes
    _, job = services.policy_update(
        reason="A test of the re-rank.",
        actor=pm,
        after_hours_weight=0.25,
        patient_weight=0.25,
        breadth_weight=1.0,
        default_effort_weeks=2.0,
    )

    # Then the re-rank still finishes, in Python, every score exactly the engine's
    assert "the database refused the arithmetic" in caplog.text
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (JobState.DONE, 6, 6)
    assert stored_scores() == expected_scores()
    assert stale_problem_ids() == []
