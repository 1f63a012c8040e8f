"""Run the SMTP receiver for e-mail in (Procfile: mailin)."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from mailin.receiver import controller


class Command(BaseCommand):
    help = "Receive replies to notification e-mails over SMTP (MAILIN_HOST:MAILIN_PORT)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=None)
        parser.add_argument("--port", type=int, default=None)

    def handle(self, *args, host=None, port=None, **options):
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        if not settings.MAILIN_DOMAIN:
            # Idle rather than exit: `honcho start` stops every process when one ends.
            self.stdout.write("E-mail in is off (MAILIN_DOMAIN is not set).")
            self.stdout.flush()
            stop.wait()
            return
        server = controller(host=host, port=port)
        server.start()
        self.stdout.write(f"Receiving mail for @{settings.MAILIN_DOMAIN} on "
                          f"{server.hostname}:{server.port}")
        self.stdout.flush()
        stop.wait()
        server.stop()
