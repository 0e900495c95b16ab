"""Which problems, in what order: the ranked backlog and the other listings of problems.

Filters never renumber ranks (a problem's rank is its place among all open problems); the order
is scoring.ranking's. Every function returns data whose joins are chosen here, so a listing costs
a fixed number of queries whatever its length. The API's keyset pages are backlog.selectors.keyset.
"""

from __future__ import annotations

from collections.abc import Iterator

import orjson
from django.db.models import Case, Exists, F, FloatField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When, Window
from django.db.models.expressions import RowRange
from django.db.models.functions import Coalesce, Lower

from intake.models import OPEN_STATUSES, Evidence, Problem, SiteReport, User
from scoring.models import ScoringPolicy
from scoring.ranking import LISTING_ORDER, is_pending, pending_annotation

# The backlog's text search (pages and API): words found in the title or the statement, every word
# required, case-insensitive. Bounded so that a search costs a bounded number of LIKE probes.
SEARCH_MAX_CHARS = 100
SEARCH_MAX_WORDS = 8


def search_words(text: str | None) -> list[str]:
    """The words searched for in `text` (at most SEARCH_MAX_WORDS, duplicates once)."""
    words = dict.fromkeys(word.lower() for word in (text or "")[:SEARCH_MAX_CHARS].split())
    return list(words)[:SEARCH_MAX_WORDS]


def _backlog_filtered(
    *,
    statuses: list[str] | None,
    site_codes: list[str] | None,
    workflow_areas: list[str] | None,
    safety: bool | None,
    text: str | None = None,
) -> QuerySet[Problem]:
    problems = Problem.objects.filter(status__in=statuses or OPEN_STATUSES)
    for word in search_words(text):
        problems = problems.filter(Q(title__icontains=word) | Q(statement__icontains=word))
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
    text: str | None = None,
) -> QuerySet[Problem]:
    """Problems by global rank (open ones; pending new ones last). Filters never renumber ranks."""
    problems = _backlog_filtered(
        statuses=statuses, site_codes=site_codes, workflow_areas=workflow_areas, safety=safety, text=text
    )
    return problems.select_related("score").order_by(*LISTING_ORDER)


# The columns of one backlog row (docs/api.md), in the order a listing shows them.
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
    "revenue_per_week",
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
# What a backlog row is read as (ORM names): the columns, then what the pending test needs.
ROW_FIELDS = (
    *BACKLOG_PROBLEM_COLUMNS,
    *(f"score__{column}" for column in BACKLOG_SCORE_COLUMNS),
    "inputs_version",
    "score__inputs_version",
    "policy_in_force",
)
_ITEM_KEYS = (*BACKLOG_PROBLEM_COLUMNS, *BACKLOG_SCORE_COLUMNS)
_OPEN = frozenset(OPEN_STATUSES)
POLICY_IN_FORCE = Subquery(ScoringPolicy.objects.order_by("-version").values("version")[:1])


def backlog_item(row: tuple) -> dict:
    """A ROW_FIELDS row as a backlog item: rank only while open, and whether the score is pending."""
    item = dict(zip(_ITEM_KEYS, row, strict=False))
    if isinstance(item["sites"], str):  # jsonb read by a raw cursor arrives as text
        item["sites"] = orjson.loads(item["sites"])
    inputs_version, scored_inputs_version, policy_in_force = row[len(_ITEM_KEYS) :]
    item["score_pending"] = is_pending(
        scored_inputs_version=scored_inputs_version,
        scored_policy_version=item["policy_version"],
        inputs_version=inputs_version,
        policy_version=policy_in_force,
    )
    if item["status"] not in _OPEN:
        item["rank"] = None
    return item


def backlog_all(
    *,
    statuses: list[str] | None = None,
    site_codes: list[str] | None = None,
    workflow_areas: list[str] | None = None,
    safety: bool | None = None,
    text: str | None = None,
    capacity_weeks: float | None = None,
    default_effort_weeks: float = 0.0,
) -> Iterator[dict]:
    """Every backlog row matching the filters, in global rank order, as plain dicts (for CSV export).

    With `capacity_weeks`, each row says whether it is above the backlog page's cut line
    (`within_capacity`: the running sum of effort, the estimate or `default_effort_weeks`, in this
    order, within the capacity). One query read through a server-side cursor: the export is a
    consistent snapshot of the backlog, however long it takes to stream.
    """
    problems = backlog_ranked(
        statuses=statuses, site_codes=site_codes, workflow_areas=workflow_areas, safety=safety, text=text
    ).annotate(policy_in_force=POLICY_IN_FORCE)
    if capacity_weeks is None:
        for row in problems.values_list(*ROW_FIELDS).iterator(chunk_size=2000):
            yield backlog_item(row)
        return
    effort = Coalesce(F("effort_weeks"), Value(default_effort_weeks), output_field=FloatField())
    running = Window(Sum(effort), order_by=list(LISTING_ORDER), frame=RowRange(start=None, end=0))
    rows = problems.annotate(cumulative_effort=running).values_list(*ROW_FIELDS, "cumulative_effort")
    for row in rows.iterator(chunk_size=2000):
        yield backlog_item(row[:-1]) | {"within_capacity": row[-1] <= capacity_weeks}


# Listings show titles, not the texts behind them: leave those in the database.
LONG_TEXT_FIELDS = ("statement", "proposed_solution", "safety_details", "decline_reason")

# The backlog page's sortable columns: an allow-list of keys, each an ORDER BY that ends in the rank
# order (scoring.ranking's), so ties always fall in rank order. `rank` is that order itself.
DEFAULT_SORT = "rank"
BACKLOG_SORTS = {
    DEFAULT_SORT: LISTING_ORDER,
    "title": (Lower("title").asc(), *LISTING_ORDER),
    "sites": (F("score__sites_affected").desc(nulls_last=True), *LISTING_ORDER),
    "hours": (F("score__provider_hours_per_week").desc(nulls_last=True), *LISTING_ORDER),
    "effort": (F("effort_used").asc(), *LISTING_ORDER),
}
# Which way each key sorts its column (a table header's aria-sort).
SORT_DIRECTIONS = {DEFAULT_SORT: "ascending", "title": "ascending", "sites": "descending", "hours": "descending"}
SORT_DIRECTIONS["effort"] = "ascending"


def backlog_page_rows(
    *,
    policy: ScoringPolicy,
    statuses: list[str] | None = None,
    site_codes: list[str] | None = None,
    workflow_areas: list[str] | None = None,
    safety: bool | None = None,
    text: str | None = None,
    sort: str = DEFAULT_SORT,
) -> QuerySet[Problem]:
    """backlog_ranked with what the page shows beside it: a pending flag and the effort counted,
    in the order of `sort` (a BACKLOG_SORTS key; rank order by default).

    `effort_used` is the problem's estimate or, without one, the policy's default.
    """
    rows = (
        backlog_ranked(
            statuses=statuses, site_codes=site_codes, workflow_areas=workflow_areas, safety=safety, text=text
        )
        .defer(*LONG_TEXT_FIELDS)
        .annotate(
            score_pending=pending_annotation(policy.version),
            effort_used=Coalesce(F("effort_weeks"), Value(policy.default_effort_weeks), output_field=FloatField()),
        )
    )
    return rows if sort == DEFAULT_SORT else rows.order_by(*BACKLOG_SORTS[sort])


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
        .annotate(score_pending=pending_annotation(policy.version))
        .order_by(*LISTING_ORDER)[:limit]
    )
    return rows, open_safety.count()


def problems_of_user(*, user: User, policy: ScoringPolicy) -> QuerySet[Problem]:
    """Problems `user` submitted, joined (has a site report on) or added evidence to (what
    informatics staff and product managers measure), newest first."""
    joined = SiteReport.objects.filter(problem_id=OuterRef("pk"), reporter=user)
    measured = Evidence.objects.filter(problem_id=OuterRef("pk"), added_by=user)
    return (
        Problem.objects.filter(Q(submitted_by=user) | Exists(joined) | Exists(measured))
        .select_related("score", "merged_into")
        .annotate(
            score_pending=pending_annotation(policy.version),
            submitted_by_me=Case(When(submitted_by=user, then=Value(True)), default=Value(False)),
            joined_by_me=Exists(joined),
            evidence_by_me=Exists(measured),
        )
        .order_by("-created_at", "-id")
    )
