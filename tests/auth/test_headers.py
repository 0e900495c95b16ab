"""Security headers (issue 11, item 9: no Content-Security-Policy), in development settings too,
and `manage.py check --deploy` clean under production settings."""

import os
import re
import subprocess
import sys

import pytest

from tests.servers import ROOT

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def directives(policy: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_every_page_carries_the_policy_and_the_framing_and_referrer_rules(client, users):
    client.force_login(users["it_lead"])

    for path in ("/login/", "/backlog/", "/tokens/", "/api/docs/", "/api/v1/backlog/"):
        response = client.get(path, follow=path == "/login/")
        assert directives(response["Content-Security-Policy"]) == directives(POLICY), path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert response["X-Content-Type-Options"] == "nosniff", path


def test_no_page_has_an_inline_script(client, users):
    client.force_login(users["product_manager"])

    for path in ("/backlog/", "/scoring/policy/", "/api/docs/", "/tokens/"):
        html = client.get(path).content.decode()
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
        assert scripts, path
        assert [attrs for attrs, body in scripts if "src=" not in attrs or body.strip()] == [], path


def test_the_api_docs_load_their_start_up_script_from_a_url(client, users):
    client.force_login(users["it_lead"])
    html = client.get("/api/docs/").content.decode()

    script = re.findall(r'<script src="([^"]+)"', html)[-1]
    response = client.get(script.replace("&amp;", "&"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in response.content.decode()


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x7#Kq2!vL9pZr4@Wm8^Tn3&Yb6*Hc1$Jd5%Fg0(Se)Ua+Vo-Ix=Qk_",
        "DJANGO_ALLOWED_HOSTS": "bridge.example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    }
    env.pop("DJANGO_DEBUG", None)

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
