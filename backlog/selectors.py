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
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RowRange
from django.db.models.functions import Coalesce

from intake.models import (
    DELIVERED_STATUSES,
    OPEN_STATUSES,
    AffectedRole,
    Evidence,
    EvidenceKind,
    Problem,
    Site,
    SiteReport,
    Status,
    User,
)
from scoring.engine import Answer, realized_provider_hours, score
from scoring.models import ProblemScore, ScoreHistory, ScoringPolicy
from scoring.selectors import policy_as_engine, policy_current, score_inputs, site_facts

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
_AT_ID, _AT_CREATED, _AT_RANK, _AT_PRIORITY = (
    _SELECTED.index(name) for name in ("id", "created_at", "score__rank", "score__priority")
)
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
        "ORDER BY a.priority ASC, a.created_at DESC, a.problem_id DESC LIMIT 1",
        "anchor_before": f"SELECT a.priority, a.created_at, a.problem_id FROM {score} a WHERE a.is_open "
        "AND a.rank >= %s AND a.priority <= %s AND (a.priority < %s OR (a.created_at, a.problem_id) >= (%s, %s)) "
        "ORDER BY a.priority DESC, a.created_at ASC, a.problem_id ASC LIMIT 1",
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
        ranked = row[_AT_RANK] is not None
        return BacklogPosition(
            rank=row[_AT_RANK],
            created_at=row[_AT_CREATED],
            id=row[_AT_ID],
            priority=row[_AT_PRIORITY] if ranked else None,
        )

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
    condition = "".join(where)
    # Only open problems have ranks: a listing of closed statuses never walks the ranked rows.
    any_ranked = not statuses or not _OPEN.isdisjoint(statuses)

    # The ranks' order, in score_order_idx's terms (ties never happen: the id breaks them).
    forward = "ORDER BY s.priority DESC, s.created_at ASC, s.problem_id ASC"
    backward = "ORDER BY s.priority ASC, s.created_at DESC, s.problem_id DESC"
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


def outcome_summary(problem: Problem, *, per_site, estimate_hours: float | None) -> OutcomeSummary:
    answers = list(Outcome.objects.filter(problem=problem).select_related("site"))
    if not answers:
        return OutcomeSummary(0, None, None, None, None, None)
    p_by_site = {s.site: s.providers_affected_pct for s in per_site}
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
            estimate_hours=current.provider_hours_unweighted,
        ),
        history=list(ScoreHistory.objects.filter(problem=problem).order_by("at", "id")),
        audit=list(TriageAudit.objects.filter(problem=problem).select_related("actor").order_by("-at", "-id")),
        merged_problems=merged,
    )


# --- page selectors ---
# Reads for the server-rendered pages. Each returns data with its joins chosen, so a page costs
# a fixed number of queries whatever the number of problems on it.


def _pending_annotation(policy_version: int) -> Case:
    """SQL twin of score_is_pending, so a listing flags pending scores without a query per row."""
    stale = (
        Q(score__isnull=True)
        | ~Q(score__inputs_version=F("inputs_version"))
        | Q(score__policy_version__lt=policy_version)
    )
    return Case(When(stale, then=Value(True)), default=Value(False), output_field=BooleanField())


# Listings show titles, not the texts behind them: leave those in the database.
LONG_TEXT_FIELDS = ("statement", "proposed_solution", "safety_details", "decline_reason")
# The ranks' order among open scores (they are refreshed with the scores, so equal to ordering by
# score__rank), in the terms of score_order_idx so that a short list walks that index.
RANK_ORDER = (F("score__priority").desc(), F("score__created_at").asc(), F("score__problem_id").asc())
LISTING_ORDER = (F("score__rank").asc(nulls_last=True), F("created_at").asc(), F("id").asc())


def backlog_page_rows(
    *,
    policy: ScoringPolicy,
    statuses: list[str] | None = None,
    site_codes: list[str] | None = None,
    workflow_areas: list[str] | None = None,
    safety: bool | None = None,
) -> QuerySet[Problem]:
    """backlog_ranked with what the page shows beside it: a pending flag and the effort counted.

    `effort_used` is the problem's estimate or, without one, the policy's default.
    """
    return (
        backlog_ranked(statuses=statuses, site_codes=site_codes, workflow_areas=workflow_areas, safety=safety)
        .defer(*LONG_TEXT_FIELDS)
        .annotate(
            score_pending=_pending_annotation(policy.version),
            effort_used=Coalesce(F("effort_weeks"), Value(policy.default_effort_weeks), output_field=FloatField()),
        )
    )


def backlog_fitting_count(rows: QuerySet[Problem], *, capacity_weeks: float) -> int:
    """How many of `rows` (from backlog_page_rows), taken in listing order, fit in `capacity_weeks`.

    One query: a running sum of effort over the filtered list, counted where it stays within
    capacity. The page draws its cut line after that many problems.
    """
    running = Window(Sum("effort_used"), order_by=list(LISTING_ORDER), frame=RowRange(start=None, end=0))
    return rows.annotate(cumulative_effort=running).filter(cumulative_effort__lte=capacity_weeks).count()


def safety_lane(*, policy: ScoringPolicy, limit: int = 25) -> tuple[list[Problem], int]:
    """Open problems with a safety concern, by rank whatever their score, and how many there are."""
    open_safety = Problem.objects.filter(status__in=OPEN_STATUSES, safety_concern=True)
    rows = list(
        open_safety.select_related("score")
        .annotate(score_pending=_pending_annotation(policy.version))
        .order_by(F("score__rank").asc(nulls_last=True), "created_at", "id")[:limit]
    )
    return rows, open_safety.count()


def problems_of_user(*, user: User, policy: ScoringPolicy) -> QuerySet[Problem]:
    """Problems `user` submitted or joined (has a site report on), newest first."""
    joined = SiteReport.objects.filter(problem_id=OuterRef("pk"), reporter=user)
    return (
        Problem.objects.filter(Q(submitted_by=user) | Exists(joined))
        .select_related("score", "merged_into")
        .annotate(
            score_pending=_pending_annotation(policy.version),
            submitted_by_me=Case(When(submitted_by=user, then=Value(True)), default=Value(False)),
        )
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class NetworkRow:
    problem: Problem
    marks: list[bool]  # one per NetworkMatrix.sites column
    sites_reporting: int


@dataclass(frozen=True)
class SiteLoad:
    site: Site
    open_problems: int


@dataclass(frozen=True)
class NetworkMatrix:
    sites: list[Site]
    rows: list[NetworkRow]
    site_loads: list[SiteLoad]


def network_matrix(*, limit: int = 30) -> NetworkMatrix:
    """Which sites report each of the top `limit` open problems (merged-in reports count for the target).

    Columns are the active sites plus any inactive site that still reports one of these problems;
    `site_loads` gives per site the number of open problems it reports.
    """
    top = list(
        Problem.objects.filter(status__in=OPEN_STATUSES, score__is_open=True)
        .select_related("score")
        .order_by(*RANK_ORDER)[:limit]
    )
    top_ids = [p.pk for p in top]
    marked: dict[int, set[int]] = {}
    for problem_id, merged_into_id, site_id in (
        SiteReport.objects.filter(Q(problem_id__in=top_ids) | Q(problem__merged_into_id__in=top_ids))
        .values_list("problem_id", "problem__merged_into_id", "site_id")
        .distinct()
    ):
        marked.setdefault(merged_into_id or problem_id, set()).add(site_id)
    sites_marked = set().union(*marked.values()) if marked else set()
    sites = [s for s in Site.objects.order_by("code") if s.active or s.pk in sites_marked]

    root = Coalesce(F("problem__merged_into_id"), F("problem_id"))
    open_root = Q(problem__merged_into__isnull=True, problem__status__in=OPEN_STATUSES) | Q(
        problem__merged_into__status__in=OPEN_STATUSES
    )
    loads = dict(
        SiteReport.objects.filter(open_root)
        .annotate(root=root)
        .values("site_id")
        .annotate(problems=Count("root", distinct=True))
        .values_list("site_id", "problems")
    )
    rows = [
        NetworkRow(
            problem=problem,
            marks=[site.pk in marked.get(problem.pk, set()) for site in sites],
            sites_reporting=len(marked.get(problem.pk, set())),
        )
        for problem in top
    ]
    return NetworkMatrix(
        sites=sites,
        rows=rows,
        site_loads=[SiteLoad(site=site, open_problems=loads.get(site.pk, 0)) for site in sites],
    )


def delivered_problems() -> QuerySet[Problem]:
    """Delivered and measured problems, most recently changed first."""
    return Problem.objects.filter(status__in=DELIVERED_STATUSES).select_related("score").order_by("-updated_at", "-id")


@dataclass(frozen=True)
class DeliveredOutcome:
    problem: Problem
    summary: OutcomeSummary
    # The estimate without the after-hours weighting, so that it compares with realized plain hours.
    estimated_provider_hours_per_week: float

    def _bar_pct(self, hours: float | None) -> float:
        longest = max(self.summary.realized_provider_hours_per_week or 0.0, self.estimated_provider_hours_per_week)
        return round(100 * (hours or 0.0) / longest, 1) if longest > 0 else 0.0

    @property
    def realized_pct(self) -> float:
        """Bar widths (%) for realized vs estimated hours, scaled to the longer of the two."""
        return self._bar_pct(self.summary.realized_provider_hours_per_week)

    @property
    def estimated_pct(self) -> float:
        return self._bar_pct(self.estimated_provider_hours_per_week)


def outcome_summaries(problems: list[Problem]) -> list[DeliveredOutcome]:
    """outcome_summary for many problems in a fixed number of queries (the outcomes page)."""
    if not problems:
        return []
    ids = [p.pk for p in problems]
    sites = site_facts()
    facts_by_code = {facts.code: facts for facts in sites[0].values()}
    policy = policy_as_engine(policy_current())
    estimates = {item.problem_id: score(item.inputs, policy) for item in score_inputs(ids, sites=sites)}
    answers: dict[int, list[Outcome]] = {}
    for answer in Outcome.objects.filter(problem_id__in=ids).select_related("site").order_by("id"):
        answers.setdefault(answer.problem_id, []).append(answer)

    result = []
    for problem in problems:
        current = estimates[problem.pk]
        mine = answers.get(problem.pk, [])
        if mine:
            realized = realized_provider_hours(
                [Answer(site=a.site.code, minutes_saved_per_shift=a.minutes_saved_per_shift) for a in mine],
                facts_by_code,
                {s.site: s.providers_affected_pct for s in current.per_site},
            )
            estimate = current.provider_hours_unweighted
            summary = OutcomeSummary(
                responses=len(mine),
                better_care=fmean(a.better_care for a in mine),
                less_frustrated=fmean(a.less_frustrated for a in mine),
                more_confident=fmean(a.more_confident for a in mine),
                realized_provider_hours_per_week=realized,
                estimate_accuracy=(realized / estimate) if estimate else None,
            )
        else:
            summary = OutcomeSummary(0, None, None, None, None, None)
        result.append(
            DeliveredOutcome(
                problem=problem,
                summary=summary,
                estimated_provider_hours_per_week=current.provider_hours_unweighted,
            )
        )
    return result


AUDIT_FIELD_LABELS = {
    "status": "Status",
    "decline_reason": "Decline reason",
    "effort_weeks": "Effort (weeks)",
    "external_ref": "External reference",
    "merged_into_id": "Merged into",
}


def _audit_value(field: str, value) -> str:
    if value is None or value == "":
        return "—"
    if field == "status" and value in Status.values:
        return Status(value).label
    if field == "merged_into_id":
        return f"#{value}"
    return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class AuditEntry:
    audit: TriageAudit
    changes: list[tuple[str, str, str]]  # (field label, before, after) as shown; version bumps left out


@dataclass(frozen=True)
class ProblemPage:
    detail: ProblemDetail
    policy: ScoringPolicy
    cost_by_site: dict[str, float]  # latest cost report per site code, as scored
    sites_affected: list[Site]
    audit: list[AuditEntry]
    affected_roles: list[str]  # labels, e.g. "APPs (NP/PA)"


def problem_page(problem_id: int) -> ProblemPage:
    """problem_detail plus what the page explains: the policy in force, costs per site, audit changes."""
    detail = problem_detail(problem_id)
    latest_cost: dict[str, float] = {}
    for item in detail.evidence:  # in (created_at, id) order, as the score takes them: the last one wins
        if item.kind == EvidenceKind.COST_REPORT and item.site is not None:
            latest_cost[item.site.code] = item.value
    sites: dict[str, Site] = {}
    for report in detail.site_reports:
        sites.setdefault(report.site.code, report.site)
    audit = [
        AuditEntry(
            audit=entry,
            changes=[
                (
                    AUDIT_FIELD_LABELS.get(field, field),
                    _audit_value(field, entry.before.get(field)),
                    _audit_value(field, entry.after.get(field)),
                )
                for field in sorted(set(entry.before) | set(entry.after))
                if field != "version" and entry.before.get(field) != entry.after.get(field)
            ],
        )
        for entry in detail.audit
    ]
    return ProblemPage(
        detail=detail,
        policy=policy_current(),
        cost_by_site=latest_cost,
        sites_affected=[sites[code] for code in sorted(sites)],
        audit=audit,
        affected_roles=[
            AffectedRole(role).label if role in AffectedRole.values else role for role in detail.problem.affected_roles
        ],
    )
