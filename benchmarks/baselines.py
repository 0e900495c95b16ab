"""The two baselines of benchmarks/README.md for the backlog API's first page, over the same query.

- `backlog_drf_baseline`: what a plain DRF build would be: a ModelViewSet with a ModelSerializer
  over the first page as a plain ORM query (open problems walked along the rank index, the
  same rows in the same order as the product), authenticated and throttled like the product.
  Its pagination takes the first page without a COUNT(*), so the comparison is about framework
  and serialization overhead, not a slow count or a slower plan.
- `backlog_floor`: the product's SQL and nothing else. Where `backlog.selectors.keyset.backlog_page`
  exists, the one statement it runs for a first page is recorded once per process and replayed
  as is; otherwise the plain query above is compiled once. Rows become items by column alias,
  orjson writes them. No authentication, no DRF, no serializer, no ORM on the hot path.

Both write the backlog item of docs/api.md, so their rows can be compared with the product's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import orjson
from django.db import connection
from django.db.models import Subquery
from django.http import HttpResponse
from django.urls import reverse
from rest_framework import serializers, viewsets
from rest_framework.pagination import BasePagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from backlog.selectors import keyset as backlog_selectors
from backlog.selectors.listing import BACKLOG_PROBLEM_COLUMNS, BACKLOG_SCORE_COLUMNS
from intake.models import OPEN_STATUSES, Problem
from scoring.models import ScoringPolicy
from scoring.ranking import RANK_ORDER, score_is_pending
from scoring.selectors import policy_current

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# The same columns as the product's backlog rows (docs/api.md).
PROBLEM_FIELDS = list(BACKLOG_PROBLEM_COLUMNS)
SCORE_FIELDS = list(BACKLOG_SCORE_COLUMNS)
ITEM_FIELDS = [*PROBLEM_FIELDS, *SCORE_FIELDS, "score_pending", "url"]


def first_page_queryset():
    """The backlog's first page as a plain ORM query: open problems in rank order, with their scores.

    Rank order is (priority desc, created_at, id) among open scores, which `score_order_idx` serves;
    `rank` itself has no index (scoring/models.py), so ordering by it would make the baseline pay
    for a sort the product does not, and flatter the comparison."""
    return (
        Problem.objects.filter(status__in=OPEN_STATUSES, score__is_open=True, score__rank__isnull=False)
        .select_related("score")
        .order_by(*RANK_ORDER)
    )


def _page_size(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page_size", PAGE_SIZE)), MAX_PAGE_SIZE))
    except ValueError:
        return PAGE_SIZE


# ---------------------------------------------------------------- plain DRF


def _score(field_class: type[serializers.Field], name: str, **kwargs) -> serializers.Field:
    return field_class(source=f"score.{name}", read_only=True, default=None, **kwargs)


class BacklogItemSerializer(serializers.ModelSerializer):
    rank = _score(serializers.IntegerField, "rank")
    priority = _score(serializers.FloatField, "priority")
    value_hours_per_week = _score(serializers.FloatField, "value_hours_per_week")
    provider_hours_per_week = _score(serializers.FloatField, "provider_hours_per_week")
    patient_hours_per_week = _score(serializers.FloatField, "patient_hours_per_week")
    cost_hours_per_week = _score(serializers.FloatField, "cost_hours_per_week")
    revenue_per_week = _score(serializers.FloatField, "revenue_per_week")
    breadth = _score(serializers.FloatField, "breadth")
    confidence = _score(serializers.FloatField, "confidence")
    effort_weeks = _score(serializers.FloatField, "effort_weeks")
    sites_affected = _score(serializers.IntegerField, "sites_affected")
    sites = _score(serializers.JSONField, "sites")
    effort_estimated = _score(serializers.BooleanField, "effort_estimated")
    policy_version = _score(serializers.IntegerField, "policy_version")
    scored_at = _score(serializers.DateTimeField, "scored_at")
    score_pending = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Problem
        fields = ITEM_FIELDS

    def get_score_pending(self, problem: Problem) -> bool:
        return score_is_pending(problem, self.context["policy_version"])

    def get_url(self, problem: Problem) -> str:
        return self.context["request"].build_absolute_uri(problem.get_absolute_url())


class FirstPagePagination(BasePagination):
    """The first page of the ranked list, without counting the rows."""

    def paginate_queryset(self, queryset, request, view=None):
        return list(queryset[: _page_size(request)])

    def get_paginated_response(self, data):
        return Response({"next": None, "previous": None, "results": data})


class BacklogBaselineViewSet(viewsets.ModelViewSet):
    # DRF's own JSON renderer, whatever the project's default renderer is.
    renderer_classes = [JSONRenderer]
    serializer_class = BacklogItemSerializer
    pagination_class = FirstPagePagination
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return first_page_queryset()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "policy_version": policy_current().version}


backlog_drf_baseline = BacklogBaselineViewSet.as_view({"get": "list"})


# ---------------------------------------------------------------- orjson floor


@dataclass(frozen=True)
class FloorQuery:
    sql: str
    params: object
    source: str


_floor_queries: dict[int, FloorQuery] = {}
_readers: dict[tuple[str, ...], Callable[[tuple], dict]] = {}


def _captured_page_query(limit: int) -> FloorQuery | None:
    """The one SQL statement the product's `backlog_page` runs for a first page, recorded once."""
    backlog_page = getattr(backlog_selectors, "backlog_page", None)
    if backlog_page is None:
        return None
    captured = []

    def record(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        backlog_page(limit=limit)
    if len(captured) != 1:
        return None
    sql, params = captured[0]
    return FloorQuery(sql=sql, params=params, source="backlog.selectors.keyset.backlog_page (its SQL, recorded once)")


def _compiled_query(limit: int) -> FloorQuery:
    latest = ScoringPolicy.objects.order_by("-version").values("version")[:1]
    columns = [
        *PROBLEM_FIELDS,
        *(f"score__{name}" for name in SCORE_FIELDS),
        "inputs_version",
        "score__inputs_version",
        "current_policy",
    ]
    queryset = first_page_queryset().annotate(current_policy=Subquery(latest)).values_list(*columns)[:limit]
    sql, params = queryset.query.sql_with_params()
    return FloorQuery(sql=sql, params=params, source="first_page_queryset() compiled once")


def floor_query(limit: int) -> FloorQuery:
    """The product's first-page SQL where the product has it, else the plain query's; once per process and size."""
    if limit not in _floor_queries:
        _floor_queries[limit] = _captured_page_query(limit) or _compiled_query(limit)
    return _floor_queries[limit]


ROW_LAYOUT = [*PROBLEM_FIELDS, *SCORE_FIELDS, "inputs_version", "inputs_version"]


def _row_reader(names: tuple[str, ...]) -> Callable[[tuple], dict] | None:
    """Rows to backlog items, if the columns are laid out as the product's selector lays them out.

    That is: the problem fields, the score fields (bare or as score__<field>), the problem's and
    the score's inputs_version, then the policy version in force. None for any other layout.
    """
    if len(names) != len(ROW_LAYOUT) + 1 or [n.removeprefix("score__") for n in names[:-1]] != ROW_LAYOUT:
        return None
    width = len(PROBLEM_FIELDS) + len(SCORE_FIELDS)
    keys = [*PROBLEM_FIELDS, *SCORE_FIELDS]

    def read(row: tuple) -> dict:
        item = dict(zip(keys, row[:width], strict=True))
        inputs_version, scored_inputs_version, policy_in_force = row[width:]
        if isinstance(item["sites"], str):  # jsonb arrives as text: passed through unparsed
            item["sites"] = orjson.Fragment(item["sites"])
        item["score_pending"] = (
            scored_inputs_version is None
            or scored_inputs_version != inputs_version
            or item["policy_version"] < (policy_in_force or 0)
        )
        return item

    return read


def floor_rows(limit: int, *, url_head: str) -> tuple[list[dict], str]:
    """The first page's items and where they came from."""
    query = floor_query(limit)
    with connection.cursor() as cursor:
        cursor.execute(query.sql, query.params)
        names = tuple(column.name for column in cursor.description)
        rows = cursor.fetchall()
    if names not in _readers:
        _readers[names] = _row_reader(names)
    read, source = _readers[names], query.source
    if read is None:  # a layout this floor does not know: the selector's own dicts, labelled as such
        items, source = backlog_selectors.backlog_page(limit=limit).items, "backlog_page() called (unknown row layout)"
    else:
        items = [read(row) for row in rows[:limit]]
    for item in items:
        item["url"] = f"{url_head}{item['id']}/"
    return items, source


def backlog_floor(request):
    limit = _page_size(request)
    url_head = request.build_absolute_uri(reverse("problem-detail", args=[0]))[: -len("0/")]
    items, source = floor_rows(limit, url_head=url_head)
    body = {"next": None, "previous": None, "results": items}
    response = HttpResponse(orjson.dumps(body, option=orjson.OPT_UTC_Z), content_type="application/json")
    response["X-Bench-Floor-Source"] = source
    return response
