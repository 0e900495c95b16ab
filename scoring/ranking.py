"""The rank of docs/scoring.md, and whether a score is pending: the one home of both rules.

Rank: open problems ordered by priority descending, then created_at ascending, then id
ascending; rank 1 is the top. The stored score copies the problem's created_at, so the order
is read from the score table alone (score_order_idx serves it). This module writes that order
for raw SQL (`rank_order_sql`) and for the ORM (`RANK_ORDER`, `LISTING_ORDER`), and refreshes
the stored ranks from it (`ranks_refresh`).

Pending: a stored score is pending when it is missing, was computed from older inputs than the
problem's (`inputs_version`), or under an older policy than the one in force. Python, SQL and
the ORM each need that test; its three spellings stand here side by side (and a test holds
them to the same answers).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, Case, F, Q, Value, When

from .models import ProblemScore

SCORE_TABLE = ProblemScore._meta.db_table


def rank_order_sql(alias: str = "", *, reverse: bool = False) -> str:
    """The rank order as an ORDER BY list over the score table (`alias.` before each column)."""
    p = f"{alias}." if alias else ""
    if reverse:
        return f"{p}priority ASC, {p}created_at DESC, {p}problem_id DESC"
    return f"{p}priority DESC, {p}created_at ASC, {p}problem_id ASC"


def place_sql(alias: str = "") -> str:
    """Each row's place in the rank order among the rows it is computed over."""
    return f"ROW_NUMBER() OVER (ORDER BY {rank_order_sql(alias)})"


# The rank order for a queryset of scores, and for a queryset of problems through their score (in
# the terms of score_order_idx, so that a short list walks that index). Among open scores it equals
# ordering by stored rank.
SCORE_RANK_ORDER = (F("priority").desc(), F("created_at").asc(), F("problem_id").asc())
RANK_ORDER = (F("score__priority").desc(), F("score__created_at").asc(), F("score__problem_id").asc())
# Listings of problems by stored rank: the ranked ones first, then those not ranked (pending new
# ones, closed ones) by age.
LISTING_ORDER = (F("score__rank").asc(nulls_last=True), F("created_at").asc(), F("id").asc())


def ranks_refresh() -> int:
    """Set rank = place among open problems from the stored priorities; clear it on closed ones.
    Returns rows changed. Recomputes keep ranks right themselves (scoring.stage); the sweep runs
    this as a repair, and it is the definition tests hold them to."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {SCORE_TABLE} SET rank = NULL WHERE NOT is_open AND rank IS NOT NULL")
        cleared = cursor.rowcount
        cursor.execute(
            f"""
            UPDATE {SCORE_TABLE} SET rank = ranked.place
            FROM (SELECT problem_id, {place_sql()} AS place FROM {SCORE_TABLE} WHERE is_open) AS ranked
            WHERE {SCORE_TABLE}.problem_id = ranked.problem_id
              AND ({SCORE_TABLE}.rank IS NULL OR {SCORE_TABLE}.rank <> ranked.place)
            """
        )
        return cleared + cursor.rowcount


# --- pending ---------------------------------------------------------------------------------


def is_pending(
    *,
    scored_inputs_version: int | None,
    scored_policy_version: int | None,
    inputs_version: int,
    policy_version: int | None,
) -> bool:
    """A score is pending when missing, computed from older inputs, or under an older policy."""
    return (
        scored_inputs_version is None
        or scored_inputs_version != inputs_version
        or scored_policy_version < (policy_version or 0)
    )


def score_is_pending(problem, policy_version: int) -> bool:
    """is_pending for a Problem whose `score` (if any) is loaded."""
    stored: ProblemScore | None = getattr(problem, "score", None)
    if stored is None:
        return True
    return is_pending(
        scored_inputs_version=stored.inputs_version,
        scored_policy_version=stored.policy_version,
        inputs_version=problem.inputs_version,
        policy_version=policy_version,
    )


def pending_sql(*, problem: str = "p", score: str = "s") -> str:
    """is_pending as a SQL condition over a problem row and its LEFT JOINed score; one %s: the policy version."""
    return (
        f"({score}.problem_id IS NULL OR {score}.inputs_version <> {problem}.inputs_version"
        f" OR {score}.policy_version < %s)"
    )


def pending_q(policy_version: int) -> Q:
    """is_pending as an ORM condition on problems (through their score)."""
    return (
        Q(score__isnull=True)
        | ~Q(score__inputs_version=F("inputs_version"))
        | Q(score__policy_version__lt=policy_version)
    )


def pending_annotation(policy_version: int) -> Case:
    """`score_pending` for a listing of problems, without a query per row."""
    return Case(When(pending_q(policy_version), then=Value(True)), default=Value(False), output_field=BooleanField())
