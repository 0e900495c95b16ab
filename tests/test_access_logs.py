"""No request URL carrying free text reaches an access log (docs/deploy.md): the development server's
request log and gunicorn's access log (off in deploy/gunicorn.conf.py; here switched on), captured from
real requests to real servers."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
SECRET = "Zebulon Quartermaine"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def serve_and_request(command: list[str], port: int) -> str:
    """Start the server, GET the similar search with free text in `q`, stop it; its whole log."""
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/api/v1/problems/similar/?q={SECRET.replace(' ', '+')}+med+rec"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=60)
            except urllib.error.HTTPError as answered:
                status = answered.code
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
            else:
                status = 200
                break
        assert status == 401
        time.sleep(0.5)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    return output


@pytest.mark.django_db
def test_the_development_servers_request_log_has_no_query_string():
    port = free_port()
    log = serve_and_request([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"], port)

    assert '"GET /api/v1/problems/similar/?… HTTP/1.1" 401' in log
    assert "Zebulon" not in log and "Quartermaine" not in log


@pytest.mark.django_db
def test_gunicorns_access_log_has_no_query_string():
    port = free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "--config", "deploy/gunicorn.conf.py", "config.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--access-logfile", "-"]
    log = serve_and_request(command, port)

    assert '"GET /api/v1/problems/similar/ HTTP/1.1" 401' in log
    assert "Zebulon" not in log and "Quartermaine" not in log
