"""The demo data registry. Every seeder uses get_or_create/update_or_create so a second
run changes nothing; each app appends its seeders here in its AppConfig.ready()
(portal.demo.seed_all runs them)."""

from collections.abc import Callable

DEMO_PASSWORD = "customer-first-2026"

# Seeders that run before the demo people exist (departments, vocabularies...).
SEEDERS: list[Callable[[], object]] = []
# Seeders that need the demo people (ideas, insights, enrolments...).
LATE_SEEDERS: list[Callable[[], object]] = []
