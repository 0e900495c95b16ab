"""factory_boy factories shared by every test package."""

import factory
from django.contrib.auth.models import Group

from intake.auth.services import api_token_issue
from intake.models import Evidence, Problem, Site, SiteReport, User, WorkflowArea
from intake.similar.services import search_entries_write


def api_token_key(user, name: str = "tests") -> str:
    """A new API token for `user`, as POST /api/v1/auth/token/ would give it: the key to send."""
    return api_token_issue(user=user, name=name).key


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"S{n:03d}")
    name = factory.LazyAttribute(lambda o: f"{o.code.title()} Urgent Care")
    region = "Central"
    providers = 10
    shifts_per_week = 4.0
    visits_per_week = 700
    active = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    home_site = factory.SubFactory(SiteFactory)
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
        self.save()


class ProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Problem
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Medication reconciliation takes too many clicks ({n})")
    statement = "Every discharge we re-enter the home medication list by hand because the list does not carry over."
    workflow_area = WorkflowArea.DISCHARGE
    affected_roles = ["physician", "app"]
    submitted_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def search_entry(self, create, extracted, **kwargs):
        """What problem_submit does with a new problem's text: its search terms (vectors follow after commit)."""
        if create:
            search_entries_write(problem_ids=[self.pk])


class SiteReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteReport

    problem = factory.SubFactory(ProblemFactory)
    site = factory.SubFactory(SiteFactory)
    reporter = factory.SubFactory(UserFactory)
    minutes_lost_per_occurrence = 3
    occurrences_per_shift = 10


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    problem = factory.SubFactory(ProblemFactory)
    kind = "note"
    note = "Discussed at the regional huddle."
    added_by = factory.SubFactory(UserFactory)
