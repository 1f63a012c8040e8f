"""A small onboarding page tree for the training tests: an index under the home page,
modules with lessons (one lesson uses every block type) and a quiz with one question
of each kind. Question and choice ids are fixed, so tests can post answers by id."""

import json
import uuid
from datetime import date

from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from people.models import CustomerSegment
from portal.models import HomePage
from training.models import (
    LessonPage,
    ModulePage,
    OnboardingPath,
    PathRule,
    PathStep,
    TrainingIndexPage,
)

VIDEO_URL = "https://www.youtube.com/watch?v=customer-life"
EXPLANATIONS = ("EXPLAIN-single-right", "EXPLAIN-single-wrong", "EXPLAIN-multi-a",
                "EXPLAIN-multi-b", "EXPLAIN-multi-c", "EXPLAIN-tf-true", "EXPLAIN-tf-false")


def choice(cid, text, correct, explanation=""):
    return {"type": "item", "id": cid,
            "value": {"text": text, "correct": correct, "explanation": explanation}}


def quiz_data(prefix: str) -> list[dict]:
    """Three questions: single (right: a), multiple (right: a and b), true/false (right:
    true). Ids are prefixed per module so they are unique across the site."""
    p = prefix
    return [
        {"type": "question", "id": f"{p}-single", "value": {
            "text": "How often do military families move?", "kind": "single", "choices": [
                choice(f"{p}-single-a", "Every two to three years", True,
                       "EXPLAIN-single-right"),
                choice(f"{p}-single-b", "Once in a lifetime", False, "EXPLAIN-single-wrong"),
                choice(f"{p}-single-c", "Never", False),
            ]}},
        {"type": "question", "id": f"{p}-multi", "value": {
            "text": "What do they need from us?", "kind": "multiple", "choices": [
                choice(f"{p}-multi-a", "One checklist for moving", True, "EXPLAIN-multi-a"),
                choice(f"{p}-multi-b", "Answers across time zones", True, "EXPLAIN-multi-b"),
                choice(f"{p}-multi-c", "More paperwork", False, "EXPLAIN-multi-c"),
            ]}},
        {"type": "question", "id": f"{p}-tf", "value": {
            "text": "A spouse can always act while the member is deployed.",
            "kind": "true_false", "choices": [
                choice(f"{p}-tf-true", "True", False, "EXPLAIN-tf-true"),
                choice(f"{p}-tf-false", "False", True, "EXPLAIN-tf-false"),
            ]}},
    ]


def right_answers(prefix: str) -> dict[str, list[str]]:
    return {f"{prefix}-single": [f"{prefix}-single-a"],
            f"{prefix}-multi": [f"{prefix}-multi-a", f"{prefix}-multi-b"],
            f"{prefix}-tf": [f"{prefix}-tf-false"]}


def as_post(answers: dict[str, list[str]], token: str | None = None) -> dict:
    """The form fields the quiz page posts for these answers, with the form's one-time
    attempt token (a fresh one unless given: each call is a newly loaded form)."""
    return {"attempt_token": token or uuid.uuid4().hex,
            **{f"q-{qid}": choices for qid, choices in answers.items()}}


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def training_index() -> TrainingIndexPage:
    existing = TrainingIndexPage.objects.first()
    if existing:
        return existing
    home = HomePage.objects.first()
    index = home.add_child(instance=TrainingIndexPage(title="Learn about our customers",
                                                      slug="learn"))
    return publish(index)


def module_page(slug: str, *, title: str | None = None, lessons: int = 2, quiz: bool = True,
                prerequisites=(), pass_mark: int = 70) -> ModulePage:
    index = training_index()
    module = index.add_child(instance=ModulePage(
        title=title or slug.replace("-", " ").capitalize(), slug=slug,
        summary=f"What {slug} teaches about our customers.", audience="New hires",
        estimated_minutes=15, pass_mark=pass_mark,
        quiz=json.dumps(quiz_data(slug)) if quiz else json.dumps([])))
    if prerequisites:
        module.prerequisites.set(prerequisites)
        module.save()
    publish(module)
    for n in range(1, lessons + 1):
        lesson = module.add_child(instance=LessonPage(
            title=f"{module.title}: lesson {n}", slug=f"{slug}-lesson-{n}",
            body=json.dumps([{"type": "text", "id": f"{slug}-t{n}",
                              "value": f"<p>Lesson {n} of {slug}.</p>"}])))
        publish(lesson)
    return ModulePage.objects.get(pk=module.pk)


def persona(name="Military families on the move") -> CustomerSegment:
    segment, _ = CustomerSegment.objects.get_or_create(
        name=name, defaults={"summary": "They relocate every two to three years.",
                             "needs": "One checklist for moving.",
                             "pains": "Re-telling their story to every agent."})
    return segment


def every_block_body() -> list[dict]:
    """A lesson body with one block of each LessonStreamBlock type. The image and the
    video are stored locally (image file in memory, oEmbed result cached in the
    database) so rendering never goes to the network."""
    image = Image.objects.create(title="Field rations",
                                 file=get_test_image_file("rations.png", size=(60, 40)))
    Embed.objects.update_or_create(
        hash=get_embed_hash(VIDEO_URL),
        defaults={"url": VIDEO_URL, "type": "video", "title": "A day of a military family",
                  "html": '<iframe title="A day of a military family" src="https://'
                          'www.youtube-nocookie.com/embed/x"></iframe>',
                  "width": 480, "height": 270})
    segment = persona()

    def items(prefix, *texts):
        return [{"type": "item", "id": f"{prefix}-{i}", "value": t}
                for i, t in enumerate(texts)]

    return [
        {"type": "text", "id": "b-text", "value": "<h2>Life on the move</h2><p>RICH-TEXT</p>"},
        {"type": "image", "id": "b-image",
         "value": {"image": image.pk, "alt_text": "A tray of field rations",
                   "decorative": False}},
        {"type": "video", "id": "b-video", "value": VIDEO_URL},
        {"type": "quote", "id": "b-quote", "value": {
            "quote": "QUOTE-TEXT: we moved four times in six years.",
            "attribution": "spouse of a soldier"}},
        {"type": "persona", "id": "b-persona", "value": {
            "persona": segment.pk, "note": "PERSONA-NOTE"}},
        {"type": "empathy_map", "id": "b-empathy", "value": {
            "persona": segment.pk,
            "thinks": items("th", "THINKS-1"), "feels": items("fe", "FEELS-1"),
            "says": items("sa", "SAYS-1"), "does": items("do", "DOES-1")}},
        {"type": "journey_map", "id": "b-journey", "value": {
            "title": "JOURNEY-TITLE", "steps": [
                {"type": "item", "id": "st-1", "value": {
                    "stage": "STAGE-ORDERS", "touchpoints": items("tp1", "TOUCH-PHONE"),
                    "emotion": "anxious", "note": "Orders arrive at short notice"}},
                {"type": "item", "id": "st-2", "value": {
                    "stage": "STAGE-SETTLED", "touchpoints": items("tp2", "TOUCH-APP"),
                    "emotion": "delighted", "note": ""}},
            ]}},
        {"type": "five_whys", "id": "b-whys", "value": {
            "problem": "WHYS-PROBLEM", "whys": items("w", "WHY-1", "WHY-2"),
            "root_cause": "WHYS-ROOT"}},
        {"type": "call_to_action", "id": "b-cta", "value": {
            "text": "CTA-TEXT", "action": "/ideas/new/"}},
    ]


def rich_lesson(module: ModulePage, slug="every-block") -> LessonPage:
    lesson = module.add_child(instance=LessonPage(
        title="Every kind of block", slug=slug, body=json.dumps(every_block_body())))
    return publish(lesson)


def onboarding_path(name: str, steps, *, department=None, role=None) -> OnboardingPath:
    """steps: [(module, due_working_days)]; a rule when department or role is given."""
    path = OnboardingPath.objects.create(name=name)
    for order, (module, days) in enumerate(steps):
        PathStep.objects.create(path=path, module=module, due_working_days=days,
                                sort_order=order)
    if department is not None or role is not None:
        PathRule.objects.create(path=path, department=department, role=role)
    return path


FRIDAY = date(2026, 11, 6)


def answers_for(module: ModulePage, *, wrong: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Right answers for every question of a module's quiz, except the question ids in
    `wrong`, which get their first incorrect choice."""
    answers = {}
    for question in module.quiz:
        choices = question.value["choices"].bound_blocks
        if question.id in wrong:
            answers[question.id] = [next(c.id for c in choices if not c.value["correct"])]
        else:
            answers[question.id] = [c.id for c in choices if c.value["correct"]]
    return answers


def complete_module(user, module: ModulePage) -> None:
    """Read every lesson and pass the quiz through the real services."""
    from training import services

    for lesson in module.lessons():
        services.lesson_complete(user=user, lesson=lesson)
    if module.quiz:
        services.quiz_submit(user=user, module=module, answers=answers_for(module))
