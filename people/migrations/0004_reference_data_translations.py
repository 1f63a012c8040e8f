
"""One column per language for reference data (django-modeltranslation); the English
column starts as a copy of the existing one, so nothing shown changes."""

from django.db import migrations, models

FIELDS = {'department': ['name'], 'customersegment': ['name', 'summary', 'needs', 'pains'], 'journeystage': ['name'], 'channel': ['name']}


def copy_to_english(apps, schema_editor):
    for model_name, fields in FIELDS.items():
        model = apps.get_model("people", model_name)
        for field in fields:
            model.objects.filter(**{f"{field}_en__isnull": True}).update(
                **{f"{field}_en": models.F(field)})


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0003_programme_settings'),
    ]

    operations = [
        migrations.AddField(
            model_name='channel',
            name='name_en',
            field=models.CharField(max_length=80, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='channel',
            name='name_fa',
            field=models.CharField(max_length=80, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='channel',
            name='name_th',
            field=models.CharField(max_length=80, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='customersegment',
            name='name_en',
            field=models.CharField(max_length=120, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='customersegment',
            name='name_fa',
            field=models.CharField(max_length=120, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='customersegment',
            name='name_th',
            field=models.CharField(max_length=120, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='customersegment',
            name='needs_en',
            field=models.TextField(blank=True, null=True, verbose_name='needs'),
        ),
        migrations.AddField(
            model_name='customersegment',
            name='needs_fa',
            field=models.TextField(blank=True, null=True, verbose_name='needs'),
        ),
        migrations.AddField(
            model_name='customersegment',
            name='needs_th',
            field=models.TextField(blank=True, null=True, verbose_name='needs'),
        ),
        migrations.AddField(
            model_name='customersegment',
            name='pains_en',
            field=models.TextField(blank=True, null=True, verbose_name='pains'),
        ),
        migrations.AddField(
            model_name='customersegment',
            name='pains_fa',
            field=models.TextField(blank=True, null=True, verbose_name='pains'),
        ),
        migrations.AddField(
            model_name='customersegment',
            name='pains_th',
            field=models.TextField(blank=True, null=True, verbose_name='pains'),
        ),
        migrations.AddField(
            model_name='customersegment',
            name='summary_en',
            field=models.TextField(blank=True, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='customersegment',
            name='summary_fa',
            field=models.TextField(blank=True, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='customersegment',
            name='summary_th',
            field=models.TextField(blank=True, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='department',
            name='name_en',
            field=models.CharField(max_length=120, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='department',
            name='name_fa',
            field=models.CharField(max_length=120, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='department',
            name='name_th',
            field=models.CharField(max_length=120, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='journeystage',
            name='name_en',
            field=models.CharField(max_length=80, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='journeystage',
            name='name_fa',
            field=models.CharField(max_length=80, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='journeystage',
            name='name_th',
            field=models.CharField(max_length=80, null=True, unique=True, verbose_name='name'),
        ),
        migrations.RunPython(copy_to_english, migrations.RunPython.noop),
    ]
