"""Django's migrate, first recording the people app's state-only first migration on a
database built on the earlier layout (see people.layout)."""

from django.core.management.commands.migrate import Command as MigrateCommand

from people.layout import record_state_only_first_migration


class Command(MigrateCommand):
    def handle(self, *args, **options):
        if record_state_only_first_migration(options["database"]):
            self.stdout.write("Recorded people.0001_initial (people moved out of portal; "
                              "no table changes).")
        return super().handle(*args, **options)
