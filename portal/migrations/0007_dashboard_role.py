from django.db import migrations

from people.roles import grant


def create(apps, schema_editor):
    grant(apps, {"Programme admin": ["portal.view_programme_dashboard"]})


class Migration(migrations.Migration):
    dependencies = [("portal", "0006_dashboard_permission")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
