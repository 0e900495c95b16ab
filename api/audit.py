"""GET /api/v1/audit/: the audit of every write (administrators only), newest first, paged like the
other lists, or every matching row as CSV (`?format=csv` / `Accept: text/csv`, formulas neutralised)."""

from __future__ import annotations

from datetime import datetime, time

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView

from intake.audit.models import AuditAction, AuditEvent
from intake.audit.selectors import audit_events
from intake.roles import Action

from .csv_export import JsonOrCSVMixin, csv_response
from .fields import ID_MAX, StrictSerializer
from .pagination import PAGE_PARAMETERS, StrictCursorPagination
from .permissions import only
from .schema import READ, errors

CSV_COLUMNS = ("id", "at", "actor", "action", "problem", "object_type", "object_id", "address", "before", "after")


class AuditEventOut(serializers.ModelSerializer):
    actor = serializers.CharField(
        source="actor_name", help_text="Username (a refused sign-in: the name tried); empty for the system."
    )
    problem = serializers.IntegerField(source="problem_id", allow_null=True)
    before = serializers.JSONField(allow_null=True, help_text="The written fields before (null for a creation).")
    after = serializers.JSONField(allow_null=True, help_text="The written fields after (null for a deletion).")

    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor", "action", "problem", "object_type", "object_id", "address", "before", "after"]
        read_only_fields = fields


class AuditQuery(StrictSerializer):
    actor = serializers.CharField(required=False, max_length=150, help_text="A username.")
    problem = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    action = serializers.ChoiceField(AuditAction.choices, required=False)
    since = serializers.CharField(required=False, help_text="A date (YYYY-MM-DD) or an RFC 3339 time.")
    # The paging and format parameters, read by the paginator and the content negotiation.
    cursor = serializers.CharField(required=False)
    page_size = serializers.CharField(required=False)
    format = serializers.CharField(required=False)

    def validate_since(self, value: str) -> datetime:
        text = value.strip()
        if "T" in text:  # an unencoded "+01:00" arrives as " 01:00"
            text = text.replace(" ", "+")
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise serializers.ValidationError("Give a date (2026-12-01) or a time (2026-12-01T08:00:00Z).") from None
        if len(value.strip()) == 10:  # a day: from its start
            moment = datetime.combine(moment.date(), time.min)
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class NewestFirst(StrictCursorPagination):
    ordering = ("-at", "-id")


class AuditListView(JsonOrCSVMixin, GenericAPIView):
    serializer_class = AuditEventOut
    pagination_class = NewestFirst
    permission_classes = [only(Action.ADMINISTER)]
    filter_backends: list = []
    csv_columns = CSV_COLUMNS

    @extend_schema(
        operation_id="audit_list",
        summary="The audit of every write (administrators)",
        description="Who, when, what it was before and after, newest first: triage, merges, site reports, "
        "evidence, outcome answers, sites, the scoring policy, users' roles and sites, API tokens, "
        "sign-ins and refused sign-ins (never a password). `?format=csv` (or `Accept: text/csv`) streams "
        "every matching row, spreadsheet formulas neutralised.",
        parameters=[
            OpenApiParameter("actor", str, description="Only this username's writes (and sign-in attempts)."),
            OpenApiParameter("problem", int, description="Only the writes to this problem."),
            OpenApiParameter("action", {"type": "string", "enum": AuditAction.values}, description="Only this action."),
            OpenApiParameter("since", str, description="From this date (YYYY-MM-DD) or time (RFC 3339) on."),
            *PAGE_PARAMETERS,
            OpenApiParameter(
                "format",
                {"type": "string", "enum": ["json", "csv"]},
                description="csv streams every matching row (no paging).",
            ),
        ],
        responses={
            (200, "application/json"): AuditEventOut(many=True),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="The same columns, as CSV."),
            **errors(*READ, 400, 403, media_type="application/json"),
        },
        tags=["audit"],
    )
    def get(self, request):
        given = AuditQuery(data=request.query_params.dict())
        given.is_valid(raise_exception=True)
        query = given.validated_data
        events = audit_events(
            actor=query.get("actor"),
            problem_id=query.get("problem"),
            action=query.get("action"),
            since=query.get("since"),
        )
        if request.accepted_renderer.format == "csv":
            return csv_response(CSV_COLUMNS, _csv_rows(events), filename="audit.csv")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(AuditEventOut(page, many=True).data)


def _csv_rows(events):
    for event in events.iterator(chunk_size=2000):
        row = AuditEventOut(event).data
        yield row | {"before": _json_text(event.before), "after": _json_text(event.after)}


def _json_text(state) -> str:
    if state is None:
        return ""
    return orjson.dumps(state, default=DjangoJSONEncoder().default, option=orjson.OPT_SORT_KEYS).decode()
