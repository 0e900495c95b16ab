"""API tokens that expire and are stored hashed; demo accounts marked so that they work only with DEBUG on.

Two data steps:
- Databases that had the demo loaded before accounts were marked: the five demo logins that
  `load_demo` created (these usernames, still with the published demo password) are marked now.
  An account with one of these names but another password is left alone.
- DRF's old tokens (rest_framework.authtoken: plain-text keys that never expired) no longer
  authenticate anything; their table and migration records are removed with them.
"""

import os

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import migrations, models

DEMO_LOGINS = ["clinician", "informatics", "pm", "itlead", "admin"]
PUBLISHED_DEMO_PASSWORD = "bridge-demo"


def mark_demo_accounts(apps, schema_editor):
    User = apps.get_model("intake", "User")
    passwords = {PUBLISHED_DEMO_PASSWORD, os.environ.get("DEMO_PASSWORD") or PUBLISHED_DEMO_PASSWORD}
    for user in User.objects.filter(username__in=DEMO_LOGINS, is_demo=False):
        if any(check_password(password, user.password) for password in passwords):
            User.objects.filter(pk=user.pk).update(is_demo=True)


def drop_plain_text_tokens(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if "authtoken_token" in connection.introspection.table_names(cursor):
            cursor.execute("DROP TABLE authtoken_token")
        cursor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0004_problem_inputs_changed_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='is_demo',
            field=models.BooleanField(default=False, help_text='A demo account: it can sign in only with DEBUG on.'),
        ),
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80)),
                ('digest', models.CharField(help_text='SHA-256 of the key (the key is not stored).', max_length=64, unique=True)),
                ('roles', models.JSONField(blank=True, default=list, help_text="The owner's roles when the token was created.")),
                ('password_fingerprint', models.CharField(max_length=128)),
                ('created_at', models.DateTimeField()),
                ('expires_at', models.DateTimeField()),
                ('last_used_at', models.DateTimeField(blank=True, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'API token',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['user', '-created_at'], name='apitoken_user_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('name', ''), _negated=True), name='apitoken_name_required'), models.CheckConstraint(condition=models.Q(('expires_at__gt', models.F('created_at'))), name='apitoken_expires_after_created')],
            },
        ),
        migrations.RunPython(mark_demo_accounts, migrations.RunPython.noop),
        migrations.RunPython(drop_plain_text_tokens, migrations.RunPython.noop),
    ]
