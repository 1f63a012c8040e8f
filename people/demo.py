"""Demo departments and one person per role."""

from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from shared.demo import DEMO_PASSWORD

from . import roles
from .models import CustomerSegment, Department, JourneyMap, User

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


# The demo's reference data in Thai and Persian (people/translation.py): a Thai or
# Persian reader sees these, an English one the names above.
DEPARTMENT_NAMES = {
    "Customer Service": ("บริการลูกค้า", "خدمات مشتریان"),
    "Claims": ("สินไหม", "خسارت"),
    "Product": ("ผลิตภัณฑ์", "محصول"),
    "Engineering": ("วิศวกรรม", "مهندسی"),
    "Sales": ("ฝ่ายขาย", "فروش"),
    "People & HR": ("บุคคลและทรัพยากรบุคคล", "منابع انسانی"),
}
SEGMENT_NAMES = {
    "Military families on the move": ("ครอบครัวทหารที่ย้ายที่อยู่บ่อย",
                                      "خانواده‌های نظامی در جابه‌جایی"),
    "Small-business owners": ("เจ้าของธุรกิจขนาดเล็ก", "صاحبان کسب‌وکارهای کوچک"),
    "Retirees managing claims": ("ผู้เกษียณที่กำลังเคลมประกัน",
                                 "بازنشستگانی که خسارت پیگیری می‌کنند"),
    "First-time policyholders": ("ผู้ถือกรมธรรม์ครั้งแรก", "بیمه‌گذاران تازه‌کار"),
}


def seed_departments() -> None:
    for name, parent, head_count in DEPARTMENTS:
        thai, persian = DEPARTMENT_NAMES[name]
        Department.objects.update_or_create(
            name_en=name,
            defaults={"parent": Department.objects.filter(name_en=parent).first(),
                      "head_count": head_count, "name_th": thai, "name_fa": persian},
        )


def seed_people() -> list[tuple[str, str]]:
    logins = []
    for role, email, display_name, department, job_title in PEOPLE:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "username": email.split("@")[0],
                "display_name": display_name,
                "department": Department.objects.get(name_en=department),
                "job_title": job_title,
                # The demo new hire started this week, so onboarding shows work due, not
                # every module overdue.
                "start_date": (timezone.localdate() - timedelta(days=6)
                               if role == roles.NEW_HIRE else date(2021, 3, 1)),
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
        "quotes": "I printed the form three times because I could not find the upload "
                  "button.\nJust tell me who I am talking to, and that they will call "
                  "back.\nผมอ่านจดหมายสองรอบก็ยังไม่รู้ว่าต้องส่งอะไร",
    },
    "First-time policyholders": {
        "summary": "Young adults buying their first car or renter's policy, mostly in the "
                   "mobile app.",
        "needs": "Price and cover on one screen; chat instead of calls; quick digital claims.",
        "pains": "Jargon; being sent from the app to a phone line; a surprise excess when "
                 "they claim.",
    },
}


def seed_customer_segments() -> dict[str, CustomerSegment]:
    """Get or create every demo persona by name; existing ones are left as they are.
    The retirees get the library's journey map of a car claim."""
    segments = {name: CustomerSegment.objects.get_or_create(
                    name_en=name, defaults={**fields, "name_th": SEGMENT_NAMES[name][0],
                                            "name_fa": SEGMENT_NAMES[name][1]})[0]
                for name, fields in CUSTOMER_SEGMENTS.items()}
    seed_journey_map(segments["Retirees managing claims"])
    return segments


CLAIM_JOURNEY = "A car claim, as a retiree lives it"


def seed_journey_map(segment: CustomerSegment) -> None:
    if JourneyMap.objects.filter(title=CLAIM_JOURNEY).exists():
        return
    stages = [
        ("Something happens", ["Phone"], "Calls the number on the card.",
         "Am I even covered for this?", "anxious", ["Phone menu with seven options"]),
        ("Reports the claim", ["Phone", "Letter"], "Explains the accident twice.",
         "Why do they ask again?", "frustrated", ["Re-telling the story to each agent"]),
        ("Sends documents", ["Letter", "Website"], "Prints the form; posts photos.",
         "Did they get it?", "anxious", ["Upload button hidden on a tablet",
                                          "No confirmation that papers arrived"]),
        ("Gets the decision", ["Letter"], "Reads the letter twice.",
         "What do I do now?", "frustrated", ["Clause numbers instead of plain words"]),
        ("Car is repaired", ["Field visit"], "Meets the assessor at home.",
         "They came when they said.", "delighted", []),
    ]
    JourneyMap.objects.create(
        title=CLAIM_JOURNEY, customer_segment=segment,
        summary="From the accident to the repaired car, as retirees told us in calls.",
        stages=[("stage", {"stage": stage, "touchpoints": touch, "does": does,
                           "thinks": thinks, "feeling": feeling, "pain_points": pains})
                for stage, touch, does, thinks, feeling, pains in stages])
