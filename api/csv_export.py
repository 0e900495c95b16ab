"""CSV out: every export's one writer, with spreadsheet formulas neutralised (docs/deploy.md).

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab or a carriage
return) as a formula: `=HYPERLINK(...)` in a title becomes a link, `=cmd|...` a command. Every text
cell that starts so is prefixed with an apostrophe, which spreadsheets show as text and do not
print. Numbers stay numbers (a negative priority is still -3.5); only text is changed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from django.http import Http404, StreamingHttpResponse
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

from .renderers import OrjsonRenderer

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Decimal places of a number in a CSV cell (a spreadsheet reader wants 83.35, not 83.34999999999).
CSV_DECIMALS = 2
NEUTRAL_PREFIX = "'"


def neutral_text(text: str) -> str:
    """`text`, prefixed when a spreadsheet would read it as a formula."""
    return NEUTRAL_PREFIX + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Any) -> str | float | int:
    """One value as a CSV cell: numbers as numbers (floats rounded to CSV_DECIMALS), booleans as
    true/false, lists space-separated, datetimes in RFC 3339 with a `Z`, and any text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return round(value, CSV_DECIMALS)
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, list | tuple):
        value = " ".join(str(item) for item in value)
    return neutral_text(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(columns: Sequence[str], rows: Iterable[dict]) -> Iterator[str]:
    """A header, then one line per row (a dict), in `columns` order: for streaming."""
    writer = csv.writer(_Echo())
    yield writer.writerow([csv_cell(column) for column in columns])
    for row in rows:
        yield writer.writerow([csv_cell(row.get(column)) for column in columns])


class CSVRenderer(BaseRenderer):
    """`?format=csv` / `Accept: text/csv` for a list endpoint: the rows of `data["results"]` (or `data`),
    with the columns the view names in `csv_columns`."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        view = (renderer_context or {}).get("view")
        rows = data["results"] if isinstance(data, dict) and "results" in data else data
        return "".join(csv_lines(view.csv_columns, rows or [])).encode()


def csv_response(columns: Sequence[str], rows: Iterable[dict], *, filename: str) -> StreamingHttpResponse:
    """Every row, streamed as a CSV attachment (no paging)."""
    response = StreamingHttpResponse(csv_lines(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class JsonOrCSVMixin:
    """For an APIView answering JSON or, with `?format=csv` / `Accept: text/csv`, CSV: an unknown
    format is a 400 naming `format`, and errors stay JSON (the one error shape) even for CSV."""

    renderer_classes = [OrjsonRenderer, CSVRenderer]

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:  # DRF's answer to an unknown ?format=
            raise serializers.ValidationError({"format": ['Choose "json" or "csv".']}) from None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer = OrjsonRenderer()
            response.accepted_media_type = OrjsonRenderer.media_type
        return response
