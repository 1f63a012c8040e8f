"""Demo content for champions: terms (current, past, ending soon), nominations (one open,
one declined) and customer insights in English, Thai and Persian.

Registered in shared.demo.LATE_SEEDERS (see ChampionsConfig.ready), after the ideas
seeder, so the demo people and ideas exist. Terms and nominations go through the real
services with the demo programme admin as actor, so roles, audit entries and
notifications are what the product itself writes. Dates are relative to the day of the
first run.

Idempotent: a term, nomination or insight that already exists (same person and
department, or same author and text) is skipped, so a second run changes nothing."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from ideas import permissions as idea_permissions
from ideas.models import Idea
from people.models import Channel, CustomerSegment, Department, User
from people.settings import programme_settings
from shared.workdays import add_working_hours

from . import services
from .models import Insight, Nomination, PulseQuestion, PulseSurvey, Term

EMPLOYEE = "employee@example.com"
REVIEWER = "reviewer@example.com"
CHAMPION = "champion@example.com"
NEW_HIRE = "newhire@example.com"
ADMIN = "admin@example.com"
CLAIMS_LEAD = "claims.lead@example.com"

# Colleagues who exist only to be champions in the demo (no login).
EXTRA_PEOPLE = [
    (CLAIMS_LEAD, "مریم Rahimi", "Claims", "Claims team lead"),
]

CALLBACK_IDEA = "ลูกค้ารอสายนานเกินไปเมื่อโทรแจ้งเคลม"
LETTERS_IDEA = "Plain-language claim letters for retirees"

INSIGHTS = [
    {
        "author": CHAMPION,
        "text": "A retiree told me she printed our claim form three times because the "
                "upload button was hidden below the fold on her tablet.",
        "segment": "Retirees managing claims", "channel": "Website",
        "sentiment": "negative", "tags": ["claim form", "tablet"], "days_ago": 2,
    },
    {
        "author": CHAMPION,
        "text": "ลูกค้าธุรกิจเล็กบอกว่าอยากได้ใบแจ้งหนี้ที่ดาวน์โหลดได้ทันที "
                "นักบัญชีของเขาจะได้ไม่ต้องรอจดหมาย",
        "segment": "Small-business owners", "channel": "Phone",
        "sentiment": "neutral", "tags": ["invoices", "ใบแจ้งหนี้"], "days_ago": 6,
        "answer": ("acted_on", "Billing added a download button to the invoice e-mail.", 3),
    },
    {
        "author": CHAMPION,
        "text": "วิศวกรได้ฟังสายลูกค้าจริงหนึ่งชั่วโมง แล้วเห็นว่าข้อความแจ้งข้อผิดพลาดในแอป"
                "ทำให้ลูกค้าสับสนและโทรเข้ามาถาม",
        "segment": "First-time policyholders", "channel": "Mobile app",
        "sentiment": "negative", "tags": ["แอป", "errors"], "days_ago": 11,
        "answer": ("acknowledged", "Shared with the app team; they will rewrite the messages.",
                   30),
    },
    {
        "author": CLAIMS_LEAD,
        "text": "مشتری گفت وقتی یک نفر ثابت پرونده‌اش را پیگیری کرد، برای اولین بار احساس "
                "کرد کسی حرفش را می‌فهمد.",
        "segment": "Retirees managing claims", "channel": "Phone",
        "sentiment": "positive", "tags": ["claims", "ownership"], "days_ago": 1,
    },
    {
        "author": EMPLOYEE,
        "text": "ลูกค้าสูงอายุโทรมาสามครั้งในสัปดาห์เดียว เพราะรอสายนานเกินไปแล้ววางสายไปก่อน",
        "segment": "Retirees managing claims", "channel": "Phone",
        "sentiment": "negative", "tags": ["เคลม", "phone"], "days_ago": 7,
        "idea": CALLBACK_IDEA,
    },
    {
        "author": EMPLOYEE,
        "text": "A shop owner said our SMS update saved her a morning: she knew when the "
                "assessor was coming and opened the shop late.",
        "segment": "Small-business owners", "channel": "Mobile app",
        "sentiment": "positive", "tags": ["SMS"], "days_ago": 4,
        "answer": ("closed", "Passed the thanks on to the assessors' team.", 2),
    },
    {
        "author": NEW_HIRE,
        "text": "یک خانواده نظامی گفت هر بار که منتقل می‌شوند باید سه بار با ما تماس بگیرند "
                "تا همه بیمه‌نامه‌ها را جابه‌جا کنند.",
        "segment": "Military families on the move", "channel": "Phone",
        "sentiment": "negative", "tags": ["relocation"], "days_ago": 9,
        "answer": ("acknowledged", "", 5),
    },
    {
        "author": NEW_HIRE,
        "text": "First-time buyers compare price and cover side by side in the app; they "
                "asked why the excess is only shown after they pay.",
        "segment": "First-time policyholders", "channel": "Mobile app",
        "sentiment": "negative", "tags": ["excess", "app"], "days_ago": 3,
    },
    {
        "author": REVIEWER,
        "text": "A customer thanked us for the new plain-language letter: she understood on "
                "the first read what to send and by when.",
        "segment": "Retirees managing claims", "channel": "Letter",
        "sentiment": "positive", "tags": ["letters"], "days_ago": 14,
        "idea": LETTERS_IDEA,
    },
]


def seed_champions() -> int:
    """Create the demo champions content that does not exist yet; returns how many rows
    (terms, nominations, insights) were created."""
    _seed_extra_people()
    people = {u.email: u for u in User.objects.filter(
        email__in=[EMPLOYEE, REVIEWER, CHAMPION, NEW_HIRE, ADMIN, CLAIMS_LEAD])}
    departments = {d.name_en: d for d in Department.objects.all()}
    return (_seed_terms(people, departments) + _seed_nominations(people, departments)
            + _seed_insights(people) + _seed_pulse(people))


def _seed_extra_people() -> None:
    for email, display_name, department, job_title in EXTRA_PEOPLE:
        if User.objects.filter(email=email).exists():
            continue
        department = Department.objects.filter(name_en=department).first()
        if department is None:
            continue
        user = User(email=email, username=email.split("@")[0], display_name=display_name,
                    department=department, job_title=job_title)
        user.set_unusable_password()
        user.save()


def _seed_terms(people, departments) -> int:
    admin = people.get(ADMIN)
    if admin is None:
        return 0
    today = timezone.localdate()
    length = relativedelta(months=programme_settings().champion_term_months, days=-1)
    ending_soon = today + timedelta(days=20)
    # (person, department, starts_on, ends_on, ended: True for a past term)
    specs = [
        (CHAMPION, "Engineering", today - relativedelta(months=5), None, False),
        (CLAIMS_LEAD, "Claims", ending_soon - length, ending_soon, False),
        (REVIEWER, "Customer Service", today - relativedelta(years=2),
         today - relativedelta(years=1, days=1), True),
    ]
    created = 0
    for email, department_name, starts_on, ends_on, past in specs:
        person, department = people.get(email), departments.get(department_name)
        if person is None or department is None:
            continue
        if Term.objects.filter(person=person, department=department).exists():
            continue
        term = services.term_start(person=person, department=department, actor=admin,
                                   starts_on=starts_on, ends_on=ends_on)
        if past:
            services.term_end(term=term, actor=None, reason="Term expired", on=term.ends_on)
        created += 1
    return created


def _seed_nominations(people, departments) -> int:
    admin = people.get(ADMIN)
    # (nominee, nominator, department, reason, decline reason or None for an open one)
    specs = [
        (EMPLOYEE, REVIEWER, "Claims",
         "Dana calls every customer back after a complaint and brings what she hears to "
         "the Monday meeting. Mariam's term ends soon; Dana would keep Claims covered.",
         None),
        (NEW_HIRE, NEW_HIRE, "Sales",
         "من هر هفته با مشتریان جدید صحبت می‌کنم و دوست دارم صدای آن‌ها را به تیم فروش "
         "برسانم.",
         "Thank you for volunteering! Please finish onboarding first and nominate yourself "
         "again after your first six months."),
    ]
    created = 0
    for nominee_email, nominator_email, department_name, reason, decline in specs:
        nominee, nominator = people.get(nominee_email), people.get(nominator_email)
        department = departments.get(department_name)
        if None in (nominee, nominator, department) or (decline and admin is None):
            continue
        if Nomination.objects.filter(nominee=nominee, department=department).exists():
            continue
        nomination = services.nomination_create(nominator=nominator, nominee=nominee,
                                                department=department, reason=reason)
        if decline:
            services.nomination_decline(nomination=nomination, actor=admin, reason=decline)
        created += 1
    return created


def _seed_insights(people) -> int:
    now = timezone.now()
    created = 0
    for spec in INSIGHTS:
        author = people.get(spec["author"])
        if author is None or Insight.objects.filter(author=author, text=spec["text"]).exists():
            continue
        idea = Idea.objects.filter(title=spec["idea"]).first() if spec.get("idea") else None
        if idea is not None and not idea_permissions.can_view(author, idea):
            idea = None
        insight = services.insight_create(
            author=author, text=spec["text"], sentiment=spec["sentiment"], idea=idea,
            customer_segment=CustomerSegment.objects.filter(name_en=spec["segment"]).first(),
            channel=Channel.objects.filter(name_en=spec["channel"]).first(), tags=spec["tags"])
        logged = now - timedelta(days=spec["days_ago"])
        Insight.objects.filter(pk=insight.pk).update(
            created_at=logged,
            respond_by=add_working_hours(logged, Insight.RESPONSE_HOURS),
            responded_at=logged if insight.responded_at else None)
        if spec.get("answer"):
            _answer(insight, people, *spec["answer"], logged=logged)
        created += 1
    return created


def _answer(insight, people, status, note, hours, *, logged) -> None:
    """Answer a demo insight as its owner (or the programme admin), `hours` after it
    was logged, so the queue and the dashboard's 24-hour share have a history."""
    actor = insight.owner or people.get(ADMIN)
    if actor is None:
        return
    services.insight_answer(insight=insight, actor=actor, status=status, note=note)
    when = logged + timedelta(hours=hours)
    Insight.objects.filter(pk=insight.pk).update(responded_at=when)
    insight.updates.update(created_at=when)


PULSE_TITLE = "Customer closeness this month"


def _seed_pulse(people) -> int:
    """A monthly anonymous pulse for everyone, its first round open, and three answers
    (the demo employee has not answered yet, so the form is there to try)."""
    if PulseSurvey.objects.filter(title=PULSE_TITLE).exists():
        return 0
    survey = PulseSurvey.objects.create(
        title=PULSE_TITLE, schedule=PulseSurvey.Schedule.MONTHLY, anonymous=True,
        intro="Three questions, one minute: how close to our customers were you this month?")
    questions = [
        PulseQuestion.objects.create(
            survey=survey, sort_order=0, kind=PulseQuestion.Kind.CSAT,
            text="How well do you know what our customers went through this month?"),
        PulseQuestion.objects.create(
            survey=survey, sort_order=1, kind=PulseQuestion.Kind.CHOICE,
            text="Where did you last hear a customer?",
            choices="On the phone\nIn person\nIn an e-mail or chat\nNot this month"),
        PulseQuestion.objects.create(
            survey=survey, sort_order=2, kind=PulseQuestion.Kind.TEXT,
            text="What surprised you?"),
    ]
    services.pulse_open_due_rounds()
    pulse_round = survey.rounds.get()
    answers = [
        (REVIEWER, "4", "On the phone", "Retirees keep the claim letter by the phone."),
        (CHAMPION, "5", "In person", "ลูกค้าอยากคุยกับคนเดิมทุกครั้ง"),
        (NEW_HIRE, "2", "Not this month", ""),
    ]
    for email, score, where, text in answers:
        if email in people:
            services.pulse_respond(pulse_round=pulse_round, person=people[email], answers={
                questions[0].pk: score, questions[1].pk: where, questions[2].pk: text})
    return 1 + len(answers)
