from django.db import migrations

from people.roles import grant


def create(apps, schema_editor):
    grant(apps, {
        "Programme admin": ["newsletter.change_send", "newsletter.view_send",
                            "newsletter.view_delivery", "champions.view_insight",
                            "newsletter.add_newsletterissuepage",
                            "newsletter.change_newsletterissuepage"],
        "Champion": ["champions.view_insight", "newsletter.add_newsletterissuepage",
                     "newsletter.change_newsletterissuepage"],
    })


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0001_initial"), ("champions", "0002_roles")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
