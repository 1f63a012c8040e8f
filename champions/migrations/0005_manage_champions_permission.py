""""May manage customer champions" gets a permission of its own (manage_champions)
instead of borrowing the CRUD permission change_nomination. Every group (and person)
holding change_nomination today gets it, so nobody loses or gains a right; the CRUD
permissions stay as they are for the Wagtail admin."""

from django.db import migrations


def _permissions(apps):
    from people.roles import grant

    # grant() with nothing to grant creates the missing permissions (manage_champions).
    grant(apps, {})
    Permission = apps.get_model("auth", "Permission")
    change = Permission.objects.filter(content_type__app_label="champions",
                                       codename="change_nomination").first()
    manage = Permission.objects.get(content_type__app_label="champions",
                                    codename="manage_champions")
    return change, manage


def copy_assignments(apps, schema_editor):
    change, manage = _permissions(apps)
    if change is None:
        return
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("people", "User")
    for group in Group.objects.filter(permissions=change):
        group.permissions.add(manage)
    for user in User.objects.filter(user_permissions=change):
        user.user_permissions.add(manage)


def remove_assignments(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    manage = Permission.objects.filter(content_type__app_label="champions",
                                       codename="manage_champions").first()
    if manage is not None:
        manage.group_set.clear()
        manage.user_set.clear()


class Migration(migrations.Migration):

    dependencies = [
        ("champions", "0004_people_moved"),
        ("people", "0002_moved_from_portal"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="term",
            options={"ordering": ["-starts_on", "-pk"],
                     "permissions": [("manage_champions", "Can manage customer champions")]},
        ),
        migrations.RunPython(copy_assignments, remove_assignments),
    ]
