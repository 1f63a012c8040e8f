from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page

from .blocks import LessonStreamBlock, QuestionBlock

USER = settings.AUTH_USER_MODEL


class ServedByView:
    """A page whose serving logic is a view of this app. Views import models, never the
    other way round: TrainingConfig.ready() names each page type's view (PAGE_VIEWS)."""

    def serve(self, request, *args, **kwargs):
        return PAGE_VIEWS[type(self)](request, self)


# Page type → view(request, page); filled in by TrainingConfig.ready().
PAGE_VIEWS: dict[type, Callable] = {}


class TrainingIndexPage(Page):
    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["training.ModulePage"]
    max_count = 1

    def serve(self, request, *args, **kwargs):
        return redirect("training:my_onboarding")


class ModulePage(ServedByView, Page):
    """An onboarding module; its lessons are child pages, its quiz a StreamField."""

    summary = models.TextField(_("summary"), max_length=1000)
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=20)
    prerequisites = ParentalManyToManyField("self", symmetrical=False, blank=True,
                                            related_name="+")
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=70)
    quiz = StreamField([("question", QuestionBlock())], blank=True)
    requires_recompletion = models.BooleanField(
        _("requires re-completion"), default=False,
        help_text=_("Tick when publishing a substantive change: people who completed an "
                    "earlier revision are asked to review the module again."))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("audience"), FieldPanel("estimated_minutes"),
                         FieldPanel("prerequisites"), FieldPanel("pass_mark")],
                        heading=_("About the module")),
        FieldPanel("quiz"),
        FieldPanel("requires_recompletion"),
    ]
    parent_page_types = ["training.TrainingIndexPage"]
    subpage_types = ["training.LessonPage"]

    class Meta:
        verbose_name = _("module")

    def lessons(self):
        return LessonPage.objects.child_of(self).live().order_by("path")

    def questions(self):
        return list(self.quiz)


class LessonPage(ServedByView, Page):
    body = StreamField(LessonStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["training.ModulePage"]
    subpage_types: list = []

    class Meta:
        verbose_name = _("lesson")


class OnboardingPath(ClusterableModel):
    """An ordered set of modules with due dates in working days from the start date."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("description"),
              InlinePanel("steps", label=_("Modules"), min_num=1),
              InlinePanel("rules", label=_("Assign automatically to"))]

    class Meta:
        verbose_name = _("onboarding path")

    def __str__(self):
        return self.name


class PathStep(Orderable):
    path = ParentalKey(OnboardingPath, on_delete=models.CASCADE, related_name="steps")
    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="+")
    due_working_days = models.PositiveSmallIntegerField(
        _("due after (working days from start)"), default=5)

    panels = [FieldPanel("module"), FieldPanel("due_working_days")]


class PathRule(models.Model):
    """Employees matching a rule are enrolled on the path automatically."""

    path = ParentalKey(OnboardingPath, on_delete=models.CASCADE, related_name="rules")
    department = models.ForeignKey("people.Department", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="+",
                                   help_text=_("Empty: any department."))
    role = models.ForeignKey("auth.Group", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", help_text=_("Empty: any role."))

    panels = [FieldPanel("department"), FieldPanel("role")]

    def __str__(self):
        return f"{self.path}: {self.department or 'any department'} / {self.role or 'any role'}"

    def matches(self, user) -> bool:
        if self.department_id and user.department_id != self.department_id:
            return False
        return not (self.role_id and not user.groups.filter(pk=self.role_id).exists())


class Enrolment(models.Model):
    """A person on a module, with its due date; created by path rules or by HR."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("to do")
        COMPLETED = "completed", _("completed")
        REVIEW = "review", _("review again")

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="enrolments")
    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="enrolments")
    path = models.ForeignKey(OnboardingPath, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="enrolments")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ASSIGNED)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_revision = models.ForeignKey("wagtailcore.Revision", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    best_score = models.PositiveSmallIntegerField(null=True, blank=True)
    last_lesson = models.ForeignKey(LessonPage, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    assigned_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "module"],
                                               name="training_one_enrolment_per_module")]
        indexes = [models.Index(fields=["status", "due_on"], name="training_enrol_due")]
        ordering = ["due_on", "pk"]
        # A named capability rather than a borrowed CRUD permission: enrolling people
        # and reading the onboarding report (training.permissions.can_manage_onboarding).
        permissions = [("manage_onboarding", "Can enrol people and see onboarding reports")]

    def __str__(self):
        return f"{self.user} — {self.module}"


class LessonCompletion(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="lesson_completions")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="completions")
    revision = models.ForeignKey("wagtailcore.Revision", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson"],
                                               name="training_one_completion_per_lesson")]

    def __str__(self):
        return f"{self.user} — {self.lesson}"


class QuizAttempt(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="quiz_attempts")
    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="attempts")
    score = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    answers = models.JSONField(default=dict)
    failed_questions = models.JSONField(default=list)
    # The one-time token of the quiz form this attempt came from: posting the same
    # form twice (a double click, a reload) records one attempt, not two.
    token = models.CharField(max_length=32, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "module", "token"],
                                               name="training_attempt_token_once")]

    def __str__(self):
        return f"{self.user} — {self.module}: {self.score}%"
