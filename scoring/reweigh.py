"""A policy change at the speed of SQL: stored scores re-weighed set-based, without the engine.

A score is its parts (engine.Parts: nothing in them depends on the weights; they are stored with
the score) combined under the policy's weights (engine.combine). Here combine runs over SQL
column expressions instead of numbers: every operation it makes becomes the same operation in
the database, parenthesised as Python evaluates it, on the same IEEE doubles. A re-weighed score
is therefore identical to the engine's.

scoring.recompute.rerank_run re-weighs in batches into a temporary table (committing the job's
progress between them), then applies them all at once (reweigh_apply): one UPDATE writing each
score row once with its new rank, and a history point for each score whose priority or rank
moved. Listings never see two policies mixed.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

from django.db import connection

from .engine import POLICY_WEIGHTS, Parts, Policy, Weighed, combine
from .models import ProblemScore, ScoreHistory
from .ranking import rank_order_sql


class Sql:
    """A SQL expression and its parameters, built with Python's arithmetic operators.

    Every operation is parenthesised, so PostgreSQL evaluates exactly the tree Python would.
    Floats become parameters (double precision); ints are written inline (integer literals)."""

    def __init__(self, text: str, params: tuple = ()):
        self.text, self.params = text, params

    @staticmethod
    def of(value) -> Sql:
        if isinstance(value, Sql):
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"not a number: {value!r}")
        if isinstance(value, int):
            return Sql(str(value))
        return Sql("CAST(%s AS DOUBLE PRECISION)", (value,))

    def _op(self, op: str, other, *, swapped: bool = False) -> Sql:
        left, right = (Sql.of(other), self) if swapped else (self, Sql.of(other))
        return Sql(f"({left.text} {op} {right.text})", left.params + right.params)

    def __add__(self, other):
        return self._op("+", other)

    def __radd__(self, other):
        return self._op("+", other, swapped=True)

    def __sub__(self, other):
        return self._op("-", other)

    def __rsub__(self, other):
        return self._op("-", other, swapped=True)

    def __mul__(self, other):
        return self._op("*", other)

    def __rmul__(self, other):
        return self._op("*", other, swapped=True)

    def __truediv__(self, other):
        return self._op("/", other)

    def __rtruediv__(self, other):
        return self._op("/", other, swapped=True)

    @staticmethod
    def greatest(a, b) -> Sql:
        a, b = Sql.of(a), Sql.of(b)
        function = "GREATEST" if connection.vendor == "postgresql" else "MAX"  # SQLite's two-argument max
        return Sql(f"{function}({a.text}, {b.text})", a.params + b.params)

    @staticmethod
    def first_present(a, b) -> Sql:
        a, b = Sql.of(a), Sql.of(b)
        return Sql(f"COALESCE({a.text}, {b.text})", a.params + b.params)


def _stored_parts(alias: str) -> Parts:
    """The parts as the score table stores them (the effort estimate is the effort when estimated)."""
    columns = {f.name: Sql(f"{alias}.{f.name}") for f in fields(Parts) if f.name != "effort_estimate"}
    return Parts(**columns, effort_estimate=Sql(f"(CASE WHEN {alias}.effort_estimated THEN {alias}.effort_weeks END)"))


def weighed_sql(policy: Policy, alias: str = "s") -> Weighed:
    """engine.combine over the score table's columns: each field a SQL expression. The weights go
    in as doubles, as the policy table stores them (an int would make SQL divide integers)."""
    weights = {weight.name: float(getattr(policy, weight.name)) for weight in POLICY_WEIGHTS}
    floats = Policy(version=policy.version, **weights)
    return combine(_stored_parts(alias), floats, greatest=Sql.greatest, first_present=Sql.first_present)


# Temporary tables, the database session's own: the re-weighed numbers, then their places.
REWEIGHED, PLACED = "scoring_reweighed", "scoring_reweigh_placed"
DERIVED = [f.name for f in fields(Weighed)]  # what a policy change rewrites in a stored score


def reweigh_reset() -> None:
    columns = ", ".join(f"{name} DOUBLE PRECISION" for name in DERIVED)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {REWEIGHED} (problem_id BIGINT, {columns})")
        cursor.execute(f"DELETE FROM {REWEIGHED}")


def reweigh_batch(policy: Policy, *, after_id: int, limit: int) -> tuple[int, int]:
    """Re-weigh the next `limit` stored scores above `after_id` that are under an older policy
    than `policy`, into the temporary table (the stored scores are not touched yet). Returns
    (scores re-weighed, the last problem id)."""
    table = ProblemScore._meta.db_table
    weighed = weighed_sql(policy, "s")
    expressions = [getattr(weighed, name) for name in DERIVED]
    params = [param for expression in expressions for param in expression.params]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {REWEIGHED} (problem_id, {', '.join(DERIVED)})"
            f" SELECT s.problem_id, {', '.join(expression.text for expression in expressions)} FROM {table} s"
            f" WHERE s.problem_id > %s AND s.policy_version < %s ORDER BY s.problem_id LIMIT %s RETURNING problem_id",
            [*params, after_id, policy.version, limit],
        )
        ids = [pid for (pid,) in cursor.fetchall()]
    return len(ids), max(ids, default=after_id)


def reweigh_apply(policy: Policy, *, now: datetime) -> None:
    """Write the re-weighed scores (those still under an older policy than `policy`), renumber
    every open problem's rank, and add a history point for each score whose priority or rank
    moved. Under the recompute lock. The new numbers and places are read once (into a temporary
    table), then the history points are added and each score row is written once. Plain SQL for
    PostgreSQL and the SQLite of `make run`."""
    table, history = ProblemScore._meta.db_table, ScoreHistory._meta.db_table
    stale = "(r.problem_id IS NOT NULL AND s.policy_version < %s)"
    chosen = ", ".join(f"CASE WHEN {stale} THEN r.{name} ELSE s.{name} END AS {name}" for name in DERIVED)
    derived = ", ".join(DERIVED)
    now_value = connection.ops.adapt_datetimefield_value(now)
    moved = "COALESCE(p.place, 0) <> COALESCE(p.old_rank, 0)"  # ranks start at 1
    assignments = ", ".join(f"{name} = p.{name}" for name in DERIVED)
    with connection.cursor() as cursor:
        doubles = ", ".join(f"{name} DOUBLE PRECISION" for name in DERIVED)
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {PLACED} (problem_id BIGINT, stale BOOLEAN,"
            f" old_priority DOUBLE PRECISION, old_rank INTEGER, place INTEGER, {doubles})"
        )
        cursor.execute(f"DELETE FROM {PLACED}")
        cursor.execute(
            f"""
            INSERT INTO {PLACED} (problem_id, stale, old_priority, old_rank, {derived}, place)
            SELECT w.problem_id, w.stale, w.old_priority, w.old_rank, {derived},
                   CASE WHEN w.is_open THEN ROW_NUMBER() OVER (PARTITION BY w.is_open ORDER BY {rank_order_sql("w")})
                   END
            FROM (
                SELECT s.problem_id, s.is_open, s.created_at, s.priority AS old_priority, s.rank AS old_rank,
                       {stale} AS stale, {chosen}
                FROM {table} s LEFT JOIN {REWEIGHED} r ON r.problem_id = s.problem_id
            ) AS w
            """,
            [policy.version] * (len(DERIVED) + 1),
        )
        cursor.execute(
            f"INSERT INTO {history} (problem_id, priority, rank, policy_version, at)"
            f" SELECT p.problem_id, p.priority, p.place, %s, %s FROM {PLACED} p"
            f" WHERE p.priority <> p.old_priority OR {moved} ORDER BY p.problem_id",
            [policy.version, now_value],
        )
        cursor.execute(
            f"UPDATE {table} SET {assignments}, rank = p.place,"
            f" policy_version = CASE WHEN p.stale THEN %s ELSE {table}.policy_version END,"
            f" scored_at = CASE WHEN p.stale THEN %s ELSE {table}.scored_at END"
            f" FROM {PLACED} p WHERE {table}.problem_id = p.problem_id AND (p.stale OR {moved})",
            [policy.version, now_value],
        )
        cursor.execute(f"DELETE FROM {REWEIGHED}")
        cursor.execute(f"DELETE FROM {PLACED}")
