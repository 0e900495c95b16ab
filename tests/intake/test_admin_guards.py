"""The Django admin never bypasses the services (docs/deploy.md). The attack run's case (issue 11,
item 8): editing a site report or an evidence row in the admin stored it without the PHI screen and
without a stale mark (the score stayed wrong with `score_pending=false`), and evidence could be deleted."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from intake.audit.models import AuditAction, AuditEvent
from intake.auth.models import ApiToken
from intake.models import Evidence, Problem, Role, Site, SiteReport, User
from scoring.ranking import score_is_pending
from scoring.recompute import scores_recompute
from scoring.selectors import policy_current
from tests.factories import EvidenceFactory, ProblemFactory, SiteReportFactory, api_token_key

pytestmark = pytest.mark.django_db

PHI = "Pt SMITH, JOHN MRN 00412345 called back"


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", password="pass-word-123")


@pytest.fixture
def admin_client(root) -> Client:
    client = Client()
    client.force_login(root)
    return client


@pytest.fixture
def scored(users, site):
    problem = ProblemFactory()
    report = SiteReportFactory(
        problem=problem, site=site, reporter=users[Role.CLINICIAN], minutes_lost_per_occurrence=3
    )
    evidence = EvidenceFactory(problem=problem, added_by=users[Role.INFORMATICS], kind="note", note="Seen on Mondays.")
    scores_recompute(problem_ids=[problem.pk])
    return {"problem": problem, "report": report, "evidence": evidence}


def not_pending(problem: Problem) -> bool:
    problem = Problem.objects.select_related("score").get(pk=problem.pk)
    return not score_is_pending(problem, policy_current().version)


def test_a_site_report_cannot_be_edited_in_the_admin(admin_client, scored, site):
    report, problem = scored["report"], scored["problem"]
    url = f"/admin/intake/sitereport/{report.pk}/change/"
    edit = {
        "problem": problem.pk,
        "site": site.pk,
        "reporter": report.reporter_id,
        "minutes_lost_per_occurrence": 200,
        "occurrences_per_shift": 200,
        "providers_affected_pct": 100,
        "after_hours_pct": 0,
        "patient_wait_minutes": 0,
        "visits_affected_pct": 0,
    }

    view = admin_client.get(url)
    post = admin_client.post(url, edit)

    assert view.status_code == 200 and 'name="minutes_lost_per_occurrence"' not in view.content.decode()
    assert post.status_code == 403
    assert SiteReport.objects.get(pk=report.pk).minutes_lost_per_occurrence == 3
    # nothing changed, so the stored score is still the right one
    assert not_pending(problem)


def test_evidence_cannot_be_edited_to_hold_phi_nor_deleted(admin_client, scored):
    evidence = scored["evidence"]
    base = f"/admin/intake/evidence/{evidence.pk}"

    edit = admin_client.post(f"{base}/change/", {"problem": scored["problem"].pk, "kind": "note", "note": PHI})
    delete = admin_client.post(f"{base}/delete/", {"post": "yes"})
    bulk = admin_client.post(
        "/admin/intake/evidence/", {"action": "delete_selected", "_selected_action": [evidence.pk], "post": "yes"}
    )
    add = admin_client.get("/admin/intake/evidence/add/")

    assert (edit.status_code, delete.status_code, add.status_code) == (403, 403, 403)
    assert bulk.status_code in (200, 302)  # no delete action is offered: the list page comes back
    assert Evidence.objects.get(pk=evidence.pk).note == "Seen on Mondays."
    assert not Evidence.objects.filter(note__contains="SMITH").exists()


def test_no_site_report_can_be_added_or_deleted_in_the_admin(admin_client, scored):
    report = scored["report"]

    add = admin_client.get("/admin/intake/sitereport/add/")
    delete = admin_client.post(f"/admin/intake/sitereport/{report.pk}/delete/", {"post": "yes"})

    assert (add.status_code, delete.status_code) == (403, 403)
    assert SiteReport.objects.filter(pk=report.pk).exists()


def test_a_site_size_change_in_the_admin_marks_scores_stale_and_is_audited(admin_client, root, scored, site):
    form = {
        "code": "NORTH",
        "name": site.name,
        "region": site.region,
        "providers": 25,
        "shifts_per_week": site.shifts_per_week,
        "visits_per_week": site.visits_per_week,
        "active": "on",
    }

    response = admin_client.post(f"/admin/intake/site/{site.pk}/change/", form)

    assert response.status_code == 302
    assert not not_pending(scored["problem"])
    (change,) = AuditEvent.objects.filter(action=AuditAction.SITE_UPDATE)
    assert (change.actor, change.before["providers"], change.after["providers"]) == (root, 10, 25)


def test_sites_and_users_are_deactivated_not_deleted(admin_client, users, other_site):
    site_delete = admin_client.post(f"/admin/intake/site/{other_site.pk}/delete/", {"post": "yes"})
    user_delete = admin_client.post(f"/admin/intake/user/{users[Role.IT_LEAD].pk}/delete/", {"post": "yes"})

    assert (site_delete.status_code, user_delete.status_code) == (403, 403)
    assert Site.objects.filter(pk=other_site.pk).exists() and User.objects.filter(username="it_lead").exists()


def test_role_groups_cannot_be_renamed_or_deleted(admin_client, users):
    group = Group.objects.get(name=Role.CLINICIAN)

    rename = admin_client.post(f"/admin/auth/group/{group.pk}/change/", {"name": Role.PRODUCT_MANAGER})
    delete = admin_client.post(f"/admin/auth/group/{group.pk}/delete/", {"post": "yes"})

    assert (rename.status_code, delete.status_code) == (403, 403)
    assert Group.objects.get(pk=group.pk).name == Role.CLINICIAN


def test_the_audit_is_read_only_in_the_admin(admin_client, users, scored):
    event = AuditEvent.objects.first()

    change = admin_client.post(f"/admin/intake/auditevent/{event.pk}/change/", {"action": "login"})
    delete = admin_client.post(f"/admin/intake/auditevent/{event.pk}/delete/", {"post": "yes"})

    assert (change.status_code, delete.status_code) == (403, 403)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_token_deleted_in_the_admin_is_revoked_and_audited(admin_client, root, users):
    api_token_key(users[Role.IT_LEAD], name="Jira")
    token = ApiToken.objects.get(name="Jira")

    response = admin_client.post(f"/admin/intake/apitoken/{token.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    (revoked,) = AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKE)
    assert (revoked.actor, revoked.before["owner"], revoked.before["name"]) == (root, "it_lead", "Jira")
