"""What an SMTP error means for a delivery, and how long a worker's claim lasts."""

import smtplib
from datetime import timedelta

from django.conf import settings


def claim_lease() -> timedelta:
    """A claim not renewed for this long belongs to a worker that died."""
    return timedelta(seconds=settings.NEWSLETTER_CLAIM_LEASE_SECONDS)


def is_temporary(exc: Exception) -> bool:
    """Worth trying again later (4xx replies, a lost connection)."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    return isinstance(exc, OSError | smtplib.SMTPServerDisconnected)


def connection_lost(exc: Exception) -> bool:
    """The SMTP connection cannot carry the rest of the batch. (smtplib's errors are
    OSErrors too, but a refused recipient or message leaves the connection usable.)"""
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code == 421  # the server is closing the connection
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)
