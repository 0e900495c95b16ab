"""The sites a clinician works at (docs/domain.md, Roles): site reports, "me too" and outcome answers.

The attack run's case: a clinician of one site posted site reports for every site and outcome
answers for sites that never reported the problem. Each refusal is a 400 naming `site`, on the
API and on the pages, and nothing is stored.
"""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from django.test import Client

from backlog.models import Outcome
from intake.models import Role, SiteReport, Status, User
from intake.roles import may_report_at, sites_to_speak_for
from tests.factories import ProblemFactory, SiteFactory, SiteReportFactory, UserFactory

pytestmark = pytest.mark.django_db

REPORT = {"minutes_lost_per_occurrence": 3, "occurrences_per_shift": 4}
PROBLEM = {"title": "Inbox shows results twice", "statement": "Each result lands twice in the inbox.", **REPORT}
ANSWER = {"better_care": 4, "less_frustrated": 4, "more_confident": 3, "minutes_saved_per_shift": 5}


@pytest.fixture
def east(db):
    return SiteFactory(code="EAST", name="East Urgent Care")


@pytest.fixture
def problem(site, clinician):
    made = ProblemFactory(submitted_by=clinician)
    SiteReportFactory(problem=made, site=site, reporter=clinician)
    return made


def refused_at(response, code):
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["site"]
    assert f"You do not work at {code}" in response.json()["site"][0]


# --- the rule ---------------------------------------------------------------------------------


def test_home_site_counts_and_assigned_sites_add_to_it(clinician, site, other_site, east):
    assert may_report_at(clinician, site)
    assert not may_report_at(clinician, other_site)

    clinician.sites.add(other_site)
    clinician = User.objects.get(pk=clinician.pk)  # a fresh request reads the sites again

    assert may_report_at(clinician, other_site)
    assert not may_report_at(clinician, east)
    assert set(sites_to_speak_for(clinician, type(site).objects.all())) == {site, other_site}


@pytest.mark.parametrize("role", [Role.INFORMATICS, Role.PRODUCT_MANAGER])
def test_informatics_and_product_managers_speak_for_any_site(users, role, other_site, east):
    assert may_report_at(users[role], other_site) and may_report_at(users[role], east)


def test_the_migration_puts_everyone_at_their_home_site(site, other_site):
    loader = MigrationLoader(connection)
    (step,) = [
        operation.code
        for (app, _), migration in loader.disk_migrations.items()
        if app == "intake"
        for operation in migration.operations
        if isinstance(operation, RunPython) and operation.code.__name__ == "everyone_works_at_home"
    ]
    homed = UserFactory(username="homed", home_site=other_site)
    homeless = User.objects.create_user("nowhere", home_site=None)

    step(apps, None)
    step(apps, None)  # twice: nothing doubles

    assert list(homed.sites.all()) == [other_site]
    assert not homeless.sites.exists()


# --- API --------------------------------------------------------------------------------------


def test_api_clinician_me_too_only_at_their_sites(api_as, clinician, problem, other_site):
    client = api_as(clinician)

    refused = client.post(f"/api/v1/problems/{problem.pk}/site-reports/", {"site": "SOUTH", **REPORT}, format="json")
    refused_at(refused, "SOUTH")
    assert not SiteReport.objects.filter(site=other_site).exists()

    clinician.sites.add(other_site)  # an admin assigns SOUTH
    accepted = client.post(f"/api/v1/problems/{problem.pk}/site-reports/", {"site": "SOUTH", **REPORT}, format="json")
    assert accepted.status_code == 201, accepted.json()


def test_api_one_clinician_cannot_report_a_problem_at_every_site(api_as, clinician, problem):
    """The attack run: one clinician posted reports for all 12 sites (rank 103 → 1)."""
    codes = [SiteFactory(code=f"NET{n:02d}").code for n in range(12)]
    client = api_as(clinician)

    answers = [
        client.post(f"/api/v1/problems/{problem.pk}/site-reports/", {"site": code, **REPORT}, format="json")
        for code in codes
    ]

    assert [a.status_code for a in answers] == [400] * 12
    assert SiteReport.objects.filter(problem=problem).count() == 1


def test_api_intake_first_report_only_at_their_sites(api_as, clinician, other_site):
    refused = api_as(clinician).post(
        "/api/v1/problems/", {**PROBLEM, "workflow_area": "inbox", "site": "SOUTH"}, format="json"
    )
    refused_at(refused, "SOUTH")
    assert not SiteReport.objects.exists()


@pytest.mark.parametrize("role", [Role.INFORMATICS, Role.PRODUCT_MANAGER])
def test_api_measurers_report_for_any_site(api_as, users, role, problem, other_site):
    response = api_as(users[role]).post(
        f"/api/v1/problems/{problem.pk}/site-reports/", {"site": "SOUTH", **REPORT}, format="json"
    )
    assert response.status_code == 201, response.json()


def delivered_at(*sites, reporter):
    made = ProblemFactory(status=Status.DELIVERED, submitted_by=reporter)
    for at in sites:
        SiteReportFactory(problem=made, site=at, reporter=reporter)
    return made


def test_api_outcomes_only_for_affected_sites_and_the_clinicians_own(api_as, users, site, other_site, east):
    clinician, pm = users[Role.CLINICIAN], users[Role.PRODUCT_MANAGER]
    delivered = delivered_at(site, other_site, reporter=pm)  # affected: NORTH and SOUTH, not EAST
    clinician.sites.add(east)
    url = f"/api/v1/problems/{delivered.pk}/outcomes/"

    not_affected = api_as(clinician).post(url, {**ANSWER, "site": "EAST"}, format="json")
    not_theirs = api_as(clinician).post(url, {**ANSWER, "site": "SOUTH"}, format="json")
    theirs = api_as(clinician).post(url, {**ANSWER, "site": "NORTH"}, format="json")
    pm_elsewhere = api_as(pm).post(url, {**ANSWER, "site": "SOUTH"}, format="json")
    pm_not_affected = api_as(pm).post(url, {**ANSWER, "site": "EAST"}, format="json")

    assert not_affected.status_code == 400
    assert not_affected.json() == {
        "site": ["EAST has no site report on this problem: answer for a site where it happened."]
    }
    refused_at(not_theirs, "SOUTH")
    assert (theirs.status_code, pm_elsewhere.status_code) == (201, 201)
    assert pm_not_affected.status_code == 400 and list(pm_not_affected.json()) == ["site"]
    assert sorted(Outcome.objects.values_list("respondent__username", "site__code")) == [
        ("clinician", "NORTH"),
        ("product_manager", "SOUTH"),
    ]


def test_api_outcome_for_a_site_of_a_merged_in_problem_counts_as_affected(api_as, users, site, other_site):
    pm = users[Role.PRODUCT_MANAGER]
    target = delivered_at(site, reporter=pm)
    ProblemFactory(status=Status.MERGED, merged_into=target, submitted_by=pm).site_reports.create(
        site=other_site, reporter=pm, **REPORT
    )

    response = api_as(pm).post(f"/api/v1/problems/{target.pk}/outcomes/", {**ANSWER, "site": "SOUTH"}, format="json")

    assert response.status_code == 201, response.json()


# --- pages ------------------------------------------------------------------------------------


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_page_me_too_offers_only_their_sites_and_refuses_others(clinician, problem, other_site, east):
    clinician.sites.add(east)
    client = logged_in(clinician)

    page = client.get(f"/problems/{problem.pk}/")
    offered = [s.code for s in page.context["forms"]["me_too"].fields["site"].queryset]
    refused = client.post(f"/problems/{problem.pk}/site-reports/", {"site": "SOUTH", **REPORT})

    assert offered == ["EAST", "NORTH"]
    assert refused.status_code == 422
    assert list(refused.context["forms"]["me_too"].errors) == ["site"]
    assert not SiteReport.objects.filter(site=other_site).exists()


def test_page_intake_offers_only_their_sites(clinician, other_site):
    client = logged_in(clinician)

    page = client.get("/intake/")
    refused = client.post("/intake/", {**PROBLEM, "workflow_area": "inbox", "site": "SOUTH", "nudged": "on"})

    assert [s.code for s in page.context["form"].fields["site"].queryset] == ["NORTH"]
    assert refused.status_code == 200 and list(refused.context["form"].errors) == ["site"]
    assert not SiteReport.objects.exists()


def test_page_outcome_offers_affected_sites_they_work_at(users, site, other_site, east):
    clinician, pm = users[Role.CLINICIAN], users[Role.PRODUCT_MANAGER]
    delivered = delivered_at(site, other_site, reporter=pm)
    clinician.sites.add(east)

    clinician_page = logged_in(clinician).get(f"/problems/{delivered.pk}/")
    pm_page = logged_in(pm).get(f"/problems/{delivered.pk}/")
    refused = logged_in(clinician).post(f"/problems/{delivered.pk}/outcomes/", {**ANSWER, "site": "EAST"})

    assert [s.code for s in clinician_page.context["forms"]["outcome"].fields["site"].queryset] == ["NORTH"]
    assert [s.code for s in pm_page.context["forms"]["outcome"].fields["site"].queryset] == ["NORTH", "SOUTH"]
    assert refused.status_code == 422 and list(refused.context["forms"]["outcome"].errors) == ["site"]
    assert not Outcome.objects.exists()


def test_page_outcome_survey_not_offered_without_a_site_to_answer_for(clinician, users, other_site):
    delivered = delivered_at(other_site, reporter=users[Role.PRODUCT_MANAGER])

    page = logged_in(clinician).get(f"/problems/{delivered.pk}/")

    assert "outcome" not in page.context["forms"]


def test_admin_assigns_sites_and_the_home_site_stays_one(users, site, other_site):
    clinician = users[Role.CLINICIAN]
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", password="pass-word-123"))
    form = {
        "username": "clinician",
        "is_active": "on",
        "groups": [clinician.groups.get().pk],
        "home_site": site.pk,
        "sites": [other_site.pk],
        "date_joined_0": "2025-01-01",
        "date_joined_1": "08:00:00",
    }

    response = admin.post(f"/admin/intake/user/{clinician.pk}/change/", form)

    assert response.status_code == 302
    assert sorted(User.objects.get(pk=clinician.pk).sites.values_list("code", flat=True)) == ["NORTH", "SOUTH"]
