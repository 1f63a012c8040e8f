"""Recount the programme dashboard's rollup of ideas from scratch (portal.rollup).

    manage.py rebuild_dashboard_rollup [--changed-only]

Not needed in normal running: database triggers mark every change and the beat job
recounts the changed days every few minutes (the dashboard counts those live meanwhile).
Useful after loading many ideas at once (generate_ideas, an import), so the first
dashboard view reads the rollup rather than counting the new days live, or to check
that a rebuild changes nothing."""

import time

from django.core.management.base import BaseCommand

from portal import rollup


class Command(BaseCommand):
    help = "Recount the programme dashboard's rollup of ideas."

    def add_arguments(self, parser):
        parser.add_argument("--changed-only", action="store_true",
                            help="Recount only the days changed since the last refresh.")

    def handle(self, *args, changed_only=False, **options):
        started = time.perf_counter()
        result = rollup.refresh(full=not changed_only)
        what = "everything" if result["full"] else f"{result['days']} changed days"
        self.stdout.write(f"Recounted {what}: {result['rows']} rows "
                          f"in {time.perf_counter() - started:.1f}s")
