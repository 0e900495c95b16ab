"""The API's backlog pages: one SQL query per page, read by keyset (backlog.api.backlog).

The same rows and order as backlog.selectors.listing.backlog_ranked, as plain dicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db import connection
from django.db.models import Q

from intake.models import OPEN_STATUSES, Problem, Site, SiteReport
from scoring.models import ProblemScore, ScoringPolicy
from scoring.ranking import rank_order_sql

from .listing import (
    BACKLOG_PROBLEM_COLUMNS,
    BACKLOG_SCORE_COLUMNS,
    POLICY_IN_FORCE,
    ROW_FIELDS,
    backlog_item,
    backlog_ranked,
    search_words,
)

_OPEN = frozenset(OPEN_STATUSES)
_AT_ID, _AT_CREATED, _AT_RANK, _AT_PRIORITY = (
    ROW_FIELDS.index(name) for name in ("id", "created_at", "score__rank", "score__priority")
)


@dataclass(frozen=True)
class BacklogPosition:
    """Where a row sits in the global order: rank (null for unranked rows last), then created_at, id.

    `priority` is the ranked row's priority when the position was taken: with created_at and id it
    is where that row sat in score_order_idx (priority desc, created_at, problem), the index the
    SQL reader walks. Only a hint of where to start: rows are chosen by rank, so a missing or stale
    hint costs index rows, never correctness.
    """

    rank: int | None
    created_at: datetime
    id: int
    priority: float | None = None


@dataclass(frozen=True)
class BacklogPage:
    items: list[dict]
    first: BacklogPosition | None
    last: BacklogPosition | None
    more_before: bool
    more_after: bool


@cache
def _page_sql() -> dict[str, str]:
    """The fixed parts of backlog_page's SQL, from the models' table names (built once)."""
    problem, score = Problem._meta.db_table, ProblemScore._meta.db_table
    report, site, policy = SiteReport._meta.db_table, Site._meta.db_table, ScoringPolicy._meta.db_table
    columns = ", ".join(
        [
            *(f"p.{column}" for column in BACKLOG_PROBLEM_COLUMNS),
            *(f"s.{column}" for column in BACKLOG_SCORE_COLUMNS),
            "p.inputs_version",
            "s.inputs_version",
            f"(SELECT max(version) FROM {policy})",
        ]
    )
    return {
        # Open scores are exactly the ranked ones (ranks are refreshed in the scores' transaction),
        # and `s.is_open` lets the planner walk score_order_idx; `rank` itself has no index.
        "ranked": f"SELECT {columns} FROM {problem} p JOIN {score} s ON s.problem_id = p.id WHERE s.is_open",
        "unranked": f"SELECT {columns} FROM {problem} p LEFT JOIN {score} s ON s.problem_id = p.id "
        "WHERE s.is_open IS NOT TRUE",
        # The open score at rank `after.rank` or above, nearest before the hint (walking the index
        # back from it), and the one at `before.rank` or below, nearest after it.
        "anchor_after": f"SELECT a.priority, a.created_at, a.problem_id FROM {score} a WHERE a.is_open "
        "AND a.rank <= %s AND a.priority >= %s AND (a.priority > %s OR (a.created_at, a.problem_id) <= (%s, %s)) "
        f"ORDER BY {rank_order_sql('a', reverse=True)} LIMIT 1",
        "anchor_before": f"SELECT a.priority, a.created_at, a.problem_id FROM {score} a WHERE a.is_open "
        "AND a.rank >= %s AND a.priority <= %s AND (a.priority < %s OR (a.created_at, a.problem_id) >= (%s, %s)) "
        f"ORDER BY {rank_order_sql('a')} LIMIT 1",
        # Strictly after / before the anchor in score_order_idx order (every row, if there is none).
        "past_anchor": "AND s.priority <= COALESCE((SELECT priority FROM anchor), 'Infinity'::float8) "
        "AND (s.priority < COALESCE((SELECT priority FROM anchor), 'Infinity'::float8) "
        "OR (s.created_at, s.problem_id) > (SELECT created_at, problem_id FROM anchor))",
        "short_of_anchor": "AND s.priority >= COALESCE((SELECT priority FROM anchor), '-Infinity'::float8) "
        "AND (s.priority > COALESCE((SELECT priority FROM anchor), '-Infinity'::float8) "
        "OR (s.created_at, s.problem_id) < (SELECT created_at, problem_id FROM anchor))",
        # A problem counts at a site if it, or a problem merged into it, has a report there. Two
        # EXISTS (not one with an OR inside) so each probes the (problem, site, reporter) index.
        "at_sites": f"(EXISTS (SELECT 1 FROM {report} r JOIN {site} t ON t.id = r.site_id "
        "WHERE r.problem_id = p.id AND t.code = ANY(%s)) "
        f"OR EXISTS (SELECT 1 FROM {report} r JOIN {problem} m ON m.id = r.problem_id "
        f"JOIN {site} t ON t.id = r.site_id WHERE m.merged_into_id = p.id AND t.code = ANY(%s)))",
    }


def backlog_page(
    *,
    statuses: list[str] | None = None,
    site_codes: list[str] | None = None,
    workflow_areas: list[str] | None = None,
    safety: bool | None = None,
    text: str | None = None,
    after: BacklogPosition | None = None,
    before: BacklogPosition | None = None,
    limit: int = 50,
) -> BacklogPage:
    """One page of the backlog in global rank order, as plain dicts (BACKLOG_COLUMNS), in ONE query.

    The same rows and order as backlog_ranked, read by keyset: rows strictly after `after` (or
    strictly before `before`), so a page costs the same at any depth.
    """
    filters = {
        "statuses": statuses,
        "site_codes": site_codes,
        "workflow_areas": workflow_areas,
        "safety": safety,
        "text": text,
    }
    read = _page_rows_postgresql if connection.vendor == "postgresql" else _page_rows_portable
    rows = read(filters, after=after, before=before, fetch=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    if before is not None:
        rows.reverse()

    def position(row) -> BacklogPosition:
        ranked = row[_AT_RANK] is not None
        return BacklogPosition(
            rank=row[_AT_RANK],
            created_at=row[_AT_CREATED],
            id=row[_AT_ID],
            priority=row[_AT_PRIORITY] if ranked else None,
        )

    return BacklogPage(
        items=[backlog_item(row) for row in rows],
        first=position(rows[0]) if rows else None,
        last=position(rows[-1]) if rows else None,
        more_before=more if before is not None else after is not None,
        more_after=more if before is None else True,
    )


def _page_rows_portable(filters: dict, *, after, before, fetch: int) -> list[tuple]:
    """The page's rows through the ORM, on any database (`make run` on SQLite): backlog_ranked's order."""
    problems = backlog_ranked(**filters).annotate(policy_in_force=POLICY_IN_FORCE)
    unranked = Q(score__rank__isnull=True)
    if after is not None and after.rank is not None:
        problems = problems.filter(Q(score__rank__gt=after.rank) | unranked)
    elif after is not None:
        problems = problems.filter(unranked & (Q(created_at__gt=after.created_at) | _same_time_id(after, "gt")))
    elif before is not None and before.rank is not None:
        problems = problems.filter(score__rank__lt=before.rank)
    elif before is not None:
        earlier = Q(created_at__lt=before.created_at) | _same_time_id(before, "lt")
        problems = problems.filter(~unranked | (unranked & earlier))
    if before is not None:
        problems = problems.reverse()
    return list(problems.values_list(*ROW_FIELDS)[:fetch])


def _same_time_id(position: BacklogPosition, lookup: str) -> Q:
    return Q(created_at=position.created_at, **{f"id__{lookup}": position.id})


def _page_rows_postgresql(filters: dict, *, after, before, fetch: int) -> list[tuple]:
    """The page's rows with the SQL written out: the API's hot path on PostgreSQL.

    Ranked rows (open scores) come first, walked along score_order_idx (priority desc, created_at,
    problem: the ranks' order) from the cursor's hint; unranked rows (never scored yet, or not
    open) follow by created_at, id. Both halves are one UNION ALL under a LIMIT, so PostgreSQL stops
    as soon as the page is full: the unranked half is only read on the last pages. Compiling the
    equivalent ORM union costs more than running it, hence the SQL.
    """
    sql = _page_sql()
    statuses, site_codes = filters["statuses"], filters["site_codes"]
    where, params = [" AND p.status = ANY(%s)"], [list(statuses or OPEN_STATUSES)]
    if site_codes:
        where.append(" AND " + sql["at_sites"])
        params += [list(site_codes), list(site_codes)]
    if filters["workflow_areas"]:
        where.append(" AND p.workflow_area = ANY(%s)")
        params.append(list(filters["workflow_areas"]))
    if filters["safety"] is not None:
        where.append(" AND p.safety_concern = %s")
        params.append(filters["safety"])
    for word in search_words(filters.get("text")):  # the same match as the ORM's icontains
        where.append(" AND (p.title ILIKE %s OR p.statement ILIKE %s)")
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [pattern, pattern]
    condition = "".join(where)
    # Only open problems have ranks: a listing of closed statuses never walks the ranked rows.
    any_ranked = not statuses or not _OPEN.isdisjoint(statuses)

    # The ranks' order, in score_order_idx's terms (ties never happen: the id breaks them).
    forward = f"ORDER BY {rank_order_sql('s')}"
    backward = f"ORDER BY {rank_order_sql('s', reverse=True)}"
    parts: list[tuple[str, list]] = []
    anchor: tuple[str, list] | None = None
    if before is None:
        if any_ranked and (after is None or after.rank is not None):
            keyset, values = "", []
            if after is not None:
                # Rows ranked below the cursor's rank now (ranks may have moved since). Every open
                # row before the anchor ranks at most after.rank, so the walk starts there.
                keyset, values = " AND s.rank > %s", [after.rank]
                if after.priority is not None:
                    hint = [after.priority, after.priority, after.created_at, after.id]
                    anchor = (sql["anchor_after"], [after.rank, *hint])
                    keyset += " " + sql["past_anchor"]
            parts.append((f"{sql['ranked']}{condition}{keyset} {forward} LIMIT %s", [*params, *values, fetch]))
        keyset, values = ("", [])
        if after is not None and after.rank is None:
            keyset, values = " AND (p.created_at, p.id) > (%s, %s)", [after.created_at, after.id]
        parts.append(
            (f"{sql['unranked']}{condition}{keyset} ORDER BY p.created_at, p.id LIMIT %s", [*params, *values, fetch])
        )
    elif before.rank is None:
        parts.append(
            (
                f"{sql['unranked']}{condition} AND (p.created_at, p.id) < (%s, %s) "
                "ORDER BY p.created_at DESC, p.id DESC LIMIT %s",
                [*params, before.created_at, before.id, fetch],
            )
        )
        if any_ranked:
            parts.append((f"{sql['ranked']}{condition} {backward} LIMIT %s", [*params, fetch]))
    else:
        keyset, values = " AND s.rank < %s", [before.rank]
        if before.priority is not None:
            hint = [before.priority, before.priority, before.created_at, before.id]
            anchor = (sql["anchor_before"], [before.rank, *hint])
            keyset += " " + sql["short_of_anchor"]
        parts.append((f"{sql['ranked']}{condition}{keyset} {backward} LIMIT %s", [*params, *values, fetch]))
    query_params = [value for _, values in parts for value in values]
    if len(parts) == 1:
        query = parts[0][0]
    else:
        query = " UNION ALL ".join(f"({part})" for part, _ in parts) + " LIMIT %s"
        query_params.append(fetch)
    if anchor is not None:
        query = f"WITH anchor AS ({anchor[0]}) {query}"
        query_params = [*anchor[1], *query_params]

    # JIT is off for the connection (config/settings/base.py): the planner cannot estimate the
    # per-site EXISTS and would JIT-compile a page that reads a few hundred index rows.
    with connection.cursor() as cursor:
        cursor.execute(query, query_params)
        return cursor.fetchall()
