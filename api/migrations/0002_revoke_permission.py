from django.db import migrations

from people.roles import grant


def create(apps, schema_editor):
    grant(apps, {"Programme admin": ["api.revoke_any_token", "api.view_accesstoken"]})


class Migration(migrations.Migration):
    dependencies = [("api", "0001_access_token"), ("portal", "0005_default_vocabularies")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
