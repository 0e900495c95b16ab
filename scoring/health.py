"""Liveness and readiness, for load balancers, systemd and monitors (docs/deploy.md).

`GET /healthz`: the process answers; it touches nothing else (no database, no broker, no session).
`GET /readyz`: the database and the broker answer, and how far recomputes are behind: the number of
problems whose score is pending and how long the longest-waiting one has waited. 503 names the
dependency that failed. Both are anonymous and carry no free text, no hosts and no error texts.

Readiness never hangs: the checks run in threads of their own, each with its own timeout (connect,
statement, socket), and the answer is given when READYZ_TIMEOUT_SECONDS is up whatever they are
doing; a check that has not finished by then counts as failed. The database check opens a
connection of its own (and closes it): "can a new request get a connection" is the question.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

from .selectors import StaleSummary, stale_summary

logger = logging.getLogger(__name__)

OK, UNAVAILABLE, DISABLED = "ok", "unavailable", "disabled"


def broker_reachable(url: str, *, timeout: float) -> bool:
    """Whether a Celery broker answers at `url`, whatever its transport (redis://, amqp://, …):
    kombu connects (for Redis that includes a PING; for AMQP the login to the vhost)."""
    broker = Connection(
        url, connect_timeout=timeout, transport_options={"socket_timeout": timeout, "socket_connect_timeout": timeout}
    )
    try:
        broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
        return True
    except Exception as error:  # noqa: BLE001 - each transport raises its own errors; any one means "not reachable"
        logger.warning("broker probe: unreachable (%s)", type(error).__name__)
        return False
    finally:
        broker.release()


@dataclass(frozen=True)
class Readiness:
    database: str
    broker: str
    stale: StaleSummary | None

    @property
    def ready(self) -> bool:
        return self.database == OK and self.broker in (OK, DISABLED)


class _Check(threading.Thread):
    """One check in a daemon thread: the request waits for it until the deadline, not longer."""

    def __init__(self, name: str, target):
        super().__init__(name=f"readiness-{name}", daemon=True)
        self.check_name, self.target, self.result, self.error = name, target, None, None

    def run(self) -> None:
        try:
            self.result = self.target()
        except Exception as error:  # noqa: BLE001 - any failure of a dependency means "not ready"
            self.error = error

    @property
    def finished(self) -> bool:
        return not self.is_alive() and self.error is None


class _Database:
    """A connection of this thread's own answers a query (the database is reachable), then the stale
    summary under a statement timeout. The summary scans problems and scores (as the sweep does): if
    it is slow, the database still counts as reachable and the summary is left out."""

    def __init__(self, timeout: float):
        self.timeout, self.reached = timeout, False

    def __call__(self) -> StaleSummary:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    if connection.vendor == "postgresql":
                        limit = f"{int(self.timeout * 1000)}ms"
                        cursor.execute("SELECT set_config('statement_timeout', %s, true)", [limit])
                    cursor.execute("SELECT 1")
                self.reached = True
                return stale_summary()
        finally:
            connection.close()


def readiness() -> Readiness:
    timeout = settings.READYZ_TIMEOUT_SECONDS
    database = _Database(timeout)
    checks = [_Check("database", database)]
    if settings.CELERY_ENABLED:
        checks.append(_Check("broker", lambda: broker_reachable(settings.CELERY_BROKER_URL, timeout=timeout)))
    deadline = time.monotonic() + timeout
    for check in checks:
        check.start()
    for check in checks:
        check.join(max(0.0, deadline - time.monotonic()))
        if check.is_alive():
            logger.warning("readiness: %s check still running after %.1fs", check.check_name, timeout)
        elif check.error is not None:
            logger.warning("readiness: %s check failed (%s)", check.check_name, type(check.error).__name__)
    summary, *broker = checks
    if not broker:
        broker_state = DISABLED
    else:
        broker_state = OK if broker[0].finished and broker[0].result is True else UNAVAILABLE
    return Readiness(
        database=OK if database.reached else UNAVAILABLE,
        broker=broker_state,
        stale=summary.result if summary.finished else None,
    )


@require_safe
@never_cache
def healthz(request):
    """The process is up. Nothing else is touched, so a database or broker outage never fails it."""
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request):
    state = readiness()
    body = {
        "status": OK if state.ready else UNAVAILABLE,
        "database": state.database,
        "broker": state.broker,
        "stale_problems": state.stale.problems if state.stale else None,
        "oldest_stale_seconds": round(state.stale.oldest_seconds, 1) if state.stale else None,
    }
    return JsonResponse(body, status=200 if state.ready else 503)
