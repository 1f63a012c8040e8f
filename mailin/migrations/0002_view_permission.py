from django.db import migrations

from people.roles import grant


def create(apps, schema_editor):
    grant(apps, {"Programme admin": ["mailin.view_inboundmessage"]})


class Migration(migrations.Migration):
    dependencies = [("mailin", "0001_inbound_message"), ("portal", "0005_default_vocabularies")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
