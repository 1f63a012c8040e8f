"""Sending newsletters is its own permission (newsletter.send_newsletter) instead of the
CRUD permission newsletter.change_send: whoever holds change_send today, a group or a
person, gets send_newsletter."""

from django.db import migrations


def grant_send_newsletter(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("newsletter")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("people", "User")
    send_newsletter = Permission.objects.get(content_type__app_label="newsletter",
                                             codename="send_newsletter")
    change_send = Permission.objects.filter(content_type__app_label="newsletter",
                                            codename="change_send").first()
    if change_send is None:
        return
    for group in Group.objects.filter(permissions=change_send):
        group.permissions.add(send_newsletter)
    for user in User.objects.filter(user_permissions=change_send):
        user.user_permissions.add(send_newsletter)


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0006_people_moved"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [
        migrations.AlterModelOptions(
            name="send",
            options={"permissions": [("send_newsletter",
                                      "Can start, pause and retry newsletter sends")]},
        ),
        migrations.RunPython(grant_send_newsletter, migrations.RunPython.noop),
    ]
