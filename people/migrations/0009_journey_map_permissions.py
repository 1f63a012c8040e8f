"""Programme admins keep the library's journey maps (Snippets › Customers › Journey maps)."""

from django.db import migrations


def grant_journey_maps(apps, schema_editor):
    from people.roles import PROGRAMME_ADMIN, grant

    grant(apps, {PROGRAMME_ADMIN: [f"people.{action}_journeymap"
                                   for action in ("add", "change", "delete", "view")]})


class Migration(migrations.Migration):
    dependencies = [("people", "0008_journey_maps")]

    operations = [migrations.RunPython(grant_journey_maps, migrations.RunPython.noop)]
