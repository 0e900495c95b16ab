"""Undoing a merge (docs/domain.md): the service, POST /problems/{id}/unmerge/, and the page's confirmation."""

import pytest

from backlog.services import problem_merge, problem_unmerge
from intake.audit.models import AuditEvent
from intake.models import Problem, Role, Status
from scoring.recompute import scores_recompute
from tests.factories import ProblemFactory, SiteReportFactory


def problem_at(site, *, status=Status.NEW, minutes=3, **fields):
    problem = ProblemFactory(status=status, **fields)
    SiteReportFactory(problem=problem, site=site, reporter=problem.submitted_by, minutes_lost_per_occurrence=minutes)
    return problem


@pytest.fixture
def merged(pm, site, other_site):
    """C merged into A, then A (triaged) merged into B: C moved along to B."""
    a = problem_at(other_site, status=Status.TRIAGED, minutes=10)
    b = problem_at(site, minutes=3)
    c = problem_at(other_site, minutes=5)
    problem_merge(problem_id=c.pk, into_id=a.pk, actor=pm)
    problem_merge(problem_id=a.pk, into_id=b.pk, actor=pm)
    scores_recompute(problem_ids=[a.pk, b.pk])
    return {"a": Problem.objects.get(pk=a.pk), "b": b, "c": c}


def state(problem):
    problem.refresh_from_db()
    return problem.status, problem.merged_into_id


@pytest.mark.django_db
def test_unmerge_restores_the_status_and_brings_back_what_the_merge_moved(pm, merged):
    a, b, c = merged["a"], merged["b"], merged["c"]
    assert (state(c), state(a)) == ((Status.MERGED, b.pk), (Status.MERGED, b.pk))
    stale_before = {p.pk: Problem.objects.get(pk=p.pk).inputs_version for p in (a, b)}

    problem_unmerge(problem_id=a.pk, actor=pm, version=a.version)

    assert state(a) == (Status.TRIAGED, None)
    assert state(c) == (Status.MERGED, a.pk)
    assert all(Problem.objects.get(pk=pk).inputs_version == v + 1 for pk, v in stale_before.items())
    a_audit = AuditEvent.objects.filter(problem=a).first()
    b_audit = AuditEvent.objects.filter(problem=b).first()
    assert (a_audit.action, a_audit.after["status"], a_audit.after["returned_ids"]) == ("unmerge", "triaged", [c.pk])
    assert (b_audit.action, b_audit.before, b_audit.after) == (
        "unmerged_out",
        {"merged_from_id": a.pk},
        {"merged_from_id": None},
    )


@pytest.mark.django_db(transaction=True)
def test_after_an_unmerge_each_problem_scores_its_own_reports_again(api_as, pm, site, other_site):
    a = problem_at(other_site, minutes=10)
    b = problem_at(site, minutes=3)
    scores_recompute(problem_ids=[a.pk, b.pk])
    client = api_as(pm)
    alone = client.get(f"/api/v1/problems/{b.pk}/").json()["score"]["provider_hours_per_week"]
    client.post(f"/api/v1/problems/{a.pk}/merge/", {"into": b.pk}, format="json")
    together = client.get(f"/api/v1/problems/{b.pk}/").json()["score"]["provider_hours_per_week"]
    version = client.get(f"/api/v1/problems/{a.pk}/").json()["version"]

    response = client.post(f"/api/v1/problems/{a.pk}/unmerge/", {"version": version}, format="json")

    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["merged_into"]) == ("new", None)
    assert together > alone
    assert client.get(f"/api/v1/problems/{b.pk}/").json()["score"]["provider_hours_per_week"] == alone
    a_body = client.get(f"/api/v1/problems/{a.pk}/").json()
    assert [r["site"] for r in a_body["site_reports"]] == ["SOUTH"]
    assert a_body["score"]["provider_hours_per_week"] > 0


@pytest.mark.django_db
def test_unmerge_with_a_stale_version_is_409_and_changes_nothing(api_as, pm, merged):
    a = merged["a"]

    response = api_as(pm).post(f"/api/v1/problems/{a.pk}/unmerge/", {"version": a.version - 1}, format="json")

    assert response.status_code == 409
    assert response.json()["current_version"] == a.version
    assert response.json()["changed_by"] == "product_manager"
    assert state(a) == (Status.MERGED, merged["b"].pk)


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"version": ["This field is required."]}),
        ({"version": "x"}, {"version": ["A valid integer is required."]}),
        ({"version": 1, "extra": 1}, {"extra": ["Unknown field. This endpoint accepts: version."]}),
    ],
)
@pytest.mark.django_db
def test_unmerge_refusals_name_the_field(api_as, pm, merged, body, errors):
    response = api_as(pm).post(f"/api/v1/problems/{merged['a'].pk}/unmerge/", body, format="json")

    assert response.status_code == 400
    assert response.json() == errors


@pytest.mark.django_db
def test_unmerging_a_problem_that_is_not_merged_is_400_naming_status(api_as, pm, merged):
    b = merged["b"]

    response = api_as(pm).post(f"/api/v1/problems/{b.pk}/unmerge/", {"version": b.version}, format="json")

    assert response.status_code == 400
    assert response.json() == {"status": [f"#{b.pk} is not merged; there is nothing to undo."]}


@pytest.mark.django_db
def test_unmerging_an_unknown_problem_is_404(api_as, pm):
    assert api_as(pm).post("/api/v1/problems/999999/unmerge/", {"version": 1}, format="json").status_code == 404


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.IT_LEAD, Role.INFORMATICS])
@pytest.mark.django_db
def test_only_product_managers_unmerge(api_as, client, users, merged, role):
    a = merged["a"]

    response = api_as(users[role]).post(f"/api/v1/problems/{a.pk}/unmerge/", {"version": a.version}, format="json")
    client.force_login(users[role])
    page = client.get(f"/problems/{a.pk}/unmerge/")

    assert response.status_code == 403
    assert response.json() == {"detail": "Only product managers undo a merge."}
    assert page.status_code == 403
    assert "Undo the merge" not in client.get(f"/problems/{a.pk}/").content.decode()
    assert state(a) == (Status.MERGED, merged["b"].pk)


@pytest.mark.django_db
def test_the_page_confirms_what_comes_back_then_undoes_it(client, pm, merged):
    a, b, c = merged["a"], merged["b"], merged["c"]
    client.force_login(pm)
    assert f'href="/problems/{a.pk}/unmerge/"' in client.get(f"/problems/{a.pk}/").content.decode()

    confirm = client.get(f"/problems/{a.pk}/unmerge/").content.decode()
    done = client.post(f"/problems/{a.pk}/unmerge/", {"version": str(a.version)}, follow=True)

    assert f"#{a.pk} goes back to <strong>Triaged</strong>" in confirm
    assert f"come back to it: #{c.pk}." in confirm or f"comes back to it: #{c.pk}." in confirm
    assert done.redirect_chain == [(f"/problems/{a.pk}/", 302)]
    html = done.content.decode()
    assert f"The merge is undone: #{a.pk} is Triaged again" in html
    assert f"Merged into: #{b.pk} → —" in html
    assert f"Merged here from: #{a.pk} → —" in client.get(f"/problems/{b.pk}/").content.decode()
    assert state(a) == (Status.TRIAGED, None)
