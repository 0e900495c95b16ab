"""The two baselines of product.md §9 for the backlog API's first page, over the same query.

- `backlog_drf_baseline`: what a plain DRF build would be: a ModelViewSet with a ModelSerializer
  over the first page as a plain ORM query (open problems walked along the rank index, the
  same rows in the same order as the product), authenticated and throttled like the product.
  Its pagination takes the first page without a COUNT(*), so the comparison is about framework
  and serialization overhead, not a slow count or a slower plan.
- `backlog_floor`: the product's SQL and nothing else. Where `backlog.selectors.backlog_page`
  exists, the one statement it runs for a first page is recorded once per process and replayed
  as is; otherwise the plain query above is compiled once. Rows become items by column alias,
  orjson writes them. No authentication, no DRF, no serializer, no ORM on the hot path.

Both write the backlog item of product.md §7, so their rows can be compared with the product's.
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

from backlog import selectors as backlog_selectors
from backlog.selectors import score_is_pending
from intake.models import OPEN_STATUSES, Problem
from scoring.models import ScoringPolicy
from scoring.selectors import policy_current

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
PROBLEM_FIELDS = [
    "id",
    "title",
    "status",
    "workflow_area",
    "safety_concern",
    "external_ref",
    "version",
    "created_at",
]
SCORE_FIELDS = [
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
]
ITEM_FIELDS = [*PROBLEM_FIELDS, *SCORE_FIELDS, "score_pending", "url"]


def first_page_queryset():
    """The backlog's first page as a plain ORM query: open problems in rank order, with their scores."""
    return (
        Problem.objects.filter(status__in=OPEN_STATUSES, score__rank__isnull=False)
        .select_related("score")
        .order_by("score__rank")
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
    return FloorQuery(sql=sql, params=params, source="backlog.selectors.backlog_page (its SQL, recorded once)")


def _compiled_query(limit: int) -> FloorQuery:
    latest = ScoringPolicy.objects.order_by("-version").values("version")[:1]
    columns = [
        *PROBLEM_FIELDS,
        "inputs_version",
        "score__inputs_version",
        *(f"score__{name}" for name in SCORE_FIELDS),
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


def _row_reader(names: tuple[str, ...]) -> Callable[[tuple], dict]:
    """Rows to backlog items by column alias: problem fields as themselves, score fields as score__<field>.

    Besides those, the query carries both inputs_version columns and one more column, the policy
    version in force, which together say whether the score is pending.
    """
    index = {name: position for position, name in enumerate(names)}
    problem = [(key, index[key]) for key in PROBLEM_FIELDS]
    score = [(key, index[f"score__{key}"]) for key in SCORE_FIELDS]
    inputs, scored_inputs = index["inputs_version"], index["score__inputs_version"]
    known = {*PROBLEM_FIELDS, *(f"score__{key}" for key in SCORE_FIELDS), "inputs_version", "score__inputs_version"}
    (policy,) = [position for name, position in index.items() if name not in known]

    def read(row: tuple) -> dict:
        item = {key: row[position] for key, position in problem}
        for key, position in score:
            item[key] = row[position]
        if isinstance(item["sites"], str):  # jsonb arrives as text: passed through unparsed
            item["sites"] = orjson.Fragment(item["sites"])
        item["score_pending"] = (
            row[scored_inputs] is None
            or row[scored_inputs] != row[inputs]
            or item["policy_version"] < (row[policy] or 0)
        )
        return item

    return read


def floor_rows(limit: int, *, url_head: str) -> list[dict]:
    query = floor_query(limit)
    with connection.cursor() as cursor:
        cursor.execute(query.sql, query.params)
        names = tuple(column.name for column in cursor.description)
        rows = cursor.fetchall()
    if names not in _readers:
        _readers[names] = _row_reader(names)
    read = _readers[names]
    items = []
    for row in rows[:limit]:
        item = read(row)
        item["url"] = f"{url_head}{item['id']}/"
        items.append(item)
    return items


def backlog_floor(request):
    limit = _page_size(request)
    url_head = request.build_absolute_uri(reverse("problem-detail", args=[0]))[: -len("0/")]
    body = {"next": None, "previous": None, "results": floor_rows(limit, url_head=url_head)}
    response = HttpResponse(orjson.dumps(body, option=orjson.OPT_UTC_Z), content_type="application/json")
    response["X-Bench-Floor-Source"] = floor_query(limit).source
    return response
