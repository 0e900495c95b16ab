"""A demo-style user logs in through the browser and lands where their role works."""

import pytest

from intake.models import Role

from .conftest import axe_serious_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_wrong_password_is_refused_with_a_message(page, live_server, users):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("clinician")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    # The click returns before the refused POST has answered: wait for the message it renders.
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert alert.is_visible()
    assert "/login/" in page.url
    assert axe_serious_violations(page) == []
    screenshot(page, "login-refused")


def test_anonymous_user_is_sent_to_login(page, live_server, db):
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url


@pytest.mark.parametrize(
    ("role", "lands_on"),
    [(Role.CLINICIAN, "/intake/"), (Role.PRODUCT_MANAGER, "/backlog/"), (Role.IT_LEAD, "/backlog/")],
)
def test_each_role_lands_where_it_works(phone_page, login, live_server, users, role, lands_on):
    login(phone_page, users[role])

    assert phone_page.url == f"{live_server.url}{lands_on}"
    assert phone_page.get_by_role("link", name="Log out").count() == 0
    assert phone_page.get_by_role("button", name="Log out").is_visible()
