"""Demo departments and one person per role."""

from datetime import date

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from shared.demo import DEMO_PASSWORD

from . import roles
from .models import Department, User

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
