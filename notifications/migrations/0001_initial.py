"""Notifications moved here from the portal app; the table keeps its name."""

from people.layout import content_types_mover

move_content_types = content_types_mover("portal", "notifications", ["notification"])

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('portal', '0009_user_email_case_insensitive_unique'),
        ('people', '0002_moved_from_portal'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # State only: the tables stay where they are (see people/migrations/0001_initial.py).
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='Notification',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('verb', models.CharField(max_length=60)),
                    ('title', models.CharField(max_length=255)),
                    ('body', models.TextField(blank=True)),
                    ('url', models.CharField(blank=True, max_length=500)),
                    ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                    ('read_at', models.DateTimeField(blank=True, null=True)),
                    ('email_status', models.CharField(choices=[('not_needed', 'not e-mailed'), ('pending', 'pending'), ('digest', 'waiting for the daily digest'), ('sending', 'sending'), ('sent', 'sent'), ('failed', 'failed')], default='not_needed', max_length=12)),
                    ('email_attempts', models.PositiveSmallIntegerField(default=0)),
                    ('email_claimed_at', models.DateTimeField(blank=True, null=True)),
                    ('in_digest', models.BooleanField(default=False)),
                    ('emailed_at', models.DateTimeField(blank=True, null=True)),
                    ('email_error', models.TextField(blank=True)),
                    ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'portal_notification',
                    'ordering': ['-created_at'],
                    'indexes': [models.Index(fields=['recipient', 'read_at'], name='portal_notif_unread'), models.Index(fields=['email_status', 'created_at'], name='portal_notif_outbox')],
                },
            ),
        ]),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
