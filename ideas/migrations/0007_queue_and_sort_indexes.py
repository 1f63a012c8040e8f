
from django.conf import settings
from django.db import migrations, models


# Sorts whose key can be NULL (recently decided, priority score) put NULLs last. PostgreSQL
# serves such an order from an index declared the same way; SQLite cannot declare NULLS
# LAST in an index (and needs none at its sizes), so these are PostgreSQL's only and are
# not in Idea.Meta (makemigrations would write them for SQLite too).
POSTGRES_INDEXES = {
    "ideas_list_recently_decided":
        'ON "ideas_idea" ("status", "decided_at" DESC NULLS LAST, "id" DESC)',
    "ideas_queue_priority":
        'ON "ideas_idea" ("priority_score" DESC NULLS LAST, "stage_entered_at", "id") '
        "WHERE \"status\" = 'submitted'",
}


def create_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in POSTGRES_INDEXES.items():
            schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" {definition}')


def drop_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in POSTGRES_INDEXES:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ('ideas', '0006_people_moved'),
        ('people', '0003_programme_settings'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='idea',
            name='ideas_list_supported',
        ),
        migrations.AddIndex(
            model_name='idea',
            index=models.Index(fields=['status', '-support_count', '-submitted_at', '-id'], name='ideas_list_supported'),
        ),
        migrations.AddIndex(
            model_name='idea',
            index=models.Index(condition=models.Q(('status', 'submitted')), fields=['stage_entered_at', 'id'], name='ideas_queue_waiting'),
        ),
        migrations.RunPython(create_postgres_indexes, drop_postgres_indexes),
    ]
