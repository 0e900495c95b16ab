"""API tokens (§13): they expire, are stored hashed, are listed and revoked by their owner, and stop
working at once on a password change, a deactivation or a role removal (issue 11, item 2: tokens
never expired, survived a password change, and a deactivated user's token wrote for 60 s)."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db.models import F
from django.test import Client
from rest_framework.test import APIClient

from intake.auth.models import ApiToken
from intake.models import Evidence, Role, User
from tests.factories import ProblemFactory, api_token_key

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"


def days_ago(days: int, **extra) -> dict:
    """update() values that move a token's creation and expiry back in time, as if `days` had passed."""
    shift = timedelta(days=days, **extra)
    return {"created_at": F("created_at") - shift, "expires_at": F("expires_at") - shift}


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def note(client, problem):
    return client.post(f"/api/v1/problems/{problem.pk}/evidence/", {"kind": "note", "note": "Mondays too."})


@pytest.fixture
def problem(users, site):
    return ProblemFactory(submitted_by=users[Role.CLINICIAN])


def test_a_token_is_stored_only_as_a_digest(users):
    key = APIClient().post("/api/v1/auth/token/", {"username": "it_lead", "password": PASSWORD}).json()["token"]

    stored = ApiToken.objects.get()
    assert key.startswith("bridge_") and len(key) == len("bridge_") + 43
    assert stored.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(list(ApiToken.objects.values()))


def test_a_token_expires_after_api_token_days(users, settings):
    settings.API_TOKEN_DAYS = 7
    client = with_token(api_token_key(users[Role.IT_LEAD]))
    token = ApiToken.objects.get()
    assert token.expires_at - token.created_at == timedelta(days=7)
    assert client.get("/api/v1/backlog/").status_code == 200

    # Given the seven days have passed
    ApiToken.objects.update(**days_ago(7, seconds=1))
    response = client.get("/api/v1/backlog/")

    assert response.status_code == 401
    assert response.json() == {"detail": "This token has expired. Create a new one."}


def test_a_password_change_revokes_every_token_at_once(users, problem):
    clinician = users[Role.CLINICIAN]
    client = with_token(api_token_key(clinician))
    assert note(client, problem).status_code == 201

    clinician.set_password("a-new-pass-phrase-9")
    clinician.save()
    response = note(client, problem)

    assert response.status_code == 401
    assert response.json() == {"detail": "This token was revoked: the account's password changed after it was created."}
    assert Evidence.objects.count() == 1


def test_a_deactivated_users_token_cannot_write_even_once(users, problem):
    # The attack run: a deactivated user's token kept writing for 60 s (the token cache).
    clinician = users[Role.CLINICIAN]
    client = with_token(api_token_key(clinician))
    assert note(client, problem).status_code == 201

    User.objects.filter(pk=clinician.pk).update(is_active=False)
    response = note(client, problem)

    assert response.status_code == 401
    assert response.json() == {"detail": "This token was revoked: the account may not sign in."}
    assert Evidence.objects.count() == 1


def test_a_role_removal_revokes_and_a_role_added_later_is_not_granted(users, problem):
    pm = users[Role.PRODUCT_MANAGER]
    before = with_token(api_token_key(pm))
    clinician = users[Role.CLINICIAN]
    old = with_token(api_token_key(clinician))

    # When the product manager loses the role, and the clinician gains it
    pm.groups.remove(Group.objects.get(name=Role.PRODUCT_MANAGER))
    clinician.groups.add(Group.objects.get(name=Role.PRODUCT_MANAGER))

    refused = before.get("/api/v1/backlog/")
    assert refused.status_code == 401
    assert refused.json() == {
        "detail": "This token was revoked: a role it was created with was removed from the account."
    }
    # The clinician's old token still works, with the roles it was created with (no triage)…
    triage = old.patch(f"/api/v1/problems/{problem.pk}/", {"status": "triaged", "version": 1}, format="json")
    assert triage.status_code == 403
    # …and a new token carries the new role
    new = with_token(api_token_key(clinician))
    assert (
        new.patch(f"/api/v1/problems/{problem.pk}/", {"status": "triaged", "version": 1}, format="json").status_code
        == 200
    )


def test_admin_changes_revoke_for_good(users):
    """Deactivating (or removing a role) in the admin and undoing it does not bring the tokens back."""
    itlead = users[Role.IT_LEAD]
    client = with_token(api_token_key(itlead))
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", password=PASSWORD))
    form = {
        "username": "it_lead",
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "",
        "groups": [Group.objects.get(name=Role.IT_LEAD).pk],
        "home_site": itlead.home_site_id,
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "08:00:00",
    }

    deactivated = admin.post(f"/admin/intake/user/{itlead.pk}/change/", form)
    assert deactivated.status_code == 302
    assert client.get("/api/v1/backlog/").status_code == 401
    reactivated = admin.post(f"/admin/intake/user/{itlead.pk}/change/", {**form, "is_active": "on"})

    assert reactivated.status_code == 302
    assert User.objects.get(pk=itlead.pk).is_active
    assert client.get("/api/v1/backlog/").status_code == 401
    assert ApiToken.objects.filter(user=itlead).count() == 0


def test_owners_list_their_own_tokens_with_their_state(users, settings):
    itlead, clinician = users[Role.IT_LEAD], users[Role.CLINICIAN]
    first = api_token_key(itlead, name="Jira sync")
    api_token_key(itlead, name="Dashboard")
    api_token_key(clinician, name="Not yours")
    ApiToken.objects.filter(name="Dashboard").update(**days_ago(31))
    client = with_token(first)
    client.get("/api/v1/sites/")  # records the token's use

    listing = client.get("/api/v1/auth/tokens/")

    assert listing.status_code == 200
    rows = listing.json()["results"]
    assert [(r["name"], r["state"], r["roles"]) for r in rows] == [
        ("Dashboard", "expired", ["it_lead"]),
        ("Jira sync", "active", ["it_lead"]),
    ]
    assert set(rows[0]) == {"id", "name", "roles", "created_at", "expires_at", "last_used_at", "state"}
    assert rows[0]["last_used_at"] is None and rows[1]["last_used_at"] is not None
    assert "token" not in rows[0] and "digest" not in rows[0]


def test_revoking_a_token_stops_it_at_once_and_only_the_owner_can(users):
    itlead, clinician = users[Role.IT_LEAD], users[Role.CLINICIAN]
    keep = with_token(api_token_key(itlead, name="keep"))
    doomed_key = api_token_key(itlead, name="doomed")
    doomed = with_token(doomed_key)
    others = with_token(api_token_key(clinician))
    doomed_id = ApiToken.objects.get(name="doomed").pk
    assert doomed.get("/api/v1/backlog/").status_code == 200

    not_yours = others.delete(f"/api/v1/auth/tokens/{doomed_id}/")
    revoked = keep.delete(f"/api/v1/auth/tokens/{doomed_id}/")

    assert not_yours.status_code == 404
    assert revoked.status_code == 204
    assert doomed.get("/api/v1/backlog/").status_code == 401
    assert keep.get("/api/v1/backlog/").status_code == 200


def test_a_token_cannot_create_tokens(users):
    client = with_token(api_token_key(users[Role.IT_LEAD]))

    response = client.post("/api/v1/auth/tokens/", {"name": "more"}, format="json")

    assert response.status_code == 405
    assert ApiToken.objects.count() == 1


def test_a_token_name_is_screened_for_patient_information(users):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "it_lead", "password": PASSWORD, "name": "MRN 00412345 export"}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["name"]
    assert ApiToken.objects.count() == 0


def test_the_token_page_creates_shows_the_key_once_lists_and_revokes(client, users):
    client.force_login(users[Role.IT_LEAD])

    created = client.post("/tokens/", {"name": "Jira sync"})

    assert created.status_code == 200
    assert created["Cache-Control"].startswith("max-age=0, no-cache, no-store")
    html = created.content.decode()
    token = ApiToken.objects.get()
    key = html.split('aria-describedby="new-token-help">')[1].split("</textarea>")[0]
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert with_token(key).get("/api/v1/backlog/").status_code == 200
    # The list shows name, dates and state; the key never again
    listing = client.get("/tokens/").content.decode()
    assert "Jira sync" in listing and "Active" in listing and "never" not in listing
    assert key not in listing
    # Revoke
    revoked = client.post(f"/tokens/{token.pk}/revoke/", follow=True)
    assert "Token “Jira sync” revoked: it no longer works." in revoked.content.decode()
    assert with_token(key).get("/api/v1/backlog/").status_code == 401
    assert ApiToken.objects.count() == 0


def test_the_token_page_refuses_an_empty_name_and_another_users_token(client, users):
    api_token_key(users[Role.CLINICIAN])
    others = ApiToken.objects.get()
    client.force_login(users[Role.IT_LEAD])

    empty = client.post("/tokens/", {"name": "  "})
    not_mine = client.post(f"/tokens/{others.pk}/revoke/", follow=True)

    assert empty.status_code == 422
    assert "This field is required." in empty.content.decode()
    assert "That token does not exist any more." in not_mine.content.decode()
    assert ApiToken.objects.filter(pk=others.pk).exists()


def test_the_token_page_needs_a_login(client, db):
    response = client.get("/tokens/")

    assert (response.status_code, response["Location"]) == (302, "/login/?next=/tokens/")


def test_a_token_sign_in_leaves_no_session_behind_and_keeps_a_browsers_own(client, users):
    api = APIClient().post("/api/v1/auth/token/", {"username": "it_lead", "password": PASSWORD}, format="json")
    assert api.status_code == 200
    assert "sessionid" not in api.cookies
    assert Session.objects.count() == 0

    client.force_login(users[Role.IT_LEAD])
    from_the_docs_page = client.post(
        "/api/v1/auth/token/", {"username": "it_lead", "password": PASSWORD}, content_type="application/json"
    )
    assert from_the_docs_page.status_code == 200
    assert client.get("/backlog/").status_code == 200
