"""GET /api/v1/backlog/: the ranked backlog, the IT leads' hot path.

One SQL query for the page (backlog.selectors.keyset.backlog_page returns plain dicts), no
serializer per row, JSON written by orjson. Keyset paging: a cursor is the position (rank,
created_at, id) of the page's last (or first) row, so a page costs the same at any depth, plus
that row's priority, where the reader starts walking the ranks' index (a JSON number: orjson
writes the shortest text that reads back as the same float).
`?format=csv` (or `Accept: text/csv`) streams every row matching the filters as CSV.
"""

from __future__ import annotations

import base64
import binascii
import math
from datetime import datetime

import django_filters
import orjson
from django.http import StreamingHttpResponse
from django.urls import reverse
from django_filters.rest_framework import BooleanFilter
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from api.csv_export import JsonOrCSVMixin, csv_response
from api.fields import ID_MAX, INT32_MAX, SITE_CODE
from api.pagination import INVALID_CURSOR, PAGE_PARAMETERS, page_size_from
from api.schema import READ, errors
from intake.models import Problem, Status, WorkflowArea
from intake.numbers import FILTER_VALUES_MAX, too_many_values
from scoring.selectors import policy_current

from ..forms import search_text_clean
from ..selectors.keyset import BacklogPosition, backlog_page
from ..selectors.listing import BACKLOG_COLUMNS, SEARCH_MAX_CHARS, SEARCH_MAX_WORDS, backlog_all
from .serializers import BacklogItemOut

# within_capacity: above the cut line of `capacity` weeks (empty without one); numbers rounded to 2 places.
CSV_COLUMNS = (*BACKLOG_COLUMNS, "url", "within_capacity")
NEXT, PREVIOUS = "n", "p"


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """A comma-separated list of choices."""


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """A comma-separated list of strings."""


class BacklogFilter(django_filters.FilterSet):
    """Parses and validates the listing's filters; the selector applies them."""

    status = ChoiceInFilter(choices=Status.choices)
    site = CharInFilter()
    workflow_area = ChoiceInFilter(choices=WorkflowArea.choices)
    safety = BooleanFilter()
    q = django_filters.CharFilter(validators=[search_text_clean])

    class Meta:
        model = Problem
        fields: list[str] = []


LIST_FILTERS = {"status": "statuses", "site": "site codes", "workflow_area": "workflow areas"}
NO_FILTERS = {"statuses": None, "site_codes": None, "workflow_areas": None, "safety": None, "text": None}


def _filters(request) -> dict:
    if request.query_params.keys().isdisjoint(BacklogFilter.base_filters):
        return NO_FILTERS  # the common case: nothing to parse (a FilterSet deep-copies its filters)
    # Lists come comma-separated (status=a,b) or repeated (status=a&status=b), as many clients send them.
    data = {name: ",".join(request.query_params.getlist(name)) for name in BacklogFilter.base_filters}
    # Counted before anything is parsed or queried: 600 site codes once held a worker for 25 s.
    too_many = {
        name: [message]
        for name, noun in LIST_FILTERS.items()
        if (message := too_many_values(len(data[name].split(",")), noun))
    }
    if too_many:
        raise serializers.ValidationError(too_many)
    given = BacklogFilter(data, queryset=Problem.objects.none())
    if not given.is_valid():
        raise serializers.ValidationError({field: list(messages) for field, messages in given.errors.items()})
    data = given.form.cleaned_data
    return {
        "statuses": data.get("status") or None,
        "site_codes": [code.strip().upper() for code in data.get("site") or [] if code.strip()] or None,
        "workflow_areas": data.get("workflow_area") or None,
        "safety": data.get("safety"),
        "text": (data.get("q") or "").strip() or None,
    }


def _capacity(request) -> float | None:
    raw = request.query_params.get("capacity")
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not 0 <= value <= 100000:
        raise serializers.ValidationError({"capacity": ["Enter a number of weeks from 0 to 100000."]})
    return value


def _encode_cursor(direction: str, position: BacklogPosition) -> str:
    raw = orjson.dumps([direction, position.rank, position.created_at.isoformat(), position.id, position.priority])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _is_int(value, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= high


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _decode_cursor(token: str) -> tuple[str, BacklogPosition]:
    try:
        direction, rank, created_at, pk, priority = orjson.loads(
            base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        )
        created = datetime.fromisoformat(created_at)
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise serializers.ValidationError({"cursor": [INVALID_CURSOR]}) from None
    valid = (
        direction in (NEXT, PREVIOUS)
        and (rank is None or _is_int(rank, INT32_MAX))
        and (priority is None or (rank is not None and _is_number(priority)))
        and _is_int(pk, ID_MAX)
        and created.tzinfo is not None
    )
    if not valid:
        raise serializers.ValidationError({"cursor": [INVALID_CURSOR]})
    return direction, BacklogPosition(
        rank=rank, created_at=created, id=pk, priority=None if priority is None else float(priority)
    )


def _problem_url_head(request) -> str:
    """The absolute URL of problem pages up to the id, computed once per request."""
    sample = request.build_absolute_uri(reverse("problem-detail", args=[0]))
    return sample[: sample.rindex("/0/") + 1]


class BacklogPageOut(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = BacklogItemOut(many=True)

    class Meta:
        ref_name = "BacklogPage"


def _list_parameter(name: str, item: dict, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name, {"type": "array", "items": item}, style="form", explode=False, description=description
    )


BACKLOG_PARAMETERS = [
    _list_parameter(
        "status",
        {"type": "string", "enum": Status.values},
        "Comma-separated statuses (default: the open ones). Closed problems have no rank and come last.",
    ),
    _list_parameter(
        "site",
        {"type": "string", "pattern": SITE_CODE.pattern},
        f"Comma-separated site codes (at most {FILTER_VALUES_MAX}): problems with a site report there "
        "(their own or merged in).",
    ),
    _list_parameter("workflow_area", {"type": "string", "enum": WorkflowArea.values}, "Comma-separated areas."),
    OpenApiParameter("safety", bool, description="true: only problems with a safety concern; false: only without."),
    OpenApiParameter(
        "q",
        {"type": "string", "maxLength": SEARCH_MAX_CHARS},
        description="Text search: problems whose title or statement holds every word (case-insensitive; "
        f"at most {SEARCH_MAX_WORDS} words count). Text that looks like patient information is refused (400).",
    ),
    *PAGE_PARAMETERS,
    OpenApiParameter(
        "format",
        {"type": "string", "enum": ["json", "csv"]},
        description="csv streams every row matching the filters (no paging) with the same columns, "
        "numbers rounded to 2 decimals, and `within_capacity`.",
    ),
    OpenApiParameter(
        "capacity",
        {"type": "number", "minimum": 0, "maximum": 100000},
        description="CSV only: IT capacity in weeks. `within_capacity` says whether each row is above the cut "
        "line: the running sum of effort (the estimate, or the policy's default) in this order fits.",
    ),
]


class BacklogView(JsonOrCSVMixin, APIView):
    csv_columns = CSV_COLUMNS

    @extend_schema(
        operation_id="backlog_list",
        summary="The ranked backlog",
        description="Problems by global rank: a filter never renumbers ranks. Rows whose score is "
        "not computed yet (`score_pending`, null `rank`) come after the ranked ones.",
        parameters=BACKLOG_PARAMETERS,
        responses={
            (200, "application/json"): BacklogPageOut,
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="The same columns, as CSV."),
            **errors(*READ, 400, media_type="application/json"),
        },
        tags=["backlog"],
    )
    def get(self, request):
        filters = _filters(request)
        if request.accepted_renderer.format == "csv":
            return self._csv(request, filters)
        size = page_size_from(request)
        token = request.query_params.get("cursor")
        direction, position = _decode_cursor(token) if token else (NEXT, None)
        page = backlog_page(
            **filters,
            limit=size,
            after=position if direction == NEXT else None,
            before=position if direction == PREVIOUS else None,
        )
        head = _problem_url_head(request)
        for item in page.items:
            item["url"] = f"{head}{item['id']}/"
        here = request.build_absolute_uri()
        return Response(
            {
                "next": replace_query_param(here, "cursor", _encode_cursor(NEXT, page.last))
                if page.more_after and page.last
                else None,
                "previous": (
                    replace_query_param(here, "cursor", _encode_cursor(PREVIOUS, page.first))
                    if page.first
                    else remove_query_param(here, "cursor")
                )
                if page.more_before
                else None,
                "results": page.items,
            }
        )

    def _csv(self, request, filters: dict) -> StreamingHttpResponse:
        head = _problem_url_head(request)
        capacity = _capacity(request)
        effort = policy_current().default_effort_weeks if capacity is not None else 0.0

        def items():
            for item in backlog_all(**filters, capacity_weeks=capacity, default_effort_weeks=effort):
                item["url"] = f"{head}{item['id']}/"
                yield item

        return csv_response(CSV_COLUMNS, items(), filename="backlog.csv")
