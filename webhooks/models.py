"""Webhook endpoints, the events recorded for them and one delivery per (event, endpoint).

The Delivery rows are the outbox: written in the caller's transaction, sent after commit
by a task, swept by beat when the broker or the receiver was down."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Events emitted today. Later features add theirs here (and emit them with
# services.event_record): "campaign.opened", "campaign.closed", "insight.overdue".
EVENT_CHOICES = [
    ("idea.submitted", _("An idea was submitted")),
    ("idea.decided", _("An idea moved to another stage")),
    ("newsletter.published", _("A newsletter issue was published")),
]
EVENT_TYPES = frozenset(name for name, _label in EVENT_CHOICES)


class Endpoint(models.Model):
    class Preset(models.TextChoices):
        GENERIC = "generic", _("Generic JSON")
        SLACK = "slack", _("Slack")
        TEAMS = "teams", _("Microsoft Teams")

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    preset = models.CharField(_("format"), max_length=10, choices=Preset.choices,
                              default=Preset.GENERIC)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    active = models.BooleanField(_("active"), default=True)
    # Kept in clear: HMAC signing needs it. Shown once on create, then to admins only.
    secret = models.CharField(max_length=64, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    disabled_reason = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   editable=False)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["-created_at", "-pk"]
        permissions = [("manage_webhooks", "Can manage webhook endpoints")]

    def __str__(self):
        return self.description or self.url

    def wants(self, event_type: str) -> bool:
        return event_type in (self.events or [])


class Event(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=50)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.type} {self.id}"


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE,
                                 related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["event", "endpoint"],
                                               name="webhooks_one_delivery_per_endpoint")]
        indexes = [models.Index(fields=["status", "next_attempt_at"],
                                name="webhooks_delivery_due_idx")]

    def __str__(self):
        return f"{self.event.type} → {self.endpoint}"
