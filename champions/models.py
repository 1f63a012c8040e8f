from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from shared.search import build_search_text

USER = settings.AUTH_USER_MODEL


class TermQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on, ends_on__gte=on, ended_on__isnull=True)


class Term(models.Model):
    """A champion's term for one department. Terms are history: ended ones stay."""

    # A term "ends soon" within this many days: the coverage page counts these terms and
    # the daily job reminds the champion and programme admins as they enter the window.
    ENDING_SOON_DAYS = 30

    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="champion_terms")
    department = models.ForeignKey("people.Department", on_delete=models.PROTECT,
                                   related_name="champion_terms")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    ended_reason = models.CharField(_("why it ended"), max_length=300, blank=True)
    handover_note = models.TextField(_("handover note"), blank=True, max_length=3000)
    successor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    renewed_from = models.OneToOneField("self", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="renewal")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="champions_term_ends_after_start"),
        ]
        indexes = [models.Index(fields=["department", "ended_on", "ends_on"],
                                name="champions_term_active")]
        # Checked by champions.permissions.can_manage (views, services, templates).
        permissions = [("manage_champions", "Can manage customer champions")]

    def __str__(self):
        return f"{self.person} — {self.department} ({self.starts_on} → {self.ends_on})"

    @classmethod
    def ending_soon_until(cls, today):
        """The last day a term may end on and still count as ending soon."""
        return today + timedelta(days=cls.ENDING_SOON_DAYS)

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return self.ended_on is None and self.starts_on <= today <= self.ends_on

    @property
    def last_day(self):
        return self.ended_on or self.ends_on

    @property
    def is_upcoming(self) -> bool:
        return self.starts_on > timezone.localdate()

    @property
    def served_until(self):
        """The day service is counted to: the last day, or today if it is still running."""
        return min(self.last_day, timezone.localdate())

    @property
    def served_days(self) -> int:
        return max(0, (self.served_until - self.starts_on).days)


class Nomination(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    nominee = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="nominations")
    nominator = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("people.Department", on_delete=models.PROTECT,
                                   related_name="nominations")
    reason = models.TextField(_("why this person?"), max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True, max_length=2000)
    term = models.OneToOneField(Term, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="nomination")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="champions_nom_status")]
        constraints = [
            # One open nomination per person and department: a check in the service
            # alone let eight nominations posted at once all through (issue 12).
            models.UniqueConstraint(
                fields=["nominee", "department"], condition=Q(status="open"),
                name="champions_one_open_nomination",
            ),
        ]

    def __str__(self):
        return f"{self.nominee} for {self.department}"


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("positive")
    NEUTRAL = "neutral", _("neutral")
    NEGATIVE = "negative", _("negative")


class TaggedInsight(TaggedItemBase):
    content_object = models.ForeignKey("Insight", on_delete=models.CASCADE,
                                       related_name="tagged_items")


class InsightStatus(models.TextChoices):
    NEW = "new", _("new")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    ACTED_ON = "acted_on", _("acted on")
    IDEA = "idea", _("turned into an idea")
    CLOSED = "closed", _("closed")


class Insight(models.Model):
    """What someone learned from a customer conversation. It has an owner (by default
    its department's champion) who answers it within RESPONSE_HOURS working hours:
    acknowledges it, acts on it or turns it into an idea, then closes it."""

    Status = InsightStatus
    # The brief: act on customer feedback within 24 hours. Working hours: the clock
    # stops on weekends and the company's holidays (shared.workdays.add_working_hours).
    RESPONSE_HOURS = 24
    # Reminded this long before the target; the programme admins are told once it passes.
    REMIND_BEFORE_HOURS = 4
    # Where each status may go next; "idea" is reached through insight_link_idea.
    NEXT = {
        InsightStatus.NEW: (InsightStatus.ACKNOWLEDGED, InsightStatus.ACTED_ON,
                            InsightStatus.CLOSED),
        InsightStatus.ACKNOWLEDGED: (InsightStatus.ACTED_ON, InsightStatus.CLOSED),
        InsightStatus.ACTED_ON: (InsightStatus.CLOSED,),
        InsightStatus.IDEA: (InsightStatus.CLOSED,),
        InsightStatus.CLOSED: (),
    }
    OPEN = (InsightStatus.NEW, InsightStatus.ACKNOWLEDGED)

    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="insights")
    department = models.ForeignKey("people.Department", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="insights")
    text = models.TextField(_("what you learned"), max_length=1000)
    customer_segment = models.ForeignKey("people.CustomerSegment", verbose_name=_("customer"),
                                         null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="insights")
    channel = models.ForeignKey("people.Channel", verbose_name=_("channel"), null=True,
                                blank=True, on_delete=models.SET_NULL)
    sentiment = models.CharField(_("sentiment"), max_length=8, choices=Sentiment.choices,
                                 default=Sentiment.NEUTRAL)
    idea = models.ForeignKey("ideas.Idea", verbose_name=_("idea it inspired"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="insights")
    tags = TaggableManager(through=TaggedInsight, blank=True, verbose_name=_("tags"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    search_text = models.TextField(editable=False, default="")
    owner = models.ForeignKey(USER, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="owned_insights")
    status = models.CharField(_("status"), max_length=12, choices=InsightStatus.choices,
                              default=InsightStatus.NEW)
    respond_by = models.DateTimeField(_("answer by"), null=True, blank=True)
    # The first answer (anything but "new"): the 24-hour clock stops here.
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["department", "-created_at"], name="champions_ins_dept"),
            # The clock's scan and the queues: open insights by target.
            models.Index(fields=["status", "respond_by"], name="champions_ins_clock"),
            models.Index(fields=["owner", "status", "respond_by"], name="champions_ins_owner"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=InsightStatus.values),
                                   name="champions_insight_status_valid"),
            # Answered exactly when it has left "new".
            models.CheckConstraint(
                condition=(Q(status=InsightStatus.NEW, responded_at__isnull=True)
                           | (~Q(status=InsightStatus.NEW) & Q(responded_at__isnull=False))),
                name="champions_insight_answered_when_not_new"),
        ]

    def __str__(self):
        return self.text[:60]

    def refresh_search_text(self, tag_names=()) -> None:
        self.search_text = build_search_text(self.text, " ".join(tag_names))

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def answered_in_time(self) -> bool | None:
        """True or False once answered (or once the target passed unanswered); None
        while the clock still runs."""
        if self.responded_at is not None:
            return self.respond_by is None or self.responded_at <= self.respond_by
        if self.respond_by is not None and self.respond_by < timezone.now():
            return False
        return None


class InsightUpdate(models.Model):
    """One step in an insight's answer: who moved it to which status, or handed it to
    whom, and the note the person who logged it reads."""

    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="updates")
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=12, choices=InsightStatus.choices)
    owner = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.insight_id}: {self.status}"


class PulseSurvey(ClusterableModel):
    """A short survey (1–5 questions) sent to employees in pulses: once, or in rounds on
    a schedule. Plain models, not Wagtail form pages: a pulse has rounds, one response
    per person per round (a database constraint), answers counted per department and
    over time, and anonymity, none of which a form page's submissions give."""

    class Schedule(models.TextChoices):
        ONCE = "once", _("once")
        WEEKLY = "weekly", _("every week")
        MONTHLY = "monthly", _("every month")
        QUARTERLY = "quarterly", _("every quarter")

    class Audience(models.TextChoices):
        EMPLOYEES = "employees", _("employees (in the intranet)")
        CUSTOMERS = "customers", _("customers (through single-use links)")

    MAX_QUESTIONS = 5

    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(
        _("asked"), max_length=10, choices=Audience.choices, default=Audience.EMPLOYEES,
        help_text=_("Customers answer through links you create on a round's results page "
                    "and send them yourselves; each link answers once."))
    intro = models.TextField(_("introduction"), blank=True, max_length=1000)
    anonymous = models.BooleanField(
        _("anonymous"), default=True,
        help_text=_("Answers are never shown with names; a department's results show "
                    "only once enough people there answered."))
    departments = ParentalManyToManyField(
        "people.Department", blank=True, related_name="+", verbose_name=_("departments"),
        help_text=_("Who is asked. Empty: everyone."))
    schedule = models.CharField(_("schedule"), max_length=10, choices=Schedule.choices,
                                default=Schedule.ONCE)
    starts_on = models.DateField(_("first round opens on"), default=timezone.localdate)
    round_days = models.PositiveSmallIntegerField(
        _("each round stays open (working days)"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)])
    is_active = models.BooleanField(_("active"), default=True,
                                    help_text=_("Inactive: no new rounds open."))
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("title"), FieldPanel("intro"), FieldPanel("audience"),
              FieldPanel("anonymous"),
              FieldPanel("departments"), FieldPanel("schedule"), FieldPanel("starts_on"),
              FieldPanel("round_days"), FieldPanel("is_active"),
              InlinePanel("questions", label=_("Questions"), min_num=1,
                          max_num=MAX_QUESTIONS)]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pulse survey")
        verbose_name_plural = _("pulse surveys")

    def __str__(self):
        return self.title


class PulseQuestion(Orderable):
    class Kind(models.TextChoices):
        NPS = "nps", _("NPS: how likely to recommend (0–10)")
        CSAT = "csat", _("CSAT: how satisfied (1–5)")
        CES = "ces", _("CES: how easy (1–7)")
        CHOICE = "choice", _("one choice from a list")
        TEXT = "text", _("free text")

    # The numbers each scale takes.
    SCALES = {Kind.NPS: (0, 10), Kind.CSAT: (1, 5), Kind.CES: (1, 7)}

    survey = ParentalKey(PulseSurvey, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.CSAT)
    text = models.CharField(_("question"), max_length=300)
    choices = models.TextField(_("choices"), blank=True, max_length=2000,
                               help_text=_("For a choice: one per line."))

    panels = [FieldPanel("kind"), FieldPanel("text"), FieldPanel("choices")]

    def __str__(self):
        return self.text

    def clean(self):
        if self.kind == self.Kind.CHOICE and len(self.choice_list) < 2:
            raise ValidationError({"choices": _("Give at least two choices, one per line.")})

    @property
    def choice_list(self) -> list[str]:
        return [line.strip()[:200] for line in self.choices.splitlines() if line.strip()][:20]

    @property
    def scale(self) -> tuple[int, int] | None:
        return self.SCALES.get(self.kind)


class PulseRound(models.Model):
    """One sending of a survey: open from opens_at to closes_at."""

    survey = models.ForeignKey(PulseSurvey, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()

    class Meta:
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="champions_pulse_round"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")),
                                   name="champions_pulse_round_closes_after_open"),
        ]

    def __str__(self):
        return f"{self.survey} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.opens_at <= timezone.now() < self.closes_at


class PulseResponse(models.Model):
    """One person's answers to one round. `respondent_key` is a keyed hash of the round
    and the person: it holds "once per person per round" (a unique constraint) without
    storing who answered an anonymous survey."""

    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="responses")
    respondent_key = models.CharField(max_length=64)
    # Named surveys only.
    respondent = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    department = models.ForeignKey("people.Department", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "respondent_key"],
                                               name="champions_pulse_once_per_round")]

    def __str__(self):
        return f"Response to {self.round_id}"


class PulseAnswer(models.Model):
    response = models.ForeignKey(PulseResponse, on_delete=models.CASCADE,
                                 related_name="answers")
    question = models.ForeignKey(PulseQuestion, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True, max_length=2000)
    # A free-text answer a champion turned into a customer insight (once).
    insight = models.OneToOneField(Insight, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="pulse_answer")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"],
                                               name="champions_pulse_one_answer")]

    def __str__(self):
        return f"Answer to {self.question_id}"


class PulseLink(models.Model):
    """A single-use link for one customer to answer one round of a customer pulse. The
    token is the only credential: nothing else identifies the customer."""

    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="links")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["round", "used_at"], name="champions_pulse_links")]

    def __str__(self):
        return f"Link for round {self.round_id}"
