"""`manage.py load_demo` (docs/deploy.md): a complete, ranked demo network, refused outside DEBUG.

Loading takes seconds, so the module loads the demo once, inside a transaction that is rolled back
after the module's last test; each test still runs in its own savepoint (pytest-django's `db`).
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings

from backlog.management import demo_data
from backlog.management.commands.load_demo import demo_password
from backlog.models import Outcome
from intake.audit.models import TRIAGE_ACTIONS, AuditEvent
from intake.models import OPEN_STATUSES, Evidence, Problem, Site, SiteReport, Status, User
from intake.phi import phi_screen_fields
from notify.models import EmailDelivery, Notification
from scoring.models import ProblemScore, ScoreHistory
from scoring.selectors import policy_current, stale_problem_ids

pytestmark = pytest.mark.django_db

DEMO_ROLES = {
    "clinician": "clinician",
    "informatics": "informatics",
    "pm": "product_manager",
    "itlead": "it_lead",
    "admin": "admin",
}
PASSWORD = "harbor-lights-42"


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once into an empty database with DEMO_PASSWORD set; returns the command's output."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch, transaction.atomic():
        patch.setenv("DEMO_PASSWORD", PASSWORD)
        assert Problem.objects.count() == 0
        with override_settings(DEBUG=True):
            output = load_demo("--if-empty")
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_it_refuses_outside_debug_and_creates_nothing(settings):
    settings.DEBUG = False
    before = (Site.objects.count(), User.objects.count(), Problem.objects.count())
    with pytest.raises(CommandError, match="only with DEBUG on"):
        load_demo()
    with pytest.raises(CommandError, match="only with DEBUG on"):
        load_demo("--if-empty")
    assert (Site.objects.count(), User.objects.count(), Problem.objects.count()) == before


def test_it_loads_a_complete_ranked_network(demo):
    output = demo

    # Twelve urgent care sites of realistic size
    sites = list(Site.objects.order_by("code"))
    assert len(sites) == 12
    assert all(s.active and 4 <= s.providers <= 25 and 300 <= s.visits_per_week <= 1500 for s in sites)
    assert all(3 <= s.shifts_per_week <= 5 and s.code.isupper() and s.region for s in sites)

    # Every demo problem, and every one of them scored: nothing pending
    assert Problem.objects.count() == len(demo_data.PROBLEMS) == 161
    assert stale_problem_ids() == []
    assert ProblemScore.objects.filter(policy_version=policy_current().version).count() == 161
    assert f"{len(demo_data.PROBLEMS)} problems" in output

    # Ranks are exactly 1..n over open problems, in priority order; closed problems have none
    open_scores = list(ProblemScore.objects.filter(is_open=True).order_by("rank"))
    assert [s.rank for s in open_scores] == list(range(1, len(open_scores) + 1))
    assert all(a.priority >= b.priority for a, b in zip(open_scores, open_scores[1:], strict=False))
    assert len(open_scores) == Problem.objects.filter(status__in=OPEN_STATUSES).count() == 155
    assert not ProblemScore.objects.filter(is_open=False, rank__isnull=False).exists()
    assert ScoreHistory.objects.count() == 161  # one recompute at the end: one point per problem

    # Most problems hurt one or two sites, a long tail hurts many
    spread = [s.sites_affected for s in open_scores]
    assert sum(1 for n in spread if n <= 2) > len(spread) / 2
    assert max(spread) == 11
    assert SiteReport.objects.values("problem").distinct().count() == 161


def test_the_backlog_tells_a_story(demo):
    statuses = dict.fromkeys(Status.values, 0)
    for status in Problem.objects.values_list("status", flat=True):
        statuses[status] += 1
    assert statuses == {
        "new": 129,
        "needs_info": 4,
        "triaged": 13,
        "planned": 6,
        "in_progress": 3,
        "delivered": 2,
        "measured": 1,
        "declined": 2,
        "merged": 1,
    }
    # Planned and later work carries IT's estimate and reference
    delivery = Problem.objects.filter(status__in=["planned", "in_progress", "delivered", "measured"])
    assert all(p.effort_weeks and p.external_ref.startswith("EHR-") for p in delivery)
    # Declines say why; the merge points at its target, which now counts the merged site
    assert all(p.decline_reason for p in Problem.objects.filter(status="declined"))
    merged = Problem.objects.get(status="merged")
    assert merged.merged_into.title == "Work and school notes take four screens to produce"
    assert "HARBOR" in merged.merged_into.score.sites
    # Delivered changes have outcome answers from the sites that reported them
    for problem in Problem.objects.filter(status__in=["delivered", "measured"]):
        answers = Outcome.objects.filter(problem=problem)
        assert answers.exists()
        reported_at = set(SiteReport.objects.filter(problem=problem).values_list("site_id", flat=True))
        assert set(answers.values_list("site_id", flat=True)) <= reported_at
    # Every triage write was audited, by the role that may make it
    audit = AuditEvent.objects.filter(action__in=TRIAGE_ACTIONS).all()
    assert audit.count() == 72  # 71 status/effort/reference writes and one merge
    assert set(audit.values_list("actor__username", flat=True)) == {"pm", "itlead"}
    # Safety concerns, proposed solutions and every kind of evidence are there
    assert Problem.objects.filter(safety_concern=True).exclude(safety_details="").count() == 16
    assert Problem.objects.exclude(proposed_solution="").count() == 17
    kinds = set(Evidence.objects.values_list("kind", flat=True))
    assert kinds == {
        "time_study",
        "ehr_metric",
        "cost_report",
        "after_hours_metric",
        "revenue_report",
        "survey",
        "note",
    }
    # The demo clinician has problems of their own to follow
    assert Problem.objects.filter(submitted_by__username="clinician").count() >= 5


def test_the_five_demo_users_log_in_through_the_login_page(demo, debug):

    for username, role in DEMO_ROLES.items():
        user = User.objects.get(username=username)
        assert role in user.roles
        assert user.home_site is not None
        client = Client(enforce_csrf_checks=True)
        page = client.get("/login/")
        assert page.status_code == 200
        token = page.cookies["csrftoken"].value
        wrong = client.post("/login/", {"username": username, "password": "bridge-demo", "csrfmiddlewaretoken": token})
        assert wrong.status_code == 200  # the form again: the default password is not theirs
        response = client.post("/login/", {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
        assert (response.status_code, response["Location"]) == (302, "/")
        assert client.get("/backlog/").status_code == 200

    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    # The colleagues who report at each site cannot log in at all
    colleague = User.objects.get(username="dr.osei")
    assert not colleague.has_usable_password()
    assert colleague.home_site.code == "NORTH"


def test_every_account_the_demo_creates_is_marked_as_a_demo_account(demo):
    assert User.objects.count() > len(DEMO_ROLES)
    assert list(User.objects.filter(is_demo=False)) == []


def test_demo_accounts_cannot_sign_in_outside_debug_by_any_way(demo, settings):
    """Issue 11, item 3: `admin`/`bridge-demo` reached /admin/ on a database that once had the demo."""
    # Given a session and an API token made while DEBUG was on
    settings.DEBUG = True
    session = Client()
    assert session.login(username="admin", password=PASSWORD)
    token = Client().post(
        "/api/v1/auth/token/", {"username": "itlead", "password": PASSWORD}, content_type="application/json"
    )
    assert token.status_code == 200
    assert session.get("/admin/").status_code == 200

    # When DEBUG is off
    settings.DEBUG = False

    # Then the session no longer signs anyone in, and the token is refused
    assert session.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
    refused = Client().get("/api/v1/backlog/", HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert refused.status_code == 401
    assert refused.json() == {"detail": "This token was revoked: the account may not sign in."}
    # And the password opens neither the login page, the admin login, nor the token endpoint
    for path in ("/login/", "/admin/login/"):
        answer = Client().post(path, {"username": "admin", "password": PASSWORD})
        assert answer.status_code == 200, path  # the form again, with its error: no redirect, no session
        assert "_auth_user_id" not in answer.wsgi_request.session
    no_token = Client().post(
        "/api/v1/auth/token/", {"username": "itlead", "password": PASSWORD}, content_type="application/json"
    )
    assert no_token.status_code == 400


def test_the_password_comes_from_demo_password_with_a_default(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "tide-pool-7")
    assert demo_password() == "tide-pool-7"
    monkeypatch.delenv("DEMO_PASSWORD")
    assert demo_password() == "bridge-demo"
    monkeypatch.setenv("DEMO_PASSWORD", "")
    assert demo_password() == "bridge-demo"


def test_if_empty_does_nothing_once_problems_exist(demo, debug):
    counts = (Site.objects.count(), User.objects.count(), Problem.objects.count(), SiteReport.objects.count())

    output = load_demo("--if-empty")

    assert output == "Demo data: not loaded, the database holds problems already.\n"
    assert (Site.objects.count(), User.objects.count(), Problem.objects.count(), SiteReport.objects.count()) == counts
    # without the option, a second load is refused rather than doubling the backlog
    with pytest.raises(CommandError, match="already holds problems"):
        load_demo()
    assert Problem.objects.count() == counts[2]


def test_every_stored_text_passes_the_phi_screen(demo):
    for problem in Problem.objects.all():
        phi_screen_fields(
            {
                "title": problem.title,
                "statement": problem.statement,
                "proposed_solution": problem.proposed_solution,
                "safety_details": problem.safety_details,
                "decline_reason": problem.decline_reason,
            }
        )
    for note in Evidence.objects.exclude(note="").values_list("note", flat=True):
        phi_screen_fields({"note": note})
    for name, region in Site.objects.values_list("name", "region"):
        phi_screen_fields({"name": name, "region": region})


def test_the_demo_texts_read_like_problems_not_lorem_ipsum():
    for problem in demo_data.PROBLEMS:
        sentences = [s for s in problem.statement.replace("e.g.", "eg").split(". ") if s]
        assert 2 <= len(sentences) <= 4, problem.key
        assert any(ch.isdigit() for ch in problem.statement), problem.key  # specific, with numbers
        assert len(problem.title) <= 120
        assert "lorem" not in (problem.title + problem.statement).lower()
    assert len({p.title for p in demo_data.PROBLEMS}) == len(demo_data.PROBLEMS)


@pytest.mark.django_db
def test_demo_users_have_addresses_and_find_notices_but_nothing_was_emailed(demo):
    people = User.objects.filter(username__in=DEMO_ROLES)
    assert sorted(people.values_list("email", flat=True)) == sorted(f"{name}@bridge.example" for name in DEMO_ROLES)
    assert not User.objects.filter(email="").exists()
    assert Notification.objects.filter(user__username="clinician").count() >= 3
    assert "notifications" in demo
    assert EmailDelivery.objects.count() == 0 and mail.outbox == []
