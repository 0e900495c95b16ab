"""Ranks unindexed, room on every page: rank refreshes become HOT updates.

A recompute renumbers the ranks of every problem between a moved problem's old and new place.
With `rank` indexed none of those UPDATEs could be heap-only; without the index, and with
fillfactor 70 leaving room on each page for the new row versions, they are. Listings walk
score_order_idx (priority DESC, created_at, problem WHERE is_open) instead: the same order.
"""

from django.db import migrations

TABLE = "scoring_problemscore"


def fillfactor_70(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET (fillfactor = 70)")


def fillfactor_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0003_pipeline"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="problemscore",
            name="score_rank_idx",
        ),
        migrations.RunPython(fillfactor_70, fillfactor_default),
    ]
