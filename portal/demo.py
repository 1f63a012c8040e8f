"""Demo content. Every seeder uses get_or_create/update_or_create so a second run
changes nothing; feature apps append their seeders to SEEDERS."""

from collections.abc import Callable
from datetime import date

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from . import roles
from .models import Department, User

DEMO_PASSWORD = "customer-first-2026"

DEPARTMENTS = [
    ("Customer Service", None, 120),
    ("Claims", "Customer Service", 45),
    ("Product", None, 60),
    ("Engineering", "Product", 85),
    ("Sales", None, 40),
    ("People & HR", None, 15),
]

# (role, e-mail, display name, department, job title)
PEOPLE = [
    (roles.EMPLOYEE, "employee@example.com", "Dana Employee", "Claims", "Claims handler"),
    (roles.REVIEWER, "reviewer@example.com", "Rui Reviewer", "Customer Service", "CX lead"),
    (roles.CHAMPION, "champion@example.com", "สมชาย Champion", "Engineering", "Engineer"),
    (roles.NEW_HIRE, "newhire@example.com", "نگار New hire", "Sales", "Account manager"),
    (roles.PROGRAMME_ADMIN, "admin@example.com", "Ada Admin", "People & HR", "CX programme lead"),
]


def seed_departments() -> None:
    for name, parent, head_count in DEPARTMENTS:
        Department.objects.update_or_create(
            name=name,
            defaults={"parent": Department.objects.filter(name=parent).first(),
                      "head_count": head_count},
        )


def seed_people() -> list[tuple[str, str]]:
    logins = []
    for role, email, display_name, department, job_title in PEOPLE:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "username": email.split("@")[0],
                "display_name": display_name,
                "department": Department.objects.get(name=department),
                "job_title": job_title,
                "start_date": date(2026, 11, 2) if role == roles.NEW_HIRE else date(2021, 3, 1),
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
        if role == roles.PROGRAMME_ADMIN:
            # The admin also reviews, so one login can walk the whole programme.
            user.groups.add(Group.objects.get(name=roles.REVIEWER))
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        logins.append((role, email))
    return logins


SEEDERS: list[Callable[[], object]] = [seed_departments]


def seed_all() -> list[tuple[str, str]]:
    for seeder in SEEDERS:
        seeder()
    logins = seed_people()
    for seeder in LATE_SEEDERS:
        seeder()
    return logins


# Seeders that need the demo people (ideas, insights, enrolments...).
LATE_SEEDERS: list[Callable[[], object]] = []
