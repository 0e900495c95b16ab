"""The API's exception handler (settings REST_FRAMEWORK["EXCEPTION_HANDLER"]).

intake.api.errors holds the one error shape and maps what every app raises (Django's
ValidationError, PermissionDenied, a missing object, an oversized body). This layer adds the
backlog's own domain exception, VersionConflict → 409, here rather than in intake so that
intake never imports backlog (dependencies point backlog → scoring → intake).
"""

from __future__ import annotations

from intake.api.errors import Conflict
from intake.api.errors import api_exception_handler as intake_exception_handler

from ..services import VersionConflict


def api_exception_handler(exc: Exception, context: dict):
    if isinstance(exc, VersionConflict):
        exc = Conflict(
            str(exc),
            current_version=exc.current_version,
            changed_by=exc.changed_by,
            changed_at=exc.changed_at,
        )
    return intake_exception_handler(exc, context)
