"""Trigram search for similar problems (intake.selectors.problems_similar), on PostgreSQL only.

SQLite (`make run` without DATABASE_URL) has no pg_trgm; there the selectors use a word-overlap
fallback, so this migration does nothing and still applies cleanly.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # fastupdate off: rows loaded in bulk go straight into the index instead of a pending list that
    # every search would have to read through until the next vacuum.
    "CREATE INDEX IF NOT EXISTS intake_problem_title_trgm ON intake_problem USING gin (title gin_trgm_ops)"
    " WITH (fastupdate = off)",
]
DROP = ["DROP INDEX IF EXISTS intake_problem_title_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_roles")]
    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
