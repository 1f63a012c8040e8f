"""Demo content for the ideas app: customer segments and a dozen ideas in every stage.

Registered in shared.demo.LATE_SEEDERS (see IdeasConfig.ready), so it runs after the
demo people exist. Ideas are written through the real services (draft, submit,
support, comment, score, transition, sponsor) so every row, audit entry and
notification is exactly what the product itself would write; only the timestamps
are moved into the past afterwards, so queues, overdue flags and time-to-decision
reports have something to show.

Idempotent: segments are got-or-created by name and an idea whose title already
exists is skipped entirely, so a second run changes nothing."""

from datetime import timedelta

from django.utils import timezone

from notifications.models import Notification
from people.demo import seed_customer_segments
from people.models import Channel, CustomerSegment, JourneyStage, User

from . import services
from .models import Comment, Follow, Idea, Stage, Support, Transition

EMPLOYEE = "employee@example.com"
REVIEWER = "reviewer@example.com"
CHAMPION = "champion@example.com"
NEW_HIRE = "newhire@example.com"
ADMIN = "admin@example.com"

CALLBACK_TITLE = "ลูกค้ารอสายนานเกินไปเมื่อโทรแจ้งเคลม"

# One dict per idea, created in this order (an original before its duplicate).
# "path": stages after submission as (stage, actor, reason); nobody decides their own idea.
# "days_ago": when it was submitted; its transitions are spread over the time since.
IDEAS = [
    {
        "title": CALLBACK_TITLE,
        "submitter": EMPLOYEE,
        "problem": "ลูกค้าที่โทรมาแจ้งเคลมต้องรอสายเฉลี่ย 40 นาที "
                   "หลายคนวางสายไปก่อนที่จะได้คุยกับเจ้าหน้าที่",
        "customer_detail": "ผู้สูงอายุที่โทรมาแจ้งเคลมรถหรือบ้านเป็นครั้งแรก",
        "delight": "ระบบโทรกลับอัตโนมัติ ลูกค้าไม่ต้องถือสายรอ "
                   "และได้คุยกับเจ้าหน้าที่เคลมในครั้งเดียว",
        "segment": "Retirees managing claims", "metric": "ces",
        "journey": "Get help", "channel": "Phone", "tags": ["เคลม", "phone"],
        "whys": ["ลูกค้าวางสายก่อนได้คุยกับเจ้าหน้าที่", "คิวโทรศัพท์ยาวมากในช่วงเช้า",
                 "เจ้าหน้าที่รับสายไม่พอในวันจันทร์"],
        "days_ago": 5,
        "supports": [CHAMPION, NEW_HIRE, ADMIN],
        "comments": [(CHAMPION, "เห็นด้วยครับ ลูกค้าของผมบ่นเรื่องนี้ทุกสัปดาห์"),
                     (NEW_HIRE, "Small-business customers say the same: they cannot leave "
                                "the shop counter to hold for forty minutes.")],
    },
    {
        "title": "โทรกลับหาลูกค้าแทนการให้ถือสายรอ",
        "submitter": NEW_HIRE,
        "problem": "เช้าวันจันทร์ลูกค้าต้องถือสายรอนานมากเวลาโทรมาเรื่องเคลม",
        "delight": "ลูกค้าได้รับสายกลับในเวลาที่สะดวก ไม่ต้องเสียเวลารอ",
        "segment": "Small-business owners", "metric": "ces",
        "journey": "Get help", "channel": "Phone", "tags": ["phone"],
        "days_ago": 3,
        "supports": [CHAMPION, EMPLOYEE],
        "duplicate_of": CALLBACK_TITLE,
        "path": [("Duplicate", REVIEWER,
                  "The same problem as “ลูกค้ารอสายนานเกินไปเมื่อโทรแจ้งเคลม”; "
                  "supporters moved there. Please add your call-back details as a comment.")],
    },
    {
        "title": "One moving checklist for military families",
        "submitter": EMPLOYEE,
        "problem": "When a family is posted to a new base they must update home, car and "
                   "contents policies in three separate calls, often from a temporary address.",
        "customer_detail": "A spouse arranging the move while the service member is deployed",
        "delight": "One checklist and one call: we move every policy with them and confirm "
                   "in writing before the removal van arrives.",
        "segment": "Military families on the move", "metric": "ces",
        "journey": "Use", "channel": "Website", "tags": ["relocation", "military families"],
        "days_ago": 8,
        "supports": [CHAMPION, NEW_HIRE],
        "scores": [(REVIEWER, 4, 4, 3, 3)],
        "path": [("Triage", REVIEWER, "Clear customer and metric; checking the policy "
                                      "system work with Product.")],
    },
    {
        "title": "فرم آنلاین خسارت را در موبایل ساده‌تر کنیم",
        "submitter": NEW_HIRE,
        "problem": "فرم ثبت خسارت در موبایل دوازده صفحه دارد و بسیاری از مشتریان "
                   "آن را نیمه‌کاره رها می‌کنند.",
        "customer_detail": "جوانانی که اولین بیمه‌نامه خودرو را از اپلیکیشن خریده‌اند",
        "delight": "مشتری می‌تواند در پنج دقیقه و فقط با چند عکس، خسارت خود را ثبت کند.",
        "segment": "First-time policyholders", "metric": "csat",
        "journey": "Get help", "channel": "Mobile app", "tags": ["موبایل", "claims"],
        "days_ago": 15,
        "supports": [CHAMPION, REVIEWER],
        "comments": [(EMPLOYEE, "Claims sees the same: half the mobile claims arrive "
                                "without photos and we have to call back.")],
        "scores": [(REVIEWER, 4, 5, 3, 3), (ADMIN, 3, 5, 3, 4)],
        "questions": {"customer_named": True, "delight_explained": True},
        "path": [("Triage", REVIEWER, ""),
                 ("In review", REVIEWER, "Product is sizing a shorter form.")],
    },
    {
        "title": "Name one claims handler per claim",
        "submitter": EMPLOYEE,
        "problem": "Customers re-tell their story to every new handler who picks up the case; "
                   "a typical home claim passes through four people.",
        "customer_detail": "A widower in his seventies whose kitchen flooded",
        "delight": "One named person who knows their case and calls them back: customers "
                   "feel known, not processed.",
        "segment": "Retirees managing claims", "metric": "nps",
        "journey": "Get help", "channel": "Phone", "tags": ["claims", "ownership"],
        "whys": ["Customers repeat their story on every call",
                 "Each call goes to whoever is free",
                 "Claims are assigned to teams, not to people",
                 "The queue tool only knows teams"],
        "days_ago": 30,
        "supports": [CHAMPION, NEW_HIRE, ADMIN],
        "scores": [(REVIEWER, 5, 4, 4, 3)],
        "path": [("Triage", REVIEWER, ""),
                 ("Accepted", REVIEWER, "Claims will pilot named handlers for home "
                                        "claims next quarter.")],
        "sponsor": CHAMPION,
    },
    {
        "title": "ແຈ້ງສະຖານະການເຄລມທາງ SMS",
        "submitter": CHAMPION,
        "problem": "ລູກຄ້າບໍ່ຮູ້ວ່າການເຄລມຂອງເຂົາເຈົ້າໄປຮອດໃສແລ້ວ "
                   "ຈຶ່ງຕ້ອງໂທຫາພວກເຮົາຫຼາຍເທື່ອ.",
        "customer_detail": "ຜູ້ເຖົ້າທີ່ລໍຖ້າເງິນຊົດເຊີຍ",
        "delight": "ລູກຄ້າໄດ້ຮັບຂໍ້ຄວາມທຸກຄັ້ງທີ່ສະຖານະປ່ຽນ ໂດຍບໍ່ຕ້ອງໂທຖາມ.",
        "segment": "Retirees managing claims", "metric": "ces",
        "journey": "Get help", "channel": "Phone", "tags": ["SMS", "ເຄລມ"],
        "days_ago": 60,
        "supports": [EMPLOYEE, NEW_HIRE],
        "comments": [(EMPLOYEE, "Please put the handler's direct number in the message.")],
        "scores": [(REVIEWER, 4, 5, 4, 2)],
        "path": [("Triage", REVIEWER, ""),
                 ("In review", REVIEWER, ""),
                 ("Accepted", REVIEWER, "Engineering owns the message service."),
                 ("In progress", REVIEWER, "Building the status messages; the first release "
                                           "goes to the pilot region.")],
        "sponsor": ADMIN,
    },
    {
        "title": "ផ្ញើសារបញ្ជាក់ភ្លាមៗពេលយើងទទួលបានឯកសារ",
        "submitter": EMPLOYEE,
        "problem": "អតិថិជនមិនដឹងថាយើងបានទទួលឯកសាររបស់ពួកគេហើយឬនៅ "
                   "ដូច្នេះពួកគេផ្ញើវាម្តងទៀត ហើយទូរស័ព្ទមកសួរ។",
        "delight": "អតិថិជនស្ងប់ចិត្ត ព្រោះដឹងភ្លាមៗថាឯកសារបានមកដល់ដោយសុវត្ថិភាព។",
        "segment": "Small-business owners", "metric": "csat",
        "journey": "Get help", "channel": "E-mail", "tags": ["documents"],
        "days_ago": 120,
        "supports": [CHAMPION, NEW_HIRE, ADMIN],
        "scores": [(REVIEWER, 3, 5, 5, 1)],
        "path": [("Triage", REVIEWER, ""),
                 ("Accepted", REVIEWER, "Quick win: the upload service already knows."),
                 ("In progress", REVIEWER, ""),
                 ("Implemented", REVIEWER, "Live: customers get an e-mail within minutes of "
                                           "each upload.")],
        "sponsor": CHAMPION,
    },
    {
        "title": "Plain-language claim letters for retirees",
        "submitter": CHAMPION,
        "problem": "Our claim letters quote policy clauses; retirees call to ask what the "
                   "letter means, and some miss deadlines.",
        "delight": "The first line says what happens next and what they need to do, so they "
                   "can act without calling.",
        "segment": "Retirees managing claims", "metric": "csat",
        "journey": "Get help", "channel": "Letter", "tags": ["letters", "plain language"],
        "days_ago": 300,
        "supports": [EMPLOYEE, NEW_HIRE, REVIEWER, ADMIN],
        "comments": [(NEW_HIRE, "عالی است؛ لطفاً نامه‌ها را به فارسی هم داشته باشیم.")],
        "scores": [(REVIEWER, 4, 5, 4, 2)],
        "path": [("Triage", REVIEWER, ""),
                 ("In review", REVIEWER, ""),
                 ("Accepted", REVIEWER, "The CX office rewrites the ten most "
                                        "common letters."),
                 ("In progress", REVIEWER, ""),
                 ("Implemented", REVIEWER, "The ten letters are live."),
                 ("Impact measured", REVIEWER, "CSAT for claim letters rose from 3.4 to 4.2 "
                                               "and calls asking what a letter means fell by "
                                               "a third.")],
        # Recorded by the programme admin before "Impact measured" (which requires it).
        "impact": {"unit": "score", "baseline": "3.4", "target": "4.0", "measured": "4.2",
                   "days_ago": 20, "method": "Post-letter CSAT survey, about 400 answers "
                                             "before and 400 after the new letters.",
                   "evidence": "Calls asking what a letter means: 1,210 a month before, "
                               "790 after."},
        "sponsor": ADMIN,
        "coauthors": [EMPLOYEE],
        "thanks": [(REVIEWER, "Our claims team hears the difference on every call: "
                              "thank you both."),
                   (NEW_HIRE, "ขอบคุณครับ — my grandmother understood her letter at once.")],
    },
    {
        "title": "Give every customer who complains a discount",
        "submitter": NEW_HIRE,
        "problem": "Customers who complain about a delay often leave at renewal.",
        "delight": "A discount shows them we are sorry.",
        "segment": "Small-business owners", "metric": "churn",
        "journey": "Renew or leave", "channel": None, "tags": ["retention"],
        "days_ago": 45,
        "comments": [(CHAMPION, "What about a goodwill gesture only when we caused the "
                                "delay?")],
        "path": [("Triage", REVIEWER, ""),
                 ("Declined", REVIEWER, "A blanket discount rewards the complaint, not the "
                                        "fix, and costs more than removing the delay. The "
                                        "“one claims handler” idea goes after the cause.")],
    },
    {
        "title": "ارزیابی خسارت با تماس تصویری",
        "submitter": REVIEWER,
        "problem": "مشتریان باید چند روز منتظر بمانند تا کارشناس برای دیدن خسارت "
                   "به محل کارشان بیاید.",
        "delight": "کارشناس همان روز از طریق تماس تصویری خسارت را می‌بیند "
                   "و پرونده زودتر بسته می‌شود.",
        "segment": "Small-business owners", "metric": "ces",
        "journey": "Get help", "channel": "Mobile app", "tags": ["video", "claims"],
        "days_ago": 90,
        "supports": [EMPLOYEE, CHAMPION],
        "scores": [(ADMIN, 4, 3, 2, 4)],
        "path": [("Triage", ADMIN, ""),
                 ("In review", ADMIN, ""),
                 ("Parked", ADMIN, "Parked until the new claims platform is live next year; "
                                   "we will reopen it then.")],
    },
    {
        "title": "Weekend opening hours for the claims line",
        "submitter": EMPLOYEE,
        "problem": "Shop owners can only call about a claim on Saturday, when the line is "
                   "closed.",
        "delight": "They report a claim when they have time, without closing the shop.",
        "segment": "Small-business owners", "metric": "ces",
        "journey": "Get help", "channel": "Phone", "tags": ["phone"],
        "days_ago": 2,
        "draft": True,
    },
    {
        "title": "Repair partner sees more customer data than it needs",
        "submitter": CHAMPION,
        "problem": "Our repair partner's portal shows customers' full policy and health "
                   "details, though it only needs the address and the damage.",
        "delight": "Customers can trust that the people fixing their home see only what "
                   "they must.",
        "segment": "Retirees managing claims", "metric": "nps",
        "journey": "Get help", "channel": "Field visit", "tags": ["privacy"],
        "confidential": True,
        "days_ago": 12,
        "supports": [ADMIN],
        "comments": [(ADMIN, "Legal is checking the data-sharing agreement; please keep "
                             "this confidential meanwhile.")],
        # Retirees are named, but not why this would delight them beyond trust: the
        # reviewer asks for more (the submitter sees which question is missing).
        "questions": {"customer_named": True, "delight_explained": False},
        "path": [("Triage", REVIEWER, ""),
                 ("In review", REVIEWER, "With Legal.")],
    },
    {
        "title": "Invoices small-business owners can hand to their accountant",
        "submitter": ADMIN,
        "problem": "Small-business owners need a VAT invoice for their premium; today they "
                   "ask by phone and wait a week for a letter.",
        "delight": "A downloadable invoice in their account the day they pay: no call, no "
                   "wait, and their accountant is happy.",
        "segment": "Small-business owners", "metric": "ces",
        "journey": "Buy", "channel": "Website", "tags": ["invoices"],
        "days_ago": 1,
        "supports": [NEW_HIRE, CHAMPION],
    },
]


def seed_segments() -> dict[str, CustomerSegment]:
    # The same personas onboarding uses (people.demo.CUSTOMER_SEGMENTS).
    return seed_customer_segments()


CAMPAIGN_TITLE = "Families on the move"
# Ideas that answer the demo campaign's question.
CAMPAIGN_IDEAS = {"One moving checklist for military families", "ارزیابی خسارت با تماس تصویری"}


def seed_campaign(sponsor: User | None):
    """One campaign, open for another few weeks, that the demo's moving-home ideas
    answer: home shows it to everyone."""
    from .models import CampaignPage
    from .setup import ensure_campaign_index

    existing = CampaignPage.objects.filter(title=CAMPAIGN_TITLE).first()
    if existing is not None:
        return existing
    index = ensure_campaign_index()
    if index is None:
        return None
    today = timezone.localdate()
    page = index.add_child(instance=CampaignPage(
        title=CAMPAIGN_TITLE, slug="families-on-the-move",
        question="How might we make claims and policy changes easier for families on the "
                 "move?",
        why="<p>Military families move every two to three years. Each move means new "
            "addresses on every policy, and often a claim from the removal itself.</p>",
        sponsor=sponsor, opens_on=today - timedelta(days=60),
        closes_on=today + timedelta(days=24)))
    page.customer_segments.set(CustomerSegment.objects.filter(
        name_en="Military families on the move"))
    page.save_revision().publish()
    return page


def seed_ideas() -> int:
    """Create the demo ideas that do not exist yet; returns how many were created."""
    segments = seed_segments()
    people = {u.email: u for u in User.objects.filter(
        email__in=[EMPLOYEE, REVIEWER, CHAMPION, NEW_HIRE, ADMIN])}
    campaign = seed_campaign(people.get(ADMIN))
    stages = {s.name_en: s for s in Stage.objects.all()}
    created = 0
    for spec in IDEAS:
        if Idea.objects.filter(title=spec["title"]).exists():
            continue
        needed_people = {spec["submitter"], *spec.get("supports", []),
                         *(email for email, _ in spec.get("comments", [])),
                         *(score[0] for score in spec.get("scores", [])),
                         *(actor for _, actor, _ in spec.get("path", [])),
                         *([spec["sponsor"], REVIEWER] if spec.get("sponsor") else [])}
        if not needed_people <= people.keys() or not all(
                name in stages for name, _, _ in spec.get("path", [])):
            continue  # demo people or default stages were changed: skip, never half-write
        _create_idea(spec, people, segments, stages,
                     campaign if spec["title"] in CAMPAIGN_IDEAS else None)
        created += 1
    return created


# A few demo ideas carry a picture, as people attach a photo or a sketch, so the idea
# cards show thumbnails: (background, accent) colours, drawn with Pillow, no downloads.
PICTURES = {
    "One moving checklist for military families": ("#dbeafe", "#1d4ed8"),
    "Plain-language claim letters for retirees": ("#fef3c7", "#b45309"),
    "Invoices small-business owners can hand to their accountant": ("#dcfce7", "#15803d"),
    "ارزیابی خسارت با تماس تصویری": ("#fce7f3", "#be185d"),
    "Name one claims handler per claim": ("#ede9fe", "#6d28d9"),
}


def _picture(colours: tuple[str, str]):
    """A small illustrative JPEG: a card, a few lines of "text" and a circle."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    background, accent = colours
    image = Image.new("RGB", (960, 600), background)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((120, 90, 840, 510), radius=36, fill="#ffffff", outline=accent,
                           width=8)
    draw.ellipse((180, 150, 360, 330), fill=accent)
    for row, width in enumerate((380, 320, 400, 260)):
        top = 170 + row * 60
        draw.rounded_rectangle((400, top, 400 + width, top + 26), radius=13, fill=accent)
    draw.rounded_rectangle((180, 390, 780, 440), radius=25, fill=background)
    data = io.BytesIO()
    image.save(data, "JPEG", quality=80)
    return SimpleUploadedFile("sketch.jpg", data.getvalue(), content_type="image/jpeg")


def _create_idea(spec: dict, people: dict[str, User], segments, stages,
                 campaign=None) -> Idea:
    submitter = people[spec["submitter"]]
    pictures = ([_picture(PICTURES[spec["title"]])]
                if spec["title"] in PICTURES else [])
    idea = services.idea_save_draft(
        actor=submitter, tags=spec.get("tags", []), attachments=pictures, campaign=campaign,
        title=spec["title"], problem=spec["problem"], delight=spec["delight"],
        customer_detail=spec.get("customer_detail", ""),
        customer_segment=segments.get(spec["segment"]), metric=spec["metric"],
        journey_stage=JourneyStage.objects.filter(name_en=spec.get("journey")).first(),
        channel=Channel.objects.filter(name_en=spec.get("channel")).first(),
        department=submitter.department, whys=spec.get("whys", []),
        confidential=spec.get("confidential", False),
    )
    if spec.get("draft"):
        _backdate(idea, spec["days_ago"])
        return idea
    # The notifications each step sends, so they can carry that step's date afterwards
    # (a decision made months ago is not news today).
    told = _Told()
    services.idea_submit(idea=idea, actor=submitter)
    told.step("submitted")
    for email in spec.get("coauthors", []):
        invitation = services.idea_coauthor_invite(idea=_fresh(idea), person=people[email],
                                                   actor=submitter)
        told.step("submitted")
        services.idea_coauthor_answer(contribution=invitation, actor=people[email],
                                      accept=True)
        told.step("submitted")
    for email in spec.get("supports", []):
        services.support_add(idea=_fresh(idea), actor=people[email])
        told.step("support")
    for email, body in spec.get("comments", []):
        services.comment_add(idea=_fresh(idea), actor=people[email], body=body)
        told.step("comment")
    for email, impact, reach, confidence, effort in spec.get("scores", []):
        services.idea_score(idea=idea, reviewer=people[email], impact=impact, reach=reach,
                            confidence=confidence, effort=effort)
        told.step("submitted")
    if spec.get("questions"):
        services.idea_answer_questions(idea=idea, actor=people[REVIEWER], **spec["questions"])
    for stage_name, actor_email, reason in spec.get("path", []):
        if stages[stage_name].requires_impact and spec.get("impact"):
            figures = dict(spec["impact"])
            figures["measured_on"] = timezone.localdate() - timedelta(
                days=figures.pop("days_ago"))
            services.impact_record(idea=_fresh(idea), actor=people[ADMIN], **figures)
        original = (Idea.objects.get(title=spec["duplicate_of"])
                    if spec.get("duplicate_of") else None)
        if stages[stage_name].kind in Stage.ACCEPTED_KINDS:
            # The reviewer answers Amazon's two questions before accepting.
            services.idea_answer_questions(idea=idea, actor=people[actor_email],
                                           customer_named=True, delight_explained=True)
        services.idea_transition(idea=idea, to_stage=stages[stage_name],
                                 actor=people[actor_email], reason=reason,
                                 duplicate_of=original)
        told.step("transition")
    if spec.get("sponsor"):
        services.idea_set_sponsor(idea=_fresh(idea), sponsor=people[spec["sponsor"]],
                                  actor=people[REVIEWER])
        told.step("last")
    for email, note in spec.get("thanks", []):
        services.idea_thank(idea=_fresh(idea), actor=people[email], body=note)
        told.step("last")
    _backdate(idea, spec["days_ago"])
    told.backdate(idea)
    return idea


class _Told:
    """Which notifications each demo step sent, in order, to date them like the step."""

    def __init__(self):
        self.last_pk = self._newest()
        self.steps: list[tuple[str, list[int]]] = []

    @staticmethod
    def _newest() -> int:
        return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def step(self, kind: str) -> None:
        pks = list(Notification.objects.filter(pk__gt=self.last_pk).values_list("pk", flat=True))
        self.last_pk = max(pks, default=self.last_pk)
        self.steps.append((kind, pks))

    def backdate(self, idea: Idea) -> None:
        idea = Idea.objects.get(pk=idea.pk)
        times = {
            "support": list(Support.objects.filter(idea=idea).order_by("pk")
                            .values_list("created_at", flat=True)),
            "comment": list(Comment.objects.filter(idea=idea).order_by("pk")
                            .values_list("created_at", flat=True)),
            # The first transition is the submission itself.
            "transition": list(Transition.objects.filter(idea=idea).order_by("created_at", "pk")
                               .values_list("created_at", flat=True))[1:],
        }
        seen = dict.fromkeys(times, 0)
        for kind, pks in self.steps:
            if times.get(kind):
                when = times[kind][min(seen[kind], len(times[kind]) - 1)]
                seen[kind] += 1
            else:
                when = idea.submitted_at if kind == "submitted" else idea.stage_entered_at
            if pks and when:
                Notification.objects.filter(pk__in=pks).update(created_at=when)


def _fresh(idea: Idea) -> Idea:
    return Idea.objects.select_related("stage").get(pk=idea.pk)


def _backdate(idea: Idea, days_ago: int) -> None:
    """Move the idea's history into the past: submitted `days_ago` days ago, each later
    transition spread over the time since, comments and supports in between."""
    now = timezone.now()
    start = now - timedelta(days=days_ago)
    Idea.objects.filter(pk=idea.pk).update(created_at=start - timedelta(hours=2),
                                           updated_at=start)
    transitions = list(Transition.objects.filter(idea=idea).select_related("to_stage")
                       .order_by("created_at", "pk"))
    if not transitions:
        return
    span = (now - start) * 0.8
    steps = max(len(transitions) - 1, 1)
    decided = []
    for i, transition in enumerate(transitions):
        transition.created_at = start + span * i / steps
        Transition.objects.filter(pk=transition.pk).update(created_at=transition.created_at)
        if transition.to_stage.is_decided:
            decided.append(transition.created_at)
    last = transitions[-1].created_at
    Idea.objects.filter(pk=idea.pk).update(
        submitted_at=start, stage_entered_at=last, updated_at=last,
        first_decided_at=decided[0] if decided else None,
        decided_at=decided[-1] if decided else None,
    )
    Follow.objects.filter(idea=idea).update(created_at=start)
    for model in (Support, Comment):
        rows = list(model.objects.filter(idea=idea).order_by("pk").values_list("pk", flat=True))
        for i, pk in enumerate(rows):
            model.objects.filter(pk=pk).update(
                created_at=start + (now - start) * (i + 1) / (len(rows) + 1))
