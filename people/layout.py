"""Moving models between apps without touching their tables.

People and notifications were models of the portal app until the layout of
2026-11 (see README, "Where things live"). The move keeps every table and row: the
migrations change Django's state only, and these helpers carry what refers to a
model by app label (content types, so permissions and admin history follow) and the
migration record the user model's new first migration needs."""

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

# The people app's first migration, recorded as applied on a database built on the
# earlier layout (it changes nothing in the database, so recording it is running it).
STATE_ONLY_FIRST = ("people", "0001_initial")
# ...whose only dependency in that layout is the migration that created the tables.
CREATED_BY = ("portal", "0001_people")


def record_state_only_first_migration(using: str = "default") -> bool:
    """Record people.0001 as applied where the tables it describes already exist.

    Every migration that points at the user model depends on the user model's app's
    first migration. A database migrated on the earlier layout has applied those
    (Wagtail's, allauth's, ours) against portal.0001; without this record Django
    refuses to migrate it (InconsistentMigrationHistory). Returns True if recorded."""
    connection = connections[using]
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return False
    applied = recorder.applied_migrations()
    if STATE_ONLY_FIRST in applied or CREATED_BY not in applied:
        return False
    recorder.migration_qs.create(app=STATE_ONLY_FIRST[0], name=STATE_ONLY_FIRST[1],
                                 applied=timezone.now())
    return True


def content_types_mover(old_app: str, new_app: str, models: list[str]):
    """A RunPython function giving `models`' content types their new app label.

    The content type keeps its id, so permissions granted to roles, Wagtail's admin
    history and anything else pointing at it stay attached. On a new database an
    earlier data migration may already have created empty content types (and
    permissions) for the new label; those are merged into the old ones."""

    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        Group = apps.get_model("auth", "Group")
        db = schema_editor.connection.alias
        for model in models:
            old = ContentType.objects.using(db).filter(app_label=old_app, model=model).first()
            if old is None:
                continue
            new = ContentType.objects.using(db).filter(app_label=new_app, model=model).first()
            if new is not None:
                grants = Group.permissions.through.objects.using(db)
                for permission in Permission.objects.using(db).filter(content_type=new):
                    twin = Permission.objects.using(db).filter(
                        content_type=old, codename=permission.codename).first()
                    if twin is None:
                        permission.content_type = old
                        permission.save(update_fields=["content_type"])
                        continue
                    for grant in grants.filter(permission_id=permission.pk):
                        grants.get_or_create(group_id=grant.group_id, permission_id=twin.pk)
                    permission.delete()
                new.delete()
            old.app_label = new_app
            old.save(update_fields=["app_label"])

    return move


def log_actions_renamer(renames: dict[str, str]):
    """A RunPython function renaming stored admin log actions (Wagtail's ModelLogEntry)."""

    def rename(apps, schema_editor):
        ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
        db = schema_editor.connection.alias
        for old, new in renames.items():
            ModelLogEntry.objects.using(db).filter(action=old).update(action=new)

    return rename
