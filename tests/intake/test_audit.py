"""The audit of every write (docs/deploy.md): who, when, before and after, in the write's own
transaction; an admin-only page (/audit/) and GET /api/v1/audit/ (JSON paged, or CSV)."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from backlog.services import outcome_answer, problem_merge, problem_triage
from intake.audit.models import AuditAction, AuditEvent
from intake.audit.services import audit_record
from intake.models import Role, Status, User
from intake.numbers import ReportValues
from intake.services import evidence_add, problem_submit, site_report_upsert
from tests.factories import ProblemFactory, SiteReportFactory

PASSWORD = "pass-word-123"
REPORT = ReportValues(minutes_lost_per_occurrence=3, occurrences_per_shift=4)


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def submit(author, site, title="Inbox shows each result twice"):
    return problem_submit(
        author=author,
        site=site,
        title=title,
        statement="Every lab result lands twice in the inbox, so we sign it twice.",
        workflow_area="inbox",
        report=REPORT,
    )


def as_admin_client(users) -> Client:
    client = Client()
    client.force_login(users[Role.ADMIN])
    return client


# --- every write is recorded ------------------------------------------------------------------


@pytest.mark.django_db
def test_intake_writes_are_audited_with_before_and_after(users, site, other_site):
    clinician, informatics = users[Role.CLINICIAN], users[Role.INFORMATICS]

    problem = submit(clinician, site)
    site_report_upsert(problem=problem, site=site, reporter=clinician, report=ReportValues(5, 6))
    evidence_add(problem=problem, added_by=informatics, kind="time_study", value=2.5, sample_size=12)

    (submitted,) = events(AuditAction.PROBLEM_SUBMIT)
    assert (submitted.actor, submitted.problem, submitted.before) == (clinician, problem, None)
    assert submitted.after["title"] == "Inbox shows each result twice"
    assert submitted.after["first_report"]["minutes_lost_per_occurrence"] == 3
    (replaced,) = events(AuditAction.SITE_REPORT)
    assert replaced.before["minutes_lost_per_occurrence"] == 3
    assert replaced.after["minutes_lost_per_occurrence"] == 5
    assert (replaced.object_type, replaced.actor_name) == ("sitereport", "clinician")
    (evidence,) = events(AuditAction.EVIDENCE_ADD)
    assert evidence.after == {"kind": "time_study", "site": None, "value": 2.5, "sample_size": 12, "note": ""}


@pytest.mark.django_db
def test_triage_merge_and_outcomes_are_audited(users, site):
    pm, clinician = users[Role.PRODUCT_MANAGER], users[Role.CLINICIAN]
    keep, dupe = ProblemFactory(), ProblemFactory()
    for made in (keep, dupe):
        SiteReportFactory(problem=made, site=site, reporter=clinician)

    problem_triage(problem_id=keep.pk, actor=pm, version=1, status=Status.PLANNED)
    problem_merge(problem_id=dupe.pk, into_id=keep.pk, actor=pm, version=1)
    for status in (Status.IN_PROGRESS, Status.DELIVERED):
        keep.refresh_from_db()
        problem_triage(problem_id=keep.pk, actor=pm, version=keep.version, status=status)
    keep.refresh_from_db()
    outcome_answer(
        problem=keep,
        site=site,
        respondent=clinician,
        better_care=4,
        less_frustrated=4,
        more_confident=3,
        minutes_saved_per_shift=5,
    )

    first = events(AuditAction.TRIAGE)[0]
    assert (first.before["status"], first.after["status"], first.actor) == ("new", "planned", pm)
    (merge,) = events(AuditAction.MERGE)
    assert (merge.problem, merge.after["merged_into_id"]) == (dupe, keep.pk)
    (outcome,) = events(AuditAction.OUTCOME_ANSWER)
    assert (outcome.before, outcome.after["site"], outcome.after["better_care"]) == (None, "NORTH", 4)


@pytest.mark.django_db
def test_sites_and_policy_through_the_api_are_audited_with_the_actor(api_as, users):
    admin, pm = users[Role.ADMIN], users[Role.PRODUCT_MANAGER]

    api_as(admin).post("/api/v1/sites/", {"code": "EAST", "name": "East"}, format="json")
    api_as(admin).patch("/api/v1/sites/EAST/", {"providers": 9}, format="json")
    api_as(pm).put(
        "/api/v1/scoring/policy/",
        {
            "after_hours_weight": 1,
            "patient_weight": 0.5,
            "breadth_weight": 1,
            "default_effort_weeks": 2,
            "reason": "Q4.",
        },
        format="json",
    )

    (created,) = events(AuditAction.SITE_CREATE)
    (changed,) = events(AuditAction.SITE_UPDATE)
    (policy,) = events(AuditAction.POLICY_CHANGE)
    assert (created.actor, created.after["code"]) == (admin, "EAST")
    assert (changed.before["providers"], changed.after["providers"]) == (0, 9)
    assert policy.actor == pm and policy.after["after_hours_weight"] == 1 and policy.after["reason"] == "Q4."


@pytest.mark.django_db
def test_an_admin_changing_roles_and_sites_is_audited(users, site, other_site):
    from django.contrib.auth.models import Group

    clinician = users[Role.CLINICIAN]
    form = {
        "username": "clinician",
        "is_active": "on",
        "groups": [Group.objects.get(name=Role.INFORMATICS).pk],
        "home_site": site.pk,
        "sites": [other_site.pk],
        "date_joined_0": "2025-01-01",
        "date_joined_1": "08:00:00",
    }

    admin = Client()
    root = User.objects.create_superuser("root", password=PASSWORD)
    admin.force_login(root)

    response = admin.post(f"/admin/intake/user/{clinician.pk}/change/", form)

    assert response.status_code == 302
    (change,) = events(AuditAction.USER_CHANGE)
    assert change.actor == root
    assert (change.before["roles"], change.after["roles"]) == (["clinician"], ["informatics"])
    assert (change.before["sites"], change.after["sites"]) == ([], ["NORTH", "SOUTH"])
    assert "password" not in change.after


@pytest.mark.django_db
def test_sign_ins_and_refusals_are_audited_without_the_password(client, users, settings):
    settings.AXES_ENABLED = True

    refused = client.post("/login/", {"username": "clinician", "password": "Wr0ng-secret-77"})
    signed_in = client.post("/login/", {"username": "clinician", "password": PASSWORD})

    assert refused.status_code == 200 and signed_in.status_code == 302
    (failed,) = events(AuditAction.LOGIN_FAILED)
    (login,) = events(AuditAction.LOGIN)
    assert (failed.actor, failed.actor_name, failed.object_id) == (None, "clinician", str(users[Role.CLINICIAN].pk))
    assert (login.actor, login.address) == (users[Role.CLINICIAN], "127.0.0.1")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM intake_auditevent WHERE CAST(before AS text) LIKE %s "
            "OR CAST(after AS text) LIKE %s OR actor_name LIKE %s",
            ["%Wr0ng%"] * 3,
        )
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_token_issue_and_revoke_are_audited_without_the_key(client, users):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "it_lead", "password": PASSWORD, "name": "Jira"},
        content_type="application/json",
    )
    key = response.json()["token"]

    (issued,) = events(AuditAction.TOKEN_ISSUE)
    assert issued.actor == users[Role.IT_LEAD] and issued.after["name"] == "Jira"
    assert key not in str(issued.after)


# --- in the write's transaction ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_refused_write_leaves_no_audit_row(users, site):
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError):
        submit(users[Role.CLINICIAN], site, title="Pt John Smith MRN 00412345 waits")

    assert AuditEvent.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_audit_rows_roll_back_with_their_write_and_never_stand_alone(users, site):
    with pytest.raises(RuntimeError):
        audit_record(action=AuditAction.SITE_UPDATE, actor=users[Role.ADMIN])

    with pytest.raises(ZeroDivisionError), transaction.atomic():
        submit(users[Role.CLINICIAN], site)
        raise ZeroDivisionError

    assert not AuditEvent.objects.filter(action=AuditAction.PROBLEM_SUBMIT).exists()


# --- the page ---------------------------------------------------------------------------------


@pytest.fixture
def trail(users, site):
    """Two problems triaged by the product manager, one note by a clinician, a week-old entry."""
    pm = users[Role.PRODUCT_MANAGER]
    first, second = ProblemFactory(), ProblemFactory()
    problem_triage(problem_id=first.pk, actor=pm, version=1, status=Status.TRIAGED)
    problem_triage(problem_id=second.pk, actor=pm, version=1, status=Status.NEEDS_INFO, question="Which clinic?")
    evidence_add(problem=first, added_by=users[Role.CLINICIAN], kind="note", note='=HYPERLINK("http://x","y")')
    with transaction.atomic():
        old = audit_record(action=AuditAction.SITE_UPDATE, actor=users[Role.ADMIN], after={"providers": 3})
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=8))
    return {"first": first, "second": second}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.INFORMATICS, Role.PRODUCT_MANAGER, Role.IT_LEAD])
def test_page_is_for_administrators_only(client, users, trail, role):
    client.force_login(users[role])

    page = client.get("/audit/")
    home = client.get("/backlog/")

    assert page.status_code == 403
    assert 'href="/audit/"' not in home.content.decode()


@pytest.mark.django_db
def test_page_lists_newest_first_and_filters(users, trail):
    client = as_admin_client(users)
    day = (timezone.now() - timedelta(days=1)).date().isoformat()

    everything = client.get("/audit/")
    by_problem = client.get(f"/audit/?problem={trail['first'].pk}")
    by_actor_and_action = client.get("/audit/?actor=product_manager&action=triage")
    since = client.get(f"/audit/?since={day}")
    bad = client.get("/audit/?problem=abc&action=nope")

    assert everything.status_code == 200
    assert 'href="/audit/" aria-current="page"' in everything.content.decode()
    rows = list(everything.context["page"].object_list)
    assert rows == sorted(rows, key=lambda e: (e.at, e.id), reverse=True)
    assert {e.action for e in by_problem.context["page"].object_list} == {"triage", "evidence_add"}
    assert [e.problem for e in by_actor_and_action.context["page"].object_list] == [trail["second"], trail["first"]]
    assert AuditAction.SITE_UPDATE not in {e.action for e in since.context["page"].object_list}
    assert bad.status_code == 400 and set(bad.context["filters"].errors) == {"problem", "action"}


@pytest.mark.django_db
def test_page_is_paged(users, site):
    with transaction.atomic():
        for n in range(55):
            audit_record(action=AuditAction.SITE_UPDATE, actor=users[Role.ADMIN], after={"n": n})

    client = as_admin_client(users)
    first, second = client.get("/audit/?action=site_update"), client.get("/audit/?action=site_update&page=2")

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 5


@pytest.mark.django_db
def test_problem_page_keeps_its_triage_trail(users, trail):
    client = Client()
    client.force_login(users[Role.CLINICIAN])

    page = client.get(f"/problems/{trail['first'].pk}/")

    assert [entry.audit.action for entry in page.context["page"].audit] == ["triage"]
    assert ("Status", "New", "Triaged") in page.context["page"].audit[0].changes


# --- the API ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_lists_paged_with_filters(api_as, users, trail):
    client = api_as(users[Role.ADMIN])

    first = client.get("/api/v1/audit/?page_size=2")
    second = client.get(first.json()["next"])
    triage = client.get(f"/api/v1/audit/?action=triage&actor=product_manager&problem={trail['second'].pk}")
    recent = client.get("/api/v1/audit/", {"since": (timezone.now() - timedelta(days=1)).isoformat()})
    unencoded = client.get(f"/api/v1/audit/?since={(timezone.now() - timedelta(days=1)).isoformat()}")

    assert first.status_code == 200 and len(first.json()["results"]) == 2
    seen = [e["id"] for e in first.json()["results"] + second.json()["results"]]
    assert len(set(seen)) == 4
    (only,) = triage.json()["results"]
    assert (only["actor"], only["problem"], only["before"]["status"], only["after"]["status"]) == (
        "product_manager",
        trail["second"].pk,
        "new",
        "needs_info",
    )
    assert "site_update" not in {e["action"] for e in recent.json()["results"]}
    assert unencoded.json()["results"] == recent.json()["results"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [("action=nope", "action"), ("problem=0", "problem"), ("since=yesterday", "since"), ("colour=red", "colour")],
)
def test_api_refuses_bad_filters_naming_them(api_as, users, query, field):
    response = api_as(users[Role.ADMIN]).get(f"/api/v1/audit/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.django_db
def test_api_csv_is_formula_neutralised_by_format_or_accept(api_as, users, trail, client):
    client.post("/login/", {"username": "=cmd|' /C calc'!A0", "password": "x"})
    admin = api_as(users[Role.ADMIN])

    by_format = admin.get("/api/v1/audit/?format=csv")
    by_accept = admin.get("/api/v1/audit/", HTTP_ACCEPT="text/csv")

    for response in (by_format, by_accept):
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        (refused,) = [row for row in rows if row["action"] == "login_failed"]
        assert refused["actor"] == "'=cmd|' /C calc'!A0"
        assert len(rows) == AuditEvent.objects.count()
        assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


@pytest.mark.django_db(transaction=True)
def test_the_triage_audit_rows_move_into_the_audit(users, site):
    """backlog 0003 copies every TriageAudit row (time, actor, action, before, after), then drops the table."""
    from django.db.migrations.executor import MigrationExecutor

    before_move = [("backlog", "0002_initial")]
    moved = [("backlog", "0003_guards_triage_audit_into_audit")]
    executor = MigrationExecutor(connection)
    executor.migrate(before_move)
    try:
        old = executor.loader.project_state(before_move).apps
        pm = users[Role.PRODUCT_MANAGER]
        problem = ProblemFactory()
        at = timezone.now() - timedelta(days=30)
        old.get_model("backlog", "TriageAudit").objects.create(
            problem_id=problem.pk,
            actor_id=pm.pk,
            action="triage",
            before={"status": "new"},
            after={"status": "triaged"},
        )
        old.get_model("backlog", "TriageAudit").objects.update(at=at)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(moved)

    (row,) = AuditEvent.objects.filter(problem=problem)
    assert (row.at, row.actor, row.actor_name, row.action) == (at, pm, "product_manager", "triage")
    assert (row.before, row.after) == ({"status": "new"}, {"status": "triaged"})
