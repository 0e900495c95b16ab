"""Test settings: real PostgreSQL and Redis, fast password hashing."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bridge")

from .base import *  # noqa: E402,F403
from .base import REST_FRAMEWORK, env_bool  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests drive recomputes in-process; worker tests (tests/scoring/test_worker_*.py) switch Celery on
# for themselves and for the worker they start, against a private redis-server on this port (never
# the shared Redis: those tests stop and restart their broker).
CELERY_ENABLED = env_bool("CELERY_ENABLED", False)
# One broker per parallel test process (pytest-xdist names them gw0, gw1, …), like the databases.
_XDIST_INDEX = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:])
# TEST_BROKER_PORT_BASE moves the whole range, so that two checkouts can run their suites at once.
TEST_BROKER_PORT = int(
    os.environ.get("TEST_BROKER_PORT") or int(os.environ.get("TEST_BROKER_PORT_BASE", "6391")) + _XDIST_INDEX
)
CELERY_BROKER_URL = f"redis://127.0.0.1:{TEST_BROKER_PORT}/0"
SCORE_COALESCE_URL = CELERY_BROKER_URL
# Worker tests hold a recompute open this long so they can kill the worker in the middle of it.
SCORE_TEST_PAUSE_SECONDS = float(os.environ.get("SCORE_TEST_PAUSE_SECONDS", "0"))
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
}
# Every search looks for what was written just before it (in production at most once a second).
SIMILAR_INDEX_REFRESH_SECONDS = float(os.environ.get("SIMILAR_INDEX_REFRESH_SECONDS", "0"))
# E-mails land in django.core.mail.outbox.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
BRIDGE_BASE_URL = "http://testserver"
