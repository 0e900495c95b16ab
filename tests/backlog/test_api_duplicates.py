"""GET /problems/{id}/duplicates/ and POST /problems/{id}/duplicates/dismiss/ through the HTTP API (docs/similar.md)."""

import pytest

from backlog.models import DuplicateDismissal
from intake.audit.models import AuditEvent
from intake.models import Role, Status
from tests.factories import ProblemFactory, SiteReportFactory

MED_REC = "Every discharge we re-enter the home medication list by hand because the list does not carry over."


def problem_at(site, *, title, statement=MED_REC, status=Status.NEW, **fields):
    problem = ProblemFactory(title=title, statement=statement, status=status, **fields)
    SiteReportFactory(problem=problem, site=site, reporter=problem.submitted_by)
    return problem


@pytest.fixture
def med_rec(site, other_site):
    """Three wordings of one problem (at two sites), a closed and a merged copy, and an unrelated one."""
    return {
        "one": problem_at(site, title="Medication reconciliation takes too many clicks"),
        "two": problem_at(other_site, title="Med rec needs too many clicks at discharge"),
        "three": problem_at(site, title="Home medication list re-typed at discharge"),
        "declined": problem_at(
            site, title="Medication reconciliation clicks", status=Status.DECLINED, decline_reason="Vendor fix."
        ),
        "printer": problem_at(site, title="Label printer jams", statement="The wristband label printer jams daily."),
    }


@pytest.mark.django_db
def test_duplicates_are_the_open_likely_same_problems_best_first(api_as, users, med_rec):
    merged = problem_at(
        med_rec["one"].submitted_by.home_site,
        title="Medication reconciliation too many clicks",
        status=Status.MERGED,
        merged_into=med_rec["three"],
    )

    response = api_as(users[Role.CLINICIAN]).get(f"/api/v1/problems/{med_rec['one'].pk}/duplicates/")

    assert response.status_code == 200
    body = response.json()
    assert (body["next"], body["previous"]) == (None, None)
    ids = [r["id"] for r in body["results"]]
    assert set(ids) == {med_rec["two"].pk, med_rec["three"].pk}
    assert med_rec["one"].pk not in ids and merged.pk not in ids and med_rec["declined"].pk not in ids
    similarities = [r["similarity"] for r in body["results"]]
    assert similarities == sorted(similarities, reverse=True)
    two = next(r for r in body["results"] if r["id"] == med_rec["two"].pk)
    assert (two["title"], two["status"], two["sites"]) == (
        "Med rec needs too many clicks at discharge",
        "new",
        ["SOUTH"],
    )
    assert 0 < two["similarity"] <= 1 and two["why"]


@pytest.mark.django_db
def test_duplicates_of_an_unknown_problem_is_404(api_as, users):
    response = api_as(users[Role.IT_LEAD]).get("/api/v1/problems/999999/duplicates/")

    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


@pytest.mark.django_db
def test_a_dismissed_pair_is_left_out_both_ways_audited_once_and_idempotent(api_as, pm, med_rec):
    one, two = med_rec["one"], med_rec["two"]
    client = api_as(pm)

    first = client.post(f"/api/v1/problems/{two.pk}/duplicates/dismiss/", {"other": one.pk}, format="json")
    again = client.post(f"/api/v1/problems/{one.pk}/duplicates/dismiss/", {"other": two.pk}, format="json")

    assert first.status_code == 201, first.json()
    assert first.json()["problem"] == two.pk and first.json()["other"] == one.pk
    assert first.json()["dismissed_by"] == "product_manager"
    assert again.status_code == 200 and again.json()["at"] == first.json()["at"]
    assert list(DuplicateDismissal.objects.values_list("problem_low_id", "problem_high_id")) == [(one.pk, two.pk)]
    audits = AuditEvent.objects.filter(action="not_duplicate").order_by("problem_id")
    assert [(a.problem_id, a.after["not_duplicate_of_id"]) for a in audits] == [(one.pk, two.pk), (two.pk, one.pk)]
    from_one = [r["id"] for r in client.get(f"/api/v1/problems/{one.pk}/duplicates/").json()["results"]]
    from_two = [r["id"] for r in client.get(f"/api/v1/problems/{two.pk}/duplicates/").json()["results"]]
    assert from_one == [med_rec["three"].pk]
    assert one.pk not in from_two and med_rec["three"].pk in from_two


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.IT_LEAD, Role.INFORMATICS, Role.ADMIN])
@pytest.mark.django_db
def test_only_product_managers_dismiss(api_as, users, med_rec, role):
    response = api_as(users[role]).post(
        f"/api/v1/problems/{med_rec['one'].pk}/duplicates/dismiss/", {"other": med_rec["two"].pk}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "Only product managers decide what is not a duplicate."}
    assert not DuplicateDismissal.objects.exists()


@pytest.mark.parametrize(
    ("other", "errors"),
    [
        ("self", {"other": ["Name another problem: a problem is always the same as itself."]}),
        (999999, {"other": ["There is no problem #999999."]}),
        ("x", {"other": ["A valid integer is required."]}),
        (0, {"other": ["Ensure this value is greater than or equal to 1."]}),
        (None, {"other": ["This field may not be null."]}),
    ],
)
@pytest.mark.django_db
def test_dismiss_refusals_name_other(api_as, pm, med_rec, other, errors):
    one = med_rec["one"]

    response = api_as(pm).post(
        f"/api/v1/problems/{one.pk}/duplicates/dismiss/", {"other": one.pk if other == "self" else other}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == errors
    assert not DuplicateDismissal.objects.exists()


@pytest.mark.django_db
def test_dismiss_on_an_unknown_problem_is_404(api_as, pm, med_rec):
    response = api_as(pm).post("/api/v1/problems/999999/duplicates/dismiss/", {"other": med_rec["one"].pk})

    assert response.status_code == 404
    assert not DuplicateDismissal.objects.exists()
