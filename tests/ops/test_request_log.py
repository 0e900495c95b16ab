"""Structured logs without free text (docs/deploy.md): LOG_FORMAT=json's formatter and the request log.

The requests go through the real middleware stack (Django's test client, DRF token auth, sessions);
the records are written by the JSON formatter the production settings configure, into a buffer.
"""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest

from config.logging import JsonFormatter, RequestContextFilter
from intake.models import Role
from tests.scoring.pipeline_support import submit

from .support import app_env, run

NOTE = "Timed over three night shifts while the charge nurse re-entered the allergy list"
QUERY = "allergy list re-entered at triage"


@pytest.fixture
def json_log():
    """Every record of the process, as the production handler writes it; read() parses the lines."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    # The root logger, and "django", which the settings keep from propagating (one line per record)
    loggers = [logging.getLogger(), logging.getLogger("django")]
    for logger in loggers:
        logger.addHandler(handler)

    class Log:
        @staticmethod
        def text() -> str:
            return buffer.getvalue()

        @staticmethod
        def lines() -> list[dict]:
            return [json.loads(line) for line in buffer.getvalue().splitlines()]

        @classmethod
        def requests(cls) -> list[dict]:
            return [line for line in cls.lines() if line["logger"] == "bridge.request"]

    yield Log
    for logger in loggers:
        logger.removeHandler(handler)


def request_fields(line: dict) -> dict:
    """A request line without what changes from run to run (time, id, duration)."""
    assert isinstance(line.pop("duration_ms"), float)
    line.pop("time")
    line.pop("request_id")
    return line


def test_an_api_write_is_one_line_with_who_what_and_how_it_went_but_not_the_body(json_log, api_as, users, site):
    # Given a problem and an informatics user with an API token
    problem = submit(users[Role.CLINICIAN], site, "Allergy list re-entered at triage", m=2, f=6)
    informatics = users[Role.INFORMATICS]

    # When they post evidence with a note
    answer = api_as(informatics).post(
        f"/api/v1/problems/{problem.pk}/evidence/",
        {"kind": "time_study", "value": 4, "sample_size": 3, "note": NOTE},
        format="json",
    )

    # Then the request is one line: who, method, path, route, status; and its id is the response's
    assert answer.status_code == 201
    [line] = json_log.requests()
    assert line["request_id"] == answer["X-Request-ID"]
    message = line["message"]
    assert request_fields(line) == {
        "level": "INFO",
        "logger": "bridge.request",
        "message": message,
        "user_id": informatics.pk,
        "method": "POST",
        "path": f"/api/v1/problems/{problem.pk}/evidence/",
        "route": "api/v1/problems/<id:pk>/evidence/",
        "status": 201,
    }
    assert message.startswith(f"POST /api/v1/problems/{problem.pk}/evidence/ 201 ")
    # and nothing of the note is anywhere in the log
    assert "night shifts" not in json_log.text()


def test_a_query_string_never_reaches_the_log(json_log, api_as, users):
    answer = api_as(users[Role.CLINICIAN]).get("/api/v1/problems/similar/", {"q": QUERY, "page_size": 5})
    assert answer.status_code == 200
    [line] = json_log.requests()
    assert (line["path"], line["status"], line["user_id"]) == (
        "/api/v1/problems/similar/",
        200,
        users[Role.CLINICIAN].pk,
    )
    assert "allergy" not in json_log.text()
    assert "?" not in json_log.text()


def test_a_page_names_the_session_user_and_an_anonymous_probe_names_nobody(json_log, client, users):
    client.force_login(users[Role.PRODUCT_MANAGER])
    assert client.get("/backlog/").status_code == 200
    client.logout()
    assert client.get("/healthz").status_code == 200
    assert [(line["path"], line["user_id"]) for line in json_log.requests()] == [
        ("/backlog/", users[Role.PRODUCT_MANAGER].pk),
        ("/healthz", None),
    ]


def test_the_proxys_request_id_is_kept_when_it_is_a_plain_token_and_replaced_otherwise(json_log, client):
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="4bf92f3577b34da6a3ce929d0e0e4736")
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID='x" "forged":"1')
    assert kept["X-Request-ID"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert replaced["X-Request-ID"] != 'x" "forged":"1'
    assert len(replaced["X-Request-ID"]) == 32
    assert [line["request_id"] for line in json_log.requests()] == [kept["X-Request-ID"], replaced["X-Request-ID"]]


def test_django_s_own_line_about_a_request_carries_that_request_s_id(json_log, client, db):
    answer = client.get("/no-such-page/?q=Mrs+Garcia")
    assert answer.status_code == 404
    by_logger = {line["logger"]: line for line in json_log.lines()}
    assert by_logger["django.request"]["message"] == "Not Found: /no-such-page/"
    assert by_logger["django.request"]["request_id"] == by_logger["bridge.request"]["request_id"]
    assert by_logger["bridge.request"]["request_id"] == answer["X-Request-ID"]
    assert "Garcia" not in json_log.text()


def test_an_error_is_logged_by_type_and_frames_without_its_text_or_text_values(json_log):
    # Given a database-like error quoting the row it refused, logged the way Celery logs a failed task
    def store():
        raise ValueError('new row violates check constraint: Failing row contains (7, "pt John Smith")')

    try:
        store()
    except ValueError as error:
        logging.getLogger("celery.app.trace").error(
            "Task %(name)s[%(id)s] raised unexpected: %(exc)s after %(seconds)s s",
            {"name": "scoring.tasks.recompute_stale_task", "id": "abc", "exc": repr(error), "seconds": 1.5},
            exc_info=True,
        )

    # Then the line has the error's type and where it happened, numbers kept, text values redacted
    [line] = json_log.lines()
    assert line["message"] == "Task [redacted][[redacted]] raised unexpected: [redacted] after 1.5 s"
    assert line["exc_type"] == "builtins.ValueError"
    assert [frame.rsplit(" ", 1)[1] for frame in line["stack"]] == [
        "test_an_error_is_logged_by_type_and_frames_without_its_text_or_text_values",
        "store",
    ]
    assert "John Smith" not in json_log.text()
    assert "Failing row" not in json_log.text()


def test_an_unknown_log_format_is_refused_at_start():
    result = run([sys.executable, "manage.py", "check"], env=app_env(LOG_FORMAT="xml"), check=False)
    assert result.returncode != 0
    assert "LOG_FORMAT must be text or json." in result.stderr
