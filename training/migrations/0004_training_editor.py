"""The Training editor role. Its page permissions on the training index and the
approval workflow need the index page, so training.setup adds them after migrate (and
when the index is created)."""

from django.db import migrations

from people.roles import grant


def create(apps, schema_editor):
    grant(apps, {"Training editor": ["wagtailadmin.access_admin"]})


class Migration(migrations.Migration):
    dependencies = [("training", "0003_quizattempt_token"),
                    ("wagtailadmin", "0001_create_admin_access_permissions")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
