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

# Sites are referred to by code everywhere (product.md §7).
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


def _number(value: float) -> str:
    return f"{value:g}"


class RangeField(serializers.FloatField):
    """A finite number in [low, high], or (low, high] with `low_open`; the message states the range."""

    def __init__(self, low: float, high: float, *, low_open: bool = False, whole: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.min_value, self.max_value, self.low_open, self.whole = low, high, low_open, whole
        lower = f"more than {_number(low)}" if low_open else f"at least {_number(low)}"
        kind = "a whole number" if whole else "a number"
        self.range_message = f"Enter {kind} {lower} and at most {_number(high)}."

    def to_internal_value(self, data) -> float:
        value = super().to_internal_value(data)
        too_low = value <= self.min_value if self.low_open else value < self.min_value
        if too_low or value > self.max_value or (self.whole and not value.is_integer()):
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


class ReportFieldsSerializer(StrictSerializer):
    """The six numbers of a site report (product.md §3), with their defaults."""

    minutes_lost_per_occurrence = RangeField(0, 240, low_open=True, help_text="Minutes lost each time (0 < m ≤ 240).")
    occurrences_per_shift = RangeField(
        0, 200, low_open=True, help_text="How often per provider per shift (0 < f ≤ 200)."
    )
    providers_affected_pct = RangeField(0, 100, default=100.0, help_text="Share of providers affected, 0–100.")
    after_hours_pct = RangeField(0, 100, default=0.0, help_text="Share of the lost time made up after hours, 0–100.")
    patient_wait_minutes = RangeField(0, 240, default=0.0, help_text="Minutes a patient waits because of it, 0–240.")
    visits_affected_pct = RangeField(0, 100, default=0.0, help_text="Share of visits affected, 0–100.")

    REPORT_FIELDS = (
        "minutes_lost_per_occurrence",
        "occurrences_per_shift",
        "providers_affected_pct",
        "after_hours_pct",
        "patient_wait_minutes",
        "visits_affected_pct",
    )


@extend_schema_field(OpenApiTypes.STR)
class UsernameField(serializers.Field):
    """A user shown by username only (read-only)."""

    def to_representation(self, value) -> str:
        return value.get_username()
