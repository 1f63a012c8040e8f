from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page


class Department(models.Model):
    """A department or team; champions cover departments, ideas belong to one."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    head_count = models.PositiveIntegerField(_("head count"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class User(AbstractUser):
    """An employee. The profile lives on the user itself: one row, no joins."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="members",
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    manager = models.ForeignKey(
        "self", verbose_name=_("manager"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="reports",
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    class EmailDelivery(models.TextChoices):
        IMMEDIATELY = "immediately", _("One e-mail per notification, as it happens")
        DAILY = "daily", _("One daily digest")
        NEVER = "never", _("No e-mail: only in the intranet")

    email_delivery = models.CharField(
        _("notification e-mails"), max_length=12, choices=EmailDelivery.choices,
        default=EmailDelivery.IMMEDIATELY,
    )
    # Topics (portal.notifications.TOPICS) the person does not want by e-mail.
    email_muted_topics = models.JSONField(_("topics not e-mailed"), default=list, blank=True)
    # The day the last digest was claimed: at most one digest per person per day.
    digest_sent_on = models.DateField(null=True, blank=True, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = [("manage_roles", "Can assign programme roles"),
                       ("view_programme_dashboard", "Can see the CX programme dashboard")]
        indexes = [models.Index(Lower("display_name"), name="portal_user_display_lower")]
        constraints = [
            # One account per mailbox, whatever the case: "Noor@Example.com" and
            # "noor@example.com" are the same person's address (allauth compares them
            # case-insensitively). The field's own unique=True is case-sensitive and stays
            # for the exact lookups allauth makes.
            models.UniqueConstraint(
                Lower("email"), name="portal_user_email_ci_unique",
                violation_error_message=_("Another account already uses this e-mail "
                                          "address."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.email or self.username

    def get_full_name(self):
        return self.display_name or super().get_full_name()

    def has_role(self, role: str) -> bool:
        return any(g.name == role for g in self.groups.all())

    @property
    def role_labels(self) -> list:
        """The person's roles, translated, for showing them (see portal.roles)."""
        from .roles import role_labels

        return role_labels(g.name for g in self.groups.all())


class HomePage(Page):
    """The intranet's home: editors add announcements; the rest is personal."""

    announcements = StreamField(
        [
            ("announcement", blocks.StructBlock([
                ("heading", blocks.CharBlock(max_length=120)),
                ("text", blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])),
            ], icon="info-circle")),
        ],
        blank=True,
    )

    content_panels = [*Page.content_panels, FieldPanel("announcements")]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from wagtail import hooks

        context = super().get_context(request, *args, **kwargs)
        # Each feature app contributes its own panels (hook "intranet_home_panels"):
        # a callable taking the request and returning a list of panel dicts
        # {"template": ..., "order": ..., **context}.
        panels = []
        for provide in hooks.get_hooks("intranet_home_panels"):
            panels.extend(provide(request) or [])
        context["home_panels"] = sorted(panels, key=lambda p: p.get("order", 100))
        return context
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")


class CustomerSegment(models.Model):
    """A customer segment or persona: who an idea, insight or lesson is about."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    needs = models.TextField(_("needs"), blank=True)
    pains = models.TextField(_("pains"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("photo"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("summary"), FieldPanel("needs"),
              FieldPanel("pains"), FieldPanel("photo")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("customer segment")
        verbose_name_plural = _("customer segments")

    def __str__(self):
        return self.name


class JourneyStage(models.Model):
    """A stage of the customer journey (e.g. discover, buy, use, get help, renew)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("journey stage")
        verbose_name_plural = _("journey stages")

    def __str__(self):
        return self.name


class Channel(models.Model):
    """A channel or touchpoint where customers meet the company."""

    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("channel / touchpoint")
        verbose_name_plural = _("channels / touchpoints")

    def __str__(self):
        return self.name


class Notification(models.Model):
    """An in-app notification; when it is also e-mailed, the e-mail's delivery state
    lives here too, so it is recorded before anything is sent (outbox pattern)."""

    class EmailStatus(models.TextChoices):
        NOT_NEEDED = "not_needed", _("not e-mailed")
        PENDING = "pending", _("pending")
        DIGEST = "digest", _("waiting for the daily digest")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    verb = models.CharField(max_length=60)
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=12, choices=EmailStatus.choices,
                                    default=EmailStatus.NOT_NEEDED)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    # E-mailed as part of a daily digest rather than on its own.
    in_digest = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="portal_notif_unread"),
            models.Index(fields=["email_status", "created_at"], name="portal_notif_outbox"),
        ]

    def __str__(self):
        return self.title
