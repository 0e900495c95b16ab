"""Single sign-on through OpenID Connect, against a real provider process (tests/oidc_provider).

Bridge itself runs as its own process here, configured only by OIDC_* environment variables, with
DEBUG off; the browser signs in at the provider and comes back. The provider says who someone is;
Bridge maps them to an existing account by username or e-mail, and roles stay Bridge's groups.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from intake.models import Role, User
from tests.factories import UserFactory
from tests.processes import database_url_for_processes, free_port
from tests.servers import ROOT, gunicorn

from .conftest import axe_serious_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLIENT_ID, CLIENT_SECRET = "bridge", "bridge-client-secret-for-tests"
PROVIDER_USERS = {
    "casey": ("casey-network-pass", "casey@hospital.example"),
    "dr.ng": ("ng-network-pass", "ng@hospital.example"),
    "stranger": ("stranger-network-pass", "stranger@hospital.example"),
    "admin": ("admin-network-pass", "admin@hospital.example"),
}
NO_ACCOUNT = "Single sign-on worked, but no Bridge account that may sign in matches you."


@pytest.fixture(scope="module")
def ports():
    return {"bridge": free_port(), "provider": free_port()}


@pytest.fixture(scope="module")
def provider(ports, tmp_path_factory):
    work = tmp_path_factory.mktemp("provider")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OP_DATABASE": str(work / "provider.sqlite3"),
        "OP_SITE_URL": f"http://127.0.0.1:{ports['provider']}",
        "OP_CLIENT_ID": CLIENT_ID,
        "OP_CLIENT_SECRET": CLIENT_SECRET,
        "OP_REDIRECT_URI": f"http://localhost:{ports['bridge']}/oidc/callback/",
        "OP_USERS": "\n".join(f"{name}:{password}:{email}" for name, (password, email) in PROVIDER_USERS.items()),
    }
    subprocess.run([sys.executable, "-m", "tests.oidc_provider.seed"], cwd=ROOT, env=env, check=True, timeout=120)
    with gunicorn(
        "django.core.wsgi:get_wsgi_application()",
        env,
        log_path=work / "provider.log",
        ready_path="/openid/.well-known/openid-configuration",
        port=ports["provider"],
    ) as served:
        yield served


@pytest.fixture(scope="module")
def bridge(django_db_setup, ports, provider, tmp_path_factory):
    """Bridge with single sign-on configured by environment variables only, DEBUG off."""
    work = tmp_path_factory.mktemp("bridge")
    openid = f"http://127.0.0.1:{ports['provider']}/openid"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": database_url_for_processes(),
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "OIDC_RP_CLIENT_ID": CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{openid}/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": f"{openid}/token",
        "OIDC_OP_USER_ENDPOINT": f"{openid}/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": f"{openid}/jwks",
        "OIDC_PROVIDER_NAME": "the hospital network",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    with gunicorn("config.wsgi:application", env, log_path=work / "bridge.log", port=ports["bridge"]) as served:
        yield f"http://localhost:{ports['bridge']}"
    assert "Traceback" not in served.log(), served.log()


def sign_in_at_the_provider(page, bridge: str, username: str) -> None:
    page.goto(f"{bridge}/login/")
    page.get_by_role("link", name="Log in with the hospital network").click()
    page.get_by_label("Network username").fill(username)
    page.get_by_label("Network password").fill(PROVIDER_USERS[username][0])
    page.get_by_role("button", name="Sign in to the hospital network").click()
    page.wait_for_load_state("networkidle")


def test_an_it_lead_signs_in_through_the_provider_and_keeps_the_bridge_role(page, bridge, site):
    UserFactory(username="casey", role=Role.IT_LEAD, home_site=site)
    page.goto(f"{bridge}/login/")
    assert axe_serious_violations(page) == []
    screenshot(page, "login-with-sso")

    sign_in_at_the_provider(page, bridge, "casey")

    assert page.url == f"{bridge}/backlog/"
    assert page.locator(".who").inner_text().startswith("casey")
    assert page.get_by_role("link", name="API tokens").is_visible()


def test_a_provider_user_is_matched_by_email_and_gets_no_role_from_the_provider(page, bridge, site):
    UserFactory(username="nguyen", email="ng@hospital.example", home_site=site)  # no role in Bridge

    sign_in_at_the_provider(page, bridge, "dr.ng")

    assert page.url == f"{bridge}/"  # no role: the page that says whom to ask, not a 403
    assert page.get_by_role("heading", name="Your account has no role yet").is_visible()
    assert page.locator(".who").inner_text().startswith("nguyen")
    assert list(User.objects.get(username="nguyen").groups.all()) == []


def test_a_provider_user_without_a_bridge_account_is_not_let_in(page, bridge, site):
    users_before = User.objects.count()

    sign_in_at_the_provider(page, bridge, "stranger")

    assert page.url == f"{bridge}/login/"
    assert NO_ACCOUNT in page.get_by_role("status").inner_text()
    assert User.objects.count() == users_before
    page.goto(f"{bridge}/backlog/")
    assert page.url == f"{bridge}/login/?next=/backlog/"


def test_a_demo_account_cannot_sign_in_through_the_provider_outside_debug(page, bridge, site):
    User.objects.create_superuser("admin", password="bridge-demo", is_demo=True, home_site=site)

    sign_in_at_the_provider(page, bridge, "admin")

    assert page.url == f"{bridge}/login/"
    assert NO_ACCOUNT in page.get_by_role("status").inner_text()


def test_local_passwords_keep_working_with_single_sign_on_on(page, bridge, site):
    UserFactory(username="casey", role=Role.IT_LEAD, home_site=site)

    page.goto(f"{bridge}/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password", exact=True).fill("pass-word-123")
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_load_state("networkidle")

    assert page.url == f"{bridge}/backlog/"
