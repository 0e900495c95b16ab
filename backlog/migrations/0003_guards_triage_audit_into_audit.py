"""The triage audit joins the audit of every write (intake.AuditEvent): its rows are copied there,
with their time, actor, action, before and after, then the old table goes."""

from django.db import migrations

BATCH = 2000


def copy_triage_audit(apps, schema_editor):
    TriageAudit = apps.get_model("backlog", "TriageAudit")
    AuditEvent = apps.get_model("intake", "AuditEvent")
    rows = TriageAudit.objects.select_related("actor").order_by("id").iterator(chunk_size=BATCH)
    batch = []
    for row in rows:
        batch.append(
            AuditEvent(
                at=row.at,
                actor_id=row.actor_id,
                actor_name=row.actor.username,
                action=row.action,
                problem_id=row.problem_id,
                object_type="problem",
                object_id=str(row.problem_id),
                before=row.before,
                after=row.after,
            )
        )
        if len(batch) >= BATCH:
            _insert(AuditEvent, batch)
            batch = []
    _insert(AuditEvent, batch)


def _insert(AuditEvent, batch):
    AuditEvent.objects.bulk_create(batch)


def copy_back(apps, schema_editor):
    TriageAudit = apps.get_model("backlog", "TriageAudit")
    AuditEvent = apps.get_model("intake", "AuditEvent")
    TriageAudit.objects.bulk_create(
        TriageAudit(
            at=event.at,
            actor_id=event.actor_id,
            action=event.action,
            problem_id=event.problem_id,
            before=event.before or {},
            after=event.after or {},
        )
        for event in AuditEvent.objects.filter(action__in=("triage", "merge")).order_by("id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("backlog", "0002_initial"),
        ("intake", "0010_guards_audit"),
    ]

    operations = [
        migrations.RunPython(copy_triage_audit, copy_back),
        migrations.DeleteModel(name="TriageAudit"),
    ]
