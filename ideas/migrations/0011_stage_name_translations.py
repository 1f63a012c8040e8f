
"""One column per language for reference data (django-modeltranslation); the English
column starts as a copy of the existing one, so nothing shown changes."""

from django.db import migrations, models

FIELDS = {'stage': ['name']}


def copy_to_english(apps, schema_editor):
    for model_name, fields in FIELDS.items():
        model = apps.get_model("ideas", model_name)
        for field in fields:
            model.objects.filter(**{f"{field}_en__isnull": True}).update(
                **{f"{field}_en": models.F(field)})
    # The default pipeline's names were translated by the catalogue: the programme
    # admin now sees (and may change) those translations in the stage's own fields.
    from django.utils.translation import gettext, override

    from ideas.models import DEFAULT_STAGE_NAMES

    stage = apps.get_model("ideas", "stage")
    for name in DEFAULT_STAGE_NAMES:
        for language in ("th", "fa"):
            with override(language):
                translated = gettext(name)
            if translated != name:
                stage.objects.filter(name=name, **{f"name_{language}__isnull": True}).update(
                    **{f"name_{language}": translated})


class Migration(migrations.Migration):

    dependencies = [
        ('ideas', '0010_comment_thread_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='stage',
            name='name_en',
            field=models.CharField(max_length=60, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='stage',
            name='name_fa',
            field=models.CharField(max_length=60, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='stage',
            name='name_th',
            field=models.CharField(max_length=60, null=True, unique=True, verbose_name='name'),
        ),
        migrations.RunPython(copy_to_english, migrations.RunPython.noop),
    ]
