from django.db import migrations

from people.roles import grant


def create(apps, schema_editor):
    grant(apps, {"Programme admin": ["webhooks.manage_webhooks", "webhooks.view_endpoint",
                                     "webhooks.add_endpoint", "webhooks.change_endpoint",
                                     "webhooks.delete_endpoint"]})


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0001_initial"), ("portal", "0005_default_vocabularies")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
