"""Demo onboarding content: two paths about our customers' lives, and new hires at
different stages of progress.

Registered in shared.demo.LATE_SEEDERS (see TrainingConfig.ready), so it runs after
the demo people exist. Pages are keyed on their slugs, paths on their names, personas
on their names and extra people on their e-mail addresses; anything that already
exists is left alone, and progress is only recorded for someone with none yet, so a
second run changes nothing. Progress goes through the real services (enrolment, lesson
completion, quiz grading), so every row is what the product itself would write."""

import uuid
from datetime import date

from django.contrib.auth.models import Group
from wagtail.models import Site

from people import roles
from people.demo import CLAIM_JOURNEY, seed_customer_segments
from people.models import CustomerSegment, Department, JourneyMap, User
from shared.demo import DEMO_PASSWORD

from . import services
from .models import (
    LessonCompletion,
    LessonPage,
    ModulePage,
    OnboardingPath,
    PathRule,
    PathStep,
    TrainingIndexPage,
)

INDEX = {"title": "Learn about our customers", "slug": "learn",
         "intro": "Who our customers are, what their lives are like, and what they need "
                  "from us. Every new colleague starts here."}

MILITARY = "Military families on the move"
RETIREES = "Retirees managing claims"
BUSINESS = "Small-business owners"
FIRST_TIMERS = "First-time policyholders"


# Block builders (raw StreamField data; Wagtail gives every block and item its id). ----

def text(html: str) -> dict:
    return {"type": "text", "value": html}


def quote(words: str, who: str) -> dict:
    return {"type": "quote", "value": {"quote": words, "attribution": who}}


def persona(name: str, note: str = "") -> dict:
    return {"type": "persona", "value": {"persona": name, "note": note}}


def empathy_map(name: str, *, thinks, feels, says, does) -> dict:
    return {"type": "empathy_map", "value": {"persona": name, "thinks": thinks,
                                             "feels": feels, "says": says, "does": does}}


def journey_map(title: str, steps) -> dict:
    """steps: (stage, [touchpoints], emotion, note)."""
    return {"type": "journey_map", "value": {"title": title, "steps": [
        {"stage": stage, "touchpoints": touchpoints, "emotion": emotion, "note": note}
        for stage, touchpoints, emotion, note in steps]}}


def library_journey_map(title: str, note: str = "") -> dict:
    return {"type": "library_journey_map", "value": {"journey_map": title, "note": note}}


def five_whys(problem: str, whys, root_cause: str) -> dict:
    return {"type": "five_whys", "value": {"problem": problem, "whys": whys,
                                           "root_cause": root_cause}}


def call_to_action(label: str, action: str) -> dict:
    return {"type": "call_to_action", "value": {"text": label, "action": action}}


INSIGHT, IDEA = "/champions/insights/", "/ideas/new/"


def question(kind: str, words: str, *choices) -> dict:
    """choices: (text, correct, explanation). Each choice is a list item with a stored id:
    without one, Wagtail gives the choice a new id every time the page is loaded, and no
    answer posted from the quiz form would ever match."""
    return {"type": "question", "value": {"text": words, "kind": kind, "choices": [
        {"type": "item", "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo-quiz:{words}:{choice}")),
         "value": {"text": choice, "correct": correct, "explanation": explanation}}
        for choice, correct, explanation in choices]}}


# The modules, in the order they are created (prerequisites first). ----------------------

MODULES = [
    {
        "slug": "who-our-customers-are",
        "title": "Who our customers are",
        "summary": "The four kinds of customer we serve every day, what they need from us "
                   "and how we listen to them.",
        "audience": "Everyone who joins, in every department",
        "minutes": 20, "pass_mark": 70, "prerequisites": [],
        "lessons": [
            ("four-customers", "Four customers we serve every day", [
                text("<p>We insure homes, cars and small businesses. Customer focus is not "
                     "the job of one department: whatever your role, someone on this page "
                     "is affected by what you do.</p><p>Every idea you submit here answers "
                     "two questions: <b>which customer is affected</b>, and <b>why does it "
                     "delight them?</b></p>"),
                persona(MILITARY, "Our oldest customers: the company was founded to serve "
                                  "them. One in five policies."),
                persona(RETIREES, "Most of our claims calls; the group most hurt by long "
                                  "phone menus."),
                persona(BUSINESS, "Every day without an answer is a day without income."),
                persona(FIRST_TIMERS, "They judge us by the app and will leave in a tap."),
            ]),
            ("hearing-the-customer", "Hearing the customer's voice", [
                text("<p>We listen in three rhythms:</p><ul><li><b>Persistent</b>: a short "
                     "survey after every transaction (a call, a claim, a renewal).</li>"
                     "<li><b>Periodic</b>: a yearly conversation with key customers and "
                     "partners.</li><li><b>Pulse</b>: a quick question on one topic, now, "
                     "when something changes.</li></ul>"),
                quote("I had no idea whether the documents I posted had arrived. I called "
                      "three times, and each time I waited forty minutes.",
                      "retired teacher, home claim"),
                quote("ไม่รู้เลยว่าเอกสารที่ส่งไปถึงหรือยัง ต้องโทรถามทุกสัปดาห์",
                      "ลูกค้าวัยเกษียณ เชียงใหม่ (a retiree in Chiang Mai)"),
                empathy_map(
                    RETIREES,
                    thinks=["Did they get my letter?", "I don't want to be a bother."],
                    feels=["Anxious while the claim is open", "Lost in the phone menu"],
                    says=["Can I speak to a person, please?",
                          "Could you send that to me on paper?"],
                    does=["Calls in the morning, when the queue is longest",
                          "Keeps every letter in a folder by the phone"]),
                call_to_action("Heard something from a customer this week? Log it as an "
                               "insight.", INSIGHT),
            ]),
        ],
        "quiz": [
            question("single", "Which two questions does every new idea have to answer?",
                     ("Which customer is affected, and why does it delight them?", True,
                      "Right: an idea that cannot name its customer is not a CX idea."),
                     ("How much does it cost, and who approves it?", False,
                      "Cost matters later; first we ask who the customer is and why it "
                      "delights them."),
                     ("Which department owns it, and when is it due?", False,
                      "Ownership comes after a decision. The form starts with the customer.")),
            question("multiple", "Which are our three rhythms of listening?",
                     ("Persistent: after every transaction", True,
                      "Yes: a short survey after each call, claim or renewal."),
                     ("Periodic: e.g. a yearly key-account review", True,
                      "Yes: a regular, deeper conversation."),
                     ("Pulse: one topic, right now", True,
                      "Yes: a quick question when something changes."),
                     ("Promotional: a survey inside a marketing e-mail", False,
                      "Marketing e-mails are not a listening rhythm.")),
            question("true_false", "Customer focus is the job of the customer-service "
                                   "department.",
                     ("True", False, "No: service data must reach product, claims and "
                                     "sales too. Everyone owns the customer."),
                     ("False", True, "Right: every employee, not one department, thinks "
                                     "about the customer.")),
        ],
    },
    {
        "slug": "a-claim-from-first-call-to-payment",
        "title": "A claim from first call to payment",
        "summary": "Walk a retiree's car claim stage by stage, see where it hurts, and find "
                   "the root cause of repeat calls with five whys.",
        "audience": "Everyone who joins; essential for Claims and Customer Service",
        "minutes": 25, "pass_mark": 70, "prerequisites": ["who-our-customers-are"],
        "lessons": [
            ("claim-journey", "The claim journey", [
                text("<p>A customer journey map shows each <b>stage</b> a customer goes "
                     "through, the <b>touchpoints</b> where they meet us, and how they "
                     "<b>feel</b>. This one follows a retiree after a minor car accident."
                     "</p>"),
                persona(RETIREES),
                # The library's map (people.demo.seed_journey_map), not a copy.
                library_journey_map(CLAIM_JOURNEY, "Where would you have stepped in?"),
            ]),
            ("why-three-calls", "Why did she call three times?", [
                text("<p>Five whys: ask why until you reach a cause someone can fix.</p>"),
                five_whys("Retirees call us three times about the same claim", [
                    "They do not know whether their documents arrived.",
                    "We confirm receipt only when a handler opens the file.",
                    "Files wait in a shared queue for up to five days.",
                    "The queue is sorted by date received, not by what the customer is "
                    "waiting for.",
                ], "Nothing tells the customer automatically when their documents arrive."),
                call_to_action("Seen a repeat call you could prevent? Submit an idea.", IDEA),
            ]),
        ],
        "quiz": [
            question("single", "At which stage of the claim journey are retirees most "
                               "often frustrated?",
                     ("The first call", True, "Yes: long phone menus and forty-minute "
                                              "holds."),
                     ("Payment", False, "Payment is usually the happiest moment."),
                     ("Assessment", False, "The assessor's visit is mostly fine.")),
            question("multiple", "What does a five-whys analysis give you?",
                     ("The root cause of a problem", True, "That is its purpose."),
                     ("A chain of causes someone can act on", True,
                      "Each why is a place to intervene."),
                     ("Someone to blame", False, "Five whys looks for causes in the "
                                                 "process, not for culprits.")),
            question("true_false", "A journey map records what the customer feels at each "
                                   "stage, not only what we do.",
                     ("True", True, "Right: the emotion per stage shows where it hurts."),
                     ("False", False, "A map without feelings is a process chart.")),
        ],
    },
    {
        "slug": "life-on-the-move",
        "title": "Life on the move",
        "summary": "What life is like for a military family that relocates every two to "
                   "three years, and how it feels to be our customer during a move.",
        "audience": "Sales and Customer Service; everyone on the military-families path",
        "minutes": 30, "pass_mark": 70, "prerequisites": ["who-our-customers-are"],
        "lessons": [
            ("meet-the-family", "Meet the family", [
                persona(MILITARY, "Most of our sales conversations are with this family."),
                text("<p>On your first day on this path you eat field rations for lunch and "
                     "join a morning drill with retired soldiers. It is a small taste of "
                     "the life our customers lead: orders that arrive at short notice, a "
                     "partner who may be deployed, a home packed up every few years.</p>"),
                quote("We moved four times in six years. Every time I had to prove who I "
                      "was all over again.", "spouse of a soldier"),
                quote("هر بار که جابه‌جا می‌شویم، باید همه چیز را از اول توضیح بدهم.",
                      "همسر یک سرباز (spouse of a soldier)"),
            ]),
            ("think-feel-say-do", "What they think, feel, say and do", [
                text("<p>An empathy map collects what we learned from many conversations "
                     "into four boxes. Read it before your first call with a family.</p>"),
                empathy_map(
                    MILITARY,
                    thinks=["Will our cover follow us to the next posting?",
                            "Who do I call when he is away?"],
                    feels=["Stretched: a move, a new school and a job search at once",
                           "Alone while the member is deployed"],
                    says=["We just got orders; we move in six weeks.",
                          "I already sent you that form."],
                    does=["Calls outside office hours, from another time zone",
                          "Keeps every document in one binder"]),
                call_to_action("Learned something new about a military family? Log it as "
                               "an insight.", INSIGHT),
            ]),
        ],
        "quiz": [
            question("single", "How often do military families typically move?",
                     ("Every two to three years", True, "Yes, often at short notice."),
                     ("Once or twice in a career", False, "Far more often than that."),
                     ("Only when they retire", False, "They move throughout service.")),
            question("multiple", "What makes a move hard for them?",
                     ("Orders arrive at short notice", True, "Sometimes only weeks ahead."),
                     ("One partner may be deployed", True,
                      "The other has to do everything alone."),
                     ("They rarely keep their documents", False,
                      "The opposite: many keep every paper in one binder.")),
            question("true_false", "A spouse can always act on the policy while the "
                                   "service member is deployed.",
                     ("True", False, "Only with a power of attorney on file."),
                     ("False", True, "Right: only with a power of attorney on file, so "
                                     "we ask for it before deployment.")),
        ],
    },
    {
        "slug": "moving-home-with-us",
        "title": "Moving home with us",
        "summary": "The journey of a posting, from orders to settling in, and why families "
                   "call us three times about one change of address.",
        "audience": "Sales and Customer Service",
        "minutes": 25, "pass_mark": 70, "prerequisites": ["life-on-the-move"],
        "lessons": [
            ("journey-of-a-move", "The journey of a move", [
                journey_map("A posting, as the family lives it", [
                    ("Orders arrive", ["Phone", "App"], "anxious",
                     "Six weeks to move a household."),
                    ("Plan the move", ["Moving checklist", "Call with an agent"], "ok",
                     "One checklist for home and car cover helps most."),
                    ("Moving day", ["Movers", "Car transport"], "frustrated",
                     "Cover for goods in transit is unclear."),
                    ("Settling in", ["Change of address", "New policy documents"], "ok",
                     ""),
                    ("Next posting", ["Renewal", "Agent who knows them"], "delighted",
                     "They stay because we remembered them."),
                ]),
            ]),
            ("three-calls-one-address", "Why three calls for one change of address?", [
                five_whys("Families call three times about one change of address", [
                    "The new address is updated on the home policy but not the car policy.",
                    "Each policy has its own address record.",
                    "Our systems were built one product at a time.",
                    "Nobody owned the whole moving experience.",
                ], "No single owner or single record for a customer who moves."),
                call_to_action("Have an idea to make moving easier? Submit it.", IDEA),
            ]),
        ],
        "quiz": [
            question("single", "Which stage of a posting brings the most anxiety?",
                     ("Orders arrive", True, "Yes: weeks to move a whole household."),
                     ("Settling in", False, "By then most of the stress is over."),
                     ("Next posting", False, "Families we served well are relaxed here.")),
            question("multiple", "What helps a family on moving day?",
                     ("One checklist for home and car cover", True,
                      "One list instead of one per product."),
                     ("Cover that starts at the new address the same day", True,
                      "No gap between the old home and the new."),
                     ("A form that needs a fixed address", False,
                      "That is exactly what hurts them.")),
            question("true_false", "We should ask for a power of attorney before "
                                   "deployment, not after.",
                     ("True", True, "Right: afterwards the spouse may be stuck."),
                     ("False", False, "Afterwards it is too late for the spouse to act.")),
        ],
    },
]

PATHS = [
    {"name": "Who our customers are",
     "description": "For every new colleague: our customers, how we listen to them, and "
                    "a claim as a customer lives it.",
     "steps": [("who-our-customers-are", 3), ("a-claim-from-first-call-to-payment", 8)],
     "rule": {"role": roles.NEW_HIRE}},
    {"name": "Serving military families on the move",
     "description": "For Sales: life in a military family and the journey of a posting.",
     "steps": [("life-on-the-move", 10), ("moving-home-with-us", 15)],
     "rule": {"department": "Sales"}},
]

NEW_HIRE = "newhire@example.com"
MANAGER = "reviewer@example.com"
# Two more new hires, so the report and the team view have people at other stages:
# (e-mail, display name, department, start date, paths, modules to finish).
MORE_NEW_HIRES = [
    ("malee.newhire@example.com", "มาลี ใจดี", "Customer Service", date(2026, 9, 14),
     ["Who our customers are"],
     ["who-our-customers-are", "a-claim-from-first-call-to-payment"]),
    ("tomas.newhire@example.com", "Tomás Newhire", "Sales", date(2026, 10, 5),
     ["Who our customers are", "Serving military families on the move"], []),
]


# Seeding. -----------------------------------------------------------------------------

def _resolve_personas(blocks: list[dict], segments: dict[str, CustomerSegment]) -> list[dict]:
    """Library entries by name → by id: personas (customer segments) and journey maps."""
    for block in blocks:
        if block["type"] in ("persona", "empathy_map"):
            block["value"] = {**block["value"], "persona": segments[block["value"]["persona"]].pk}
        elif block["type"] == "library_journey_map":
            block["value"] = {**block["value"], "journey_map": JourneyMap.objects.get(
                title=block["value"]["journey_map"]).pk}
    return blocks


def seed_segments() -> dict[str, CustomerSegment]:
    # The same personas the ideas use (people.demo.CUSTOMER_SEGMENTS).
    return seed_customer_segments()


def seed_index() -> TrainingIndexPage | None:
    index = TrainingIndexPage.objects.filter(slug=INDEX["slug"]).first()
    if index is not None:
        return index
    # The site's root page (the portal's home), whatever its type.
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page if site else None
    if home is None:
        return None
    index = home.add_child(instance=TrainingIndexPage(**INDEX))
    index.save_revision().publish()
    return index


def seed_module(index: TrainingIndexPage, spec: dict,
                segments: dict[str, CustomerSegment]) -> ModulePage:
    module = ModulePage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if module is None:
        module = index.add_child(instance=ModulePage(
            title=spec["title"], slug=spec["slug"], summary=spec["summary"],
            audience=spec["audience"], estimated_minutes=spec["minutes"],
            pass_mark=spec["pass_mark"], quiz=spec["quiz"]))
        module.prerequisites.set(ModulePage.objects.filter(slug__in=spec["prerequisites"],
                                                           path__startswith=index.path))
        module.save()
        module.save_revision().publish()
    for slug, title, body in spec["lessons"]:
        if not LessonPage.objects.child_of(module).filter(slug=slug).exists():
            lesson = module.add_child(instance=LessonPage(
                title=title, slug=slug, body=_resolve_personas(
                    [dict(block) for block in body], segments)))
            lesson.save_revision().publish()
    return ModulePage.objects.get(pk=module.pk)


def seed_paths(modules: dict[str, ModulePage]) -> dict[str, OnboardingPath]:
    paths = {}
    for spec in PATHS:
        path, created = OnboardingPath.objects.get_or_create(
            name=spec["name"], defaults={"description": spec["description"]})
        if created:
            for order, (slug, days) in enumerate(spec["steps"]):
                PathStep.objects.create(path=path, module=modules[slug], sort_order=order,
                                        due_working_days=days)
            rule = spec["rule"]
            PathRule.objects.create(
                path=path,
                department=Department.objects.filter(name_en=rule.get("department")).first(),
                role=Group.objects.filter(name=rule.get("role")).first())
        paths[spec["name"]] = path
    return paths


def _answers(module: ModulePage, *, wrong: int = 0) -> dict[str, list[str]]:
    """Right answers to every question, except the first `wrong` ones."""
    answers = {}
    for n, block in enumerate(module.quiz):
        choices = block.value["choices"].bound_blocks
        right = [c.id for c in choices if c.value["correct"]]
        answers[block.id] = ([next(c.id for c in choices if not c.value["correct"])]
                             if n < wrong else right)
    return answers


def _finish(user: User, module: ModulePage, *, first_try_wrong: int = 0) -> None:
    for lesson in module.lessons():
        services.lesson_complete(user=user, lesson=lesson)
    if first_try_wrong:
        services.quiz_submit(user=user, module=module,
                             answers=_answers(module, wrong=first_try_wrong))
    services.quiz_submit(user=user, module=module, answers=_answers(module))


def _new_hire(email, display_name, department, start_date) -> User:
    from allauth.account.models import EmailAddress

    user, created = User.objects.get_or_create(email=email, defaults={
        "username": email.split("@")[0], "display_name": display_name,
        "department": Department.objects.filter(name_en=department).first(),
        "job_title": "New hire", "start_date": start_date,
        "manager": User.objects.filter(email=MANAGER).first()})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=roles.NEW_HIRE))
        EmailAddress.objects.get_or_create(user=user, email=email,
                                           defaults={"verified": True, "primary": True})
    return user


def seed_learners(paths: dict[str, OnboardingPath], modules: dict[str, ModulePage]) -> None:
    # The demo new hire (from people.demo): both paths, first module done after one
    # failed quiz attempt, half-way through the second and stopped on its last lesson.
    newhire = User.objects.filter(email=NEW_HIRE).first()
    if newhire is not None:
        if newhire.manager_id is None:
            User.objects.filter(pk=newhire.pk).update(
                manager=User.objects.filter(email=MANAGER).first())
        for path in paths.values():
            services.path_enrol(user=newhire, path=path, actor=None)
        if not LessonCompletion.objects.filter(user=newhire).exists():
            _finish(newhire, modules["who-our-customers-are"], first_try_wrong=1)
            claim = list(modules["a-claim-from-first-call-to-payment"].lessons())
            services.lesson_complete(user=newhire, lesson=claim[0])
            services.lesson_seen(user=newhire, lesson=claim[1])
    for email, name, department, start, path_names, finished in MORE_NEW_HIRES:
        person = _new_hire(email, name, department, start)
        for path_name in path_names:
            services.path_enrol(user=person, path=paths[path_name], actor=None)
        if finished and not LessonCompletion.objects.filter(user=person).exists():
            for slug in finished:
                _finish(person, modules[slug])


def seed_training() -> None:
    segments = seed_segments()
    index = seed_index()
    if index is None:
        return
    modules = {spec["slug"]: seed_module(index, spec, segments) for spec in MODULES}
    paths = seed_paths(modules)
    seed_learners(paths, modules)
