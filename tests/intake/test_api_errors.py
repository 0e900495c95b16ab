"""Tokens, authentication, and the one error shape for abuse: 400, 401, 403, 404, 413, 415, 429, never 500."""

import hashlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from intake.auth.models import ApiToken
from intake.models import Problem, Role


@pytest.mark.django_db
def test_a_token_for_a_username_and_password(clinician, settings):
    settings.API_TOKEN_DAYS = 30
    client = APIClient()

    first = client.post("/api/v1/auth/token/", {"username": "clinician", "password": "pass-word-123"}, format="json")
    again = client.post("/api/v1/auth/token/", {"username": "clinician", "password": "pass-word-123"}, format="json")

    # Each call creates a new, named token that expires; only its digest is stored.
    assert first.status_code == 200
    body = first.json()
    assert set(body) == {"token", "id", "name", "expires_at"}
    stored = ApiToken.objects.get(pk=body["id"])
    assert (stored.user, stored.name, stored.roles) == (clinician, "API sign-in", ["clinician"])
    assert stored.digest == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in {stored.digest, stored.password_fingerprint}
    assert stored.expires_at - stored.created_at == timedelta(days=30)
    assert again.status_code == 200
    assert again.json()["token"] != body["token"]
    assert ApiToken.objects.filter(user=clinician).count() == 2


@pytest.mark.django_db
def test_the_token_opens_the_api_and_a_stale_header_does_not_block_a_new_token(clinician):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    token = client.post("/api/v1/auth/token/", {"username": "clinician", "password": "pass-word-123"}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert client.get("/api/v1/backlog/").status_code == 200


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (
            {"username": "clinician", "password": "wrong"},
            {"non_field_errors": ["Unable to log in with the username and password given."]},
        ),
        ({"username": "clinician"}, {"password": ["This field is required."]}),
        ({}, {"username": ["This field is required."], "password": ["This field is required."]}),
    ],
)
@pytest.mark.django_db
def test_bad_credentials_are_400(clinician, payload, errors):
    response = APIClient().post("/api/v1/auth/token/", payload, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert ApiToken.objects.count() == 0


@pytest.mark.django_db
def test_a_token_costs_two_queries_and_its_last_use_is_written_once_a_minute(
    api_as, clinician, django_assert_num_queries
):
    client = api_as(clinician)
    with django_assert_num_queries(4):  # the token with its user, the user's roles, its last use, the policy
        first = client.get("/api/v1/scoring/policy/")

    with django_assert_num_queries(3):  # the token, the roles (used less than a minute ago: no write), the policy
        second = client.get("/api/v1/scoring/policy/")

    assert first.json() == second.json()
    assert ApiToken.objects.get(user=clinician).last_used_at is not None


@pytest.mark.django_db
def test_a_revoked_token_is_refused_at_once(api_as, clinician):
    client = api_as(clinician)
    assert client.get("/api/v1/sites/").status_code == 200

    ApiToken.objects.filter(user=clinician).delete()
    refused = client.get("/api/v1/sites/")

    assert refused.status_code == 401
    assert refused.json() == {"detail": "Invalid token."}


@pytest.mark.django_db
def test_a_remembered_user_still_has_its_roles_and_writes(api_as, users, site):
    pm = api_as(users[Role.PRODUCT_MANAGER])
    pm.get("/api/v1/sites/")

    response = pm.put(
        "/api/v1/scoring/policy/",
        {
            "after_hours_weight": 1,
            "patient_weight": 0.5,
            "breadth_weight": 1,
            "default_effort_weeks": 2,
            "reason": "Quarterly review.",
        },
        format="json",
    )

    assert response.status_code == 202
    assert response.json()["created_by"] == "product_manager"


@pytest.mark.django_db
def test_anonymous_is_401_with_a_token_challenge(api_as):
    response = api_as(None).get("/api/v1/backlog/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


@pytest.mark.django_db
def test_an_unknown_token_is_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")

    response = client.get("/api/v1/sites/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


@pytest.mark.django_db
def test_the_browser_session_works_and_writes_need_csrf(site, clinician):
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="clinician", password="pass-word-123")

    read = client.get("/api/v1/sites/")
    write = client.post("/api/v1/problems/1/evidence/", {"kind": "note", "note": "x"}, format="json")

    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json()["detail"].startswith("CSRF Failed")


@pytest.mark.django_db
def test_malformed_json_is_400(api_as, clinician):
    response = api_as(clinician).generic(
        "POST", "/api/v1/problems/", '{"title": "unterminated', content_type="application/json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert response.json()["non_field_errors"][0].startswith("The request body is not valid JSON")


@pytest.mark.django_db
def test_json_that_is_not_an_object_is_400(api_as, clinician):
    response = api_as(clinician).post("/api/v1/problems/", [1, 2], format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}


@pytest.mark.django_db
def test_a_body_over_the_limit_is_413_and_nothing_is_stored(api_as, clinician, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = api_as(clinician).post("/api/v1/problems/", {"title": "x" * 2000}, format="json")

    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than 1024 bytes."}
    assert Problem.objects.count() == 0


@pytest.mark.django_db
def test_form_bodies_are_415(api_as, clinician):
    response = api_as(clinician).post("/api/v1/problems/", {"title": "x"}, format="multipart")

    assert response.status_code == 415
    assert response.json()["detail"].startswith('Unsupported media type "multipart/form-data; boundary=')
    assert Problem.objects.count() == 0


@pytest.mark.django_db
def test_null_characters_are_refused_not_a_500(api_as, clinician, site):
    response = api_as(clinician).post(
        "/api/v1/problems/",
        {
            "title": "bad\x00title",
            "statement": "s",
            "workflow_area": "inbox",
            "site": "NORTH",
            "minutes_lost_per_occurrence": 1,
            "occurrences_per_shift": 1,
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"title": ["Null characters are not allowed."]}


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/api/v1/nothing-here/", "There is no such endpoint. See /api/docs/."),
        ("/api/v1/backlog", "There is no such endpoint. Did you mean /api/v1/backlog/ (with the trailing slash)?"),
        ("/api/v1/problems/99999999999999999999999/", "There is no such endpoint. See /api/docs/."),
        ("/api/v1/jobs/not-a-uuid/", "There is no such endpoint. See /api/docs/."),
        ("/api/v1/problems/1%0A2/site-reports/", "There is no such endpoint. See /api/docs/."),
    ],
)
@pytest.mark.django_db
def test_unknown_paths_are_json_404(api_as, clinician, path, detail):
    response = api_as(clinician).post(path, {}, format="json")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": detail}


@pytest.mark.django_db
def test_a_wrong_path_is_a_json_404_even_for_a_browser_post_without_csrf(site, clinician):
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="clinician", password="pass-word-123")

    response = client.post("/api/v1/problems/not-an-id/merge/", {"into": 1}, format="json")

    assert response.status_code == 404
    assert response.json() == {"detail": "There is no such endpoint. See /api/docs/."}


@pytest.mark.django_db
def test_a_method_not_offered_is_405(api_as, users):
    response = api_as(users[Role.ADMIN]).delete("/api/v1/sites/")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}


@pytest.mark.django_db
def test_too_many_requests_is_429_with_retry_after(api_as, users, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": "2/min", "anon": "2/min"})
    cache.clear()
    client = api_as(users[Role.IT_LEAD])

    codes = [client.get("/api/v1/sites/").status_code for _ in range(3)]
    refused = client.get("/api/v1/sites/")

    assert codes == [200, 200, 429]
    assert refused.json()["detail"].startswith("Request was throttled. Expected available in ")
    assert 0 < int(refused["Retry-After"]) <= 60
    cache.clear()


@pytest.mark.django_db
def test_a_remembered_user_is_the_same_user(api_as, users):
    superuser = users[Role.CLINICIAN].__class__.objects.create_superuser("root", password="pass-word-123")
    client = api_as(superuser)
    client.get("/api/v1/sites/")

    response = client.post("/api/v1/sites/", {"code": "EAST", "name": "East"}, format="json")

    assert response.status_code == 201
