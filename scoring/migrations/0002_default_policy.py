from django.db import migrations


def create_default_policy(apps, schema_editor):
    ScoringPolicy = apps.get_model("scoring", "ScoringPolicy")
    ScoringPolicy.objects.get_or_create(
        version=1,
        defaults={
            "after_hours_weight": 0.5,
            "patient_weight": 0.25,
            "breadth_weight": 1.0,
            "default_effort_weeks": 2.0,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial")]
    operations = [migrations.RunPython(create_default_policy, migrations.RunPython.noop)]
