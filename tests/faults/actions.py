"""Things the fault tests do inside the application, in a process of its own (like a
web request or an admin would), against the databases the test started:

    python -m tests.faults.actions seed
    python -m tests.faults.actions publish "Issue title"

Run with DJANGO_SETTINGS_MODULE, DATABASE_URL and REDIS_URL set by the test."""

import sys

import django

PASSWORD = "customer-first-2026"
SUBSCRIBERS = 20


def seed() -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    from people import roles
    from people.models import CustomerSegment, Department, User

    department, _ = Department.objects.get_or_create(name="Claims", defaults={"head_count": 30})
    CustomerSegment.objects.get_or_create(name="Military families on the move")

    def person(username, *role_names):
        user = User.objects.create_user(username=username, email=f"{username}@example.com",
                                        password=PASSWORD, display_name=username.title(),
                                        department=department)
        user.groups.add(*Group.objects.filter(name__in=role_names))
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    person("employee")
    person("reviewer", roles.REVIEWER)
    person("admin", roles.PROGRAMME_ADMIN, roles.REVIEWER)
    for n in range(SUBSCRIBERS):
        person(f"subscriber{n:02d}")


def publish(title: str) -> None:
    from django.utils.text import slugify

    from newsletter.models import NewsletterArchivePage, NewsletterIssuePage
    from people.models import User

    admin = User.objects.get(username="admin")
    archive = NewsletterArchivePage.objects.get()
    issue = archive.add_child(instance=NewsletterIssuePage(
        title=title, slug=slugify(title), intro="What customers told us this month.",
        body=[{"type": "story", "value": {
            "heading": "ลูกค้ารอสายนานเกินไป", "text": "<p>مشتری گفت ممنون.</p>"}}],
        live=False))
    # As in the admin: publishing starts the send once the transaction commits.
    issue.save_revision(user=admin).publish(user=admin)


if __name__ == "__main__":
    django.setup()
    action, *args = sys.argv[1:]
    {"seed": seed, "publish": publish}[action](*args)
