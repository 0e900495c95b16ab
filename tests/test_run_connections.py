"""`make run` on PostgreSQL keeps its database connections bounded (docs/deploy.md).

runserver answers each request on a thread of its own. With persistent connections every thread
kept one open after a burst (52–65 idle connections were seen, most of a default max_connections of
100 on a shared server); in development a connection now lives for one request.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from tests.processes import database_url_for_processes, free_port, wait_for

ROOT = Path(__file__).resolve().parents[1]
BURST = 40


def _status(url: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": "Token not-a-token"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def _connections(application_name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [application_name])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_development_server_holds_no_idle_connections_after_a_burst(tmp_path):
    # Given the development server `make run` starts (DEBUG on), against PostgreSQL
    port = free_port()
    application_name = f"bridge-run-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": database_url_for_processes(),
        "DB_APPLICATION_NAME": application_name,
        "CELERY_ENABLED": "false",
    }
    env.pop("DB_CONN_MAX_AGE", None)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api/v1/sites/"
    try:
        wait_for(lambda: _status(url) == 401, what="runserver")

        # When a burst of concurrent API requests, each looking up a token in the database, is served
        with ThreadPoolExecutor(max_workers=BURST) as pool:
            statuses = list(pool.map(_status, [url] * BURST))
        assert statuses == [401] * BURST

        # Then no connection stays open once the requests are answered
        wait_for(lambda: _connections(application_name) == 0, timeout=10, what="the connections to close")
    finally:
        server.terminate()
        server.wait(timeout=20)
