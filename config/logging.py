"""Structured logs without free text (docs/deploy.md): `LOG_FORMAT=json` for production.

One JSON object a line: `time`, `level`, `logger`, `message`, `request_id`, and on a request's line
`user_id`, `method`, `path` (never the query string), `route`, `status`, `duration_ms`. Never written:
a request or response body, a query string, the text of an exception that travels with a record. A
database error can quote the row it refused (a problem's title, a note), so such a record carries
the exception's type and frames (`exc_type`, `stack`), and of the values put into its message only
the numbers: text values are replaced by "[redacted]".

Every request gets an id: the proxy's `X-Request-ID` when it is a plain token (nginx's $request_id),
else a new one. It is sent back in `X-Request-ID` and stamped on every line logged while the request
runs, so an error line and its request line can be joined.

runserver's access log (`django.server`) goes through QueryStringRedactor: each URL without its
query string. gunicorn's is off in production (deploy/gunicorn.conf.py), the request line replacing
it; switched on, it is formatted with the path alone.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import traceback
import uuid
from datetime import UTC, datetime

from django.core.signals import request_finished
from django.utils.functional import empty

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("bridge_request_id", default=None)

REQUEST_LOGGER = "bridge.request"
REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{8,64}")
# The fields a request line carries, in order; nothing else of a record's extras is written.
REQUEST_FIELDS = ("user_id", "method", "path", "route", "status", "duration_ms")
PATH_MAX = 200
METHOD_MAX = 16
REDACTED = "[redacted]"


class RequestContextFilter(logging.Filter):
    """Stamps the current request's id (if any) on every record, whichever logger wrote it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


def _numbers_only(value):
    return value if value is None or isinstance(value, int | float) else REDACTED


def _message(record: logging.LogRecord) -> str:
    if not record.exc_info or not record.args:
        return record.getMessage()
    args = record.args
    if isinstance(args, dict):
        args = {key: _numbers_only(value) for key, value in args.items()}
    else:
        args = tuple(_numbers_only(value) for value in args)
    try:
        return str(record.msg) % args
    except (TypeError, ValueError, KeyError):
        return str(record.msg)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": _message(record),
            "request_id": getattr(record, "request_id", None),
        }
        for field in REQUEST_FIELDS:
            if field in record.__dict__:
                entry[field] = record.__dict__[field]
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, trace = record.exc_info
            entry["exc_type"] = f"{kind.__module__}.{kind.__qualname__}"
            entry["stack"] = [f"{frame.filename}:{frame.lineno} {frame.name}" for frame in traceback.extract_tb(trace)]
        return json.dumps(entry, separators=(",", ":"), default=str)


def _user_id(request) -> int | None:
    """The user the request ran as, if the request already looked it up: logging never costs a
    query (a session user is looked up lazily; an API token user is set by DRF)."""
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


def _forget_request_id(**kwargs) -> None:
    _request_id.set(None)


def _incoming_request_id(request) -> str:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    return offered if REQUEST_ID_PATTERN.fullmatch(offered) else uuid.uuid4().hex


class RequestLogMiddleware:
    """One line per request on `bridge.request`, and the request id for every line in between.
    First in MIDDLEWARE, so its duration and status are what the client got."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.logger = logging.getLogger(REQUEST_LOGGER)
        request_finished.connect(_forget_request_id, dispatch_uid="bridge-request-log")

    def __call__(self, request):
        request_id = _incoming_request_id(request)
        # Not reset on the way out: Django logs a 4xx/5xx after the middleware returns, and that line
        # belongs to this request too. Forgotten when the server closes the response (request_finished).
        _request_id.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        self._log(request, response.status_code, started)
        return response

    def _log(self, request, status: int, started: float) -> None:
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        path = request.path[:PATH_MAX]
        match = getattr(request, "resolver_match", None)
        fields = {
            "user_id": _user_id(request),
            "method": request.method[:METHOD_MAX],
            "path": path,
            "route": match.route if match else None,
            "status": status,
            "duration_ms": duration_ms,
        }
        level = logging.ERROR if status >= 500 else logging.INFO
        self.logger.log(level, "%s %s %s %.1fms", fields["method"], path, status, duration_ms, extra=fields)


_QUERY_STRING = re.compile(r"\?[^\s\"]*")


def redact_query_strings(text: str) -> str:
    return _QUERY_STRING.sub("?…", text)


class QueryStringRedactor(logging.Filter):
    """Replace every query string in a record's message and arguments by "?…" (the similar search's `q`
    is what someone typed)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_query_strings(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact_query_strings(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True
