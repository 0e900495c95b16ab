"""Brute force (issue 11, item 2): sign-in locks per username and per address, on every way in.

The attack run found /login/ answering 230 guesses a minute, the token endpoint's throttle keyed on
a client-set X-Forwarded-For (437 of 437 rotated tries without a 429), and the right password
still working after 520 failures. Each case below is that attack re-run; the answers are the
safe ones. Settings are the shipped defaults: 10 failures, 15 minutes of cool-off.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.cache import cache
from django.db.models import F
from django.test import Client
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from intake.auth.client import client_address
from intake.auth.models import ApiToken
from intake.models import User

pytestmark = pytest.mark.django_db

LIMIT = 10
PASSWORD = "pass-word-123"
LOCKED = (
    "Too many failed sign-ins for this account or from this address. Sign-in is locked for 15 minutes; "
    "every further failed try starts the wait again."
)


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    cache.clear()  # rate-limit counts live in the cache, which outlives each test's database rollback
    yield
    cache.clear()


def login(client, username, password, *, addr="203.0.113.7", **headers):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=addr, **headers)


def token(client, username, password, *, addr="203.0.113.7", **headers):
    return client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json", REMOTE_ADDR=addr, **headers
    )


def test_the_shipped_limits(settings):
    assert (settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME) == (LIMIT, timedelta(minutes=15))
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_guessing_one_password_on_the_login_page_locks_the_account_and_the_right_password_stops_working(client, users):
    # Given an attacker guessing the clinician's password from one address, 30 times
    answers = [login(client, "clinician", f"guess-{n}").status_code for n in range(30)]

    # Then nine failures get the form again and every answer from the tenth on is 429
    assert answers == [200] * (LIMIT - 1) + [429] * (30 - LIMIT + 1)
    # And the right password is refused too, with the lockout page, and no session starts
    right = login(client, "clinician", PASSWORD)
    assert right.status_code == 429
    assert LOCKED in right.content.decode()
    assert right["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session


def test_rotating_addresses_does_not_help_against_one_account(client, users):
    answers = [login(client, "clinician", "guess", addr=f"198.51.100.{n}").status_code for n in range(1, 16)]

    assert answers == [200] * (LIMIT - 1) + [429] * (15 - LIMIT + 1)
    # The account is locked from any address, even a colleague's workstation…
    assert login(client, "clinician", PASSWORD, addr="192.0.2.200").status_code == 429
    # …while other accounts sign in from the addresses the guesses came from
    assert login(client, "product_manager", PASSWORD, addr="198.51.100.1").status_code == 302


def test_one_address_trying_many_accounts_is_locked(client, users):
    # Given password spraying: one common password against many usernames from one address
    answers = [login(client, f"staff{n}", "Winter2024!", addr="203.0.113.9").status_code for n in range(15)]

    assert answers == [200] * (LIMIT - 1) + [429] * (15 - LIMIT + 1)
    # Then a real user's right password from that address is refused…
    assert login(client, "clinician", PASSWORD, addr="203.0.113.9").status_code == 429
    # …and the same account signs in from its own workstation
    assert login(client, "clinician", PASSWORD, addr="10.1.2.3").status_code == 302


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(client, users, settings):
    settings.TRUSTED_PROXY_COUNT = 0

    answers = [
        login(client, f"staff{n}", "x", addr="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.0.{n}.1").status_code
        for n in range(12)
    ]

    assert answers == [200] * (LIMIT - 1) + [429] * 3
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_behind_a_trusted_proxy_the_address_it_appended_counts_and_what_the_client_sent_does_not(
    client, users, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    # Given a client behind our proxy (10.0.0.2), prepending a new fake address on each try
    answers = [
        login(client, f"staff{n}", "x", addr="10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.50").status_code
        for n in range(12)
    ]

    # Then it is counted under the address the proxy saw, and locked
    assert answers == [200] * (LIMIT - 1) + [429] * 3
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {"203.0.113.50"}
    # And another client behind the same proxy is not
    assert login(client, "clinician", PASSWORD, addr="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.51").status_code == 302


def test_signing_in_to_your_own_account_does_not_reset_the_count_against_another(client, users):
    # Given nine guesses at the product manager's password from the attacker's address
    assert [login(client, "product_manager", f"guess-{n}", addr="203.0.113.7").status_code for n in range(9)] == [
        200
    ] * 9
    # When the attacker signs in to an account of their own from the same address
    assert login(client, "clinician", PASSWORD, addr="203.0.113.7").status_code == 302
    client.logout()

    # Then the count against the product manager was not reset: the tenth guess, from elsewhere, locks it
    assert login(client, "product_manager", "guess-9", addr="198.51.100.77").status_code == 429
    assert login(client, "product_manager", PASSWORD, addr="192.0.2.1").status_code == 429


def test_the_lock_lifts_after_the_cool_off(client, users, settings):
    for n in range(LIMIT):
        login(client, "clinician", f"guess-{n}")
    assert login(client, "clinician", PASSWORD).status_code == 429

    # Given the cool-off has passed since the last failure
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))

    assert login(client, "clinician", PASSWORD).status_code == 302


def test_the_token_endpoint_shares_the_lockout_and_answers_429_json(users):
    api = APIClient()

    answers = [token(api, "it_lead", f"guess-{n}") for n in range(30)]

    assert [a.status_code for a in answers] == [400] * (LIMIT - 1) + [429] * (30 - LIMIT + 1)
    assert answers[0].json() == {"non_field_errors": ["Unable to log in with the username and password given."]}
    assert answers[-1].json() == {"detail": LOCKED}
    assert answers[-1]["Retry-After"] == "900"
    # The right password gets no token while locked, through the API or the login page
    right = token(api, "it_lead", PASSWORD)
    assert (right.status_code, right.json()) == (429, {"detail": LOCKED})
    assert ApiToken.objects.count() == 0
    assert login(Client(), "it_lead", PASSWORD, addr="192.0.2.9").status_code == 429


def test_rotating_x_forwarded_for_on_the_token_endpoint_meets_the_throttle(users, monkeypatch, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "5/min", "user": "1000/min"})
    api = APIClient()

    answers = [token(api, f"staff{n}", "x", HTTP_X_FORWARDED_FOR=f"198.51.{n}.{n}").status_code for n in range(8)]

    assert answers == [400] * 5 + [429] * 3


def test_behind_a_trusted_proxy_clients_are_throttled_one_by_one(users, monkeypatch, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "5/min", "user": "1000/min"})
    api = APIClient()

    one_client = [
        token(api, "x", "x", addr="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.60").status_code for _ in range(7)
    ]
    other_client = token(api, "x", "x", addr="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.61").status_code

    assert one_client == [400] * 5 + [429] * 2
    assert other_client == 400


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        (0, "203.0.113.7", "", "203.0.113.7"),
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        (1, "10.0.0.2", "198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (2, "10.0.0.3", "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "10.0.0.3", "198.51.100.1", "10.0.0.3"),  # shorter than the proxy chain: the header was not ours
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (1, "10.0.0.2", "2001:db8::1", "2001:db8::1"),
        (0, "", "", None),
    ],
)
def test_the_client_address_rule(rf, settings, proxies, remote, forwarded, client):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == client


def test_the_login_audit_records_successes_failures_and_lockouts_and_admins_read_it(client, users):
    for n in range(LIMIT):
        login(client, "informatics", f"guess-{n}", addr="203.0.113.7")
    assert login(client, "clinician", PASSWORD, addr="192.0.2.10").status_code == 302
    client.logout()
    assert token(APIClient(), "it_lead", PASSWORD, addr="192.0.2.11").status_code == 200

    failures = list(AccessFailureLog.objects.order_by("id").values_list("username", "ip_address", "locked_out"))
    assert failures == [("informatics", "203.0.113.7", False)] * (LIMIT - 1) + [("informatics", "203.0.113.7", True)]
    successes = list(AccessLog.objects.order_by("id").values_list("username", "ip_address", "path_info"))
    assert successes == [("clinician", "192.0.2.10", "/login/"), ("it_lead", "192.0.2.11", "/api/v1/auth/token/")]
    assert AccessLog.objects.get(username="clinician").logout_time is not None

    admin = APIClient()
    admin.force_login(User.objects.create_superuser("root", password=PASSWORD))
    for page, shows in [
        ("/admin/axes/accesslog/", "it_lead"),
        ("/admin/axes/accessfailurelog/", "informatics"),
        ("/admin/axes/accessattempt/", "informatics"),
    ]:
        response = admin.get(page)
        assert response.status_code == 200, page
        assert shows in response.content.decode(), page
