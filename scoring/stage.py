"""Set-based score writes: computed scores wait in a temporary table, then one step applies them.

A temporary table is the database session's own, so concurrent workers never see each other's:
stage_reset, stage (per batch: COPY on PostgreSQL, the cheapest way to ship thousands of rows),
then apply_incremental (a recompute of some problems: only the ranks that can change are
renumbered) or apply_full (a re-rank of all of them: one window over every open problem). Each
score row is written once, with its rank, and a history point added where priority or rank
changed. Callers hold the recompute lock (recompute.RECOMPUTE_LOCK_KEY) around the apply.
Plain SQL that runs on PostgreSQL and on the SQLite of `make run`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

from django.db import connection

from intake.models import OPEN_STATUSES

from .engine import Policy, score
from .models import ProblemScore, ScoreHistory
from .ranking import place_sql, rank_order_sql
from .selectors import score_inputs

# The stored score's columns that come from the engine's Score, by name: every column of the
# model but these (a policy change re-weighs the weighted ones from the parts: scoring.reweigh).
NOT_FROM_THE_ENGINE = frozenset({"problem_id", "inputs_version", "is_open", "created_at", "rank", "scored_at"})
SCORE_RESULT_FIELDS = tuple(
    field.attname for field in ProblemScore._meta.concrete_fields if field.attname not in NOT_FROM_THE_ENGINE
)
# Column order of the bulk score write; `sites` is JSON text.
SCORE_COLUMNS = ("problem_id", *SCORE_RESULT_FIELDS, "inputs_version", "is_open", "created_at", "scored_at")

# The stored score's fields (everything but the problem, and the rank).
SCORE_FIELDS = [c for c in SCORE_COLUMNS if c != "problem_id"]
_SITES_AT = SCORE_RESULT_FIELDS.index("sites")


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


_OPEN = frozenset(str(status) for status in OPEN_STATUSES)


@lru_cache(maxsize=8192)
def _sites_json(sites: tuple[str, ...]) -> str:
    return json.dumps(list(sites))


def score_rows(problem_ids: Sequence[int], *, policy: Policy, now: datetime) -> list[tuple]:
    """Score one batch with the pure function; rows in SCORE_COLUMNS order, ready to stage."""
    postgres = is_postgres()
    adapt = connection.ops.adapt_datetimefield_value  # SQLite wants its text form
    scored_at = adapt(now)
    rows = []
    for item in score_inputs(problem_ids):
        result = score(item.inputs, policy)
        values = [getattr(result, name) for name in SCORE_RESULT_FIELDS]
        values[_SITES_AT] = _sites_json(tuple(result.sites))
        rows.append(
            (
                item.problem_id,
                *values,
                item.inputs_version,
                item.status in _OPEN,
                item.created_at if postgres else adapt(item.created_at),
                scored_at,
            )
        )
    return rows


STAGE = "scoring_stage"
_STAGE_TYPES = {
    "problem_id": "bigint",
    "sites_affected": "integer",
    "active_sites": "integer",
    "sites": "jsonb",
    "effort_estimated": "boolean",
    "policy_version": "integer",
    "inputs_version": "integer",
    "is_open": "boolean",
    "created_at": "timestamptz",
    "scored_at": "timestamptz",
}


def stage_reset() -> None:
    postgres = is_postgres()
    columns = ", ".join(
        f"{c} {_STAGE_TYPES.get(c, 'double precision') if postgres else ''}".strip() for c in SCORE_COLUMNS
    )
    # What the stored score was before this recompute (for history and the rank range).
    columns += ", had_score boolean, old_priority double precision, old_rank integer"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE} ({columns})")
        cursor.execute(f"DELETE FROM {STAGE}")


def stage(rows: list[tuple]) -> None:
    """Add scored rows to the stage: COPY on PostgreSQL (the cheapest way to ship thousands of rows)."""
    if not rows:
        return
    columns = ", ".join(SCORE_COLUMNS)
    with connection.cursor() as cursor:
        if is_postgres():
            with cursor.copy(f"COPY {STAGE} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(SCORE_COLUMNS))
            cursor.executemany(f"INSERT INTO {STAGE} ({columns}) VALUES ({placeholders})", rows)


def moved_ranges(staged: list[tuple]) -> tuple[list[tuple[float, float]], int]:
    """The priority ranges whose ranks a recompute can change, top first, and the change in the
    number of ranked problems. `staged` holds (old priority, new priority, was ranked, is open).

    Each staged problem spans its old priority (if it was ranked) and its new one (if open);
    overlapping spans merge. If any problem enters or leaves the ranking, everyone below it moves,
    so one range from the lowest to the highest span is renumbered (and the rest shifted)."""
    spans = []
    for old, new, was_ranked, is_open in staged:
        points = ([old] if was_ranked else []) + ([new] if is_open else [])
        if points:
            spans.append((min(points), max(points)))
    delta = sum(1 for *_, is_open in staged if is_open) - sum(1 for _, _, was_ranked, _ in staged if was_ranked)
    if not spans:
        return [], delta
    if any(bool(was_ranked) != bool(is_open) for _, _, was_ranked, is_open in staged):
        return [(min(lo for lo, _ in spans), max(hi for _, hi in spans))], delta
    merged: list[tuple[float, float]] = []
    for lo, hi in sorted(spans, key=lambda span: -span[1]):
        if merged and hi >= merged[-1][0]:
            merged[-1] = (min(lo, merged[-1][0]), merged[-1][1])
        else:
            merged.append((lo, hi))
    return merged, delta


def apply_incremental(*, now: datetime) -> int:
    """Apply a few staged scores, renumbering only the ranks that can change. Under the recompute lock.

    Relies on the stored ranks being exact before (every score write keeps them so; the sweep
    repairs any drift with ranking.ranks_refresh). For each priority range of _moved_ranges, the open
    problems above it keep their ranks (no staged problem passed them), so the range is renumbered
    by one window starting after the rank of the last problem above it; problems between and below
    the ranges keep theirs, or all move by the change in the number of ranked problems.
    Returns the scores written."""
    table, history = ProblemScore._meta.db_table, ScoreHistory._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {STAGE} WHERE EXISTS (SELECT 1 FROM {table} s WHERE s.problem_id = {STAGE}.problem_id"
            f" AND (s.inputs_version > {STAGE}.inputs_version OR s.policy_version > {STAGE}.policy_version))"
        )
        cursor.execute(
            f"UPDATE {STAGE} SET had_score = EXISTS (SELECT 1 FROM {table} s WHERE s.problem_id = {STAGE}.problem_id),"
            f" old_priority = (SELECT s.priority FROM {table} s WHERE s.problem_id = {STAGE}.problem_id),"
            f" old_rank = (SELECT s.rank FROM {table} s WHERE s.problem_id = {STAGE}.problem_id)"
        )
        cursor.execute(f"SELECT old_priority, priority, old_rank IS NOT NULL, is_open FROM {STAGE}")
        ranges, delta = moved_ranges(cursor.fetchall())

        columns = ", ".join(SCORE_COLUMNS)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {STAGE} t"
            # had_score, not a NOT EXISTS on the table being filled: planned when it was small, such an
            # anti-join rescans the growing table for every row (a first scoring of 100,000 problems).
            " WHERE NOT t.had_score"
        )
        written = cursor.rowcount
        assignments = ", ".join(f"{c} = t.{c}" for c in SCORE_FIELDS)
        cursor.execute(
            f"UPDATE {table} SET {assignments}, rank = CASE WHEN t.is_open THEN {table}.rank END"
            f" FROM {STAGE} t WHERE {table}.problem_id = t.problem_id AND t.had_score"
        )
        written += cursor.rowcount
        for lo, hi in ranges:
            cursor.execute(
                f"SELECT rank FROM {table} WHERE is_open AND priority > %s"
                f" ORDER BY {rank_order_sql(reverse=True)} LIMIT 1",
                [hi],
            )
            above = cursor.fetchone()
            cursor.execute(
                f"""
                UPDATE {table} SET rank = ranked.place
                FROM (
                    SELECT problem_id, %s + {place_sql()} AS place
                    FROM {table} WHERE is_open AND priority >= %s AND priority <= %s
                ) AS ranked
                WHERE {table}.problem_id = ranked.problem_id
                  AND ({table}.rank IS NULL OR {table}.rank <> ranked.place)
                """,
                [above[0] if above else 0, lo, hi],
            )
        if ranges and delta:  # one range then (see _moved_ranges): everyone below it moves
            below = f"UPDATE {table} SET rank = rank + %s WHERE is_open AND priority < %s"
            cursor.execute(below, [delta, ranges[0][0]])
        # History: a point for each staged problem whose priority or rank changed (or is new).
        cursor.execute(
            f"""
            INSERT INTO {history} (problem_id, priority, rank, policy_version, at)
            SELECT s.problem_id, s.priority, s.rank, s.policy_version, %s
            FROM {STAGE} t JOIN {table} s ON s.problem_id = t.problem_id
            WHERE NOT t.had_score OR s.priority <> t.old_priority
               OR (s.rank IS NULL AND t.old_rank IS NOT NULL) OR (s.rank IS NOT NULL AND t.old_rank IS NULL)
               OR s.rank <> t.old_rank
            """,
            [connection.ops.adapt_datetimefield_value(now)],
        )
    return written
