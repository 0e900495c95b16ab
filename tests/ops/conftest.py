"""Fixtures of the operations tests: a demo deployment database made once per test process with
manage.py (migrate, load_demo), copied for each test that changes it; a RabbitMQ vhost of our own."""

from __future__ import annotations

import pytest
from django.db import connection

from .support import Postgres, RabbitVhost, create_user, manage, unique_name

INFORMATICS_PASSWORD = "night-shift-ledger-7"


class DemoDatabase:
    """A database built as an operator would: `manage.py migrate` then `manage.py load_demo`, plus an
    informatics user of our own (demo users are refused outside DEBUG). Tests get copies."""

    def __init__(self, postgres: Postgres, name: str):
        self.postgres, self.name = postgres, name
        self.copies: list[str] = []
        self.user_id = 0

    def build(self) -> DemoDatabase:
        url = self.postgres.create(self.name)
        manage("migrate", "--noinput", "-v0", database_url=url)
        manage("load_demo", database_url=url)
        self.user_id = create_user(url, username="ops.informatics", password=INFORMATICS_PASSWORD, role="informatics")
        return self

    def copy(self) -> str:
        """A new database with this one's contents (a file-level copy: TEMPLATE); returns its name."""
        name = unique_name(f"{self.name[:30]}_c")
        self.postgres.admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        self.copies.append(name)
        return name

    def drop(self) -> None:
        for name in [*self.copies, self.name]:
            self.postgres.drop(name)


@pytest.fixture(scope="session")
def postgres(django_db_setup) -> Postgres:
    return Postgres.of_tests()


@pytest.fixture(scope="session")
def demo_database(postgres) -> DemoDatabase:
    base = connection.settings_dict["NAME"]
    demo = DemoDatabase(postgres, unique_name(f"{base[:30]}_demo"))
    try:
        yield demo.build()
    finally:
        demo.drop()


@pytest.fixture
def demo_copy(demo_database) -> str:
    """The name of a fresh copy of the demo deployment database (dropped at the end of the session)."""
    return demo_database.copy()


@pytest.fixture(scope="session")
def rabbit_vhost() -> RabbitVhost:
    vhost = RabbitVhost(unique_name("bridge_test")).create()
    try:
        yield vhost
    finally:
        vhost.delete()
