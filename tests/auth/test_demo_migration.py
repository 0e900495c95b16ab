"""A database that had the demo loaded before accounts were marked: the migration marks its demo logins."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

from intake.models import User

pytestmark = pytest.mark.django_db


def marking_step():
    """The migration step that marks the old demo logins (found by what it does, whatever its number)."""
    loader = MigrationLoader(connection)
    steps = [
        operation.code
        for (app, _), migration in loader.disk_migrations.items()
        if app == "intake"
        for operation in migration.operations
        if isinstance(operation, RunPython) and operation.code.__name__ == "mark_demo_accounts"
    ]
    assert len(steps) == 1
    return steps[0]


def test_demo_logins_with_the_published_password_are_marked_and_nobody_else(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    User.objects.create_user("admin", password="bridge-demo")
    User.objects.create_user("itlead", password="bridge-demo")
    User.objects.create_user("pm", password="a-real-password-77")  # a real person who took the name
    User.objects.create_user("j.doe", password="bridge-demo")  # not a demo login

    marking_step()(apps, None)

    assert sorted(User.objects.filter(is_demo=True).values_list("username", flat=True)) == ["admin", "itlead"]


def test_a_custom_demo_password_is_recognised_too(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "tide-pool-7")
    User.objects.create_user("clinician", password="tide-pool-7")

    marking_step()(apps, None)

    assert User.objects.get(username="clinician").is_demo
