"""Reads for the backlog: ranked listings and the full picture of one problem.

Every function returns data whose joins are chosen here, so a listing costs a fixed number of
queries whatever its length.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from statistics import fmean

import orjson
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from intake.models import OPEN_STATUSES, Evidence, Problem, Site, SiteReport
from scoring.engine import Answer, realized_provider_hours, score
from scoring.models import ProblemScore, ScoreHistory, ScoringPolicy
from scoring.selectors import policy_as_engine, policy_current, score_inputs

from .models import Outcome, TriageAudit


def _backlog_filtered(
    *,
    statuses: list[str] | None,
    site_codes: list[str] | None,
    workflow_areas: list[str] | None,
    safety: bool | None,
) -> QuerySet[Problem]:
    problems = Problem.objects.filter(status__in=statuses or OPEN_STATUSES)
    if site_codes:
        # A problem counts at a site if it, or a problem merged into it, has a report there. Two
        # EXISTS (not one with an OR inside) so each probes the (problem, site, reporter) index.
        reports = SiteReport.objects.filter(site__code__in=site_codes)
        problems = problems.filter(
            Exists(reports.filter(problem_id=OuterRef("pk")))
            | Exists(reports.filter(problem__merged_into_id=OuterRef("pk")))
        )
    if workflow_areas:
        problems = problems.filter(workflow_area__in=workflow_areas)
    if safety is not None:
        problems = problems.filter(safety_concern=safety)
    return problems


def backlog_ranked(
    *,
    statuses: list[str] | None = None,
    site_codes: list[str] | None = None,
    workflow_areas: list[str] | None = None,
    safety: bool | None = None,
) -> QuerySet[Problem]:
    """Problems by global rank (open ones; pending new ones last). Filters never renumber ranks."""
    problems = _backlog_filtered(statuses=statuses, site_codes=site_codes, workflow_areas=workflow_areas, safety=safety)
    return problems.select_related("score").order_by(F("score__rank").asc(nulls_last=True), "created_at", "id")


# The columns of one backlog row (product.md §7), in the order a listing shows them.
BACKLOG_PROBLEM_COLUMNS = (
    "id",
    "title",
    "status",
    "workflow_area",
    "safety_concern",
    "external_ref",
    "version",
    "created_at",
)
BACKLOG_SCORE_COLUMNS = (
    "rank",
    "priority",
    "value_hours_per_week",
    "provider_hours_per_week",
    "patient_hours_per_week",
    "cost_hours_per_week",
    "sites_affected",
    "sites",
    "breadth",
    "confidence",
    "effort_weeks",
    "effort_estimated",
    "policy_version",
    "scored_at",
)
BACKLOG_COLUMNS = (*BACKLOG_PROBLEM_COLUMNS, *BACKLOG_SCORE_COLUMNS, "score_pending")
_SELECTED = (
    *BACKLOG_PROBLEM_COLUMNS,
    *(f"score__{column}" for column in BACKLOG_SCORE_COLUMNS),
    "inputs_version",
    "score__inputs_version",
    "policy_in_force",
)
_ITEM_KEYS = (*BACKLOG_PROBLEM_COLUMNS, *BACKLOG_SCORE_COLUMNS)
_OPEN = frozenset(OPEN_STATUSES)
_AT_ID, _AT_CREATED, _AT_RANK = (_SELECTED.index(name) for name in ("id", "created_at", "score__rank"))
_POLICY_IN_FORCE = Subquery(ScoringPolicy.objects.order_by("-version").values("version")[:1])


def _backlog_item(row: tuple) -> dict:
    """A _SELECTED row as a backlog item: rank only while open, and whether the score is pending."""
    item = dict(zip(_ITEM_KEYS, row, strict=False))
    if isinstance(item["sites"], str):  # jsonb read by a raw cursor arrives as text
        item["sites"] = orjson.loads(item["sites"])
    inputs_version, scored_inputs_version, policy_in_force = row[len(_ITEM_KEYS) :]
    item["score_pending"] = _pending(scored_inputs_version, item["policy_version"], inputs_version, policy_in_force)
    if item["status"] not in _OPEN:
        item["rank"] = None
    return item


@dataclass(frozen=True)
class BacklogPosition:
    """Where a row sits in the global order: rank (null for unranked rows last), then created_at, id."""

    rank: int | None
    created_at: datetime
    id: int


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
        "ranked": f"SELECT {columns} FROM {problem} p JOIN {score} s ON s.problem_id = p.id WHERE s.rank IS NOT NULL",
        "unranked": f"SELECT {columns} FROM {problem} p LEFT JOIN {score} s ON s.problem_id = p.id "
        "WHERE s.rank IS NULL",
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
    after: BacklogPosition | None = None,
    before: BacklogPosition | None = None,
    limit: int = 50,
) -> BacklogPage:
    """One page of the backlog in global rank order, as plain dicts (BACKLOG_COLUMNS), in ONE query.

    The same rows and order as backlog_ranked, read by keyset: rows strictly after `after` (or
    strictly before `before`), so a page costs the same at any depth.
    """
    filters = {"statuses": statuses, "site_codes": site_codes, "workflow_areas": workflow_areas, "safety": safety}
    read = _page_rows_postgresql if connection.vendor == "postgresql" else _page_rows_portable
    rows = read(filters, after=after, before=before, fetch=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    if before is not None:
        rows.reverse()

    def position(row) -> BacklogPosition:
        return BacklogPosition(rank=row[_AT_RANK], created_at=row[_AT_CREATED], id=row[_AT_ID])

    return BacklogPage(
        items=[_backlog_item(row) for row in rows],
        first=position(rows[0]) if rows else None,
        last=position(rows[-1]) if rows else None,
        more_before=more if before is not None else after is not None,
        more_after=more if before is None else True,
    )


def _page_rows_portable(filters: dict, *, after, before, fetch: int) -> list[tuple]:
    """The page's rows through the ORM, on any database (`make run` on SQLite): backlog_ranked's order."""
    problems = backlog_ranked(**filters).annotate(policy_in_force=_POLICY_IN_FORCE)
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
    return list(problems.values_list(*_SELECTED)[:fetch])


def _same_time_id(position: BacklogPosition, lookup: str) -> Q:
    return Q(created_at=position.created_at, **{f"id__{lookup}": position.id})


def _page_rows_postgresql(filters: dict, *, after, before, fetch: int) -> list[tuple]:
    """The page's rows with the SQL written out: the API's hot path on PostgreSQL.

    Ranked rows come first, walked along the rank index; unranked rows (never scored yet, or not
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
    condition = "".join(where)
    # Only open problems have ranks: a listing of closed statuses never walks the rank index.
    any_ranked = not statuses or not _OPEN.isdisjoint(statuses)

    parts: list[tuple[str, list]] = []
    if before is None:
        if any_ranked and (after is None or after.rank is not None):
            keyset, values = (" AND s.rank > %s", [after.rank]) if after else ("", [])
            parts.append((f"{sql['ranked']}{condition}{keyset} ORDER BY s.rank LIMIT %s", [*params, *values, fetch]))
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
            parts.append((f"{sql['ranked']}{condition} ORDER BY s.rank DESC LIMIT %s", [*params, fetch]))
    else:
        parts.append(
            (f"{sql['ranked']}{condition} AND s.rank < %s ORDER BY s.rank DESC LIMIT %s", [*params, before.rank, fetch])
        )
    query_params = [value for _, values in parts for value in values]
    if len(parts) == 1:
        query = parts[0][0]
    else:
        query = " UNION ALL ".join(f"({part})" for part, _ in parts) + " LIMIT %s"
        query_params.append(fetch)

    with connection.cursor() as cursor:
        if not site_codes:
            cursor.execute(query, query_params)
            return cursor.fetchall()
        # The planner cannot estimate the per-site EXISTS, prices the page as a full scan and
        # JIT-compiles it (~350 ms at 100k problems) although it reads a few hundred index rows.
        with transaction.atomic(using=connection.alias):
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(query, query_params)
            return cursor.fetchall()


def backlog_all(
    *,
    statuses: list[str] | None = None,
    site_codes: list[str] | None = None,
    workflow_areas: list[str] | None = None,
    safety: bool | None = None,
) -> Iterator[dict]:
    """Every backlog row matching the filters, in global rank order, as plain dicts (for CSV export).

    One query read through a server-side cursor: the export is a consistent snapshot of the
    backlog, however long it takes to stream.
    """
    problems = backlog_ranked(statuses=statuses, site_codes=site_codes, workflow_areas=workflow_areas, safety=safety)
    rows = problems.annotate(policy_in_force=_POLICY_IN_FORCE).values_list(*_SELECTED)
    for row in rows.iterator(chunk_size=2000):
        yield _backlog_item(row)


def _pending(
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


def score_is_pending(problem: Problem, policy_version: int) -> bool:
    stored: ProblemScore | None = getattr(problem, "score", None)
    if stored is None:
        return True
    return _pending(stored.inputs_version, stored.policy_version, problem.inputs_version, policy_version)


@dataclass(frozen=True)
class OutcomeSummary:
    responses: int
    better_care: float | None
    less_frustrated: float | None
    more_confident: float | None
    realized_provider_hours_per_week: float | None
    estimate_accuracy: float | None


@dataclass(frozen=True)
class ProblemDetail:
    problem: Problem
    score: ProblemScore | None
    score_pending: bool
    per_site: list  # scoring.engine.SiteBreakdown, computed from the current inputs
    site_reports: list[SiteReport]
    evidence: list[Evidence]
    outcomes: OutcomeSummary
    history: list[ScoreHistory]
    audit: list[TriageAudit]
    merged_problems: list[Problem]


def outcome_summary(problem: Problem, *, per_site, sites_by_code, estimate_hours: float | None) -> OutcomeSummary:
    answers = list(Outcome.objects.filter(problem=problem).select_related("site"))
    if not answers:
        return OutcomeSummary(0, None, None, None, None, None)
    p_by_site = {s.site: s.providers_affected_pct for s in per_site}
    from scoring.selectors import site_facts

    facts_by_id, _ = site_facts()
    facts = {f.code: f for f in facts_by_id.values()}
    realized = realized_provider_hours(
        [Answer(site=a.site.code, minutes_saved_per_shift=a.minutes_saved_per_shift) for a in answers],
        facts,
        p_by_site,
    )
    return OutcomeSummary(
        responses=len(answers),
        better_care=fmean(a.better_care for a in answers),
        less_frustrated=fmean(a.less_frustrated for a in answers),
        more_confident=fmean(a.more_confident for a in answers),
        realized_provider_hours_per_week=realized,
        estimate_accuracy=(realized / estimate_hours) if estimate_hours else None,
    )


def problem_detail(problem_id: int) -> ProblemDetail:
    """The problem with its score, its own and merged-in reports and evidence, outcomes and history."""
    problem = Problem.objects.select_related("score", "submitted_by", "merged_into").get(pk=problem_id)
    merged = list(Problem.objects.filter(merged_into=problem).order_by("id"))
    source_ids = [problem.pk, *(p.pk for p in merged)]
    reports = list(
        SiteReport.objects.filter(problem_id__in=source_ids)
        .select_related("site", "reporter")
        .order_by("site__code", "updated_at", "id")
    )
    evidence = list(
        Evidence.objects.filter(problem_id__in=source_ids)
        .select_related("site", "added_by")
        .order_by("created_at", "id")
    )
    policy = policy_current()
    stored = getattr(problem, "score", None)
    (inputs,) = score_inputs([problem.pk])
    current = score(inputs.inputs, policy_as_engine(policy))
    return ProblemDetail(
        problem=problem,
        score=stored,
        score_pending=score_is_pending(problem, policy.version),
        per_site=current.per_site,
        site_reports=reports,
        evidence=evidence,
        outcomes=outcome_summary(
            problem,
            per_site=current.per_site,
            sites_by_code=inputs.inputs.sites,
            estimate_hours=current.provider_hours_unweighted,
        ),
        history=list(ScoreHistory.objects.filter(problem=problem).order_by("at", "id")),
        audit=list(TriageAudit.objects.filter(problem=problem).select_related("actor").order_by("-at", "-id")),
        merged_problems=merged,
    )
