"""A policy change re-weighs stored scores in SQL (scoring.reweigh): the numbers must be exactly the
engine's, bit for bit, whatever the parts and the weights; and "pending" means the same in its three
spellings (scoring.ranking).

Given stored scores with arbitrary parts, when they are re-weighed under a policy in the database,
then every weighted field equals engine.combine(parts, policy) in Python: `==` on floats, no tolerance.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.models import Case, When
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.models import Problem
from scoring.engine import POLICY_WEIGHTS, Parts, Policy, combine
from scoring.models import ProblemScore, ScoreHistory
from scoring.ranking import is_pending, pending_q, pending_sql
from scoring.reweigh import DERIVED, reweigh_apply, reweigh_batch, reweigh_reset
from tests.factories import ProblemFactory

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

# Realistic magnitudes (and zero): a product of two numbers near 1e-308 underflows, which PostgreSQL
# refuses and Python rounds to zero; that case has its own test below.
hours = st.one_of(st.just(0.0), st.floats(min_value=1e-6, max_value=1e6))
PARTS = st.builds(
    Parts,
    provider_hours_unweighted=hours,
    after_hours_hours_per_week=hours,
    patient_hours_per_week=hours,
    cost_hours_per_week=st.one_of(st.just(0.0), st.floats(min_value=1e-6, max_value=1e5)),
    revenue_per_week=st.one_of(st.just(0.0), st.floats(min_value=1e-6, max_value=1e7)),
    sites_affected=st.integers(min_value=0, max_value=60),
    active_sites=st.integers(min_value=0, max_value=60),
    confidence=st.sampled_from([0.5, 0.6, 0.7, 0.8, 0.9, 1.0]),
    effort_estimate=st.one_of(st.none(), st.floats(min_value=0.01, max_value=520)),
)
POLICIES = st.builds(
    Policy,
    version=st.just(2),
    **{
        weight.name: st.floats(min_value=max(weight.range.low, 1e-6), max_value=weight.range.high)
        if weight.range.low_open
        else st.one_of(st.just(0.0), st.floats(min_value=1e-6, max_value=weight.range.high))
        for weight in POLICY_WEIGHTS
    },
)


# 10 plain hours at one site of one, confidence 0.5, no estimate: priority 10 × 0.5 / 2 by default.
ONE_SITE = Parts(
    provider_hours_unweighted=10,
    after_hours_hours_per_week=0,
    patient_hours_per_week=0,
    cost_hours_per_week=0,
    revenue_per_week=0,
    sites_affected=1,
    active_sites=1,
    confidence=0.5,
    effort_estimate=None,
)


def store(problem: Problem, parts: Parts, *, policy_version: int = 1) -> None:
    """A stored score with these parts, its weighted fields deliberately wrong (the re-weigh must set them)."""
    ProblemScore.objects.update_or_create(
        problem=problem,
        defaults={
            "provider_hours_unweighted": parts.provider_hours_unweighted,
            "after_hours_hours_per_week": parts.after_hours_hours_per_week,
            "patient_hours_per_week": parts.patient_hours_per_week,
            "cost_hours_per_week": parts.cost_hours_per_week,
            "revenue_per_week": parts.revenue_per_week,
            "sites_affected": parts.sites_affected,
            "active_sites": parts.active_sites,
            "confidence": parts.confidence,
            "effort_estimated": parts.effort_estimate is not None,
            "effort_weeks": parts.effort_estimate if parts.effort_estimate is not None else -1.0,
            "priority": -1.0,
            "value_hours_per_week": -1.0,
            "provider_hours_per_week": -1.0,
            "breadth": -1.0,
            "policy_version": policy_version,
            "inputs_version": problem.inputs_version,
            "is_open": True,
            "created_at": problem.created_at,
            "scored_at": T0,
        },
    )


def reweigh(policy: Policy) -> None:
    reweigh_reset()
    after_id = 0
    while True:
        count, after_id = reweigh_batch(policy, after_id=after_id, limit=7)
        if not count:
            break
    reweigh_apply(policy, now=T0)


def weighed_in_database(problem: Problem) -> dict[str, float]:
    return ProblemScore.objects.values(*DERIVED).get(problem=problem)


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=PARTS, policy=POLICIES)
def test_sql_gives_the_engines_floats_for_any_parts_and_weights(parts, policy, db):
    problem = ProblemFactory()
    store(problem, parts)

    reweigh(policy)

    expected = combine(parts, policy)
    assert weighed_in_database(problem) == {name: getattr(expected, name) for name in DERIVED}
    assert ProblemScore.objects.get(problem=problem).policy_version == 2
    problem.delete()


@pytest.mark.django_db
def test_many_scores_at_once_ranks_follow_and_history_records_what_moved():
    rng = random.Random(7)
    problems = [ProblemFactory() for _ in range(40)]
    parts = {}
    for problem in problems:
        parts[problem.pk] = Parts(
            provider_hours_unweighted=rng.uniform(0, 300),
            after_hours_hours_per_week=rng.uniform(0, 100),
            patient_hours_per_week=rng.uniform(0, 80),
            cost_hours_per_week=rng.choice([0.0, rng.uniform(0, 200)]),
            revenue_per_week=rng.choice([0.0, rng.uniform(0, 20000)]),
            sites_affected=rng.randint(1, 12),
            active_sites=12,
            confidence=rng.choice([0.5, 0.6, 0.7, 0.8, 1.0]),
            effort_estimate=rng.choice([None, 1.0, 2.5, 8.0]),
        )
        store(problem, parts[problem.pk])
    policy = Policy(
        version=2,
        after_hours_weight=1.25,
        patient_weight=0.4,
        breadth_weight=2.0,
        default_effort_weeks=3,
        revenue_weight=0.01,
    )

    reweigh(policy)

    stored = {row["problem_id"]: row for row in ProblemScore.objects.values("problem_id", "rank", *DERIVED)}
    for pid, row in stored.items():
        expected = combine(parts[pid], policy)
        assert {name: row[name] for name in DERIVED} == {name: getattr(expected, name) for name in DERIVED}
    by_definition = sorted(problems, key=lambda p: (-stored[p.pk]["priority"], p.created_at, p.pk))
    assert [stored[p.pk]["rank"] for p in by_definition] == list(range(1, 41))
    # every priority moved (they were stored as -1), so each problem has one history point
    assert ScoreHistory.objects.filter(policy_version=2).count() == 40

    # And re-weighing again under the same policy changes nothing and adds no history
    reweigh(policy)
    again = {row["problem_id"]: row for row in ProblemScore.objects.values("problem_id", "rank", *DERIVED)}
    assert again == stored
    assert ScoreHistory.objects.count() == 40


@pytest.mark.django_db
def test_scores_already_under_the_policy_keep_their_numbers():
    current, older = ProblemFactory(), ProblemFactory()
    store(current, ONE_SITE, policy_version=2)
    store(older, ONE_SITE, policy_version=1)

    reweigh(Policy(version=2))

    assert weighed_in_database(current)["priority"] == -1.0  # not touched: it is under version 2 already
    assert weighed_in_database(older)["priority"] == 10 * 0.5 / 2


# --- "pending": one rule, three spellings --------------------------------------------------------


@pytest.mark.django_db
def test_pending_means_the_same_in_python_sql_and_the_orm():
    # Given problems whose scores are fresh, missing, from older inputs, under an older or a newer policy
    fresh, missing, old_inputs, old_policy, newer_policy = (ProblemFactory() for _ in range(5))
    parts = ONE_SITE
    store(fresh, parts, policy_version=3)
    store(old_inputs, parts, policy_version=3)
    Problem.objects.filter(pk=old_inputs.pk).update(inputs_version=5)
    store(old_policy, parts, policy_version=2)
    store(newer_policy, parts, policy_version=4)
    in_force = 3

    # When each spelling is asked
    python = {
        p.pk: is_pending(
            scored_inputs_version=getattr(getattr(p, "score", None), "inputs_version", None),
            scored_policy_version=getattr(getattr(p, "score", None), "policy_version", None),
            inputs_version=p.inputs_version,
            policy_version=in_force,
        )
        for p in Problem.objects.select_related("score")
    }
    orm = dict(
        Problem.objects.annotate(pending=Case(When(pending_q(in_force), then=True), default=False)).values_list(
            "id", "pending"
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.id, {pending_sql(problem='p', score='s')} FROM intake_problem p"
            " LEFT JOIN scoring_problemscore s ON s.problem_id = p.id",
            [in_force],
        )
        sql = dict(cursor.fetchall())

    # Then they agree, and say what the rule says
    expected = {fresh.pk: False, missing.pk: True, old_inputs.pk: True, old_policy.pk: True, newer_policy.pk: False}
    assert python == orm == sql == expected
