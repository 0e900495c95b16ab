"""Fixtures shared by every test package: one user per role, a few sites, API clients."""

import pytest
from rest_framework.test import APIClient

from intake.models import Role
from intake.similar.index import search_index_reset

from .factories import SiteFactory, UserFactory, api_token_key

ROLES = [Role.CLINICIAN, Role.INFORMATICS, Role.PRODUCT_MANAGER, Role.IT_LEAD, Role.ADMIN]


@pytest.fixture(autouse=True)
def similar_index_per_test():
    """Each process keeps the similar-search index in memory; a test starts from its own (empty) database."""
    search_index_reset()
    yield
    search_index_reset()


@pytest.fixture
def site(db):
    return SiteFactory(code="NORTH", name="North Urgent Care", providers=10, visits_per_week=800)


@pytest.fixture
def other_site(db):
    return SiteFactory(code="SOUTH", name="South Urgent Care", providers=6, visits_per_week=500)


@pytest.fixture
def users(db, site):
    """One user per role, named after the role, at the NORTH site."""
    return {role: UserFactory(username=str(role), home_site=site, role=role) for role in ROLES}


@pytest.fixture
def clinician(users):
    return users[Role.CLINICIAN]


@pytest.fixture
def pm(users):
    return users[Role.PRODUCT_MANAGER]


@pytest.fixture
def api_as(db):
    """api_as(user) -> an APIClient authenticated with a new token of that user; api_as(None) is anonymous."""

    def make(user):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
        return client

    return make
