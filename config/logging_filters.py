"""Logging filters: no request URL carrying free text reaches a log (product.md §13).

Query strings can carry what people typed (the similar search's `q`), so the development server's
request log (`django.server`) shows each URL without its query string. Gunicorn's access log is
formatted without it too (gunicorn.conf.py).
"""

from __future__ import annotations

import logging
import re

_QUERY = re.compile(r"\?[^\s\"]*")
REDACTED = "?…"


def redact_query_strings(text: str) -> str:
    return _QUERY.sub(REDACTED, text)


class QueryStringRedactor(logging.Filter):
    """Replace every query string in a record's message and arguments by "?…"."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_query_strings(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact_query_strings(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True
