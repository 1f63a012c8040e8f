"""The programme dashboard's rollup of ideas (portal.rollup): its tables, the triggers on
the ideas table that mark changed days, and the days of the ideas already there marked
for counting (the dashboard counts them live until the refresh job has)."""

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def install(apps, schema_editor):
    from portal import rollup

    connection = schema_editor.connection
    apps.get_model("portal", "IdeaRollupState").objects.using(connection.alias).create(
        pk=rollup.STATE_PK, time_zone=settings.TIME_ZONE, built_at=timezone.now())
    rollup.install_triggers(connection)
    rollup.mark_every_day(connection, apps.get_model("ideas", "Idea"),
                          apps.get_model("portal", "IdeaDirtyDay"))


def uninstall(apps, schema_editor):
    from portal import rollup

    rollup.remove_triggers(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0010_people_and_notifications_moved_out'),
    ]

    operations = [
        migrations.CreateModel(
            name='IdeaDirtyDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(db_index=True)),
            ],
        ),
        migrations.CreateModel(
            name='IdeaRollupState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('time_zone', models.CharField(blank=True, max_length=64)),
                ('built_at', models.DateTimeField(null=True)),
            ],
        ),
        migrations.CreateModel(
            name='IdeaDayDecisions',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('decided_on', models.DateField()),
                ('n', models.PositiveIntegerField()),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('day', 'decided_on'), name='portal_idea_day_decisions_key')],
            },
        ),
        migrations.CreateModel(
            name='IdeaDayFigures',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('department_pk', models.BigIntegerField()),
                ('stage_pk', models.BigIntegerField()),
                ('metric', models.CharField(max_length=8)),
                ('decided_on', models.DateField(null=True)),
                ('n', models.PositiveIntegerField()),
            ],
            options={
                'indexes': [models.Index(fields=['department_pk', 'day'], name='portal_idea_day_figures_dept')],
                'constraints': [models.UniqueConstraint(fields=('day', 'department_pk', 'stage_pk', 'metric', 'decided_on'), name='portal_idea_day_figures_key'), models.UniqueConstraint(condition=models.Q(('decided_on__isnull', True)), fields=('day', 'department_pk', 'stage_pk', 'metric'), name='portal_idea_day_figures_undecided_key')],
            },
        ),
        migrations.CreateModel(
            name='IdeaMonthFigures',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('department_pk', models.BigIntegerField()),
                ('stage_pk', models.BigIntegerField()),
                ('metric', models.CharField(max_length=8)),
                ('decided', models.BooleanField()),
                ('n', models.PositiveIntegerField()),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('month', 'department_pk', 'stage_pk', 'metric', 'decided'), name='portal_idea_month_figures_key')],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
