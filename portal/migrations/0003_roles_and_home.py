from django.db import migrations

from people.roles import ROLE_PERMISSIONS, grant


def create_roles(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("portal.HomePage")

    # Replace Wagtail's placeholder page (its Site goes with it).
    Page.objects.filter(content_type__app_label="wagtailcore", content_type__model="page",
                        depth=2).delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="portal")
    locale = Locale.objects.order_by("pk").first()
    home = HomePage.objects.create(
        title="Home", draft_title="Home", slug="home", content_type=content_type,
        path="00010001", depth=2, numchild=0, url_path="/home/", locale=locale,
        live=True,
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                        site_name="Customer intranet")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_home_page"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(create_home_page, migrations.RunPython.noop),
    ]
