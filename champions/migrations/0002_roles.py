from django.db import migrations

from people.roles import grant


def create(apps, schema_editor):
    grant(apps, {
        "Programme admin": ["champions.change_nomination", "champions.view_nomination",
                            "champions.add_term", "champions.change_term",
                            "champions.view_term"],
    })


class Migration(migrations.Migration):
    dependencies = [("champions", "0001_initial"), ("portal", "0005_default_vocabularies")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
