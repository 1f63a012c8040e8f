"""Backfill sentence embeddings (ideas.semantic): every submitted idea without a vector of
the configured model, or whose title or problem changed since (--all: every one)."""

import time

from django.core.management.base import BaseCommand, CommandError

from ideas import semantic


class Command(BaseCommand):
    help = "Compute missing or stale idea embeddings (SEARCH_EMBEDDINGS must be on)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true",
                            help="Re-embed every submitted idea, not only missing or stale.")
        parser.add_argument("--batch-size", type=int, default=semantic.BATCH_SIZE)

    def handle(self, *args, **options):
        if not semantic.enabled():
            raise CommandError("SEARCH_EMBEDDINGS is off: nothing to compute. Set it to "
                               "'local' (README \"Similar ideas across wording and language\").")
        backend = semantic.get_backend()
        started = time.monotonic()
        written = semantic.idea_embed(force=options["all"], backend=backend,
                                      batch_size=options["batch_size"])
        self.stdout.write(f"{written} ideas embedded with {backend.name} in "
                          f"{time.monotonic() - started:.1f} s.")
