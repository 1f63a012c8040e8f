"""The rest of people moved from the portal app: the customer vocabularies, the
user's notification settings, permissions and constraint. Their content types (and
so their permissions and admin history) move with them."""

from people.layout import content_types_mover, log_actions_renamer

move_content_types = content_types_mover("portal", "people", [
    "department", "user", "customersegment", "journeystage", "channel"])
rename_log_actions = log_actions_renamer({
    "portal.profile_update": "people.profile_update",
    "portal.roles_change": "people.roles_change",
    "portal.email_change": "people.email_change",
})

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0009_user_email_case_insensitive_unique'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('wagtailcore', '0098_apitoken'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('people', '0001_initial'),
        ('wagtailimages', '0027_image_description'),
    ]

    operations = [
        # State only: the tables stay where they are (see people/migrations/0001_initial.py).
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='Channel',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=80, unique=True, verbose_name='name')),
                ],
                options={
                    'verbose_name': 'channel / touchpoint',
                    'verbose_name_plural': 'channels / touchpoints',
                    'db_table': 'portal_channel',
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='CustomerSegment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=120, unique=True, verbose_name='name')),
                    ('summary', models.TextField(blank=True, verbose_name='summary')),
                    ('needs', models.TextField(blank=True, verbose_name='needs')),
                    ('pains', models.TextField(blank=True, verbose_name='pains')),
                ],
                options={
                    'verbose_name': 'customer segment',
                    'verbose_name_plural': 'customer segments',
                    'db_table': 'portal_customersegment',
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='JourneyStage',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=80, unique=True, verbose_name='name')),
                    ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ],
                options={
                    'verbose_name': 'journey stage',
                    'verbose_name_plural': 'journey stages',
                    'db_table': 'portal_journeystage',
                    'ordering': ['order', 'name'],
                },
            ),
            migrations.AlterModelOptions(
                name='user',
                options={'permissions': [('manage_roles', 'Can assign programme roles'), ('view_programme_dashboard', 'Can see the CX programme dashboard')], 'verbose_name': 'user', 'verbose_name_plural': 'users'},
            ),
            migrations.AddField(
                model_name='user',
                name='digest_sent_on',
                field=models.DateField(blank=True, editable=False, null=True),
            ),
            migrations.AddField(
                model_name='user',
                name='email_delivery',
                field=models.CharField(choices=[('immediately', 'One e-mail per notification, as it happens'), ('daily', 'One daily digest'), ('never', 'No e-mail: only in the intranet')], default='immediately', max_length=12, verbose_name='notification e-mails'),
            ),
            migrations.AddField(
                model_name='user',
                name='email_muted_topics',
                field=models.JSONField(blank=True, default=list, verbose_name='topics not e-mailed'),
            ),
            migrations.AddConstraint(
                model_name='user',
                constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('email'), name='portal_user_email_ci_unique', violation_error_message='Another account already uses this e-mail address.'),
            ),
            migrations.AddField(
                model_name='customersegment',
                name='photo',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image', verbose_name='photo'),
            ),
        ]),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
        migrations.RunPython(rename_log_actions, migrations.RunPython.noop),
    ]
