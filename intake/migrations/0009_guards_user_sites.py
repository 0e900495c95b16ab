from django.db import migrations, models


def everyone_works_at_home(apps, schema_editor):
    User = apps.get_model("intake", "User")
    Through = User.sites.through
    Through.objects.bulk_create(
        [
            Through(user_id=user_id, site_id=site_id)
            for user_id, site_id in User.objects.filter(home_site__isnull=False).values_list("pk", "home_site_id")
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("intake", "0008_revenue_report_evidence")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="sites",
            field=models.ManyToManyField(
                blank=True,
                help_text="The sites this person works at. Their home site always counts, listed here or not.",
                related_name="workers",
                to="intake.site",
            ),
        ),
        migrations.RunPython(everyone_works_at_home, migrations.RunPython.noop),
    ]
