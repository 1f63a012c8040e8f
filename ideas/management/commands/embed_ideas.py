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
        parser.add_argument("--limit", type=int,
                            help="Embed at most this many missing or stale ideas, newest "
                                 "first (what the periodic sweep does), and stop.")

    def handle(self, *args, **options):
        if not semantic.enabled():
            raise CommandError("SEARCH_EMBEDDINGS is off: nothing to compute. Set it to "
                               "'local' (README \"Similar ideas across wording and language\").")
        backend = semantic.get_backend()
        started = time.monotonic()
        if options["limit"] is not None:
            if options["all"]:
                raise CommandError("--limit and --all do not go together.")
            written = semantic.idea_embed_sweep(limit=options["limit"], backend=backend,
                                                batch_size=options["batch_size"])
        else:
            written = semantic.idea_embed(force=options["all"], backend=backend,
                                          batch_size=options["batch_size"])
        self.stdout.write(f"{written} ideas embedded with {backend.name} in "
                          f"{time.monotonic() - started:.1f} s.")
