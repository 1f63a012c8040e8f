"""Demo data for the embedded setup. Idempotent: running it twice changes nothing.
Features add their own demo content by registering a seeder in shared.demo."""

from django.core.management.base import BaseCommand
from django.db import transaction

from portal import demo
from shared.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load idempotent demo data (departments, one login per role, feature content)."

    def handle(self, *args, **options):
        with transaction.atomic():
            logins = demo.seed_all()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/"))
        self.stdout.write(f"  {'role':<17} {'e-mail':<32} password")
        for role, email in logins:
            self.stdout.write(f"  {role:<17} {email:<32} {DEMO_PASSWORD}")
