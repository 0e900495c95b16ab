"""What a policy change would move, before it is saved: in and out of the top N, and across the
capacity cut line.

The stored score parts re-weighed in SQL (scoring.reweigh.weighed_sql: engine.combine over the
columns, so the numbers are the ones the re-rank would store), placed in the rank order
(scoring.ranking), compared with the stored ranks: one query over the open scores, whatever
their number, and nothing written.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from intake.models import Problem

from .engine import Policy
from .models import ProblemScore
from .ranking import rank_order_sql
from .reweigh import weighed_sql

PREVIEW_TOP = 20


@dataclass(frozen=True)
class Move:
    problem: Problem
    old_rank: int
    new_rank: int
    old_priority: float
    new_priority: float
    fits_before: bool | None  # within the capacity, in rank order (None: no capacity given)
    fits_after: bool | None


@dataclass(frozen=True)
class PolicyPreview:
    top: int
    capacity_weeks: float | None
    ranks_moved: int  # open problems whose rank would change
    entering: list[Move]  # into the top N
    leaving: list[Move]  # out of the top N
    into_capacity: list[Move]  # now above the cut line
    out_of_capacity: list[Move]  # now below it


def policy_preview(policy: Policy, *, top: int = PREVIEW_TOP, capacity_weeks: float | None = None) -> PolicyPreview:
    table = ProblemScore._meta.db_table
    weighed = weighed_sql(policy, "s")
    capacity = float(capacity_weeks) if capacity_weeks is not None else -1.0  # -1: nothing fits, never compared
    query = f"""
        WITH n AS (
            SELECT s.problem_id, s.created_at, s.rank AS old_rank, s.priority AS old_priority,
                   s.effort_weeks AS old_effort, {weighed.priority.text} AS priority,
                   {weighed.effort_weeks.text} AS new_effort
            FROM {table} s WHERE s.is_open
        ), placed AS (
            SELECT n.*, ROW_NUMBER() OVER (ORDER BY {rank_order_sql("n")}) AS new_rank FROM n
        ), summed AS (
            SELECT placed.*,
                   SUM(old_effort) OVER (ORDER BY old_rank ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS old_cum,
                   SUM(new_effort) OVER (ORDER BY new_rank ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS new_cum,
                   SUM(CASE WHEN old_rank <> new_rank THEN 1 ELSE 0 END) OVER () AS moved
            FROM placed
        )
        SELECT * FROM (
            SELECT problem_id, old_rank, new_rank, old_priority, priority, old_cum <= %s, new_cum <= %s, moved,
                   (old_rank <= %s) <> (new_rank <= %s) OR (%s >= 0 AND (old_cum <= %s) <> (new_cum <= %s)) AS crosses
            FROM summed
        ) AS c
        -- the new first row always comes back: it carries the count of ranks moved
        WHERE crosses OR new_rank = 1
        ORDER BY new_rank
    """
    params = [*weighed.priority.params, *weighed.effort_weeks.params, capacity, capacity, top, top]
    params += [capacity, capacity, capacity]
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    moved = rows[0][7] if rows else 0
    rows = [row for row in rows if row[8]]
    problems = Problem.objects.in_bulk([row[0] for row in rows])
    with_capacity = capacity_weeks is not None
    moves = [
        Move(
            problem=problems[pid],
            old_rank=old_rank,
            new_rank=new_rank,
            old_priority=old_priority,
            new_priority=new_priority,
            fits_before=bool(fits_before) if with_capacity else None,
            fits_after=bool(fits_after) if with_capacity else None,
        )
        for pid, old_rank, new_rank, old_priority, new_priority, fits_before, fits_after, _, _ in rows
    ]
    return PolicyPreview(
        top=top,
        capacity_weeks=capacity_weeks,
        ranks_moved=int(moved),
        entering=[m for m in moves if m.new_rank <= top < m.old_rank],
        leaving=[m for m in moves if m.old_rank <= top < m.new_rank],
        into_capacity=[m for m in moves if m.fits_after and not m.fits_before],
        out_of_capacity=[m for m in moves if m.fits_before is True and not m.fits_after],
    )
