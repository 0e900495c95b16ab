"""Backup and restore round trip (docs/deploy.md), with the commands of docs/deploy.md exactly as written.

The blocks marked `<!-- tested: backup -->` and `<!-- tested: restore -->` in docs/deploy.md are run
here by bash, with the variables the document tells the operator to set. The source is a database
built as an operator would (migrate, load_demo: every problem scored and ranked, triage audited).
After the restore every table is identical, row for row (every score field, rank, history and audit
row included), every sequence is where it was, and the application, connecting as its own role,
finds nothing to migrate, nothing stale, and can write.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from .support import ROOT, manage, unique_name

DOC = ROOT / "docs" / "deploy.md"


def documented(block: str) -> str:
    """The shell block of docs/deploy.md marked `<!-- tested: {block} -->`."""
    found = re.findall(rf"<!-- tested: {block} -->\n```sh\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(found) == 1, f"docs/deploy.md must have exactly one block marked tested: {block}"
    return found[0]


def run_documented(block: str, env: dict[str, str]) -> None:
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", documented(block)], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"{block} failed:\n{result.stdout}\n{result.stderr}"


def tables(postgres, database: str) -> list[str]:
    return [
        name
        for (name,) in postgres.rows(
            database, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    ]


def contents(postgres, database: str, table: str) -> list[tuple]:
    return sorted(postgres.rows(database, f'SELECT * FROM "{table}"'), key=repr)


def sequences(postgres, database: str) -> dict[str, int | None]:
    return dict(
        postgres.rows(database, "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
    )


@pytest.fixture
def app_role(postgres):
    """The application's own database role (not a superuser), as in production."""
    role = unique_name("bridge_app")
    postgres.admin(f'CREATE ROLE "{role}" LOGIN')
    yield role
    postgres.admin(f'DROP ROLE IF EXISTS "{role}"')


def test_a_pg_dump_restored_into_a_new_database_keeps_every_score_rank_and_audit_row(
    postgres, demo_database, demo_copy, app_role, tmp_path
):
    # Given a deployment database with every problem scored and ranked, and triage audited
    source = demo_copy
    [(problems, scored, ranked, stale)] = postgres.rows(
        source,
        "SELECT count(*), count(s.problem_id), count(s.rank),"
        " count(*) FILTER (WHERE s.problem_id IS NULL OR s.inputs_version <> p.inputs_version)"
        " FROM intake_problem p LEFT JOIN scoring_problemscore s ON s.problem_id = p.id",
    )
    assert problems == scored > 0 and ranked > 0 and stale == 0
    assert postgres.rows(source, "SELECT count(*) FROM intake_auditevent")[0][0] > 0
    assert postgres.rows(source, "SELECT count(*) FROM scoring_scorehistory")[0][0] > 0

    # When it is backed up and restored into a new database with the documented commands
    backup_file = tmp_path / "bridge.dump"
    restored = unique_name(f"{source[:30]}_restored")
    admin = {"PATH": "/usr/bin:/bin", "PGHOST": postgres.host, "PGPORT": str(postgres.port), "PGUSER": postgres.user}
    if postgres.password:
        admin["PGPASSWORD"] = postgres.password
    try:
        backup = {"PATH": "/usr/bin:/bin", "DATABASE_URL": postgres.url(source), "BACKUP_FILE": str(backup_file)}
        run_documented("backup", backup)
        run_documented(
            "restore", {**admin, "APP_ROLE": app_role, "RESTORE_DATABASE": restored, "BACKUP_FILE": str(backup_file)}
        )

        # Then every table holds the same rows, and every sequence is where it was
        assert tables(postgres, restored) == tables(postgres, source)
        for table in tables(postgres, source):
            assert contents(postgres, restored, table) == contents(postgres, source, table), table
        assert sequences(postgres, restored) == sequences(postgres, source)
        # (the scores, spelled out: every stored field, rank included, problem by problem)
        score_sql = "SELECT * FROM scoring_problemscore ORDER BY problem_id"
        assert postgres.rows(restored, score_sql) == postgres.rows(source, score_sql)
        audit_sql = "SELECT * FROM intake_auditevent ORDER BY id"
        assert postgres.rows(restored, audit_sql) == postgres.rows(source, audit_sql)

        # and the application, as its own role, has nothing to migrate, nothing stale, and can write
        app_url = postgres.url(restored, user=app_role)
        manage("migrate", "--check", database_url=app_url)
        out = manage(
            "shell",
            "-c",
            WRITE_AND_COUNT_STALE.format(user_id=demo_database.user_id),
            database_url=app_url,
            CELERY_ENABLED="false",
        )
        assert out.strip().splitlines()[-1] == "stale=0 evidence=+1"
    finally:
        postgres.drop(restored)


WRITE_AND_COUNT_STALE = """
from intake.models import Evidence, Problem, User
from intake.services import evidence_add
from scoring.selectors import stale_summary
before = Evidence.objects.count()
problem = Problem.objects.filter(status="new").order_by("id").first()
evidence_add(problem=problem, added_by=User.objects.get(pk={user_id}), kind="time_study", value=5, sample_size=2)
print(f"stale={{stale_summary().problems}} evidence=+{{Evidence.objects.count() - before}}")
"""
