"""Input fields every API module shares: strict objects, site codes, number ranges, usernames.

Serializers only validate and shape data; they never write (services do).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from intake.models import Site
from intake.numbers import Range

# Sites are referred to by code everywhere (docs/api.md).
SITE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
INT32_MAX = 2_147_483_647
ID_MAX = 9_223_372_036_854_775_807


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a typo ("minutes_lost") is a 400, not a silent default."""

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, Mapping):
            accepted = ", ".join(self.fields)
            unknown = {
                str(key): [f"Unknown field. This endpoint accepts: {accepted}."]
                for key in data
                if key not in self.fields
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                exc.detail.update(unknown)
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


@extend_schema_field({"type": "string", "pattern": SITE_CODE.pattern, "example": "NORTH"})
class SiteCodeField(serializers.RelatedField):
    """A site given by its code (case-insensitive in, uppercase out)."""

    default_error_messages = {
        "invalid": "Give a site code: 1 to 16 letters, digits, '-' or '_'.",
        "does_not_exist": "There is no site with code {code}.",
        "inactive": "Site {code} is not active.",
    }

    def __init__(self, *, active_only: bool = True, **kwargs):
        self.active_only = active_only
        kwargs.setdefault("queryset", Site.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> Site:
        if not isinstance(data, str) or not SITE_CODE.match(data.strip()):
            self.fail("invalid")
        code = data.strip().upper()
        site = self.get_queryset().filter(code=code).first()
        if site is None:
            self.fail("does_not_exist", code=code)
        if self.active_only and not site.active:
            self.fail("inactive", code=code)
        return site

    def to_representation(self, value) -> str:
        return value.code


class RangeField(serializers.FloatField):
    """A finite number within an intake.numbers.Range; the message states the range."""

    def __init__(self, allowed: Range, **kwargs):
        super().__init__(**kwargs)
        self.allowed = allowed
        self.min_value, self.max_value, self.low_open, self.whole = (
            allowed.low,
            allowed.high,
            allowed.low_open,
            allowed.whole,
        )
        self.range_message = f"Enter {allowed.words}."

    def to_internal_value(self, data) -> float:
        value = super().to_internal_value(data)
        if value not in self.allowed:
            raise serializers.ValidationError(self.range_message)
        return value


class RangeFieldExtension(OpenApiSerializerFieldExtension):
    target_class = RangeField

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = {"type": "integer" if field.whole else "number", "minimum": field.min_value}
        if not field.whole:
            schema["format"] = "double"
        if field.low_open:
            schema["exclusiveMinimum"] = True
        schema["maximum"] = field.max_value
        return schema


@extend_schema_field(OpenApiTypes.STR)
class UsernameField(serializers.Field):
    """A user shown by username only (read-only)."""

    def to_representation(self, value) -> str:
        return value.get_username()
