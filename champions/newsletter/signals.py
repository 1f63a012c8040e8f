from django.dispatch import receiver
from wagtail.signals import page_published

from . import services
from .models import NewsletterIssuePage


@receiver(page_published, sender=NewsletterIssuePage, dispatch_uid="newsletter.send_on_publish")
def send_on_publish(sender, instance, revision=None, **kwargs):
    # Publishing (now, or at the scheduled go-live time) starts the one send of the issue.
    actor = getattr(revision, "user", None) if revision else None
    services.send_start(issue=instance, actor=actor)
