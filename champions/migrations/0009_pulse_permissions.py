"""Programme admins set up pulse surveys in the Wagtail admin (Snippets › Pulse surveys)."""

from django.db import migrations


def grant_pulse(apps, schema_editor):
    from people.roles import PROGRAMME_ADMIN, grant

    grant(apps, {PROGRAMME_ADMIN: [f"champions.{action}_pulsesurvey"
                                   for action in ("add", "change", "delete", "view")]})


class Migration(migrations.Migration):
    dependencies = [("champions", "0008_pulse_surveys")]

    operations = [migrations.RunPython(grant_pulse, migrations.RunPython.noop)]
