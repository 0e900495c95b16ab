"""The attacks of issue 11 re-run against the app as production runs it: gunicorn, production settings,
a Redis cache, requests arriving through a TLS-terminating proxy (X-Forwarded-Proto: https).

- item 3: `admin`/`bridge-demo` reached /admin/ on a database that once had the demo;
- item 6: with Redis down every token call was a 500 (token auth and throttling used the cache);
- item 9: cookies and headers.

The server runs against this test's database and a private redis-server that the test stops.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from http.cookies import SimpleCookie

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.test import override_settings
from redis import Redis

from intake.auth.models import ApiToken
from intake.models import Role, User
from tests.factories import UserFactory
from tests.processes import PrivateRedis, database_url_for_processes, free_port
from tests.servers import ROOT, gunicorn

pytestmark = pytest.mark.django_db(transaction=True)


class FastPBKDF2(PBKDF2PasswordHasher):
    """Production's algorithm (its settings verify these hashes) at a test-sized iteration count."""

    iterations = 1000


# The test settings hash with MD5, which production settings do not accept: accounts the production
# server must sign in are made under this.
production_hashing = override_settings(PASSWORD_HASHERS=["tests.auth.test_production.FastPBKDF2"])

SECRET = "x7#Kq2!vL9pZr4@Wm8^Tn3&Yb6*Hc1$Jd5%Fg0(Se)Ua+Vo-Ix=Qk_"
PASSWORD = "pass-word-123"
USER_RATE = 30


def production_env(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_ENABLED": "false",
        **extra,
    }
    env.pop("DJANGO_DEBUG", None)
    env.pop("DEMO_PASSWORD", None)
    return env


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=production_env(DJANGO_STATIC_ROOT=str(root), DATABASE_URL="postgres://127.0.0.1/unused"),
        check=True,
        timeout=300,
    )
    return root


@pytest.fixture(scope="module")
def cache_redis(tmp_path_factory):
    redis = PrivateRedis(free_port(), tmp_path_factory.mktemp("redis"))
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture(scope="module")
def production(django_db_setup, static_root, cache_redis, tmp_path_factory):
    env = production_env(
        DATABASE_URL=database_url_for_processes(),
        DJANGO_STATIC_ROOT=str(static_root),
        REDIS_CACHE_URL=cache_redis.url(),
        CELERY_BROKER_URL=cache_redis.url(),
        API_THROTTLE_USER=f"{USER_RATE}/min",
        API_THROTTLE_ANON="60/min",
    )
    with gunicorn("config.wsgi:application", env, log_path=tmp_path_factory.mktemp("logs") / "gunicorn.log") as served:
        yield served
    assert "Traceback" not in served.log(), served.log()


class Proxied:
    """A client reaching the app through the TLS proxy: cookies kept by hand (they are Secure)."""

    def __init__(self, base: str):
        self.base, self.cookies, self.set_cookies = base, {}, []

    def request(self, method: str, path: str, *, headers: dict | None = None, **kwargs) -> requests.Response:
        origin = "https://" + self.base.split("://", 1)[1]
        sent = {"X-Forwarded-Proto": "https", "Referer": origin + path, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = requests.request(method, self.base + path, headers=sent, allow_redirects=False, timeout=30, **kwargs)
        for raw in response.raw.headers.getlist("Set-Cookie"):
            self.set_cookies.append(raw)
            for name, morsel in SimpleCookie(raw).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response

    def login(self, path: str, username: str, password: str) -> requests.Response:
        self.request("GET", path)
        return self.request(
            "POST",
            path,
            data={"username": username, "password": password, "csrfmiddlewaretoken": self.cookies["csrftoken"]},
        )


def cookie_flags(raw: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in raw.split(";")[1:]}


def test_plain_http_is_sent_to_https(production):
    response = requests.get(production.url + "/login/", allow_redirects=False, timeout=30)

    assert response.status_code == 301
    assert response.headers["Location"] == "https://127.0.0.1:" + production.url.rsplit(":", 1)[1] + "/login/"


def test_cookies_are_secure_and_http_only_and_headers_are_set(production, site):
    with production_hashing:
        UserFactory(username="clinician", role=Role.CLINICIAN, home_site=site)
    client = Proxied(production.url)

    page = client.request("GET", "/login/")
    logged_in = client.login("/login/", "clinician", PASSWORD)

    assert page.status_code == 200
    assert logged_in.status_code == 302
    session = next(raw for raw in client.set_cookies if raw.startswith("sessionid="))
    csrf = next(raw for raw in client.set_cookies if raw.startswith("csrftoken="))
    assert {"secure", "httponly", "samesite"} <= cookie_flags(session)
    assert not {"expires", "max-age"} & cookie_flags(session)  # ends with the browser
    assert {"secure", "httponly", "samesite"} <= cookie_flags(csrf)
    headers = page.headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    script_src = re.search(r"script-src ([^;]*)", headers["Content-Security-Policy"]).group(1)
    assert script_src == "'self'"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_the_demo_admin_cannot_reach_the_admin_on_a_database_that_had_the_demo(production, monkeypatch):
    # Given a database that once had the demo loaded (with DEBUG on, as load_demo requires)
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with override_settings(DEBUG=True), production_hashing, open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    client = Proxied(production.url)

    # When the attacker logs in to the admin with the published password
    attempt = client.login("/admin/login/?next=/admin/", "admin", "bridge-demo")
    admin = client.request("GET", "/admin/")
    token = client.request("POST", "/api/v1/auth/token/", json={"username": "itlead", "password": "bridge-demo"})

    # Then the login form comes back with its error, the admin stays closed and no token is issued
    assert attempt.status_code == 200
    assert "Please enter the correct username and password" in attempt.text
    assert "sessionid" not in client.cookies
    assert (admin.status_code, admin.headers["Location"]) == (302, "/admin/login/?next=/admin/")
    assert (token.status_code, token.json()) == (
        400,
        {"non_field_errors": ["Unable to log in with the username and password given."]},
    )
    # (the same request opens the admin for an account that is not a demo account)
    User.objects.filter(username="admin").update(is_demo=False)
    control = Proxied(production.url)
    assert control.login("/admin/login/?next=/admin/", "admin", "bridge-demo").status_code == 302
    assert control.request("GET", "/admin/").status_code == 200


def test_with_redis_down_the_api_and_pages_keep_serving_and_tokens_are_still_checked(production, cache_redis, site):
    with production_hashing:
        itlead = UserFactory(username="itlead2", role=Role.IT_LEAD, home_site=site)
        other = UserFactory(username="itlead3", role=Role.IT_LEAD, home_site=site)
    api = Proxied(production.url)
    key = api.request("POST", "/api/v1/auth/token/", json={"username": "itlead2", "password": PASSWORD}).json()["token"]
    spare = api.request("POST", "/api/v1/auth/token/", json={"username": "itlead2", "password": PASSWORD}).json()
    browser = Proxied(production.url)
    assert browser.login("/login/", "itlead2", PASSWORD).status_code == 302
    auth = {"Authorization": f"Token {key}"}
    assert api.request("GET", "/api/v1/backlog/", headers=auth).status_code == 200
    assert Redis(port=cache_redis.port).dbsize() > 0  # the rate-limit counts are in Redis while it is up

    # When Redis stops
    cache_redis.stop()

    # Then token calls, the token endpoint and pages answer as before (no 500)
    answers = [api.request("GET", "/api/v1/backlog/", headers=auth).status_code for _ in range(5)]
    answers.append(api.request("GET", "/api/v1/sites/", headers=auth).status_code)
    new_token = api.request("POST", "/api/v1/auth/token/", json={"username": "itlead2", "password": PASSWORD})
    page = browser.request("GET", "/backlog/")
    assert answers == [200] * 6
    assert new_token.status_code == 200
    assert page.status_code == 200
    # And tokens are still checked against the database: a revoked one is refused at once
    ApiToken.objects.filter(pk=spare["id"]).delete()
    revoked = api.request("GET", "/api/v1/backlog/", headers={"Authorization": f"Token {spare['token']}"})
    assert revoked.status_code == 401
    # And throttling still works, counted by the process itself while Redis is away
    other_key = api.request("POST", "/api/v1/auth/token/", json={"username": other.username, "password": PASSWORD})
    other_auth = {"Authorization": f"Token {other_key.json()['token']}"}
    burst = [api.request("GET", "/api/v1/sites/", headers=other_auth).status_code for _ in range(USER_RATE + 2)]
    assert burst == [200] * USER_RATE + [429, 429]
    assert itlead.pk != other.pk
