from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from shared.search import build_search_text, word_index
from shared.translated import TranslatedModel, translated_panels

from .storage import private_storage

USER = settings.AUTH_USER_MODEL


class Metric(models.TextChoices):
    NPS = "nps", _("Net promoter score (NPS)")
    CSAT = "csat", _("Customer satisfaction (CSAT)")
    CES = "ces", _("Customer effort score (CES)")
    CHURN = "churn", _("Churn")
    FCR = "fcr", _("First-contact resolution")
    OTHER = "other", _("Other")


# The default pipeline's stage names (ideas/migrations/0002), marked for translation so
# Stage.label shows them in Thai and Persian; the rows keep the English names.
DEFAULT_STAGE_NAMES = [
    gettext_noop("Submitted"), gettext_noop("Triage"), gettext_noop("In review"),
    gettext_noop("Accepted"), gettext_noop("In progress"), gettext_noop("Implemented"),
    gettext_noop("Impact measured"), gettext_noop("Declined"), gettext_noop("Duplicate"),
    gettext_noop("Parked"),
]


class Stage(TranslatedModel, models.Model):
    """A review stage. Programme admins configure the pipeline in the Wagtail admin."""

    class Kind(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        IN_PROGRESS = "in_progress", _("in progress")
        IMPLEMENTED = "implemented", _("implemented")
        DECLINED = "declined", _("declined")
        DUPLICATE = "duplicate", _("duplicate")
        PARKED = "parked", _("parked")

    # Kinds that end the wait for a decision (time to first decision stops here).
    DECIDED_KINDS = {Kind.ACCEPTED, Kind.IN_PROGRESS, Kind.IMPLEMENTED, Kind.DECLINED,
                     Kind.DUPLICATE, Kind.PARKED}
    # Kinds of an accepted idea: accepted, being done or done (acceptance rate, owners,
    # "you said, we did").
    ACCEPTED_KINDS = frozenset({Kind.ACCEPTED, Kind.IN_PROGRESS, Kind.IMPLEMENTED})
    # Accepted and not implemented yet: the work is under way (champions sponsor these).
    UNDER_WAY_KINDS = frozenset({Kind.ACCEPTED, Kind.IN_PROGRESS})
    # Kinds after which the idea needs no reviewer action any more.
    CLOSED_KINDS = {Kind.IMPLEMENTED, Kind.DECLINED, Kind.DUPLICATE, Kind.PARKED}

    name = models.CharField(_("name"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OPEN)
    allowed_next = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="allowed_previous",
        verbose_name=_("allowed next stages"),
    )
    reason_required = models.BooleanField(_("reason required"), default=False)
    response_target_days = models.PositiveSmallIntegerField(
        _("response-time target (working days)"), null=True, blank=True,
        help_text=_("How long an idea may wait in this stage before it is overdue."),
    )
    requires_impact = models.BooleanField(
        _("requires measured impact"), default=False,
        help_text=_("Ideas move here only once their measured impact is recorded."))
    is_initial = models.BooleanField(
        _("initial stage"), default=False,
        help_text=_("Submitted ideas start here. Exactly one stage should be initial."),
    )

    panels = [
        *translated_panels("name"), FieldPanel("order"), FieldPanel("kind"),
        FieldPanel("is_initial"),
        FieldPanel("allowed_next", widget=forms.CheckboxSelectMultiple),
        FieldPanel("reason_required"), FieldPanel("response_target_days"),
        FieldPanel("requires_impact"),
    ]

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language: the programme admin's translation
        (ideas/translation.py) or, for a stage of the default pipeline nobody translated,
        the catalogue's (DEFAULT_STAGE_NAMES); otherwise the English name."""
        return gettext(self.name)

    @property
    def is_decided(self) -> bool:
        return self.kind in self.DECIDED_KINDS

    @property
    def is_closed(self) -> bool:
        return self.kind in self.CLOSED_KINDS

    @property
    def is_accepted(self) -> bool:
        return self.kind in self.ACCEPTED_KINDS

    @property
    def needs_reason(self) -> bool:
        return self.reason_required or self.kind in {
            self.Kind.DECLINED, self.Kind.DUPLICATE, self.Kind.PARKED}


class TaggedIdea(TaggedItemBase):
    content_object = models.ForeignKey("Idea", on_delete=models.CASCADE,
                                       related_name="tagged_items")


# Amazon's two questions of every proposal, as the review asks them.
TWO_QUESTIONS = (
    ("customer_named", _("Which customer is affected: is the customer named?")),
    ("delight_explained", _("Why will it delight them: is the delight explained?")),
)


class Idea(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")

    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("what customers experience today"), max_length=5000)
    customer_segment = models.ForeignKey(
        "people.CustomerSegment", verbose_name=_("which customer is affected"),
        null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas",
    )
    customer_detail = models.CharField(
        _("the customer, in your words"), max_length=300, blank=True,
    )
    delight = models.TextField(_("why it will delight them"), max_length=3000)
    metric = models.CharField(_("customer metric it should move"), max_length=8,
                              choices=Metric.choices)
    journey_stage = models.ForeignKey("people.JourneyStage", verbose_name=_("journey stage"),
                                      null=True, blank=True, on_delete=models.SET_NULL)
    channel = models.ForeignKey("people.Channel", verbose_name=_("channel / touchpoint"),
                                null=True, blank=True, on_delete=models.SET_NULL)
    department = models.ForeignKey("people.Department", verbose_name=_("department"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="ideas")
    whys = models.JSONField(_("5 whys"), default=list, blank=True)
    campaign = models.ForeignKey(
        "ideas.CampaignPage", verbose_name=_("campaign"), null=True, blank=True,
        # A deleted campaign leaves its ideas in place (they were submitted, decided and
        # credited); unpublishing is how a campaign is normally withdrawn.
        on_delete=models.SET_NULL, related_name="ideas")
    confidential = models.BooleanField(
        _("confidential"), default=False,
        help_text=_("Only you, reviewers and programme admins can see a confidential idea."),
    )
    tags = TaggableManager(through=TaggedIdea, blank=True, verbose_name=_("tags"))

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitter = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="ideas")
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="ideas")
    stage_entered_at = models.DateTimeField(null=True, blank=True)
    assignee = models.ForeignKey(USER, verbose_name=_("assigned reviewer"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="+")
    sponsor = models.ForeignKey(USER, verbose_name=_("owner / sponsor"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="sponsored_ideas")
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="duplicates")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    first_decided_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    # Kept by the services so lists sort and show counts without aggregating.
    support_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    priority_score = models.FloatField(null=True, blank=True)
    # Amazon's two questions, answered by a reviewer: does the idea name the customer it
    # affects, and explain why it will delight them? None: not checked yet. Accepting
    # needs both (ProgrammeSettings.accept_needs_two_questions).
    customer_named = models.BooleanField(_("the customer is named"), null=True, blank=True)
    delight_explained = models.BooleanField(_("the delight is explained"), null=True,
                                            blank=True)
    search_text = models.TextField(editable=False, default="")
    # Word indexes (shared.search.word_index) for ranking a search: the title's, the
    # problem and customer text's, and everything's (also how other word forms match).
    search_title = models.TextField(editable=False, default="")
    search_body = models.TextField(editable=False, default="")
    search_words = models.TextField(editable=False, default="")
    # The hidden token of the form that created it: a double click or a retried request
    # posts the same token again and finds this idea instead of creating a second one.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        permissions = [
            ("review_idea", "Can review ideas (triage, score, decide, internal notes)"),
            ("view_confidential_idea", "Can see confidential ideas"),
        ]
        indexes = [
            # Newest first, for everyone: the list's visibility rule (public OR mine) is an
            # OR, so "confidential" in the middle of the key kept the index from giving the
            # order; with the full sort key page 1 reads 25 rows, not the whole table. The
            # same for "recently decided" (home page, newsletter's "you said, we did").
            # The columns filters and visibility test are included, so a capped count
            # ("1,000+") reads the index alone (PostgreSQL; SQLite ignores INCLUDE).
            models.Index(fields=["status", "-submitted_at", "-id"], name="ideas_list_newest",
                         include=["confidential", "submitter", "metric", "department",
                                  "stage", "customer_segment", "journey_stage"]),
            # Every sort of the list and the queue has an index in its own order ending
            # in the id, so a page (keyset paging, shared.paging) reads its 25 rows.
            models.Index(fields=["status", "-support_count", "-submitted_at", "-id"],
                         name="ideas_list_supported"),
            models.Index(fields=["status", "-decided_at"], name="ideas_list_decided"),
            models.Index(fields=["stage", "assignee"], name="ideas_queue"),
            # The review queue: submitted ideas by time in stage (the stage's kind is
            # filtered by stage id), and by priority score.
            models.Index(fields=["stage_entered_at", "id"], name="ideas_queue_waiting",
                         include=["stage", "submitter", "confidential", "assignee"],
                         condition=Q(status="submitted")),
            # Overdue: per stage, waiting since before that stage's cutoff.
            # (department and submitted_at: the dashboard's overdue figure by department.)
            models.Index(fields=["stage", "stage_entered_at"], name="ideas_queue_overdue",
                         include=["submitter", "confidential", "assignee", "department",
                                  "submitted_at"],
                         condition=Q(status="submitted")),
            # Sorts with NULLs last (recently decided, priority) have PostgreSQL-only
            # indexes (migration 0007): SQLite cannot say NULLS LAST in an index.
            models.Index(fields=["submitter", "-created_at"], name="ideas_mine"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("ideas:detail", args=[self.pk])

    def unanswered_questions(self) -> list[str]:
        """Which of Amazon's two questions a reviewer has not answered yes (labels)."""
        return [str(label) for field, label in TWO_QUESTIONS
                if getattr(self, field) is not True]

    def refresh_search_text(self, tag_names=None) -> None:
        if tag_names is None:
            tag_names = [t.name for t in self.tags.all()] if self.pk else []
        self.search_text = build_search_text(
            self.title, self.problem, self.customer_detail, self.delight,
            " ".join(w for w in self.whys if isinstance(w, str)), " ".join(tag_names),
        )
        self.search_title = word_index(self.title)
        self.search_body = word_index(self.problem, self.customer_detail)
        self.search_words = word_index(self.search_text)


class SearchWord(models.Model):
    """A word of the submitted ideas, and in how many it was found when they were
    submitted: the vocabulary a search term with a typo is corrected to
    (ideas.search), and how rare a word is (the similar-ideas panel)."""

    word = models.CharField(max_length=64, primary_key=True)
    ideas = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.word


class SearchWordKey(models.Model):
    """The word itself and each string one letter shorter ("symmetric delete" keys):
    two words within one edit of each other share a key (shared.search)."""

    key = models.CharField(max_length=64)
    word = models.ForeignKey(SearchWord, on_delete=models.CASCADE, related_name="keys")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "word"],
                                               name="ideas_searchwordkey_unique")]

    def __str__(self):
        return f"{self.key} → {self.word_id}"


class IdeaEmbedding(models.Model):
    """An idea's sentence embedding (ideas.semantic), for "similar ideas" across wording
    and language. A float32 vector stored as bytes, the same on SQLite and PostgreSQL
    (no pgvector: similarity is computed with numpy over a bounded set of candidates).
    `text_hash` is of the text that was embedded, so a backfill re-embeds edited ideas;
    `model_name` keeps vectors of another model from being compared."""

    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, primary_key=True,
                                related_name="embedding")
    model_name = models.CharField(max_length=200)
    dimensions = models.PositiveSmallIntegerField()
    vector = models.BinaryField()
    text_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.model_name} ({self.dimensions}) for idea {self.idea_id}"


class Transition(models.Model):
    """The audit record of every stage change: who, when, from, to, why."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.ForeignKey(Stage, null=True, on_delete=models.PROTECT, related_name="+")
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.idea_id}: {self.from_stage} → {self.to_stage}"


class Support(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="idea_supports")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"],
                                               name="ideas_one_support_per_person")]

    def __str__(self):
        return f"Support by {self.user_id} for idea {self.idea_id}"


class Follow(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="idea_follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"],
                                               name="ideas_one_follow_per_person")]

    def __str__(self):
        return f"Follow by {self.user_id} of idea {self.idea_id}"


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    hidden_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        # An idea's conversation in order, a page at a time: with it PostgreSQL reads a
        # page's comments (and their authors) instead of joining every comment to the
        # whole user table and sorting.
        indexes = [models.Index(fields=["idea", "created_at", "id"], name="ideas_comment_thread")]

    def __str__(self):
        return f"Comment {self.pk} on idea {self.idea_id}"


class InternalNote(models.Model):
    """Reviewers' and programme admins' notes; never shown to anyone else."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Internal note {self.pk} on idea {self.idea_id}"


class ImpactMeasurement(models.Model):
    """What an implemented idea changed for customers, on its metric: baseline, target
    and measured value. One per idea, updated when re-measured (the audit log keeps the
    earlier figures): the idea page shows one "before → after"."""

    class Unit(models.TextChoices):
        SCORE = "score", _("score on the metric's scale")
        PERCENT = "percent", _("percentage")

    # (lowest, highest) per metric and unit; a pair missing here is not allowed.
    RANGES = {
        (Metric.NPS, Unit.SCORE): (-100, 100),
        (Metric.CSAT, Unit.SCORE): (1, 5), (Metric.CSAT, Unit.PERCENT): (0, 100),
        (Metric.CES, Unit.SCORE): (1, 7), (Metric.CES, Unit.PERCENT): (0, 100),
        (Metric.CHURN, Unit.PERCENT): (0, 100), (Metric.FCR, Unit.PERCENT): (0, 100),
        (Metric.OTHER, Unit.SCORE): (-1_000_000, 1_000_000),
        (Metric.OTHER, Unit.PERCENT): (0, 100),
    }

    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, related_name="impact")
    metric = models.CharField(_("metric"), max_length=10, choices=Metric.choices)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices,
                            default=Unit.SCORE)
    baseline = models.DecimalField(_("baseline (before)"), max_digits=10, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2, null=True,
                                 blank=True)
    measured = models.DecimalField(_("measured (after)"), max_digits=10, decimal_places=2)
    measured_on = models.DateField(_("measured on"))
    method = models.TextField(_("how it was measured"), max_length=1000)
    evidence = models.TextField(_("evidence"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("measured impact")
        constraints = [
            # The database holds the widest rules; the model's clean() the exact scale.
            models.CheckConstraint(
                condition=~Q(unit="percent") | Q(
                    baseline__gte=0, baseline__lte=100, measured__gte=0, measured__lte=100),
                name="impact_percent_in_range"),
            models.CheckConstraint(
                condition=~Q(metric="nps") | Q(
                    unit="score", baseline__gte=-100, baseline__lte=100,
                    measured__gte=-100, measured__lte=100),
                name="impact_nps_in_range"),
        ]

    def __str__(self):
        return f"{self.baseline} → {self.measured}"

    def clean(self):
        super().clean()
        bounds = self.RANGES.get((self.metric, self.unit))
        if bounds is None:
            raise ValidationError({"unit": _("%(metric)s is measured as a percentage.")
                                   % {"metric": Metric(self.metric).label}
                                   if self.unit == self.Unit.SCORE else
                                   _("%(metric)s is measured as a score.")
                                   % {"metric": Metric(self.metric).label}})
        low, high = bounds
        errors = {}
        for name in ("baseline", "target", "measured"):
            value = getattr(self, name)
            if value is not None and not low <= value <= high:
                errors[name] = _("%(metric)s runs from %(low)s to %(high)s here.") % {
                    "metric": Metric(self.metric).label, "low": low, "high": high}
        if errors:
            raise ValidationError(errors)

    # Metrics where a fall is the improvement; on the others (NPS, CSAT, CES as "it was
    # easy", first-contact resolution) a rise is.
    LOWER_IS_BETTER = frozenset({Metric.CHURN})

    @property
    def change(self):
        return self.measured - self.baseline

    @classmethod
    def improved_q(cls, prefix: str = "") -> Q:
        """`improved` as a database condition; `prefix` reaches the measurement from
        another model (e.g. "impact__" from an idea)."""
        lower = list(cls.LOWER_IS_BETTER)
        return (Q(**{f"{prefix}metric__in": lower,
                     f"{prefix}measured__lt": F(f"{prefix}baseline")})
                | (~Q(**{f"{prefix}metric__in": lower})
                   & Q(**{f"{prefix}measured__gt": F(f"{prefix}baseline")})))

    @property
    def improved(self) -> bool:
        if self.metric in self.LOWER_IS_BETTER:
            return self.measured < self.baseline
        return self.measured > self.baseline


class Contributor(models.Model):
    """A colleague credited with an idea besides its submitter. The submitter invites;
    the invitee accepts (credited wherever the submitter is) or declines (and is not
    asked again for that idea)."""

    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        ACCEPTED = "accepted", _("co-author")
        DECLINED = "declined", _("declined")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="contributors")
    person = models.ForeignKey(USER, on_delete=models.CASCADE,
                               related_name="idea_contributions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("co-author")
        constraints = [models.UniqueConstraint(fields=["idea", "person"],
                                               name="ideas_one_contribution_per_person")]
        indexes = [models.Index(fields=["person", "status"], name="ideas_contrib_person")]

    def __str__(self):
        return f"{self.person_id} on idea {self.idea_id} ({self.status})"


class ThankYou(models.Model):
    """A note thanking an idea's contributors: one per person and idea (a second would
    be noise in the contributors' notifications)."""

    MAX_LENGTH = 500

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="thanks")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="thanks_given")
    body = models.TextField(_("your note"), max_length=MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("thank-you note")
        constraints = [
            models.UniqueConstraint(fields=["idea", "author"],
                                    name="ideas_one_thank_you_per_person"),
            models.CheckConstraint(condition=~Q(body=""), name="ideas_thank_you_not_empty"),
        ]

    def __str__(self):
        return f"Thanks from {self.author_id} for idea {self.idea_id}"


class Score(models.Model):
    """A reviewer's scores, 1-5 each; priority = impact × reach × confidence ÷ effort."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    impact = models.PositiveSmallIntegerField(validators=[MinValueValidator(1),
                                                          MaxValueValidator(5)])
    reach = models.PositiveSmallIntegerField(validators=[MinValueValidator(1),
                                                         MaxValueValidator(5)])
    confidence = models.PositiveSmallIntegerField(validators=[MinValueValidator(1),
                                                              MaxValueValidator(5)])
    effort = models.PositiveSmallIntegerField(validators=[MinValueValidator(1),
                                                          MaxValueValidator(5)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "reviewer"],
                                               name="ideas_one_score_per_reviewer")]

    def __str__(self):
        return f"Score by {self.reviewer_id} for idea {self.idea_id}"

    @property
    def priority(self) -> float:
        return round(self.impact * self.reach * self.confidence / self.effort, 1)


def attachment_path(instance, filename):
    return f"idea-attachments/{instance.idea_id}/{filename}"


class Attachment(models.Model):
    """An image or PDF, checked by content; served only through a permission check."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=private_storage, max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name


# --- Campaigns ------------------------------------------------------------------------


class CampaignIndexPage(Page):
    """Where campaigns live in the page tree (one, under home: ideas.setup)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["ideas.CampaignPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["campaigns"] = selectors.campaign_list(user=request.user)
        return context


class CampaignPage(Page):
    """A focused question leaders ask ("How might we make claims easier for families on
    the move?"), open for ideas between two dates to the people in its audience."""

    question = models.CharField(_("question"), max_length=200)
    why = RichTextField(_("why it matters"), blank=True,
                        features=["bold", "italic", "link", "ol", "ul"])
    sponsor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sponsor"),
                                null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="sponsored_campaigns")
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    audience_departments = ParentalManyToManyField(
        "people.Department", verbose_name=_("departments in the audience"), blank=True,
        related_name="+",
        help_text=_("Leave both audience fields empty to ask everyone."))
    audience_roles = ParentalManyToManyField(
        "auth.Group", verbose_name=_("roles in the audience"), blank=True, related_name="+")
    customer_segments = ParentalManyToManyField(
        "people.CustomerSegment", verbose_name=_("customers it is about"), blank=True,
        related_name="+")
    results = RichTextField(_("results"), blank=True,
                            features=["bold", "italic", "link", "ol", "ul"],
                            help_text=_("After closing: what was accepted and why."))

    content_panels = [
        *Page.content_panels, FieldPanel("question"), FieldPanel("why"),
        FieldPanel("sponsor"), FieldPanel("opens_on"), FieldPanel("closes_on"),
        FieldPanel("audience_departments", widget=forms.CheckboxSelectMultiple),
        FieldPanel("audience_roles", widget=forms.CheckboxSelectMultiple),
        FieldPanel("customer_segments", widget=forms.CheckboxSelectMultiple),
        FieldPanel("results"),
    ]
    parent_page_types = ["ideas.CampaignIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [models.CheckConstraint(
            condition=Q(closes_on__gte=F("opens_on")), name="campaign_closes_after_opening",
            violation_error_message=_("A campaign closes on or after the day it opens."))]

    def clean(self):
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("A campaign closes on or after the day it "
                                                  "opens.")})

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.live and self.opens_on <= today <= self.closes_on

    def get_context(self, request, *args, **kwargs):
        from . import permissions, selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.campaign_overview(campaign=self, user=request.user))
        context["can_submit"] = permissions.can_submit_to_campaign(request.user, self)
        context["today"] = timezone.localdate()
        return context
