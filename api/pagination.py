"""Paging rules shared by every list endpoint: `page_size` 1–200 (default 50), opaque `cursor`.

A `page_size` outside 1–200 is refused with a 400 rather than clamped, so a client never
silently receives fewer rows per page than it asked for.
"""

from __future__ import annotations

import re

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MAX = 200
PAGE_SIZE_MESSAGE = f"Enter a whole number from 1 to {PAGE_SIZE_MAX}."
INVALID_CURSOR = "This cursor is not valid; start again from the first page."


def page_size_from(request) -> int:
    raw = request.query_params.get("page_size", "")
    if raw == "":
        return PAGE_SIZE_DEFAULT
    if not re.fullmatch(r"[0-9]{1,4}", raw) or not 1 <= int(raw) <= PAGE_SIZE_MAX:
        raise serializers.ValidationError({"page_size": [PAGE_SIZE_MESSAGE]})
    return int(raw)


PAGE_PARAMETERS = [
    OpenApiParameter(
        "cursor",
        str,
        description="Opaque position from a previous page's `next` or `previous` link.",
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": PAGE_SIZE_MAX},
        description=f"Rows per page, 1–{PAGE_SIZE_MAX} (default {PAGE_SIZE_DEFAULT}); larger values are refused (400).",
    ),
]


class StrictCursorPagination(CursorPagination):
    """DRF's cursor pagination with the rules above (400, not 404, for a bad cursor)."""

    page_size = PAGE_SIZE_DEFAULT
    page_size_query_param = "page_size"
    max_page_size = PAGE_SIZE_MAX

    def get_page_size(self, request) -> int:
        return page_size_from(request)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise serializers.ValidationError({"cursor": [INVALID_CURSOR]}) from None

    def get_schema_operation_parameters(self, view):
        return []  # declared by PAGE_PARAMETERS on each list operation, with their bounds


class CodeCursorPagination(StrictCursorPagination):
    ordering = "code"
