"""People: employees, departments, and the customer vocabularies (segments, journey
stages, channels) every feature app tags its records with.

The tables keep the names they had when these models lived in the portal app: the
move was made in the migration state only (people/migrations/0001_initial.py)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class Department(models.Model):
    """A department or team; champions cover departments, ideas belong to one."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    head_count = models.PositiveIntegerField(_("head count"), default=0)

    class Meta:
        db_table = "portal_department"
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
    # Topics (notifications.services.TOPICS) the person does not want by e-mail.
    email_muted_topics = models.JSONField(_("topics not e-mailed"), default=list, blank=True)
    # The day the last digest was claimed: at most one digest per person per day.
    digest_sent_on = models.DateField(null=True, blank=True, editable=False)

    class Meta(AbstractUser.Meta):
        db_table = "portal_user"
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

    @property
    def role_labels(self) -> list:
        """The person's roles, translated, for showing them (see people.roles)."""
        from people.roles import role_labels

        return role_labels(g.name for g in self.groups.all())


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
        db_table = "portal_customersegment"
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
        db_table = "portal_journeystage"
        ordering = ["order", "name"]
        verbose_name = _("journey stage")
        verbose_name_plural = _("journey stages")

    def __str__(self):
        return self.name


class Channel(models.Model):
    """A channel or touchpoint where customers meet the company."""

    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        db_table = "portal_channel"
        ordering = ["name"]
        verbose_name = _("channel / touchpoint")
        verbose_name_plural = _("channels / touchpoints")

    def __str__(self):
        return self.name
