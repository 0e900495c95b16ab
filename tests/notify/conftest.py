import pytest

from intake.models import Role, Status
from tests.factories import ProblemFactory, SiteReportFactory, UserFactory


@pytest.fixture
def reported(users, site, other_site):
    """A problem the clinician submitted at NORTH, with a "me too" from a clinician at SOUTH."""

    def make(status=Status.NEW):
        problem = ProblemFactory(status=status, submitted_by=users[Role.CLINICIAN])
        SiteReportFactory(problem=problem, site=site, reporter=users[Role.CLINICIAN])
        me_too = UserFactory(username="metoo", home_site=other_site, role=Role.CLINICIAN)
        SiteReportFactory(problem=problem, site=other_site, reporter=me_too)
        return problem

    return make


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(execute=True):` runs what a commit would run after it (the fan-out)."""
    return django_capture_on_commit_callbacks
