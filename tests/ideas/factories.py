import factory

from ideas import services
from ideas.models import Idea, Metric, Stage
from people.models import CustomerSegment
from tests.factories import DepartmentFactory, UserFactory


class CustomerSegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerSegment
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Segment {n}")
    summary = "Customers who call us about claims."


class IdeaFactory(factory.django.DjangoModelFactory):
    """A submitted idea in the initial stage (pass status="draft" for a draft)."""

    class Meta:
        model = Idea
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Idea number {n}")
    problem = "Customers wait on hold for forty minutes."
    delight = "They get an answer in one call."
    metric = Metric.FCR
    customer_segment = factory.SubFactory(CustomerSegmentFactory)
    department = factory.SubFactory(DepartmentFactory)
    submitter = factory.SubFactory(UserFactory)
    status = Idea.Status.SUBMITTED
    stage = factory.LazyFunction(lambda: Stage.objects.get(is_initial=True))
    stage_entered_at = factory.LazyFunction(lambda: __import__("django.utils.timezone",
                                                               fromlist=["now"]).now())
    submitted_at = factory.SelfAttribute("stage_entered_at")

    @factory.post_generation
    def index(self, create, extracted, **kwargs):
        if create:
            self.refresh_search_text()
            Idea.objects.filter(pk=self.pk).update(
                search_text=self.search_text, search_title=self.search_title,
                search_body=self.search_body, search_words=self.search_words)
            if self.status == Idea.Status.DRAFT:
                Idea.objects.filter(pk=self.pk).update(stage=None, submitted_at=None,
                                                       stage_entered_at=None)
                self.stage = None


def stage(name: str) -> Stage:
    return Stage.objects.get(name_en=name)


def move(idea, *names, actor, reason="Because."):
    """Move the idea through the named stages, as a reviewer who (before accepting it)
    answered yes to Amazon's two questions."""
    for name in names:
        target = stage(name)
        if target.kind in Stage.ACCEPTED_KINDS:
            answer_questions(idea)
        services.idea_transition(idea=idea, to_stage=target, actor=actor, reason=reason)
        idea.refresh_from_db()
    return idea


def answer_questions(idea, customer_named=True, delight_explained=True):
    """Record a reviewer's answers to Amazon's two questions, without the service."""
    Idea.objects.filter(pk=idea.pk).update(customer_named=customer_named,
                                           delight_explained=delight_explained)
    idea.customer_named, idea.delight_explained = customer_named, delight_explained


def tiny_png() -> bytes:
    """A valid 1×1 PNG, made here so no binary file is needed."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


def tiny_pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
            b"trailer << /Root 1 0 R >>\n%%EOF\n")


def idea_form_data(segment, **overrides) -> dict:
    """What the idea form posts for a complete, valid idea (submitted unless overridden)."""
    data = {
        "title": "Call customers back instead of keeping them on hold",
        "problem": "Customers wait on hold for forty minutes.",
        "customer_segment": segment.pk,
        "customer_detail": "Parents calling during school pick-up",
        "delight": "They get their answer without waiting.",
        "metric": "ces",
        "tags": "phone, waiting",
        "submit": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def add_attachment(idea, *, name="photo.png", content=None, content_type="image/png"):
    from django.core.files.base import ContentFile

    from ideas.models import Attachment

    content = tiny_png() if content is None else content
    return Attachment.objects.create(
        idea=idea, file=ContentFile(content, name=name), original_name=name,
        content_type=content_type, size=len(content), uploaded_by=idea.submitter)
