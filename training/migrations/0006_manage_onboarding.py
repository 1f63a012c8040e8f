"""training.manage_onboarding: a named permission for enrolling people and reading the
onboarding report, instead of the borrowed CRUD permission training.add_enrolment.
Every group (and person) that held add_enrolment gets it, so nobody loses access."""

from django.db import migrations

from people.roles import grant


def grant_manage_onboarding(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("people", "User")
    Permission = apps.get_model("auth", "Permission")
    holders = {"content_type__app_label": "training", "codename": "add_enrolment"}
    groups = list(Group.objects.filter(
        permissions__in=Permission.objects.filter(**holders)).values_list("name", flat=True))
    # Creates the new permission row (post_migrate has not run yet) and grants it.
    grant(apps, {name: ["training.manage_onboarding"] for name in groups})
    manage = Permission.objects.get(content_type__app_label="training",
                                    codename="manage_onboarding")
    for user in User.objects.filter(user_permissions__in=Permission.objects.filter(**holders)):
        user.user_permissions.add(manage)


class Migration(migrations.Migration):

    dependencies = [
        ("training", "0005_people_moved"),
        ("people", "0002_moved_from_portal"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="enrolment",
            options={"ordering": ["due_on", "pk"], "permissions": [
                ("manage_onboarding", "Can enrol people and see onboarding reports")]},
        ),
        migrations.RunPython(grant_manage_onboarding, migrations.RunPython.noop),
    ]
