"""Every message the receiver took: what it was, and what became of it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InboundMessage(models.Model):
    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")

    # The same message delivered twice (a retrying mail server) is taken once.
    message_id = models.CharField(max_length=255, unique=True)
    mail_from = models.CharField(max_length=320, blank=True)
    sender = models.CharField(max_length=320, blank=True)
    rcpt_to = models.CharField(max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.CharField(max_length=200, blank=True)
    idea_id = models.BigIntegerField(null=True, blank=True)
    comment_id = models.BigIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("inbound e-mail")
        verbose_name_plural = _("inbound e-mails")

    def __str__(self):
        return f"{self.message_id} ({self.status}: {self.reason})"
