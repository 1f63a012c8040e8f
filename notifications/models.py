"""The notification outbox: one row per person and event, rendered when shown."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


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
    # What happened, as plain data (ids, a title, a stage's name, an ISO date): the text
    # is rendered from it in the reader's language (notifications.kinds).
    params = models.JSONField(default=dict, blank=True)
    # Text stored by notifications written before they were rendered late; shown as is.
    legacy_title = models.CharField(max_length=255, blank=True)
    legacy_body = models.TextField(blank=True)
    legacy_url = models.CharField(max_length=500, blank=True)
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
    # Scheduled reminders say "once per person for this": the same key is never stored
    # twice for a recipient (a database constraint), however often the job runs.
    once_key = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        db_table = "portal_notification"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="portal_notif_unread"),
            models.Index(fields=["email_status", "created_at"], name="portal_notif_outbox"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "once_key"],
                                    condition=~models.Q(once_key=""),
                                    name="notifications_once_per_recipient"),
        ]

    def __str__(self):
        return self.title

    def rendered(self):
        """Title, body and link in the active language (computed once per language)."""
        from .kinds import render

        cache = self.__dict__.setdefault("_rendered", {})
        language = translation.get_language()
        if language not in cache:
            cache[language] = render(self)
        return cache[language]

    @property
    def title(self) -> str:
        return self.rendered().title

    @property
    def body(self) -> str:
        return self.rendered().body

    @property
    def link(self) -> str:
        return self.rendered().link
