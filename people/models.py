"""People: employees, departments, and the customer vocabularies (segments, journey
stages, channels) every feature app tags its records with.

The tables keep the names they had when these models lived in the portal app: the
move was made in the migration state only (people/migrations/0001_initial.py)."""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField

from shared.translated import TranslatedModel, translated_panels

from .blocks import JourneyMapStageBlock


class Department(TranslatedModel, models.Model):
    """A department or team; champions cover departments, ideas belong to one."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    head_count = models.PositiveIntegerField(_("head count"), default=0)

    panels = [*translated_panels("name"), FieldPanel("parent"), FieldPanel("head_count")]

    class Meta:
        db_table = "portal_department"
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


# What a person edits on their profile page, and programme admins beside the account
# fields in the user admin (people.forms, people.services.user_update_profile).
PROFILE_FIELDS = ("display_name", "department", "job_title", "start_date", "manager",
                  "preferred_language")


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


class CustomerSegment(TranslatedModel, models.Model):
    """A customer segment or persona: who an idea, insight or lesson is about."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    needs = models.TextField(_("needs"), blank=True)
    pains = models.TextField(_("pains"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("photo"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # In the customers' own words, so not translated: one quote per line.
    quotes = models.TextField(_("what they say"), blank=True, max_length=3000,
                              help_text=_("Customers' own words, one quote per line."))

    panels = [*translated_panels("name"), *translated_panels("summary"),
              *translated_panels("needs"), *translated_panels("pains"), FieldPanel("photo"),
              FieldPanel("quotes")]

    class Meta:
        db_table = "portal_customersegment"
        ordering = ["name"]
        verbose_name = _("customer segment")
        verbose_name_plural = _("customer segments")

    def __str__(self):
        return self.name


class JourneyMap(models.Model):
    """A customer journey map in the library: stages × touchpoints × what the customer
    does, thinks and feels, and the pain points. Lessons refer to a map rather than copy
    it (training's library journey map block); a persona's page lists its maps."""

    title = models.CharField(_("title"), max_length=200)
    customer_segment = models.ForeignKey(
        CustomerSegment, verbose_name=_("customer"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="journey_maps")
    summary = models.TextField(_("summary"), blank=True, max_length=2000)
    stages = StreamField([("stage", JourneyMapStageBlock())], verbose_name=_("stages"),
                         blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("title"), FieldPanel("customer_segment"), FieldPanel("summary"),
              FieldPanel("stages")]

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("journey map")
        verbose_name_plural = _("journey maps")

    def __str__(self):
        return self.title


class JourneyStage(TranslatedModel, models.Model):
    """A stage of the customer journey (e.g. discover, buy, use, get help, renew)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [*translated_panels("name"), FieldPanel("order")]

    class Meta:
        db_table = "portal_journeystage"
        ordering = ["order", "name"]
        verbose_name = _("journey stage")
        verbose_name_plural = _("journey stages")

    def __str__(self):
        return self.name


class Channel(TranslatedModel, models.Model):
    """A channel or touchpoint where customers meet the company."""

    name = models.CharField(_("name"), max_length=80, unique=True)

    panels = translated_panels("name")

    class Meta:
        db_table = "portal_channel"
        ordering = ["name"]
        verbose_name = _("channel / touchpoint")
        verbose_name_plural = _("channels / touchpoints")

    def __str__(self):
        return self.name


# --- Programme settings ---------------------------------------------------------------
# Defaults are read from the environment settings (portal/settings/base.py) when called,
# so until a programme admin saves the settings the behaviour is the environment's.


def default_holidays() -> str:
    return "\n".join(sorted(settings.HOLIDAYS))


def default_champion_term_months() -> int:
    return settings.CHAMPION_TERM_MONTHS


def default_impact_reminder_days() -> int:
    return settings.IMPACT_REMINDER_WORKING_DAYS


def default_newsletter_require_approval() -> bool:
    return settings.NEWSLETTER_REQUIRE_APPROVAL


def parse_holidays(text: str) -> frozenset[str]:
    """The ISO dates of a holidays text, one per line (blank lines ignored). Raises
    ValidationError naming every line that is not a date in YYYY-MM-DD form."""
    days, bad = set(), []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            if len(line) != 10:
                raise ValueError(line)
            days.add(date.fromisoformat(line).isoformat())
        except ValueError:
            bad.append(_("line %(number)s: “%(value)s”") % {"number": number, "value": line})
    if bad:
        raise ValidationError(
            _("Write one date per line as YYYY-MM-DD (e.g. 2026-12-25). Not a date: "
              "%(lines)s.") % {"lines": "; ".join(str(b) for b in bad)},
            code="invalid_holiday",
        )
    return frozenset(days)


def validate_holidays(text: str) -> None:
    parse_holidays(text)


@register_setting(icon="calendar-alt")
class ProgrammeSettings(BaseGenericSetting):
    """What programme admins change at run time, without a deploy (Settings ›
    Programme settings). Read it with people.settings.programme_settings()."""

    holidays = models.TextField(
        _("public holidays"), blank=True, default=default_holidays,
        validators=[validate_holidays],
        help_text=_("One date per line, as YYYY-MM-DD. Holidays are not working days: "
                    "response targets and onboarding due dates skip them."),
    )
    review_response_target_days = models.PositiveSmallIntegerField(
        _("default review response target (working days)"), null=True, blank=True,
        default=None, validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Used for open review stages that have no response-time target of "
                    "their own. Empty: such stages have no target."),
    )
    champion_term_months = models.PositiveSmallIntegerField(
        _("champion term (months)"), default=default_champion_term_months,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("The length of a champion's term when a nomination is approved."),
    )
    newsletter_require_approval = models.BooleanField(
        _("newsletter issues need approval"), default=default_newsletter_require_approval,
        help_text=_("A programme admin approves each newsletter issue before it is sent."),
    )

    impact_reminder_days = models.PositiveSmallIntegerField(
        _("measured impact reminder (working days)"), null=True, blank=True,
        default=default_impact_reminder_days,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Working days after an idea is implemented when its owner is asked to "
                    "record the measured impact, if not yet recorded. Empty: no reminder."),
    )

    accept_needs_two_questions = models.BooleanField(
        _("accepting needs Amazon's two questions"), default=True,
        help_text=_("An idea is accepted only once a reviewer has answered yes to both: "
                    "the customer is named, and why it will delight them is explained."),
    )

    panels = [FieldPanel("holidays"), FieldPanel("review_response_target_days"),
              FieldPanel("champion_term_months"), FieldPanel("newsletter_require_approval"),
              FieldPanel("impact_reminder_days"), FieldPanel("accept_needs_two_questions")]

    class Meta:
        verbose_name = _("programme settings")
        verbose_name_plural = _("programme settings")

    def __str__(self):
        return str(self._meta.verbose_name)

    @property
    def holiday_dates(self) -> frozenset[str]:
        """The holidays as a set of ISO date strings (what shared.workdays takes)."""
        try:
            return parse_holidays(self.holidays)
        except ValidationError:  # saved before validation, or edited in the database
            return frozenset()
