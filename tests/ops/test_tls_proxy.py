"""The TLS proxy of docs/deploy.md: deploy/nginx/bridge.conf in front of gunicorn, production settings.

nginx runs the example file as written, but for what an installation replaces anyway: the ports
(free ones here instead of 80 and 443), the certificate (a self-signed one made here), the upstream
(this gunicorn) and the log paths. Through it: HTTPS reaches the application as HTTPS (the proxy's
X-Forwarded-Proto; no redirect loop), plain HTTP is sent to HTTPS, nginx's request id is the one the
application logs and answers with, and no query string reaches either log.
"""

from __future__ import annotations

import http.client
import json
import ssl
import subprocess
import uuid

import pytest

from tests.processes import free_port, wait_for

from .conftest import INFORMATICS_PASSWORD
from .support import ROOT, VENV_BIN, Service, answers, app_env, run

HOST = "bridge.example.org"
EXAMPLE = ROOT / "deploy" / "nginx" / "bridge.conf"
SEARCH_TEXT = "wristband printer jams at registration"


def installed_config(tmp_path, *, http_port: int, https_port: int, web_port: int) -> str:
    """The example with this test's ports, certificate, upstream and log paths."""
    text = EXAMPLE.read_text()
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "/etc/ssl/certs/bridge.example.org.pem": str(tmp_path / "cert.pem"),
        "/etc/ssl/private/bridge.example.org.key": str(tmp_path / "key.pem"),
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{web_port};",
        "/var/log/nginx/bridge.access.log": str(tmp_path / "access.log"),
    }
    for old, new in replacements.items():
        assert old in text, f"deploy/nginx/bridge.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text


class Through:
    """HTTPS or HTTP requests to the proxy, with the site's name as the Host."""

    def __init__(self, *, http_port: int, https_port: int):
        self.http_port, self.https_port = http_port, https_port
        self.tls = ssl.create_default_context()
        self.tls.check_hostname = False
        self.tls.verify_mode = ssl.CERT_NONE  # our own self-signed certificate

    def request(self, method: str, path: str, *, secure: bool = True, body: dict | None = None, token: str = ""):
        if secure:
            connection = http.client.HTTPSConnection("127.0.0.1", self.https_port, context=self.tls, timeout=30)
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=30)
        headers = {"Host": HOST, "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Token {token}"
        payload = None
        if body is not None:
            payload, headers["Content-Type"] = json.dumps(body), "application/json"
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, dict(response.getheaders()), data


@pytest.fixture
def nginx(tmp_path, demo_copy, postgres):
    """gunicorn (production settings) behind nginx with the example configuration."""
    http_port, https_port, web_port = free_port(), free_port(), free_port()
    run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={HOST}"]
        + ["-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")]
    )
    (tmp_path / "bridge.conf").write_text(
        installed_config(tmp_path, http_port=http_port, https_port=https_port, web_port=web_port)
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  client_body_temp_path {tmp_path}/body;\n  proxy_temp_path {tmp_path}/proxy;\n"
        f"  include {tmp_path}/bridge.conf;\n}}\n"
    )
    web = Service(
        [str(VENV_BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "config.wsgi"],
        env=app_env(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            DJANGO_SECRET_KEY=f"proxy-test-{uuid.uuid4().hex}-not-for-production",
            DJANGO_ALLOWED_HOSTS=HOST,
            DATABASE_URL=postgres.url(demo_copy),
            CELERY_ENABLED="false",
            WEB_BIND=f"127.0.0.1:{web_port}",
            WEB_CONCURRENCY="2",
            LOG_FORMAT="json",
        ),
        log=tmp_path / "web.log",
    ).start()
    proxy = Service(
        ["nginx", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        env=app_env(),
        log=tmp_path / "nginx.out",
    ).start()
    try:
        wait_for(lambda: answers(f"http://127.0.0.1:{web_port}/healthz") or not web.alive(), what="gunicorn")
        assert web.alive(), web.output()
        wait_for(lambda: answers(f"http://127.0.0.1:{http_port}/") or not proxy.alive(), what="nginx")
        assert proxy.alive(), proxy.output() + (tmp_path / "error.log").read_text()
        yield Through(http_port=http_port, https_port=https_port), web, tmp_path / "access.log"
    finally:
        proxy.stop()
        web.stop()


def test_the_example_proxy_serves_the_app_over_https_with_one_request_id_and_no_query_strings(nginx):
    through, web, access_log = nginx

    # Plain HTTP is sent to HTTPS
    status, headers, _ = through.request("GET", "/api/v1/backlog/", secure=False)
    assert (status, headers["Location"]) == (301, f"https://{HOST}/api/v1/backlog/")
    # The probes answer through the proxy from an allowed address
    status, _, body = through.request("GET", "/readyz")
    assert (status, json.loads(body)["database"]) == (200, "ok")

    # An API client signs in over HTTPS, which reaches the application as HTTPS (no redirect, HSTS)
    status, headers, body = through.request(
        "POST", "/api/v1/auth/token/", body={"username": "ops.informatics", "password": INFORMATICS_PASSWORD}
    )
    assert status == 200, body
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    token = json.loads(body)["token"]
    status, _, body = through.request("GET", "/api/v1/backlog/?page_size=1", token=token)
    assert (status, len(json.loads(body)["results"])) == (200, 1)
    # and searches with free text in the query string
    status, headers, body = through.request(
        "GET", f"/api/v1/problems/similar/?q={SEARCH_TEXT.replace(' ', '+')}", token=token
    )
    assert status == 200, body
    request_id = headers["X-Request-ID"]

    # Then nginx's request id is the application's: in its answer and on its log line
    [line] = [
        json.loads(line)
        for line in web.output().splitlines()
        if line.startswith("{") and json.loads(line).get("request_id") == request_id
    ]
    assert (line["logger"], line["path"], line["status"]) == ("bridge.request", "/api/v1/problems/similar/", 200)
    assert len(request_id) == 32
    # and neither log has the search text
    wait_for(lambda: request_id in access_log.read_text(), timeout=10, what="nginx's access log line")
    for log in (access_log.read_text(), web.output()):
        assert "wristband" not in log
    assert '"GET /api/v1/problems/similar/" 200' in access_log.read_text()


def test_nginx_accepts_the_example_as_written(tmp_path):
    # The example, unchanged but for its certificate and log (nginx -t opens them), passes nginx's own check
    run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={HOST}"]
        + ["-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")]
    )
    text = EXAMPLE.read_text()
    text = text.replace("/etc/ssl/certs/bridge.example.org.pem", str(tmp_path / "cert.pem"))
    text = text.replace("/etc/ssl/private/bridge.example.org.key", str(tmp_path / "key.pem"))
    text = text.replace("/var/log/nginx/bridge.access.log", str(tmp_path / "access.log"))
    (tmp_path / "bridge.conf").write_text(text)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  include {tmp_path}/bridge.conf;\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
