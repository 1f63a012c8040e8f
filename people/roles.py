"""The programme's roles. Each is a Django group created by a data migration;
permission checks ask for permissions, never for group names, except where a
role itself is the point (e.g. who must use MFA).

Group names are stored in English and never shown as they are: role_label() gives
the translated label to show people."""

from django.utils.translation import gettext_lazy as _

EMPLOYEE = "Employee"
REVIEWER = "Reviewer"
CHAMPION = "Champion"
NEW_HIRE = "New hire"
PROGRAMME_ADMIN = "Programme admin"
# Writes onboarding modules and lessons in the Wagtail admin (training.setup gives the
# page permissions and the approval workflow).
TRAINING_EDITOR = "Training editor"

ALL_ROLES = [EMPLOYEE, REVIEWER, CHAMPION, NEW_HIRE, PROGRAMME_ADMIN, TRAINING_EDITOR]

ROLE_LABELS = {
    EMPLOYEE: _("Employee"),
    REVIEWER: _("Reviewer"),
    CHAMPION: _("Champion"),
    NEW_HIRE: _("New hire"),
    PROGRAMME_ADMIN: _("Programme admin"),
    TRAINING_EDITOR: _("Training editor"),
}


def role_label(name: str):
    """The translated label of a role (other groups keep their own name)."""
    return ROLE_LABELS.get(name, name)


def role_labels(names) -> list:
    """Translated labels of the roles among `names`, in the programme's role order."""
    names = set(names)
    return [ROLE_LABELS[r] for r in ALL_ROLES if r in names] + sorted(
        n for n in names if n not in ROLE_LABELS)

# Permissions each role holds, as "app_label.codename". Features add theirs in
# their own data migrations with portal.roles.grant() (the Training editor role is
# created by training's).
ROLE_PERMISSIONS = {
    EMPLOYEE: [],
    REVIEWER: ["wagtailadmin.access_admin"],
    CHAMPION: ["wagtailadmin.access_admin"],
    NEW_HIRE: [],
    PROGRAMME_ADMIN: [
        "wagtailadmin.access_admin",
        "people.add_user",
        "people.change_user",
        "people.delete_user",
        "people.view_user",
        "people.add_department",
        "people.change_department",
        "people.delete_department",
        "people.view_department",
        "people.manage_roles",
    ],
}


def grant(apps, role_permissions: dict[str, list[str]]) -> None:
    """Give roles permissions inside a data migration (creating missing permissions first)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in role_permissions.items():
        group, _ = Group.objects.get_or_create(name=role)
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
