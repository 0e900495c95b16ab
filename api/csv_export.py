"""CSV out: every export's one writer, with spreadsheet formulas neutralised (product.md §13).

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

from rest_framework.renderers import BaseRenderer

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRAL_PREFIX = "'"


def neutral_text(text: str) -> str:
    """`text`, prefixed when a spreadsheet would read it as a formula."""
    return NEUTRAL_PREFIX + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Any) -> str | float | int:
    """One value as a CSV cell: numbers as numbers, booleans as true/false, lists space-separated,
    datetimes in RFC 3339 with a `Z`, and any text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
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
