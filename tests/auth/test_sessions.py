"""Sessions on shared clinical workstations (issue 11, item 9: 14-day sessions, no idle logoff).

A session ends SESSION_IDLE_MINUTES after the user last did something; a page that polls (the
re-rank progress bar) does not keep it alive; it ends with the browser; a password change ends
the account's other sessions. Short limits here stand for the 30 minutes of production.
"""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from intake.auth.sessions import touch_seconds
from intake.models import Role
from scoring.models import RerankJob
from tests.factories import api_token_key

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"


def logged_in(username: str) -> Client:
    client = Client()
    assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def expiry(client: Client, key: str | None = None):
    return Session.objects.get(session_key=key or client.cookies["sessionid"].value).expire_date


def test_the_shipped_session_settings(settings):
    assert settings.SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_the_session_cookie_ends_with_the_browser_and_scripts_cannot_read_it(users):
    client = Client()
    response = client.post("/login/", {"username": "clinician", "password": PASSWORD})

    cookie = response.cookies["sessionid"]
    assert (cookie["expires"], cookie["max-age"]) == ("", "")
    assert cookie["httponly"] is True
    assert Client().get("/login/").cookies["csrftoken"]["httponly"] is True


def test_activity_keeps_a_session_and_idleness_ends_it(users, settings):
    settings.SESSION_COOKIE_AGE = 4  # the idle limit, in seconds here
    client = logged_in("clinician")
    started = expiry(client)

    # Given the user keeps working (each request more than the touch interval apart)
    for _ in range(2):
        time.sleep(touch_seconds() + 0.1)
        assert client.get("/my/").status_code == 200
    # Then the session's end moves on with the activity
    assert expiry(client) > started

    # When the user leaves the workstation for longer than the limit
    time.sleep(settings.SESSION_COOKIE_AGE + 0.5)
    response = client.get("/my/")

    # Then the session has ended: the next page asks for a login
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/my/")


def test_a_polling_progress_bar_does_not_keep_a_session_alive(users, settings):
    settings.SESSION_COOKIE_AGE = 4
    job = RerankJob.objects.create(policy_version=1)
    client = logged_in("product_manager")
    key = client.cookies["sessionid"].value
    started = expiry(client)
    poll = f"/scoring/jobs/{job.pk}/progress/"

    # Given the policy page left open, polling its progress every second past the limit
    answers = []
    deadline = time.monotonic() + settings.SESSION_COOKIE_AGE + 0.5
    while time.monotonic() < deadline:
        answers.append(client.get(poll, HTTP_HX_REQUEST="true").status_code)
        time.sleep(0.5)

    # Then the polls did not move the session's end, and it ended
    assert set(answers[:2]) == {200}
    assert expiry(client, key) == started
    ended = client.get(poll, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/scoring/policy/?job=1")
    # And htmx is told to load the login page as a whole page, coming back to the page it was on
    assert ended.status_code == 200
    assert ended["HX-Redirect"] == "/login/?next=%2Fscoring%2Fpolicy%2F%3Fjob%3D1"


def test_a_password_change_ends_the_accounts_other_sessions_and_its_tokens(users):
    workstation = logged_in("it_lead")
    phone = logged_in("it_lead")
    key = api_token_key(users[Role.IT_LEAD])

    changed = phone.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "harbor-lights-4217", "new_password2": "harbor-lights-4217"},
    )

    assert (changed.status_code, changed["Location"]) == (302, "/account/password/done/")
    assert phone.get("/backlog/").status_code == 200
    assert workstation.get("/backlog/")["Location"] == "/login/?next=/backlog/"
    assert Client().get("/api/v1/backlog/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_the_password_change_page_applies_the_password_validators(users):
    client = logged_in("clinician")

    response = client.post(
        "/account/password/", {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "This password is too common." in html
    assert "This password is entirely numeric." in html
