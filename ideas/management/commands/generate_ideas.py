"""Synthetic ideas for benchmarks and load tests.

    manage.py generate_ideas --ideas 100000 [--employees N] [--seed S] [--batch 2000]

Creates employees (default: one per 20 ideas, spread over departments; some become
reviewers and champions) and ideas across every stage of the configured pipeline,
with transitions along real edges of the pipeline, supports, follows, comments,
scores and tags, in English, Thai, Persian, Lao and Khmer, submitted over the last
three years.

Rows are written directly with bulk_create, NOT through ideas.services: the services
write one row at a time, record audit log entries and create notification rows that
are e-mailed after commit, so going through them would e-mail thousands of made-up
people and take hours. What the services keep consistent is kept here by
construction instead: transitions follow allowed_next edges and end in idea.stage,
decided_at/first_decided_at come from the transitions, support_count/comment_count/
priority_score equal the rows written, one support per person and idea, nobody
supports or decides their own idea, confidential ideas are supported and discussed
only by reviewers, duplicates point to an earlier submitted idea and hold no
supports, search_text is built by Idea.refresh_search_text.

Memory does not grow with --ideas: ideas and their rows are generated and inserted
one batch at a time, each batch in its own transaction (an interrupted run keeps the
batches already written). Only the employee ids and a bounded sample of earlier ideas
(originals for duplicates) are kept. The same --seed on the same database state gives
the same data; times are relative to the start of the current day (UTC)."""

import random
import time
from collections import deque
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import reset_queries, transaction
from taggit.models import Tag

from ideas.demo import seed_segments
from ideas.models import (
    Comment,
    Follow,
    Idea,
    Metric,
    Score,
    Stage,
    Support,
    TaggedIdea,
    Transition,
)
from ideas.search import index_words
from people import roles
from people.models import Channel, CustomerSegment, Department, JourneyStage, User

USERNAME_PREFIX = "bench-"
EMAIL_DOMAIN = "bench.example.com"
UNUSABLE_PASSWORD = "!generated"  # "!" prefix: Django never accepts it as a password
HISTORY_DAYS = 3 * 365
MAX_PATHS = 500
ORIGINALS_KEPT = 5000
# Rows per INSERT statement. Small statements keep the database driver's cache of
# prepared statements (one per distinct statement) small.
ROWS_PER_INSERT = 500

DEPARTMENTS = ["Customer Service", "Claims", "Product", "Engineering", "Sales", "People & HR",
               "Finance", "Digital channels", "Operations", "Marketing"]

# --- Content ---------------------------------------------------------------------------

NAMES = {
    "en": (["Alex", "Sam", "Jordan", "Maria", "David", "Grace", "Tom", "Priya", "Lena", "Omar"],
           ["Smith", "Jones", "Garcia", "Brown", "Okafor", "Müller", "Chen", "Novak", "Khan"]),
    "th": (["สมชาย", "สุดา", "ประเสริฐ", "วิไล", "อนันต์", "กมลา", "ธนา", "พิมพ์"],
           ["ใจดี", "ศรีสุข", "วงศ์ทอง", "บุญมา", "แสงทอง"]),
    "fa": (["نگار", "علی", "مریم", "رضا", "سارا", "حسین", "لیلا"],
           ["احمدی", "محمدی", "رضایی", "کریمی", "حسینی"]),
    "lo": (["ບຸນມີ", "ສົມພອນ", "ແສງເດືອນ", "ຄຳຫຼ້າ"], ["ພົມມະວົງ", "ສີສຸວັນ", "ວົງສາ"]),
    "km": (["សុខា", "វណ្ណា", "ចន្ថា", "ពិសិដ្ឋ"], ["សុខ", "ចាន់", "ហេង", "គឹម"]),
}
# Weights of the languages ideas and employees are written in.
LANGUAGES = [("en", 55), ("th", 18), ("fa", 12), ("lo", 8), ("km", 7)]
PREFERRED = {"en": "en", "th": "th", "fa": "fa", "lo": "en", "km": "en"}
JOB_TITLES = ["Claims handler", "Service agent", "Product manager", "Engineer", "Analyst",
              "Account manager", "Team lead", "Designer", "Underwriter", "Trainer"]

EN_THINGS = ["the claim form", "renewal letters", "the phone queue", "document upload",
             "changing an address", "the first bill", "payment reminders",
             "logging in to the app", "cancelling a policy", "the welcome call",
             "roadside assistance", "booking a repair"]
# (who, the customer segment they belong to, if one of the demo segments)
EN_WHO = [("retirees", "Retirees managing claims"),
          ("military families", "Military families on the move"),
          ("small-business owners", "Small-business owners"),
          ("first-time customers", "First-time policyholders"),
          ("customers abroad", None), ("customers with a disability", None)]
EN_TITLES = ["Simplify {thing} for {who}", "Speed up {thing}",
             "Explain {thing} in plain language", "Let {who} finish {thing} in one step",
             "Stop asking {who} to repeat themselves in {thing}",
             "Show {who} where they are in {thing}", "Make {thing} work outside office hours"]
EN_PAINS = ["takes too long", "is confusing", "has to be repeated several times",
            "does not say what happens next", "only works during office hours",
            "ends in a phone call anyway"]
EN_PROBLEMS = [
    "{Who} tell us that {thing} {pain}. Many give up and call us instead, {n} times on "
    "average.",
    "Last month {n}% of {who} who started {thing} did not finish. They say it {pain}.",
    "When {thing} {pain}, {who} lose trust in us; complaints about it doubled this year.",
]
EN_DELIGHTS = ["{Who} get it done in one go, without calling us.",
               "They know at every step what happens next and when.",
               "It feels like we know them: no forms asking what we already know.",
               "They save an afternoon, and tell their friends about it."]
EN_DETAILS = ["A retired teacher living alone", "A navy spouse moving for the third time",
              "A bakery owner who cannot leave the counter",
              "A student buying her first car insurance",
              "A farmer with patchy mobile coverage"]
EN_WHYS = ["Customers call back to ask for the status", "Nobody tells them what happens next",
           "The status is only visible in our back-office tool",
           "The tool was built for handlers, not for customers",
           "Nobody owns the customer's view of the process"]

OTHER = {
    "th": {
        "things": ["แบบฟอร์มเคลม", "การต่ออายุกรมธรรม์", "การรอสายแจ้งเคลม", "การส่งเอกสาร",
                   "จดหมายแจ้งผลเคลม", "แอปมือถือ"],
        "pains": ["ใช้เวลานานเกินไป", "เข้าใจยาก", "ต้องทำซ้ำหลายครั้ง", "ไม่มีการแจ้งสถานะ"],
        "title": "{thing}{pain}",
        "problem": "ลูกค้าบอกว่า{thing}{pain} และต้องโทรมาถามหลายครั้ง ({n} ครั้งโดยเฉลี่ย)",
        "delights": ["ลูกค้าทำทุกอย่างเสร็จได้ในครั้งเดียวโดยไม่ต้องโทรหาเรา",
                     "ลูกค้ารู้ทุกขั้นตอนว่าจะเกิดอะไรขึ้นต่อไป"],
        "comments": ["เห็นด้วยครับ ลูกค้าของผมบ่นเรื่องนี้ทุกสัปดาห์",
                     "ทีมเคลมเจอปัญหาเดียวกันค่ะ", "ควรเริ่มจากลูกค้าผู้สูงอายุก่อน"],
    },
    "fa": {
        "things": ["فرم خسارت", "تمدید بیمه‌نامه", "صف انتظار تلفنی", "بارگذاری مدارک",
                   "نامه‌های اطلاع‌رسانی", "اپلیکیشن موبایل"],
        "pains": ["بیش از حد طول می‌کشد", "برای مشتری گیج‌کننده است", "باید چند بار تکرار شود",
                  "وضعیت پرونده را نشان نمی‌دهد"],
        "title": "{thing} {pain}",
        "problem": "مشتریان می‌گویند {thing} {pain} و به‌طور میانگین {n} بار تماس می‌گیرند.",
        "delights": ["مشتری کار خود را در یک مرحله و بدون تماس اضافه انجام می‌دهد.",
                     "مشتری در هر مرحله می‌داند قدم بعدی چیست."],
        "comments": ["موافقم؛ مشتریان ما هم همین را می‌گویند.", "این را اول در شعبه امتحان کنیم.",
                     "ایده خوبی است."],
    },
    "lo": {
        "things": ["ແບບຟອມເຄລມ", "ການຕໍ່ສັນຍາ", "ການລໍຖ້າສາຍ", "ການສົ່ງເອກະສານ"],
        "pains": ["ໃຊ້ເວລາດົນເກີນໄປ", "ເຂົ້າໃຈຍາກ", "ບໍ່ມີການແຈ້ງສະຖານະ"],
        "title": "{thing}{pain}",
        "problem": "ລູກຄ້າບອກວ່າ{thing}{pain} ແລະຕ້ອງໂທຫາພວກເຮົາ {n} ເທື່ອ.",
        "delights": ["ລູກຄ້າເຮັດທຸກຢ່າງສຳເລັດໃນຄັ້ງດຽວ."],
        "comments": ["ເຫັນດີນຳ.", "ລູກຄ້າຂອງຂ້ອຍກໍເວົ້າແບບນີ້."],
    },
    "km": {
        "things": ["ទម្រង់ទាមទារសំណង", "ការបន្តកិច្ចសន្យា", "ការរង់ចាំតាមទូរស័ព្ទ", "ការផ្ញើឯកសារ"],
        "pains": ["ចំណាយពេលយូរពេក", "ពិបាកយល់", "មិនមានការជូនដំណឹងអំពីស្ថានភាព"],
        "title": "{thing}{pain}",
        "problem": "អតិថិជននិយាយថា{thing}{pain} ហើយពួកគេត្រូវទូរស័ព្ទមកសួរ {n} ដង។",
        "delights": ["អតិថិជនបញ្ចប់អ្វីៗទាំងអស់ក្នុងពេលតែមួយ។"],
        "comments": ["ខ្ញុំយល់ស្រប។", "អតិថិជនរបស់ខ្ញុំក៏និយាយដូច្នេះដែរ។"],
    },
}
EN_COMMENTS = ["Yes! Our customers raise this every week.",
               "Claims sees the same in the complaint log.",
               "Could we pilot this in one region first?",
               "The app team looked at this last year; worth asking them what blocked it.",
               "Happy to help test it with real customers."]
REASONS = {
    Stage.Kind.DECLINED: ["Out of scope this year: the regulator requires the current process.",
                          "The cost is higher than the benefit we can show for now.",
                          "ปัญหานี้ได้รับการแก้ไขแล้วในระบบใหม่",
                          "این مورد با قوانین فعلی امکان‌پذیر نیست."],
    Stage.Kind.DUPLICATE: ["The same idea is already being reviewed; supporters moved there.",
                           "Duplicate of an earlier idea: please comment there."],
    Stage.Kind.PARKED: ["Parked until the new claims platform is live.",
                        "Good idea, no capacity this quarter; we will look again.",
                        "พักไว้ก่อนจนกว่าระบบใหม่จะพร้อม"],
    Stage.Kind.ACCEPTED: ["Accepted; a sponsor is named.", "Clear customer benefit; go ahead."],
    Stage.Kind.IMPLEMENTED: ["Live for all customers.", "Rolled out after a successful pilot."],
    Stage.Kind.IN_PROGRESS: ["Work has started.", ""],
    Stage.Kind.OPEN: ["", "", "Clear customer and metric.", "Checking feasibility with IT."],
}
TAGS = ["claims", "phone", "mobile app", "letters", "renewal", "billing", "onboarding",
        "self-service", "documents", "accessibility", "plain language", "military families",
        "small business", "เคลม", "ลูกค้า", "موبایل", "پرداخت", "ເຄລມ"]
METRICS = [Metric.NPS, Metric.CSAT, Metric.CES, Metric.CHURN, Metric.FCR, Metric.OTHER]
METRIC_WEIGHTS = [20, 25, 25, 10, 15, 5]

# Mean days before moving into a stage of each kind (time compressed for young ideas).
MEAN_GAP_DAYS = {Stage.Kind.OPEN: 3, Stage.Kind.ACCEPTED: 7, Stage.Kind.IN_PROGRESS: 15,
                 Stage.Kind.IMPLEMENTED: 45, Stage.Kind.DECLINED: 4, Stage.Kind.DUPLICATE: 2,
                 Stage.Kind.PARKED: 5}
# Where ideas of an age end up: (max age in days, {kind: weight}). Young ideas are mostly
# still open; old ones mostly decided, with a small stuck backlog.
OUTCOMES_BY_AGE = [
    (14, {"open": 75, "accepted": 8, "in_progress": 2, "implemented": 1, "declined": 7,
          "duplicate": 4, "parked": 3}),
    (90, {"open": 30, "accepted": 15, "in_progress": 15, "implemented": 8, "declined": 15,
          "duplicate": 7, "parked": 10}),
    (None, {"open": 4, "accepted": 6, "in_progress": 10, "implemented": 30, "declined": 30,
            "duplicate": 8, "parked": 12}),
]
DRAFT_SHARE = 0.02
WITHDRAWN_SHARE = 0.03  # of ideas still undecided
CONFIDENTIAL_SHARE = 0.04


@contextmanager
def manual_timestamps(*models):
    """Let bulk_create keep the historical times set here: it calls pre_save(), which
    would stamp auto_now/auto_now_add fields with the current time."""
    fields = [f for m in models for f in m._meta.concrete_fields
              if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class Pipeline:
    """The configured stages and every simple path through them from the initial stage."""

    def __init__(self):
        stages = list(Stage.objects.prefetch_related("allowed_next"))
        initial = [s for s in stages if s.is_initial]
        if not initial:
            raise CommandError("No initial stage is configured.")
        self.initial = sorted(initial, key=lambda s: s.order)[0]
        nexts = {s.pk: list(s.allowed_next.all()) for s in stages}
        paths: dict[int, list[list[Stage]]] = {}

        def walk(path):
            if sum(len(p) for p in paths.values()) >= MAX_PATHS:
                return
            paths.setdefault(path[-1].pk, []).append(path)
            seen = {s.pk for s in path}
            for nxt in nexts[path[-1].pk]:
                if nxt.pk not in seen and len(path) < 9:
                    walk([*path, nxt])

        walk([self.initial])
        self.stages = {s.pk: s for s in stages}
        # For each reachable stage: its paths, shorter ones much likelier.
        self.paths = {}
        for pk, options in paths.items():
            shortest = min(len(p) for p in options)
            self.paths[pk] = (options, [0.25 ** (len(p) - shortest) for p in options])
        self.by_kind: dict[str, list[Stage]] = {}
        for pk in self.paths:
            stage = self.stages[pk]
            self.by_kind.setdefault(str(stage.kind), []).append(stage)

    def choose(self, rng: random.Random, age_days: float) -> list[Stage]:
        weights = next(w for max_age, w in OUTCOMES_BY_AGE
                       if max_age is None or age_days <= max_age)
        kinds = [k for k in weights if k in self.by_kind]
        kind = rng.choices(kinds, [weights[k] for k in kinds])[0]
        stage = rng.choice(self.by_kind[kind])
        options, path_weights = self.paths[stage.pk]
        return rng.choices(options, path_weights)[0]


class Command(BaseCommand):
    help = ("Generate synthetic employees and ideas (with transitions, supports, comments) "
            "for benchmarks. Writes rows directly: no notifications, no e-mails.")

    def add_arguments(self, parser):
        parser.add_argument("--ideas", type=int, required=True, help="how many ideas")
        parser.add_argument("--employees", type=int, default=None,
                            help="how many employees to create (default: ideas / 20)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--batch", type=int, default=2000,
                            help="ideas (and employees) per insert batch (default 2000)")

    def handle(self, *args, ideas, employees, seed, batch, **options):
        if ideas < 1 or batch < 1:
            raise CommandError("--ideas and --batch must be positive.")
        employees = employees if employees is not None else max(20, ideas // 20)
        if employees < 5:
            raise CommandError("--employees must be at least 5.")
        self.rng = random.Random(seed)
        self.batch = batch
        started = time.perf_counter()
        today = datetime.now(UTC).date()
        self.anchor = datetime(today.year, today.month, today.day, tzinfo=UTC)
        self.totals = dict.fromkeys(["transitions", "supports", "follows", "comments",
                                     "scores", "tags"], 0)

        self.pipeline = Pipeline()
        self._vocabularies()
        t0 = time.perf_counter()
        self._create_employees(employees)
        t_people = time.perf_counter() - t0
        t0 = time.perf_counter()
        self._create_ideas(ideas)
        t_ideas = time.perf_counter() - t0

        elapsed = time.perf_counter() - started
        totals = self.totals
        self.stdout.write(self.style.SUCCESS(
            f"Generated {ideas:,} ideas and {employees:,} employees in {elapsed:.1f}s "
            f"(employees {t_people:.1f}s, ideas {t_ideas:.1f}s: "
            f"{ideas / max(t_ideas, 1e-9):,.0f} ideas/s)"))
        self.stdout.write(
            f"  rows: {totals['transitions']:,} transitions, {totals['supports']:,} supports, "
            f"{totals['follows']:,} follows, {totals['comments']:,} comments, "
            f"{totals['scores']:,} scores, {totals['tags']:,} tag links")

    # --- Setup ---------------------------------------------------------------------------

    def _vocabularies(self):
        seed_segments()
        self.segments = dict(CustomerSegment.objects.order_by("pk").values_list("name_en", "pk"))
        self.segment_pks = list(self.segments.values())
        self.journeys = list(JourneyStage.objects.order_by("pk").values_list("pk", flat=True))
        self.channels = list(Channel.objects.order_by("pk").values_list("pk", flat=True))
        for name in DEPARTMENTS:
            Department.objects.get_or_create(name_en=name)
        self.departments = list(Department.objects.order_by("pk").values_list("pk", flat=True))
        self.tags = [(t.pk, t.name) for t in
                     (Tag.objects.get_or_create(name=name)[0] for name in TAGS)]
        self.groups = {name: Group.objects.get_or_create(name=name)[0].pk
                       for name in (roles.EMPLOYEE, roles.REVIEWER, roles.CHAMPION)}

    def _create_employees(self, count):
        rng = self.rng
        last = (User.objects.filter(username__startswith=USERNAME_PREFIX)
                .order_by("-username").values_list("username", flat=True).first())
        start = int(last.removeprefix(USERNAME_PREFIX)) + 1 if last else 1
        n_reviewers = max(3, count // 100)
        self.employees: list[int] = []  # user pks, the only per-person state kept
        self.employee_dept: list[int] = []
        self.reviewers: list[int] = []
        champions: dict[int, int] = {}  # department pk -> champion pk
        Membership = User.groups.through
        for offset in range(0, count, self.batch):
            size = min(self.batch, count - offset)
            people = []
            for i in range(start + offset, start + offset + size):
                lang = self._language()
                first, last_name = (rng.choice(part) for part in NAMES[lang])
                username = f"{USERNAME_PREFIX}{i:07d}"
                people.append(User(
                    username=username, email=f"{username}@{EMAIL_DOMAIN}",
                    password=UNUSABLE_PASSWORD, display_name=f"{first} {last_name}",
                    department_id=rng.choice(self.departments),
                    job_title=rng.choice(JOB_TITLES), preferred_language=PREFERRED[lang],
                    start_date=date(2015, 1, 1) + timedelta(days=rng.randrange(3900)),
                ))
            with transaction.atomic():
                # bulk_create skips the post_save signal that gives every account the
                # Employee role, so the memberships are written here.
                User.objects.bulk_create(people, batch_size=ROWS_PER_INSERT)
                links = []
                for person in people:
                    links.append(Membership(user_id=person.pk, group_id=self.groups[
                        roles.EMPLOYEE]))
                    if len(self.reviewers) < n_reviewers:
                        self.reviewers.append(person.pk)
                        links.append(Membership(user_id=person.pk,
                                                group_id=self.groups[roles.REVIEWER]))
                    elif person.department_id not in champions:
                        champions[person.department_id] = person.pk
                        links.append(Membership(user_id=person.pk,
                                                group_id=self.groups[roles.CHAMPION]))
                    self.employees.append(person.pk)
                    self.employee_dept.append(person.department_id)
                Membership.objects.bulk_create(links, batch_size=ROWS_PER_INSERT)
            self.stdout.write(f"  employees {offset + size:>9,}/{count:,}")
        self.champions = champions
        self.champion_list = list(champions.values()) or self.reviewers

    # --- Ideas ---------------------------------------------------------------------------

    def _language(self) -> str:
        return self.rng.choices([c for c, _ in LANGUAGES], [w for _, w in LANGUAGES])[0]

    def _content(self, lang: str) -> dict:
        rng = self.rng
        n = rng.randint(2, 60)
        if lang == "en":
            (who, segment), thing = rng.choice(EN_WHO), rng.choice(EN_THINGS)
            pain = rng.choice(EN_PAINS)
            values = {"who": who, "Who": who[0].upper() + who[1:], "thing": thing,
                      "pain": pain, "n": n}
            title = rng.choice(EN_TITLES).format(**values)
            return {"segment": segment, "title": title[0].upper() + title[1:],
                    "problem": rng.choice(EN_PROBLEMS).format(**values),
                    "delight": rng.choice(EN_DELIGHTS).format(**values),
                    "customer_detail": rng.choice(EN_DETAILS) if rng.random() < 0.4 else "",
                    "whys": rng.sample(EN_WHYS, rng.randint(2, 5)) if rng.random() < 0.2
                    else []}
        words = OTHER[lang]
        values = {"thing": rng.choice(words["things"]), "pain": rng.choice(words["pains"]),
                  "n": n}
        return {"segment": None, "title": words["title"].format(**values),
                "problem": words["problem"].format(**values),
                "delight": rng.choice(words["delights"]), "customer_detail": "", "whys": []}

    def _comment(self, lang: str) -> str:
        if lang != "en" and self.rng.random() < 0.6:
            return self.rng.choice(OTHER[lang]["comments"])
        return self.rng.choice(EN_COMMENTS)

    def _other(self, pool: list[int], exclude: int) -> int:
        choice = self.rng.choice(pool)
        if choice == exclude:
            choice = pool[(pool.index(choice) + 1) % len(pool)]
        return choice

    def _create_ideas(self, count):
        originals: deque[int] = deque(maxlen=ORIGINALS_KEPT)
        history = timedelta(days=HISTORY_DAYS)
        first = self.anchor - history
        started = time.perf_counter()
        for offset in range(0, count, self.batch):
            size = min(self.batch, count - offset)
            plans = [self._plan(first + history * ((offset + j + self.rng.random()) / count))
                     for j in range(size)]
            with transaction.atomic(), manual_timestamps(Idea, Transition, Support, Follow,
                                                         Comment, Score):
                self._write_batch(plans, originals)
            reset_queries()  # with DEBUG on, Django keeps every query's SQL text
            done = offset + size
            rate = done / max(time.perf_counter() - started, 1e-9)
            self.stdout.write(f"  ideas {done:>9,}/{count:,} ({100 * done // count}%) "
                              f"{rate:,.0f} ideas/s")

    def _plan(self, submitted: datetime) -> dict:
        """One idea and what happens to it, without database ids of its own yet."""
        rng = self.rng
        submitted = min(submitted, self.anchor - timedelta(minutes=5))
        who = rng.randrange(len(self.employees))
        if rng.random() < 0.5:
            # Some people submit far more than others (the last created, not reviewers).
            who = len(self.employees) - 1 - int(len(self.employees) * rng.random() ** 2)
        submitter, department = self.employees[who], self.employee_dept[who]
        lang = self._language()
        content = self._content(lang)
        segment = self.segments.get(content.pop("segment"))
        if segment is None and self.segment_pks and rng.random() < 0.8:
            segment = rng.choice(self.segment_pks)
        tags = rng.sample(self.tags, rng.randint(0, 3))
        idea = Idea(
            **content, submitter_id=submitter, department_id=department,
            customer_segment_id=segment,
            journey_stage_id=rng.choice(self.journeys) if self.journeys else None,
            channel_id=rng.choice(self.channels) if self.channels and rng.random() < 0.8
            else None,
            metric=rng.choices(METRICS, METRIC_WEIGHTS)[0],
            confidential=rng.random() < CONFIDENTIAL_SHARE,
            created_at=submitted - timedelta(minutes=rng.randint(5, 3 * 24 * 60)),
        )
        idea.refresh_search_text(tag_names=[name for _, name in tags])
        plan = {"idea": idea, "lang": lang, "tags": tags, "path": [], "times": []}
        if rng.random() < DRAFT_SHARE:
            idea.status, idea.updated_at = Idea.Status.DRAFT, idea.created_at
            return plan

        age = (self.anchor - submitted).total_seconds() / 86400
        path = self.pipeline.choose(rng, age)
        gaps = [rng.expovariate(1 / MEAN_GAP_DAYS.get(s.kind, 5)) + 0.05 for s in path[1:]]
        room = (self.anchor - submitted).total_seconds() / 86400 * 0.95
        if sum(gaps) > room:
            gaps = [g * room / sum(gaps) for g in gaps]
        times = [submitted]
        for gap in gaps:
            times.append(times[-1] + timedelta(days=gap))
        final = path[-1]
        reviewer = self._other(self.reviewers, submitter)
        decided = [t for s, t in zip(path, times, strict=True) if s.is_decided]

        idea.status, idea.stage, idea.submitted_at = Idea.Status.SUBMITTED, final, submitted
        idea.stage_entered_at = idea.updated_at = times[-1]
        idea.first_decided_at = decided[0] if decided else None
        idea.decided_at = decided[-1] if decided else None
        if len(path) > 1 or rng.random() < 0.5:
            idea.assignee_id = reviewer
        if final.kind in Stage.ACCEPTED_KINDS:
            idea.sponsor_id = self.champions.get(department) or rng.choice(self.champion_list)
        if not decided and rng.random() < WITHDRAWN_SHARE:
            idea.status = Idea.Status.WITHDRAWN
            idea.withdrawn_at = idea.updated_at = min(
                times[-1] + timedelta(days=rng.uniform(0.1, 10)), self.anchor)
        plan.update(path=path, times=times, reviewer=reviewer)
        self._plan_activity(plan)
        return plan

    def _plan_activity(self, plan: dict) -> None:
        """Supports, comments and scores, with the idea's counters set to match."""
        rng, idea, path = self.rng, plan["idea"], plan["path"]
        window = max((self.anchor - idea.submitted_at).total_seconds(), 60)
        # Most ideas get a few supports, some many; duplicates none (merged away).
        n = 0
        if path[-1].kind != Stage.Kind.DUPLICATE:
            n = rng.randint(20, 150) if rng.random() < 0.03 else int(rng.expovariate(1 / 4))
        pool = self.reviewers if idea.confidential else self.employees
        supporters = [u for u in rng.sample(pool, min(n + 1, len(pool)))
                      if u != idea.submitter_id][:n]
        plan["supports"] = [(user, idea.submitted_at + timedelta(
            seconds=rng.uniform(0, min(window, 60 * 86400)))) for user in supporters]
        idea.support_count = len(supporters)

        n = min(int(rng.expovariate(1 / 1.2)), 20)
        authors = [*self.reviewers, idea.submitter_id] if idea.confidential else self.employees
        moments = sorted(rng.uniform(0, min(window, 90 * 86400)) for _ in range(n))
        plan["comments"] = [(rng.choice(authors), self._comment(plan["lang"]),
                             idea.submitted_at + timedelta(seconds=seconds))
                            for seconds in moments]
        idea.comment_count = n

        plan["scores"] = []
        if len(path) > 2 and rng.random() < 0.7:
            scorers = sorted({plan["reviewer"], self._other(self.reviewers, idea.submitter_id)})
            for scorer in scorers:
                plan["scores"].append(Score(
                    reviewer_id=scorer, impact=rng.randint(1, 5), reach=rng.randint(1, 5),
                    confidence=rng.randint(1, 5), effort=rng.randint(1, 5),
                    updated_at=plan["times"][1]))
            idea.priority_score = round(
                sum(s.priority for s in plan["scores"]) / len(plan["scores"]), 1)

    def _write_batch(self, plans: list[dict], originals: deque) -> None:
        rng = self.rng
        # A duplicate points to an earlier submitted, non-duplicate idea: from an earlier
        # batch (pk known now) or, when there is none yet, from earlier in this batch
        # (pk known after the insert).
        late = []
        for j, plan in enumerate(plans):
            idea = plan["idea"]
            if idea.stage is None or idea.stage.kind != Stage.Kind.DUPLICATE:
                continue
            if originals:
                idea.duplicate_of_id = rng.choice(originals)
                continue
            earlier = [k for k in range(max(0, j - 200), j) if _can_be_original(plans[k])]
            if earlier:
                late.append((idea, plans[rng.choice(earlier)]["idea"]))

        Idea.objects.bulk_create([p["idea"] for p in plans], batch_size=ROWS_PER_INSERT)
        index_words([p["idea"] for p in plans if p["idea"].status == Idea.Status.SUBMITTED])
        if late:
            for idea, original in late:
                idea.duplicate_of_id = original.pk
            Idea.objects.bulk_update([idea for idea, _ in late], ["duplicate_of"])

        transitions, supports, follows, comments, scores, tags = [], [], [], [], [], []
        for plan in plans:
            idea = plan["idea"]
            tags += [TaggedIdea(content_object_id=idea.pk, tag_id=pk) for pk, _ in plan["tags"]]
            if idea.status == Idea.Status.DRAFT:
                continue
            if _can_be_original(plan):
                originals.append(idea.pk)
            reviewer, previous = plan["reviewer"], None
            for stage, when in zip(plan["path"], plan["times"], strict=True):
                if previous is None:
                    actor, reason = idea.submitter_id, ""
                else:
                    actor = reviewer if rng.random() < 0.85 else self._other(
                        self.reviewers, idea.submitter_id)
                    reason = rng.choice(REASONS.get(stage.kind, [""]))
                    if stage.needs_reason and not reason:
                        reason = "See the comments."
                transitions.append(Transition(idea_id=idea.pk, from_stage=previous,
                                              to_stage=stage, actor_id=actor, reason=reason,
                                              created_at=when))
                previous = stage
            follows.append(Follow(idea_id=idea.pk, user_id=idea.submitter_id,
                                  created_at=idea.submitted_at))
            supports += [Support(idea_id=idea.pk, user_id=user, created_at=when)
                         for user, when in plan["supports"]]
            comments += [Comment(idea_id=idea.pk, author_id=author, body=body, created_at=when)
                         for author, body, when in plan["comments"]]
            for score in plan["scores"]:
                score.idea_id = idea.pk
                scores.append(score)

        Transition.objects.bulk_create(transitions, batch_size=ROWS_PER_INSERT)
        Support.objects.bulk_create(supports, batch_size=ROWS_PER_INSERT)
        Follow.objects.bulk_create(follows, batch_size=ROWS_PER_INSERT)
        Comment.objects.bulk_create(comments, batch_size=ROWS_PER_INSERT)
        Score.objects.bulk_create(scores, batch_size=ROWS_PER_INSERT)
        TaggedIdea.objects.bulk_create(tags, batch_size=ROWS_PER_INSERT)
        for name, rows in (("transitions", transitions), ("supports", supports),
                           ("follows", follows), ("comments", comments), ("scores", scores),
                           ("tags", tags)):
            self.totals[name] += len(rows)


def _can_be_original(plan: dict) -> bool:
    idea = plan["idea"]
    return (idea.status == Idea.Status.SUBMITTED and idea.stage is not None
            and idea.stage.kind != Stage.Kind.DUPLICATE)
