from django.db import migrations

from people.roles import grant


def create(apps, schema_editor):
    grant(apps, {"Programme admin": ["training.add_enrolment", "training.change_enrolment",
                                     "training.view_enrolment", "training.add_onboardingpath",
                                     "training.change_onboardingpath",
                                     "training.delete_onboardingpath",
                                     "training.view_onboardingpath"]})


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial"), ("portal", "0005_default_vocabularies")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
