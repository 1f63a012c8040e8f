"""Term-ending reminders are recorded like every other reminder: by their notifications'
once_key (notifications.services.notification_create), not a timestamp on the term.

Reminders already sent keep counting: the notifications written with the timestamp (in
the same transaction, so within moments of it) get the key the new code would give
them, so nobody is reminded twice after the upgrade."""

from datetime import timedelta

from django.db import migrations


def key_sent_reminders(apps, schema_editor):
    Term = apps.get_model("champions", "Term")
    Notification = apps.get_model("notifications", "Notification")
    for term in Term.objects.exclude(end_reminder_sent_at=None).iterator():
        sent = term.end_reminder_sent_at
        key = f"champions.term_ending:{term.pk}:{term.ends_on.isoformat()}"
        rows = Notification.objects.filter(
            verb="champions.term_ending", once_key="",
            created_at__range=(sent - timedelta(minutes=1), sent + timedelta(minutes=1)))
        # Rows of this term: written late (parameters) or early (a link to the person).
        mine = [n.pk for n in rows
                if n.params.get("person") == term.person_id
                or n.legacy_url == f"/champions/people/{term.person_id}/"]
        seen = set()
        for note in Notification.objects.filter(pk__in=mine).order_by("pk"):
            if note.recipient_id not in seen:
                seen.add(note.recipient_id)
                note.once_key = key
                note.save(update_fields=["once_key"])


class Migration(migrations.Migration):

    dependencies = [
        ('champions', '0005_manage_champions_permission'),
        ('notifications', '0003_once_key'),
    ]

    operations = [
        migrations.RunPython(key_sent_reminders, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='term',
            name='end_reminder_sent_at',
        ),
    ]
