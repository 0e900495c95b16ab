"""The role matrix of docs/domain.md, Roles on EVERY endpoint of §7, for every role and for anonymous callers.

Each case sends a request that succeeds for a role allowed to make it; a logged-in role that
may not gets 403 and changes nothing, an anonymous caller gets 401 and changes nothing.
"""

import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from drf_spectacular.generators import SchemaGenerator

from backlog.models import DuplicateDismissal, Outcome
from backlog.services import problem_merge
from intake.audit.models import AuditAction, AuditEvent
from intake.auth.models import ApiToken
from intake.auth.services import api_token_issue
from intake.models import Comment, EventType, Evidence, Follow, OutboxEvent, Problem, Role, Site, SiteReport, Status
from notify.models import Notification, Preference, Webhook
from scoring.models import RerankJob, ScoringPolicy
from tests.factories import ProblemFactory, SiteReportFactory

ANONYMOUS = "anonymous"
ROLES = [Role.CLINICIAN, Role.INFORMATICS, Role.PRODUCT_MANAGER, Role.IT_LEAD, Role.ADMIN, ANONYMOUS]
EVERYONE = {Role.CLINICIAN, Role.INFORMATICS, Role.PRODUCT_MANAGER, Role.IT_LEAD, Role.ADMIN}
SUBMITTERS = {Role.CLINICIAN, Role.INFORMATICS, Role.PRODUCT_MANAGER}
ADMINS = {Role.ADMIN}


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    body: dict | None
    allowed: set
    success: int
    writes: bool = True


def operation(case: Case) -> tuple[str, str]:
    """(METHOD, the schema's path template) of a concrete request."""
    path = case.path.split("?")[0]
    path = re.sub(r"^/api/v1/problems/[0-9]+/", "/api/v1/problems/{id}/", path)
    path = re.sub(r"^/api/v1/jobs/[0-9a-f-]{36}/$", "/api/v1/jobs/{job_id}/", path)
    path = re.sub(r"^/api/v1/sites/[A-Z0-9_-]+/$", "/api/v1/sites/{code}/", path)
    path = re.sub(r"^/api/v1/auth/tokens/([0-9]+|\{mine\})/$", "/api/v1/auth/tokens/{id}/", path)
    path = re.sub(r"^/api/v1/webhooks/[0-9]+/", "/api/v1/webhooks/{id}/", path)
    return case.method.upper(), path


def cases(world) -> dict[str, Case]:
    hook = world["hook"]
    fresh, target, planned, delivered, merged, job = (
        world["fresh"],
        world["target"],
        world["planned"],
        world["delivered"],
        world["merged"],
        world["job"],
    )
    report = {"site": "SOUTH", "minutes_lost_per_occurrence": 2, "occurrences_per_shift": 3}
    return {
        "sites list": Case("get", "/api/v1/sites/", None, EVERYONE, 200, writes=False),
        "sites create": Case("post", "/api/v1/sites/", {"code": "EAST", "name": "East"}, {Role.ADMIN}, 201),
        "sites change": Case("patch", "/api/v1/sites/SOUTH/", {"providers": 7}, {Role.ADMIN}, 200),
        "backlog": Case("get", "/api/v1/backlog/", None, EVERYONE, 200, writes=False),
        "backlog csv": Case("get", "/api/v1/backlog/?format=csv", None, EVERYONE, 200, writes=False),
        "problem intake": Case(
            "post",
            "/api/v1/problems/",
            {"title": "Inbox duplicates", "statement": "Results arrive twice.", "workflow_area": "inbox", **report},
            SUBMITTERS,
            201,
        ),
        "problem detail": Case("get", f"/api/v1/problems/{fresh.pk}/", None, EVERYONE, 200, writes=False),
        "problem triage": Case(
            "patch",
            f"/api/v1/problems/{planned.pk}/",
            {"status": "in_progress", "external_ref": "IT-77", "version": 1},
            {Role.PRODUCT_MANAGER, Role.IT_LEAD},
            200,
        ),
        "site report": Case("post", f"/api/v1/problems/{fresh.pk}/site-reports/", report, SUBMITTERS, 201),
        "evidence measured": Case(
            "post",
            f"/api/v1/problems/{fresh.pk}/evidence/",
            {"kind": "time_study", "value": 3, "sample_size": 4},
            {Role.INFORMATICS, Role.PRODUCT_MANAGER},
            201,
        ),
        "evidence survey": Case(
            "post",
            f"/api/v1/problems/{fresh.pk}/evidence/",
            {"kind": "survey", "value": 4},
            {Role.INFORMATICS, Role.PRODUCT_MANAGER},
            201,
        ),
        "evidence note": Case(
            "post", f"/api/v1/problems/{fresh.pk}/evidence/", {"kind": "note", "note": "Also Mondays."}, EVERYONE, 201
        ),
        "merge": Case("post", f"/api/v1/problems/{fresh.pk}/merge/", {"into": target.pk}, {Role.PRODUCT_MANAGER}, 200),
        "unmerge": Case(
            "post", f"/api/v1/problems/{merged.pk}/unmerge/", {"version": merged.version}, {Role.PRODUCT_MANAGER}, 200
        ),
        "duplicates": Case("get", f"/api/v1/problems/{fresh.pk}/duplicates/", None, EVERYONE, 200, writes=False),
        "duplicates dismiss": Case(
            "post",
            f"/api/v1/problems/{fresh.pk}/duplicates/dismiss/",
            {"other": target.pk},
            {Role.PRODUCT_MANAGER},
            201,
        ),
        "outcome": Case(
            "post",
            f"/api/v1/problems/{delivered.pk}/outcomes/",
            {
                "site": "NORTH",
                "better_care": 4,
                "less_frustrated": 4,
                "more_confident": 5,
                "minutes_saved_per_shift": 3,
            },
            SUBMITTERS,
            201,
        ),
        "similar": Case("get", "/api/v1/problems/similar/?q=medication", None, EVERYONE, 200, writes=False),
        "policy read": Case("get", "/api/v1/scoring/policy/", None, EVERYONE, 200, writes=False),
        "policy change": Case(
            "put",
            "/api/v1/scoring/policy/",
            {
                "after_hours_weight": 1,
                "patient_weight": 0.5,
                "breadth_weight": 1,
                "default_effort_weeks": 2,
                "reason": "Quarterly review.",
            },
            {Role.PRODUCT_MANAGER},
            202,
        ),
        "job": Case("get", f"/api/v1/jobs/{job.pk}/", None, EVERYONE, 200, writes=False),
        "tokens list": Case("get", "/api/v1/auth/tokens/", None, EVERYONE, 200, writes=False),
        # {mine}: a token of the caller's own (test_role_on_endpoint fills it in); anyone else's is a 404.
        "token revoke": Case("delete", "/api/v1/auth/tokens/{mine}/", None, EVERYONE, 204),
        "audit": Case("get", "/api/v1/audit/", None, {Role.ADMIN}, 200, writes=False),
        "audit csv": Case("get", "/api/v1/audit/?format=csv", None, {Role.ADMIN}, 200, writes=False),
        "notifications": Case("get", "/api/v1/notifications/", None, EVERYONE, 200, writes=False),
        "notifications read": Case("post", "/api/v1/notifications/read/", {"all": True}, EVERYONE, 200),
        "follow": Case("post", f"/api/v1/problems/{target.pk}/follow/", None, EVERYONE, 200),
        "unfollow": Case("delete", f"/api/v1/problems/{fresh.pk}/follow/", None, EVERYONE, 200),
        "webhooks list": Case("get", "/api/v1/webhooks/", None, ADMINS, 200, writes=False),
        "webhook register": Case(
            "post", "/api/v1/webhooks/", {"url": "https://hooks.example.org/b", "events": ["merged"]}, ADMINS, 201
        ),
        "webhook delete": Case("delete", f"/api/v1/webhooks/{hook.pk}/", None, ADMINS, 204),
        "webhook deliveries": Case("get", f"/api/v1/webhooks/{hook.pk}/deliveries/", None, ADMINS, 200, writes=False),
        "comment": Case("post", f"/api/v1/problems/{fresh.pk}/comments/", {"body": "Same here."}, EVERYONE, 201),
        "preferences": Case("get", "/api/v1/me/preferences/", None, EVERYONE, 200, writes=False),
        "preferences change": Case(
            "put",
            "/api/v1/me/preferences/",
            {"email": {e: False for e in EventType.values}, "digest": "weekly"},
            EVERYONE,
            200,
        ),
    }


CASE_NAMES = [
    "audit",
    "audit csv",
    "sites list",
    "sites create",
    "sites change",
    "backlog",
    "backlog csv",
    "problem intake",
    "problem detail",
    "problem triage",
    "site report",
    "evidence measured",
    "evidence survey",
    "evidence note",
    "merge",
    "unmerge",
    "duplicates",
    "duplicates dismiss",
    "outcome",
    "similar",
    "policy read",
    "policy change",
    "job",
    "tokens list",
    "token revoke",
    "notifications",
    "notifications read",
    "follow",
    "unfollow",
    "preferences",
    "preferences change",
    "comment",
    "webhooks list",
    "webhook register",
    "webhook delete",
    "webhook deliveries",
]


@pytest.fixture
def world(db, users, site, other_site, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["hooks.example.org"]
    clinician = users[Role.CLINICIAN]
    clinician.sites.add(other_site)  # the matrix tests roles; where a clinician works is tested on its own

    def problem(status, at):
        made = ProblemFactory(status=status, submitted_by=clinician)
        SiteReportFactory(problem=made, site=at, reporter=clinician)
        return made

    merged = problem(Status.TRIAGED, site)
    problem_merge(problem_id=merged.pk, into_id=problem(Status.NEW, other_site).pk, actor=users[Role.PRODUCT_MANAGER])
    merged.refresh_from_db()
    fresh = problem(Status.NEW, site)
    event = OutboxEvent.objects.create(event=EventType.COMMENT_ADDED, problem=fresh)
    for user in users.values():  # one unread notice each, to mark read
        Notification.objects.create(user=user, event=event, problem=fresh, message="A comment.")
    return {
        "merged": merged,
        "fresh": fresh,
        "hook": Webhook.objects.create(url="https://hooks.example.org/a", events=["merged"], secret="whsec_AAAA"),
        "target": problem(Status.NEW, other_site),
        "planned": problem(Status.PLANNED, site),
        "delivered": problem(Status.DELIVERED, site),
        "job": RerankJob.objects.create(policy_version=1),
        "tokens": {role: api_token_issue(user=user, name="spare").token.pk for role, user in users.items()},
    }


def fingerprint():
    """Everything an endpoint of the API could write."""
    return (
        list(Site.objects.order_by("code").values_list("code", "providers")),
        list(Problem.objects.order_by("id").values_list("id", "status", "version", "external_ref")),
        SiteReport.objects.count(),
        Evidence.objects.count(),
        Outcome.objects.count(),
        AuditEvent.objects.exclude(action__in=(AuditAction.LOGIN, AuditAction.LOGIN_FAILED)).count(),
        DuplicateDismissal.objects.count(),
        ScoringPolicy.objects.count(),
        RerankJob.objects.count(),
        ApiToken.objects.count(),
        Notification.objects.filter(read_at__isnull=True).count(),
        list(Follow.objects.order_by("id").values_list("user_id", "following")),
        list(Preference.objects.order_by("id").values_list("user_id", "digest")),
        Comment.objects.count(),
        Webhook.objects.count(),
    )


@pytest.mark.django_db
def test_the_matrix_covers_every_operation_of_the_schema(world):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if path.startswith("/api/v1/")
    }

    covered = {operation(case) for case in cases(world).values()}

    assert sorted(cases(world)) == sorted(CASE_NAMES)
    # POST /auth/token/ is covered by test_every_role_gets_a_token_and_anonymous_needs_credentials.
    assert operations == covered | {("POST", "/api/v1/auth/token/")}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", CASE_NAMES)
@pytest.mark.django_db
def test_role_on_endpoint(api_as, users, world, name, role):
    case = cases(world)[name]
    client = api_as(None if role == ANONYMOUS else users[role])
    path = case.path.replace("{mine}", str(world["tokens"].get(role, world["tokens"][Role.CLINICIAN])))
    before = fingerprint()

    response = getattr(client, case.method)(path, case.body, format="json")

    if role == ANONYMOUS:
        assert response.status_code == 401
        assert response.json() == {"detail": "Authentication credentials were not provided."}
    elif role in case.allowed:
        assert response.status_code == case.success, response.content
    else:
        assert response.status_code == 403, response.content
        assert set(response.json()) == {"detail"}
    if role not in case.allowed or not case.writes:
        assert fingerprint() == before
    else:
        assert fingerprint() != before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_every_role_gets_a_token_and_anonymous_needs_credentials(api_as, users, role):
    credentials = {"username": "nobody", "password": "guess"} if role == ANONYMOUS else {"username": str(role)}
    credentials.setdefault("password", "pass-word-123")

    response = api_as(None).post("/api/v1/auth/token/", credentials, format="json")

    if role == ANONYMOUS:
        assert response.status_code == 400
        assert response.json() == {"non_field_errors": ["Unable to log in with the username and password given."]}
    else:
        assert response.status_code == 200
        assert set(response.json()) == {"token", "id", "name", "expires_at"}


@pytest.mark.django_db
def test_a_superuser_counts_as_admin_and_a_user_without_a_group_only_reads(api_as, users, world):
    """Roles are groups; a user in none of them reads everything and writes nothing but notes."""
    nobody = users[Role.CLINICIAN].__class__.objects.create_user("nogroup", password="pass-word-123")
    boss = users[Role.CLINICIAN].__class__.objects.create_superuser("root", password="pass-word-123")
    assert not Group.objects.filter(user=nobody).exists()
    all_cases = cases(world)

    reads = api_as(nobody).get(all_cases["backlog"].path)
    triage = api_as(nobody).patch(all_cases["problem triage"].path, all_cases["problem triage"].body, format="json")
    site = api_as(boss).post(all_cases["sites create"].path, all_cases["sites create"].body, format="json")

    assert (reads.status_code, triage.status_code, site.status_code) == (200, 403, 201)
