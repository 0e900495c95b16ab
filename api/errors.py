"""One error shape for the whole API (docs/api.md).

- 400: ``{"field": ["message", …]}``; errors that belong to no single field go under
  ``non_field_errors`` (malformed JSON included).
- 401, 403, 404, 405, 413, 415, 429: ``{"detail": "message"}``.
- 409: ``{"detail": "message", …}`` plus whatever the conflict adds (see ``Conflict``).

Services raise Django's ``ValidationError`` (with a message dict), ``PermissionDenied`` and
intake's ``VersionConflict`` (a stale ``version``: 409 saying who changed the problem and when);
they are mapped here so a view never translates them by hand. Nothing of a refused request's
text is logged here.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from intake.models import VersionConflict

NON_FIELD = "non_field_errors"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class Conflict(exceptions.APIException):
    """A 409 whose body carries extra facts next to `detail` (e.g. who changed the row and when)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The resource changed since you read it."
    default_code = "conflict"

    def __init__(self, detail: str | None = None, **facts: Any):
        super().__init__(detail)
        self.facts = facts


def _messages(value: Any) -> list[str]:
    """Flatten DRF's nested errors (lists of dicts for list items) into a flat list of strings."""
    if isinstance(value, dict):
        flat = []
        for key, inner in value.items():
            prefix = "" if isinstance(key, int) or str(key).isdigit() else f"{key}: "
            flat.extend(prefix + message for message in _messages(inner))
        return flat
    if isinstance(value, (list, tuple)):
        return [message for inner in value for message in _messages(inner)]
    return [str(value)]


def field_errors(data: Any) -> dict[str, list[str]]:
    """Any 400 payload as {field: [message, …]}."""
    if isinstance(data, dict) and set(data) != {"detail"}:
        return {
            (NON_FIELD if key in (NON_FIELD_ERRORS, NON_FIELD) else str(key)): _messages(v) for key, v in data.items()
        }
    if isinstance(data, dict):
        data = data["detail"]
    return {NON_FIELD: _messages(data)}


def _django_validation_messages(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return field_errors(exc.message_dict)
    return {NON_FIELD: [str(m) for m in exc.messages]}


def api_exception_handler(exc: Exception, context: dict) -> HttpResponse | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"] for every API view."""
    if isinstance(exc, VersionConflict):
        exc = Conflict(
            str(exc), current_version=exc.current_version, changed_by=exc.changed_by, changed_at=exc.changed_at
        )
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_messages(exc))
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if response.status_code == status.HTTP_400_BAD_REQUEST:
        response.data = field_errors(response.data)
    elif isinstance(exc, Conflict):
        response.data = {"detail": str(exc.detail), **exc.facts}
    elif not (isinstance(response.data, dict) and set(response.data) == {"detail"}):
        response.data = {"detail": " ".join(_messages(response.data))}
    return response


@csrf_exempt  # it changes nothing; without this a POST to a wrong path would get CSRF's HTML 403
def api_not_found(request, unmatched: str = "") -> HttpResponse:
    """JSON 404 for any path under /api/ that no endpoint matches (instead of an HTML page)."""
    detail = "There is no such endpoint. See /api/docs/."
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            detail = f"There is no such endpoint. Did you mean {request.path}/ (with the trailing slash)?"
    return HttpResponse(orjson.dumps({"detail": detail}), status=404, content_type="application/json")
