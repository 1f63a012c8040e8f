"""Demo data for the embedded setup. Idempotent: running it twice changes nothing.
Features add their own demo content by registering a seeder in shared.demo."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from portal import demo
from shared.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load idempotent demo data (departments, one login per role, feature content)."

    def handle(self, *args, **options):
        with transaction.atomic():
            logins = demo.seed_all()
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready. Sign in at {settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/"))
        self.stdout.write(f"  {'role':<17} {'e-mail':<32} password")
        for role, email in logins:
            self.stdout.write(f"  {role:<17} {email:<32} {DEMO_PASSWORD}")
