"""Account pages in a real browser, under the Content-Security-Policy (the page fixtures fail on any
violation): the API token page on a phone, the API docs, the admin's login audit, the lockout page."""

import pytest
from django.test import Client

from intake.auth.models import ApiToken
from intake.models import Role, User

from .conftest import axe_serious_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_it_lead_creates_and_revokes_a_token_on_a_phone(phone_page, login, live_server, users):
    page = phone_page
    login(page, users[Role.IT_LEAD])
    page.get_by_role("link", name="API tokens").click()

    page.get_by_label("Name").fill("Jira sync")
    page.get_by_label("Name").press("Enter")

    key = page.get_by_label("Copy it now: it is shown only this once")
    assert key.input_value().startswith("bridge_")
    row = page.get_by_role("row", name="Jira sync")
    assert "Active" in row.inner_text() and "never" in row.inner_text()
    assert axe_serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "tokens-created-phone")

    revoke = row.get_by_role("button", name="Revoke token Jira sync")
    revoke.focus()
    page.keyboard.press("Enter")

    page.get_by_text("Token “Jira sync” revoked: it no longer works.").wait_for()
    assert page.get_by_text("You have no API tokens.").is_visible()
    assert ApiToken.objects.count() == 0


def test_the_api_docs_work_under_the_policy(page, login, live_server, users):
    login(page, users[Role.IT_LEAD])
    page.get_by_role("link", name="API docs").click()

    page.get_by_role("heading", name="Bridge API").wait_for()
    page.get_by_text("/api/v1/auth/tokens/", exact=True).first.wait_for()
    screenshot(page, "api-docs")


def test_the_admin_shows_the_login_audit(page, live_server, users):
    User.objects.create_superuser("root", password="pass-word-123")
    Client().post("/login/", {"username": "clinician", "password": "wrong"}, REMOTE_ADDR="198.51.100.4")

    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("pass-word-123")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/axes/accessfailurelog/")

    assert page.get_by_role("link", name="clinician").count() + page.get_by_text("198.51.100.4").count() >= 1
    page.goto(f"{live_server.url}/admin/axes/accesslog/")
    assert page.get_by_text("root").first.is_visible()
    screenshot(page, "admin-login-audit")


def test_a_locked_out_user_is_told_why_and_for_how_long(page, live_server, users, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client().post("/login/", {"username": "clinician", "password": f"guess-{n}"}, REMOTE_ADDR="198.51.100.5")

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("clinician")
    page.get_by_label("Password").fill("pass-word-123")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("heading", name="Sign-in locked for now").wait_for()
    assert "Sign-in is locked for 15 minutes" in page.get_by_role("alert").inner_text()
    assert axe_serious_violations(page) == []
    screenshot(page, "login-locked")
