"""OpenAPI descriptions of the error bodies (api.errors), shared by every endpoint."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class FieldErrorsSerializer(serializers.Serializer):
    """400: {"field": ["message", …]}; `non_field_errors` for what belongs to no one field."""


class FieldErrorsExtension(OpenApiSerializerExtension):
    target_class = FieldErrorsSerializer

    def get_name(self, auto_schema=None, direction=None):
        return "FieldErrors"

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "description": "Messages per field; `non_field_errors` holds those that belong to no single field.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"minutes_lost_per_occurrence": ["Enter a number more than 0 and at most 240."]},
        }


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()

    class Meta:
        ref_name = "Detail"


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField()
    changed_by = serializers.CharField(allow_null=True, help_text="Username of whoever made the last triage change.")
    changed_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "VersionConflict"


ERROR_DESCRIPTIONS = {
    400: (FieldErrorsSerializer, "Refused input: the messages name each field."),
    401: (DetailSerializer, "Not logged in: send `Authorization: Token <key>` (or use the browser session)."),
    403: (DetailSerializer, "Your role may not do this (docs/domain.md, Roles)."),
    404: (DetailSerializer, "No such object."),
    409: (ConflictSerializer, "Stale `version`: someone changed the problem since you read it."),
    413: (DetailSerializer, "The request body is larger than the server accepts."),
    415: (DetailSerializer, "Send `Content-Type: application/json`."),
    429: (DetailSerializer, "Too many requests; retry after the number of seconds in `Retry-After`."),
}

READ = (401, 429)
WRITE = (400, 401, 403, 413, 415, 429)


def errors(*codes: int, media_type: str | None = None) -> dict:
    """extend_schema `responses` entries for these error codes (for one media type if the view has several)."""
    return {
        (code, media_type) if media_type else code: OpenApiResponse(
            response=ERROR_DESCRIPTIONS[code][0], description=ERROR_DESCRIPTIONS[code][1]
        )
        for code in sorted(set(codes))
    }
