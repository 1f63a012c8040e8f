"""People and notifications live in their own apps now: the portal forgets its
copies of those models, by state only (the tables are theirs)."""
from django.db import migrations

MOVED = ["department", "user", "customersegment", "journeystage", "channel", "notification"]


def forget_stale_content_types(apps, schema_editor):
    """Data migrations that ran between the move and this one may have created empty
    portal content types for the moved models (a new database); nothing uses them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    stale = ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="portal", model__in=MOVED)
    in_use = Permission.objects.filter(content_type__in=stale).exclude(group=None)
    stale.exclude(pk__in=in_use.values("content_type")).delete()



class Migration(migrations.Migration):

    dependencies = [
        ('newsletter', '0006_people_moved'),
        ('notifications', '0001_initial'),
        ('people', '0002_moved_from_portal'),
        ('champions', '0004_people_moved'),
        ('ideas', '0006_people_moved'),
        ('portal', '0009_user_email_case_insensitive_unique'),
        ('training', '0005_people_moved'),
    ]

    operations = [
        # State only: the tables stay where they are (see people/migrations/0001_initial.py).
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(
                name='Channel',
            ),
            migrations.RemoveField(
                model_name='customersegment',
                name='photo',
            ),
            migrations.RemoveField(
                model_name='department',
                name='parent',
            ),
            migrations.DeleteModel(
                name='JourneyStage',
            ),
            migrations.RemoveIndex(
                model_name='notification',
                name='portal_notif_unread',
            ),
            migrations.RemoveIndex(
                model_name='notification',
                name='portal_notif_outbox',
            ),
            migrations.RemoveIndex(
                model_name='user',
                name='portal_user_display_lower',
            ),
            migrations.RemoveConstraint(
                model_name='user',
                name='portal_user_email_ci_unique',
            ),
            migrations.DeleteModel(
                name='CustomerSegment',
            ),
            migrations.RemoveField(
                model_name='user',
                name='department',
            ),
            migrations.RemoveField(
                model_name='user',
                name='groups',
            ),
            migrations.RemoveField(
                model_name='user',
                name='manager',
            ),
            migrations.RemoveField(
                model_name='user',
                name='user_permissions',
            ),
            migrations.DeleteModel(
                name='Notification',
            ),
            migrations.DeleteModel(
                name='Department',
            ),
            migrations.DeleteModel(
                name='User',
            ),
        ]),
        migrations.RunPython(forget_stale_content_types, migrations.RunPython.noop),
    ]
