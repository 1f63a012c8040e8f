"""The programme's roles. Each is a Django group created by a data migration;
permission checks ask for permissions, never for group names, except where a
role itself is the point (e.g. who must use MFA)."""

EMPLOYEE = "Employee"
REVIEWER = "Reviewer"
CHAMPION = "Champion"
NEW_HIRE = "New hire"
PROGRAMME_ADMIN = "Programme admin"

ALL_ROLES = [EMPLOYEE, REVIEWER, CHAMPION, NEW_HIRE, PROGRAMME_ADMIN]

# Permissions each role holds, as "app_label.codename". Features add theirs in
# their own data migrations with portal.roles.grant().
ROLE_PERMISSIONS = {
    EMPLOYEE: [],
    REVIEWER: ["wagtailadmin.access_admin"],
    CHAMPION: ["wagtailadmin.access_admin"],
    NEW_HIRE: [],
    PROGRAMME_ADMIN: [
        "wagtailadmin.access_admin",
        "portal.add_user",
        "portal.change_user",
        "portal.delete_user",
        "portal.view_user",
        "portal.add_department",
        "portal.change_department",
        "portal.delete_department",
        "portal.view_department",
        "portal.manage_roles",
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
