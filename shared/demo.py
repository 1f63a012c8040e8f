"""The demo data registry. Every seeder uses get_or_create/update_or_create so a second
run changes nothing; each app appends its seeders here in its AppConfig.ready()
(portal.demo.seed_all runs them)."""

from collections.abc import Callable

DEMO_PASSWORD = "customer-first-2026"

# Seeders that run before the demo people exist (departments, vocabularies...).
SEEDERS: list[Callable[[], object]] = []
# Seeders that need the demo people (ideas, insights, enrolments...).
LATE_SEEDERS: list[Callable[[], object]] = []

# The customer personas every app's demo content speaks about (people.CustomerSegment),
# by name. Ideas and onboarding both seed them with seed_customer_segments().
CUSTOMER_SEGMENTS: dict[str, dict[str, str]] = {
    "Military families on the move": {
        "summary": "Service members and their families, who relocate every two to three "
                   "years, often at short notice and sometimes while one of them is deployed.",
        "needs": "One checklist for moving home and policies; someone who understands "
                 "deployment; answers outside office hours and across time zones.",
        "pains": "Re-telling their situation to every new agent; paperwork that assumes a "
                 "fixed address; a spouse who cannot act while the member is away.",
    },
    "Small-business owners": {
        "summary": "Owners of shops, workshops and small firms who insure their premises, "
                   "stock and vehicles with us.",
        "needs": "Fast answers during the working day; invoices their accountant accepts; "
                 "cover that grows with the business.",
        "pains": "Hold queues while the shop is unattended; forms written for households, "
                 "not businesses; every day of downtime after a claim costs income.",
    },
    "Retirees managing claims": {
        "summary": "Older customers, often living alone, dealing with a home, car or "
                   "health claim, sometimes for the first time.",
        "needs": "A named person to call; plain language on paper; time to read and ask.",
        "pains": "Long phone menus; small print; online-only steps; not knowing whether "
                 "their documents arrived.",
    },
    "First-time policyholders": {
        "summary": "Young adults buying their first car or renter's policy, mostly in the "
                   "mobile app.",
        "needs": "Price and cover on one screen; chat instead of calls; quick digital claims.",
        "pains": "Jargon; being sent from the app to a phone line; a surprise excess when "
                 "they claim.",
    },
}


def seed_customer_segments(model) -> dict[str, object]:
    """Get or create every demo persona by name in `model` (people.CustomerSegment; passed
    in, since shared imports no app). Existing ones are left as they are."""
    return {name: model.objects.get_or_create(name=name, defaults=fields)[0]
            for name, fields in CUSTOMER_SEGMENTS.items()}
