from django.dispatch import receiver
from wagtail.signals import page_published

from . import services
from .models import NewsletterIssuePage


@receiver(page_published, sender=NewsletterIssuePage, dispatch_uid="newsletter.send_on_publish")
def send_on_publish(sender, instance, revision=None, **kwargs):
    # Publishing (now, or at the scheduled go-live time) starts the one send of the issue.
    # Wagtail sends page_published also when a publish is only *scheduled* (go-live in
    # the future, page not live yet): that must not send; the beat job's publish does.
    if not instance.live:
        return
    actor = getattr(revision, "user", None) if revision else None
    services.send_start(issue=instance, actor=actor)
