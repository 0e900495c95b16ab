"""Sites through the API: everyone lists them, administrators create and change them."""

import pytest

from intake.models import Problem, Role, Site
from tests.factories import ProblemFactory, SiteFactory, SiteReportFactory

SITE_KEYS = {"code", "name", "region", "providers", "shifts_per_week", "visits_per_week", "active"}


@pytest.mark.django_db
def test_sites_are_listed_by_code_in_pages(api_as, clinician, site, other_site):
    SiteFactory(code="EAST", providers=3)

    first = api_as(clinician).get("/api/v1/sites/?page_size=2").json()
    second = api_as(clinician).get(first["next"]).json()

    assert [s["code"] for s in first["results"]] == ["EAST", "NORTH"]
    assert [s["code"] for s in second["results"]] == ["SOUTH"]
    assert first["previous"] is None and second["next"] is None
    assert first["results"][1] == {
        "code": "NORTH",
        "name": "North Urgent Care",
        "region": "Central",
        "providers": 10,
        "shifts_per_week": 4.0,
        "visits_per_week": 800,
        "active": True,
    }


@pytest.mark.django_db
def test_admin_creates_a_site_with_defaults_and_an_uppercase_code(api_as, users):
    response = api_as(users[Role.ADMIN]).post(
        "/api/v1/sites/", {"code": "west-2", "name": "West Clinic"}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json() == {
        "code": "WEST-2",
        "name": "West Clinic",
        "region": "",
        "providers": 0,
        "shifts_per_week": 4.0,
        "visits_per_week": 0,
        "active": True,
    }
    assert Site.objects.filter(code="WEST-2").exists()


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"code": "north", "name": "Again"}, {"code": ["A site with code NORTH already exists."]}),
        (
            {"code": "NO SPACES", "name": "X"},
            {"code": ["Use 1 to 16 letters, digits, '-' or '_' (stored in uppercase)."]},
        ),
        ({"code": "A" * 17, "name": "X"}, {"code": ["Use 1 to 16 letters, digits, '-' or '_' (stored in uppercase)."]}),
        ({"code": "NEW"}, {"name": ["This field is required."]}),
        (
            {"code": "NEW", "name": "X", "providers": -1},
            {"providers": ["Ensure this value is greater than or equal to 0."]},
        ),
        (
            {"code": "NEW", "name": "X", "shifts_per_week": 22},
            {"shifts_per_week": ["Enter a number at least 0 and at most 21."]},
        ),
        ({"code": "NEW", "name": "X", "visits_per_week": 1.5}, {"visits_per_week": ["A valid integer is required."]}),
        (
            {"code": "NEW", "name": "X", "size": 3},
            {
                "size": [
                    "Unknown field. This endpoint accepts: code, name, region, providers, shifts_per_week, "
                    "visits_per_week, active."
                ]
            },
        ),
    ],
)
@pytest.mark.django_db
def test_site_refusals_name_the_field_and_store_nothing(api_as, users, site, payload, errors):
    response = api_as(users[Role.ADMIN]).post("/api/v1/sites/", payload, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert list(Site.objects.values_list("code", flat=True)) == ["NORTH"]


@pytest.mark.django_db
def test_admin_changes_a_site_size_and_its_problems_go_stale(api_as, users, site):
    problem = ProblemFactory()
    SiteReportFactory(problem=problem, site=site)

    response = api_as(users[Role.ADMIN]).patch("/api/v1/sites/north/", {"providers": 12}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["providers"] == 12
    assert response.json()["name"] == "North Urgent Care"
    assert Problem.objects.get().inputs_version == 2


@pytest.mark.django_db
def test_admin_may_rename_a_code_but_not_onto_another_site(api_as, users, site, other_site):
    client = api_as(users[Role.ADMIN])

    taken = client.patch("/api/v1/sites/NORTH/", {"code": "south"}, format="json")
    renamed = client.patch("/api/v1/sites/NORTH/", {"code": "north-1"}, format="json")

    assert taken.status_code == 400
    assert taken.json() == {"code": ["A site with code SOUTH already exists."]}
    assert renamed.json()["code"] == "NORTH-1"


@pytest.mark.django_db
def test_unknown_site_is_a_json_404(api_as, users):
    response = api_as(users[Role.ADMIN]).patch("/api/v1/sites/MOON/", {"providers": 1}, format="json")

    assert response.status_code == 404
    assert response.json() == {"detail": "No Site matches the given query."}
