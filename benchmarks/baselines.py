"""The two baselines of product.md §9 for the backlog API's first page, over the same query.

- `backlog_drf_baseline`: what a plain DRF build would be: a ModelViewSet with a ModelSerializer
  over the first page as a plain ORM query (open problems walked along the rank index, the
  same rows in the same order as the product), authenticated and throttled like the product.
  Its pagination takes the first page without a COUNT(*), so the comparison is about framework
  and serialization overhead, not a slow count or a slower plan.
- `backlog_floor`: the product's own query and nothing else: `backlog.selectors.backlog_page`
  (one SQL statement, rows as dicts) where it exists, else the same plain query's SQL compiled
  once; then orjson. No authentication, no DRF, no serializer.

Both write the backlog item of product.md §7, so their rows can be compared with the product's.
"""

from __future__ import annotations

import orjson
from django.db import connection
from django.db.models import Subquery
from django.http import HttpResponse
from rest_framework import serializers, viewsets
from rest_framework.pagination import BasePagination
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
ITEM_FIELDS = [*PROBLEM_FIELDS, *SCORE_FIELDS, "score_pending"]


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

    class Meta:
        model = Problem
        fields = ITEM_FIELDS

    def get_score_pending(self, problem: Problem) -> bool:
        return score_is_pending(problem, self.context["policy_version"])


class FirstPagePagination(BasePagination):
    """The first page of the ranked list, without counting the rows."""

    def paginate_queryset(self, queryset, request, view=None):
        return list(queryset[: _page_size(request)])

    def get_paginated_response(self, data):
        return Response({"next": None, "previous": None, "results": data})


class BacklogBaselineViewSet(viewsets.ModelViewSet):
    serializer_class = BacklogItemSerializer
    pagination_class = FirstPagePagination
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return first_page_queryset()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "policy_version": policy_current().version}


backlog_drf_baseline = BacklogBaselineViewSet.as_view({"get": "list"})


# ---------------------------------------------------------------- orjson floor

FLOOR_COLUMNS = [
    *PROBLEM_FIELDS,
    "inputs_version",
    "score__inputs_version",
    *(f"score__{name}" for name in SCORE_FIELDS),
    "current_policy",
]
_floor_sql: dict[int, tuple[str, tuple]] = {}


def floor_sql(limit: int) -> tuple[str, tuple]:
    """The plain query's SQL for the first `limit` rows, compiled once per process and size."""
    if limit not in _floor_sql:
        latest = ScoringPolicy.objects.order_by("-version").values("version")[:1]
        queryset = first_page_queryset().annotate(current_policy=Subquery(latest)).values_list(*FLOOR_COLUMNS)
        _floor_sql[limit] = queryset[:limit].query.sql_with_params()
    return _floor_sql[limit]


def _compiled_rows(limit: int) -> list[dict]:
    sql, params = floor_sql(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    width = len(PROBLEM_FIELDS)
    items = []
    for row in rows:
        item = dict(zip(PROBLEM_FIELDS, row[:width], strict=True))
        inputs_version, scored_inputs = row[width : width + 2]
        item.update(zip(SCORE_FIELDS, row[width + 2 : -1], strict=True))
        if isinstance(item["sites"], str):  # jsonb arrives as text: pass it through unparsed
            item["sites"] = orjson.Fragment(item["sites"])
        item["score_pending"] = scored_inputs != inputs_version or item["policy_version"] < row[-1]
        items.append(item)
    return items


def floor_rows(limit: int) -> list[dict]:
    """The product's rows for the first page: its own selector where it exists, else the compiled query."""
    backlog_page = getattr(backlog_selectors, "backlog_page", None)
    if backlog_page is not None:
        return backlog_page(limit=limit).items
    return _compiled_rows(limit)


def backlog_floor(request):
    body = {"next": None, "previous": None, "results": floor_rows(_page_size(request))}
    return HttpResponse(orjson.dumps(body, option=orjson.OPT_UTC_Z), content_type="application/json")
