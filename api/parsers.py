"""The API's only request parser: JSON, size-bounded, parsed with orjson.

DRF's stock JSONParser reads the request stream directly, which bypasses Django's
DATA_UPLOAD_MAX_MEMORY_SIZE check; this one enforces it (413) and answers malformed JSON
with a 400, never a 500. Nesting is bounded too (JSON_DEPTH_MAX): no endpoint takes more than a
list inside an object, and a body nested ~1,000 deep would otherwise reach a serializer that
recurses into it (a RecursionError, a 500).
"""

from __future__ import annotations

import orjson
from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from .errors import PayloadTooLarge

# Deeper than any request body of the API (an object holding a list is 2): a generous bound.
JSON_DEPTH_MAX = 16


def json_depth_exceeds(value, limit: int) -> bool:
    """Whether `value` nests objects/lists more than `limit` deep (iterative: no recursion to exhaust)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class BoundedJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        if limit is not None and request is not None:
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
            if declared > limit:
                raise PayloadTooLarge(f"The request body is larger than {limit} bytes.")
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise PayloadTooLarge(f"The request body is larger than {limit} bytes.")
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            if "depth" in str(exc):
                raise ParseError(f"The request body nests deeper than {JSON_DEPTH_MAX} levels.") from None
            raise ParseError(f"The request body is not valid JSON ({exc}).") from None
        if json_depth_exceeds(data, JSON_DEPTH_MAX):
            raise ParseError(f"The request body nests deeper than {JSON_DEPTH_MAX} levels.")
        return data
