"""A demo-style user logs in through the browser and lands where their role works."""

import pytest

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_wrong_password_is_refused_with_a_message(page, live_server, users):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("clinician")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("alert").is_visible()
    assert "/login/" in page.url
    screenshot(page, "login-refused")


def test_anonymous_user_is_sent_to_login(page, live_server, db):
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
